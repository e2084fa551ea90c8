package io.github.segmentdrip.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DripBudget;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.operate.StatusHistory;
import io.github.segmentdrip.outbox.DeadLetter;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.SegmentOutbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API behind {@code /admin}: dead letters to list, read, replay and delete, and the
 * status the page at {@code /} draws. Everything it returns comes from the database and the
 * service's counters; no secret is stored there, so none can be returned.
 */
public class DeadLetterAdmin {

    private static final int MAX_PAGE = 200;
    private static final int MAX_REPLAY = 100_000;

    private final DripOutbox outbox;
    private final DeadLetterStore deadLetters;
    private final SegmentOutbox segmentOutbox;
    private final DripBudget budget;
    private final DeliveryGate gate;
    private final StatusHistory history;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public DeadLetterAdmin(DripOutbox outbox, DeadLetterStore deadLetters, SegmentOutbox segmentOutbox,
            DripBudget budget, DeliveryGate gate, StatusHistory history, Clock clock) {
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.segmentOutbox = segmentOutbox;
        this.budget = budget;
        this.gate = gate;
        this.history = history;
        this.clock = clock;
    }

    /** {@code GET /admin/dead-letters?reason=&page=&size=}: newest first, without the bulky bodies. */
    public String list(String reason, String page, String size) {
        int pageNumber = Math.max(0, number(page, 0, "page"));
        int pageSize = Math.min(MAX_PAGE, Math.max(1, number(size, 50, "size")));
        List<Map<String, Object>> items = new ArrayList<>();
        for (DeadLetter dead : deadLetters.list(reason, pageNumber * pageSize, pageSize)) {
            items.add(summary(dead));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("page", pageNumber);
        body.put("size", pageSize);
        body.put("total", deadLetters.count(reason));
        return write(body);
    }

    /** {@code GET /admin/dead-letters/{id}}: the original event, the Drip request and Drip's answer. */
    public String show(String id) {
        DeadLetter dead = deadLetters.find(id(id)).orElseThrow(() -> notFound(id));
        Map<String, Object> body = summary(dead);
        body.put("event", tree(dead.event()));
        body.put("record", tree(dead.payload()));
        body.put("request", dead.request());
        body.put("response", tree(dead.response()));
        return write(body);
    }

    /** {@code POST /admin/dead-letters/{id}/replay}. */
    public String replayOne(String id) {
        long deadLetterId = id(id);
        DeadLetter dead = deadLetters.find(deadLetterId).orElseThrow(() -> notFound(id));
        if (dead.payload() == null) {
            throw new RequestRefused(409, "dead letter " + id + " is a refused Segment message with no Drip record: "
                    + "fix and resend it from the source", null);
        }
        return write(Map.of("replayed", replay(List.of(deadLetterId))));
    }

    /** Drip-bound dead letters go back to the outbox, Segment-bound ones to the reverse outbox. */
    private int replay(List<Long> ids) {
        List<Long> toDrip = new ArrayList<>();
        int replayed = 0;
        for (long id : ids) {
            DeadLetter dead = deadLetters.find(id).orElse(null);
            if (dead == null) {
                continue;
            }
            if (SegmentOutbox.DEAD_LETTER_KIND.equals(dead.kind()) && segmentOutbox != null && dead.payload() != null) {
                // Same messageId: Segment never accepted it, and a second replay must not count twice there.
                String messageId = tree(dead.payload()).path("messageId").asText();
                segmentOutbox.enqueue(messageId, dead.email(), dead.payload(), dead.event());
                deadLetters.markReplayed(id);
                replayed++;
            } else {
                toDrip.add(id);
            }
        }
        return replayed + deadLetters.replayToDrip(toDrip);
    }

    /** {@code POST /admin/dead-letters/replay} with {@code {"ids":[…]}}, {@code {"reason":"…"}} or {@code {}} for all. */
    public String replayMatching(String filter) {
        JsonNode request = filter == null || filter.isBlank() ? json.createObjectNode() : tree(filter);
        if (request == null || !request.isObject()) {
            throw RequestRefused.badRequest("body must be a JSON object: {\"ids\":[…]} or {\"reason\":\"…\"} or {}", null);
        }
        List<Long> ids = new ArrayList<>();
        if (request.has("ids")) {
            if (!request.get("ids").isArray()) {
                throw RequestRefused.badRequest("ids must be an array of numbers", "ids");
            }
            request.get("ids").forEach(node -> ids.add(node.asLong()));
        } else {
            String reason = request.hasNonNull("reason") ? request.get("reason").asText() : null;
            ids.addAll(deadLetters.ids(reason, MAX_REPLAY));
        }
        return write(Map.of("replayed", replay(ids)));
    }

    /** {@code DELETE /admin/dead-letters/{id}}. */
    public String delete(String id) {
        if (!deadLetters.delete(id(id))) {
            throw notFound(id);
        }
        return write(Map.of("deleted", 1));
    }

    /** {@code GET /admin/status}: what the status page draws. */
    public String status() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> outboxStatus = new LinkedHashMap<>();
        outboxStatus.put("depth", outbox.depth());
        outboxStatus.put("oldestAgeSeconds", outbox.oldestCreatedAt().stream()
                .mapToDouble(created -> Math.max(0, clock.millis() - created) / 1000.0).findFirst().orElse(0));
        outboxStatus.put("history", history.depthHistory());
        body.put("outbox", outboxStatus);
        body.put("deliveries", Map.of("perMinute", history.deliveriesPerMinute(), "sinceStart",
                history.deliveredSinceStart()));
        Map<String, Object> budgets = new LinkedHashMap<>();
        budgets.put("single", Map.of("limit", budget.limit(false), "available", budget.available(false)));
        budgets.put("batch", Map.of("limit", budget.limit(true), "available", budget.available(true)));
        budgets.put("window", budget.window().toString());
        body.put("budget", budgets);
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("ready", gate.notReadyReason() == null);
        delivery.put("reason", gate.notReadyReason());
        body.put("delivery", delivery);
        List<Map<String, Object>> latest = new ArrayList<>();
        for (DeadLetter dead : deadLetters.list(null, 20)) {
            latest.add(summary(dead));
        }
        body.put("deadLetters", Map.of("total", deadLetters.count(null), "latest", latest));
        return write(body);
    }

    private static Map<String, Object> summary(DeadLetter dead) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", dead.id());
        item.put("kind", dead.kind());
        item.put("email", dead.email());
        item.put("reason", dead.reason());
        item.put("status", dead.status());
        item.put("attempts", dead.attempts());
        item.put("createdAt", dead.createdAt());
        item.put("replayed", dead.replayed());
        return item;
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw RequestRefused.badRequest("dead letter id must be a number", "id");
        }
    }

    private static int number(String value, int fallback, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw RequestRefused.badRequest(field + " must be a number", field);
        }
    }

    private static RequestRefused notFound(String id) {
        return new RequestRefused(404, "no dead letter " + id, "id");
    }

    /** Stored JSON back as JSON, or as text when it is not JSON (a Drip answer may be HTML). */
    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
