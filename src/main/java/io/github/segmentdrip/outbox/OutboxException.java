package io.github.segmentdrip.outbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The outbox database failed: nothing was acknowledged, so the sender retries. */
@RegisterForReflection
public class OutboxException extends RuntimeException {
    public OutboxException(Throwable cause) {
        super("outbox database unavailable: " + cause.getMessage(), cause);
    }
}
