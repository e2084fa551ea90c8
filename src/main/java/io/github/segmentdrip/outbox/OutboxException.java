package io.github.segmentdrip.outbox;

/** The outbox database failed: nothing was acknowledged, so the sender retries. */
public class OutboxException extends RuntimeException {
    public OutboxException(Throwable cause) {
        super("outbox database unavailable: " + cause.getMessage(), cause);
    }
}
