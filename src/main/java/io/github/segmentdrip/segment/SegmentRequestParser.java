package io.github.segmentdrip.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.mapping.StrictJson;
import org.apache.camel.Body;
import org.apache.camel.Header;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the raw bytes of a Segment request into an {@link Intake}: size limits first (before any
 * parsing, so a huge body costs nothing), then bounded JSON parsing, then the shape of the
 * Tracking API or the Webhooks destination. Whole-request problems throw {@link RequestRefused};
 * a bad message inside a batch is only recorded, so it cannot make the sender drop the good ones.
 */
public class SegmentRequestParser {

    /** Segment's HTTP Tracking API limits (segment.md §3), enforced the same way here. */
    private static final int MAX_EVENT_BYTES = SegmentLimits.MAX_EVENT_BYTES;
    private static final int MAX_BATCH_BYTES = SegmentLimits.MAX_BATCH_BYTES;
    private static final int MAX_BATCH_EVENTS = SegmentLimits.MAX_BATCH_EVENTS;

    private static final Set<String> SINGLE_CALLS = Set.of("identify", "track", "page", "screen", "group", "alias");
    private static final Set<String> BATCH_CALLS = Set.of("batch", "import");

    private final ObjectMapper json;
    private final Clock clock;

    public SegmentRequestParser() {
        this(Clock.systemUTC());
    }

    public SegmentRequestParser(Clock clock) {
        this.clock = clock;
        this.json = StrictJson.mapper();
    }

    /**
     * Parses a Tracking API call ({@code /v1/identify}, {@code /v1/batch}, {@code /v1/import}, …).
     *
     * @param call the last path segment, e.g. {@code track} or {@code batch} (the door's {@code {call}})
     */
    public Intake trackingApi(@Header("call") String call, @Body byte[] body) {
        String given = call == null ? "" : call.trim();
        // analytics.js posts to /v1/t, /v1/i, … and /v1/b (segment.md §7).
        String name = AnalyticsJsPaths.callFor(given).orElse(given.toLowerCase(Locale.ROOT));
        if (AnalyticsJsPaths.TELEMETRY.equals(name)) {
            // Not an event: answered 200 so browsers log no error every 30 s, and read no further.
            return Intake.telemetry(clock.instant());
        }
        if (SINGLE_CALLS.contains(name)) {
            Intake intake = new Intake("/v1/" + name, true, clock.instant());
            Map<String, Object> event = object(parse(body, MAX_EVENT_BYTES), "body must be a JSON object");
            intake.writeKeyFound(event.get("writeKey"));
            // The path names the call; libraries and curl users may leave "type" out of the body.
            event.put("type", name);
            intake.add(clean(event));
            return intake;
        }
        if (BATCH_CALLS.contains(name)) {
            Intake intake = new Intake("/v1/" + name, false, clock.instant());
            Map<String, Object> request = object(parse(body, MAX_BATCH_BYTES), "body must be a JSON object");
            intake.writeKeyFound(request.get("writeKey"));
            Object batch = request.get("batch");
            if (!(batch instanceof List<?> events)) {
                throw RequestRefused.badRequest("missing batch array", "batch");
            }
            addAll(intake, events, body.length, asMap(request.get("context")), asMap(request.get("integrations")));
            return intake;
        }
        throw new RequestRefused(404, "unknown Tracking API call /v1/" + name, null);
    }

    /** Parses a Segment Webhooks destination delivery: one event object or a JSON array of them. */
    public Intake webhook(byte[] body) {
        Object parsed = parse(body, MAX_BATCH_BYTES);
        if (parsed instanceof List<?> events) {
            Intake intake = new Intake("/segment/webhook", false, clock.instant());
            addAll(intake, events, body.length, null, null);
            return intake;
        }
        if (body.length > MAX_EVENT_BYTES) {
            throw RequestRefused.tooLarge("event larger than " + MAX_EVENT_BYTES + " bytes");
        }
        Map<String, Object> event = object(parsed, "body must be a JSON object or array");
        Intake intake = new Intake("/segment/webhook", true, clock.instant());
        requireType(event);
        intake.add(clean(event));
        return intake;
    }

    private void addAll(Intake intake, List<?> events, int bodyBytes, Map<String, Object> batchContext,
            Map<String, Object> batchIntegrations) {
        if (events.size() > MAX_BATCH_EVENTS) {
            throw RequestRefused.tooLarge("batch of " + events.size() + " events, at most " + MAX_BATCH_EVENTS);
        }
        for (Object element : events) {
            int index = intake.getItems().size();
            if (!(element instanceof Map<?, ?>)) {
                intake.add(new LinkedHashMap<>());
                intake.reject(intake.getItems().get(index), "event is not a JSON object", "batch[" + index + "]");
                continue;
            }
            Map<String, Object> event = asMap(element);
            intake.writeKeyFound(event.get("writeKey"));
            clean(event);
            merge(event, "context", batchContext);
            merge(event, "integrations", batchIntegrations);
            intake.add(event);
            IntakeItem item = intake.getItems().get(index);
            if (!(event.get("type") instanceof String type) || type.isBlank()) {
                intake.reject(item, "missing type", "batch[" + index + "].type");
            } else if (bodyBytes > MAX_EVENT_BYTES && serializedSize(event) > MAX_EVENT_BYTES) {
                // Only a body larger than the limit can hold an oversized event, so small batches skip this.
                intake.reject(item, "event larger than " + MAX_EVENT_BYTES + " bytes", "batch[" + index + "]");
            }
        }
    }

    private Object parse(byte[] body, int limit) {
        if (body == null || body.length == 0) {
            throw RequestRefused.badRequest("empty body", null);
        }
        if (body.length > limit) {
            throw RequestRefused.tooLarge("body larger than " + limit + " bytes");
        }
        if (containsNul(body)) {
            // A NUL cannot be stored in PostgreSQL text and has no business in an event.
            throw RequestRefused.badRequest("NUL character in body", null);
        }
        try {
            return json.readValue(body, Object.class);
        } catch (StreamConstraintsException e) {
            throw RequestRefused.badRequest("JSON exceeds parsing limits", null);
        } catch (JsonProcessingException e) {
            throw RequestRefused.badRequest("invalid JSON", null);
        } catch (IOException e) {
            throw RequestRefused.badRequest("unreadable body", null);
        }
    }

    /** A raw NUL byte, or the JSON escape {@code \u0000}. */
    private static boolean containsNul(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == 0) {
                return true;
            }
            if (b == '\\' && i + 5 < body.length && body[i + 1] == 'u' && body[i + 2] == '0' && body[i + 3] == '0'
                    && body[i + 4] == '0' && body[i + 5] == '0') {
                return true;
            }
        }
        return false;
    }

    private static void requireType(Map<String, Object> event) {
        if (!(event.get("type") instanceof String type) || type.isBlank()) {
            throw RequestRefused.badRequest("missing type", "type");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object parsed, String error) {
        if (parsed instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw RequestRefused.badRequest(error, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    /** The write key authenticates the request; it is never stored with the event. */
    private static Map<String, Object> clean(Map<String, Object> event) {
        event.remove("writeKey");
        return event;
    }

    /** Batch-level context and integrations apply to every message; the message's own keys win. */
    private static void merge(Map<String, Object> event, String key, Map<String, Object> batchLevel) {
        if (batchLevel == null || batchLevel.isEmpty()) {
            return;
        }
        Map<String, Object> merged = new LinkedHashMap<>(batchLevel);
        Map<String, Object> own = asMap(event.get(key));
        if (own != null) {
            merged.putAll(own);
        }
        event.put(key, merged);
    }

    private int serializedSize(Map<String, Object> event) {
        try {
            return json.writeValueAsBytes(event).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }
}
