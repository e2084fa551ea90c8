package io.github.segmentdrip.outbox;

/**
 * A claimed row of the reverse path's outbox: one Segment track call (JSON text) and the Drip
 * webhook it came from.
 *
 * @param id        row id, oldest first
 * @param messageId the track call's deterministic {@code messageId}
 * @param email     the subscriber's email, for the dead letters; may be {@code null}
 * @param payload   the Segment track call, the element of {@code {"batch":[…]}}
 * @param event     the Drip webhook as it was received
 * @param createdAt when the webhook was stored, epoch milliseconds
 * @param attempts  failed delivery attempts so far
 * @param sendAlone whether the row goes to Segment in a batch of its own (a batch holding it was refused)
 */
public record SegmentOutboxRow(long id, String messageId, String email, String payload, String event,
        long createdAt, int attempts, boolean sendAlone) implements LeasedQueue.Row {
}
