package io.github.segmentdrip.outbox;

import io.github.segmentdrip.drip.DripWork;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A claimed outbox row: one Drip record and the Segment event it came from, both as JSON text. */
@RegisterForReflection
public record OutboxRow(long id, DripWork.Kind kind, String email, String campaignId, String payload,
        String event, long createdAt, int attempts) {
}
