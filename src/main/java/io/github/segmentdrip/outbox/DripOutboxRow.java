package io.github.segmentdrip.outbox;

/**
 * A claimed row of the Drip outbox: one Drip record and the Segment event it came from, both as
 * JSON text.
 *
 * @param id         row id, oldest first
 * @param kind       which Drip endpoint the record goes to
 * @param email      the person, whose rows reach Drip in order
 * @param campaignId the campaign to subscribe the person to after the upsert, or {@code null}
 * @param payload    the Drip record
 * @param event      the Segment event as it was received
 * @param createdAt  when the event was accepted, epoch milliseconds
 * @param attempts   failed delivery attempts so far
 */
public record DripOutboxRow(long id, DripWork.Kind kind, String email, String campaignId, String payload,
        String event, long createdAt, int attempts) implements LeasedQueue.Row {
}
