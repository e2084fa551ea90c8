package io.github.segmentdrip.outbox;

/**
 * A record that could not be delivered, with everything needed to understand and replay it:
 * the original Segment event, the Drip request, Drip's status and answer, and why.
 */
public record DeadLetter(long id, String kind, String email, String payload, String event, String request,
        Integer status, String response, String reason, int attempts, long createdAt, int replayed) {
}
