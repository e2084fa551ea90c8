package io.github.segmentdrip.outbox;


/** A claimed outbox row: one Drip record and the Segment event it came from, both as JSON text. */
public record OutboxRow(long id, DripWork.Kind kind, String email, String campaignId, String payload,
        String event, long createdAt, int attempts) {
}
