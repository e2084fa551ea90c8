package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.OutboxRow;

import java.util.List;

/**
 * One HTTP call to Drip and the outbox rows it carries; the rows' fate follows Drip's answer.
 *
 * @param path  the account-scoped path, e.g. {@code /v2/1234567/events}
 * @param body  the JSON body
 * @param batch whether it spends the batch budget rather than the single-request one
 */
public record DripRequest(String path, String body, List<OutboxRow> rows, boolean batch) {

    /** What an operator needs to see in a dead letter: where it went and what was sent. */
    public String describe() {
        return "POST " + path + " " + body;
    }
}
