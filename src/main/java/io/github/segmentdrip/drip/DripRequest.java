package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.DripOutboxRow;

import java.util.List;

/**
 * One HTTP call to Drip and the outbox rows it carries; the rows' fate follows Drip's answer.
 *
 * @param path    the account-scoped path, e.g. {@code /v2/1234567/events}
 * @param body    the JSON body
 * @param rows    the outbox rows behind it (several when upserts of one person were merged)
 * @param batch   whether it spends the batch budget rather than the single-request one
 * @param records how many Drip records the body holds
 */
public record DripRequest(String path, String body, List<DripOutboxRow> rows, boolean batch, int records) {

    /** What an operator needs to see in one row's dead letter: where it went and what was sent for it. */
    public String describe(DripOutboxRow row) {
        if (batch) {
            // A batch body can be a megabyte: each dead letter keeps its own record, not the whole batch.
            return "POST " + path + " (batch of " + records + " records; this one: " + row.payload() + ")";
        }
        return "POST " + path + " " + body;
    }
}
