package io.github.segmentdrip.reverse;

import io.github.segmentdrip.outbox.SegmentOutboxRow;
import java.util.List;

/**
 * One {@code POST /v1/batch} to Segment and the outbox rows it carries; the rows' fate follows
 * Segment's answer.
 */
public record SegmentRequest(List<SegmentOutboxRow> rows) {

    public SegmentRequest {
        rows = List.copyOf(rows);
    }

    /** The track calls of the body, in order. */
    public List<String> events() {
        return rows.stream().map(SegmentOutboxRow::payload).toList();
    }

    public int size() {
        return rows.size();
    }

    /** A dead letter's {@code request}: the row's own event is in its {@code payload}. */
    public String describe(SegmentOutboxRow row) {
        return "POST /v1/batch (batch of " + rows.size() + " event" + (rows.size() == 1 ? "" : "s") + ")";
    }
}
