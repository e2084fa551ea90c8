package io.github.segmentdrip.drip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.segmentdrip.outbox.OutboxRow;
import io.github.segmentdrip.outbox.OutboxStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the next work from the outbox and shapes it into Drip requests, never more than the
 * budget can send now. Rows are claimed with a lease so a crash leaves nothing stuck.
 */
public class DripDispatcher {

    private final OutboxStore outbox;
    private final DripBudget budget;
    private final DeliveryGate gate;
    private final DripAccount account;
    private final ObjectMapper json;
    private final String owner;
    private final Duration lease;
    private final int maxPerPoll;
    private final AtomicLong polls = new AtomicLong();

    public DripDispatcher(OutboxStore outbox, DripBudget budget, DeliveryGate gate, DripAccount account,
            ObjectMapper json, String owner, Duration lease, int maxPerPoll) {
        this.outbox = outbox;
        this.budget = budget;
        this.gate = gate;
        this.account = account;
        this.json = json;
        this.owner = owner;
        this.lease = lease;
        this.maxPerPoll = maxPerPoll;
    }

    /** The requests to send now, oldest work first; empty while delivery is paused or the budget is spent. */
    public List<DripRequest> nextRequests() {
        polls.incrementAndGet();
        if (!gate.isOpen()) {
            return List.of();
        }
        int room = Math.min(budget.available(false), maxPerPoll);
        List<DripRequest> requests = new ArrayList<>();
        for (OutboxRow row : outbox.claim(room, owner, lease)) {
            requests.add(single(row));
        }
        return requests;
    }

    /** How many times delivery has looked for work: shows it is alive even when nothing is sent. */
    public long polls() {
        return polls.get();
    }

    DripRequest single(OutboxRow row) {
        String base = "/v2/" + account.getAccountId();
        return switch (row.kind()) {
            case SUBSCRIBER -> new DripRequest(base + "/subscribers", "{\"subscribers\":[" + row.payload() + "]}",
                    List.of(row), false);
            case EVENT -> new DripRequest(base + "/events", "{\"events\":[" + row.payload() + "]}", List.of(row), false);
            case CAMPAIGN -> new DripRequest(base + "/campaigns/" + URLEncoder.encode(row.campaignId(), StandardCharsets.UTF_8)
                    + "/subscribers", "{\"subscribers\":[" + campaignRecord(row.payload()) + "]}", List.of(row), false);
        };
    }

    /** mapping.md: the campaign call carries the email, and the user id when known. */
    private String campaignRecord(String subscriberPayload) {
        try {
            JsonNode subscriber = json.readTree(subscriberPayload);
            ObjectNode record = json.createObjectNode();
            record.set("email", subscriber.get("email"));
            if (subscriber.hasNonNull("user_id")) {
                record.set("user_id", subscriber.get("user_id"));
            }
            return json.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
