package io.github.segmentdrip.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Segment track → one Drip event, the element of {@code {"events":[…]}} sent to
 * {@code POST /v2/{account}/events}. Rules: mapping.md "track".
 */
public class TrackTransformer {

    /** Drip does not support spaces in property names (Segment's analytics.js Drip integration). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ConversionValue conversionValue;

    public TrackTransformer(ConversionValue conversionValue) {
        this.conversionValue = Objects.requireNonNull(conversionValue, "conversionValue");
    }

    /**
     * @param trackEvent a Segment track message
     * @param receivedAt when this service received it: the event time of last resort
     * @throws MappingException {@code missing email} or {@code missing event name}
     */
    public Mapped toEvent(Map<String, Object> trackEvent, Instant receivedAt) {
        String email = EmailResolver.forTrack(trackEvent)
                .orElseThrow(() -> new MappingException("missing email", "properties.email"));
        String action = actionOf(trackEvent)
                .orElseThrow(() -> new MappingException("missing event name", "event"));
        List<String> warnings = new ArrayList<>();

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("email", email);
        event.put("action", action);
        event.put("occurred_at", Timestamps.format(occurredAt(trackEvent, receivedAt, warnings)));
        // Always sent, even empty: one shape for every event keeps the payload simple to read and
        // to test, and Drip accepts an empty object.
        event.put("properties", properties(trackEvent, action, warnings));
        return new Mapped(event, warnings);
    }

    /** The event name verbatim, trimmed; Drip matches it against conversion goal names. */
    private static Optional<String> actionOf(Map<String, Object> trackEvent) {
        return trackEvent.get("event") instanceof String name && !name.isBlank()
                ? Optional.of(name.strip())
                : Optional.empty();
    }

    /**
     * {@code timestamp}, else {@code originalTimestamp}, else {@code receivedAt}; an unreadable
     * timestamp is skipped with a warning. Always set: delivery may wait behind Drip's rate
     * limits, and Drip would otherwise record the time it received the event. Shopper Activity
     * records use the same rule (mapping.md: "occurred_at as for events").
     */
    public static Instant occurredAt(Map<String, Object> trackEvent, Instant receivedAt,
            List<String> warnings) {
        for (String field : List.of("timestamp", "originalTimestamp")) {
            Object value = trackEvent.get(field);
            Optional<Instant> parsed = Timestamps.parse(value);
            if (parsed.isPresent()) {
                return parsed.get();
            }
            if (value != null) {
                warnings.add(field + " is not a readable date; ignored");
            }
        }
        return Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** All properties except email (it identifies the person) and revenue (it became value). */
    private Map<String, Object> properties(Map<String, Object> trackEvent, String action,
            List<String> warnings) {
        Map<String, Object> received = trackEvent.get("properties") instanceof Map<?, ?> map
                ? stringKeyed(map)
                : Map.of();
        Mapped converted = conversionValue.apply(action, received);
        warnings.addAll(converted.warnings());

        Map<String, Object> properties = new LinkedHashMap<>();
        converted.payload().forEach((key, value) -> {
            if (key.equals("email")) {
                return;
            }
            String dripKey = WHITESPACE.matcher(key.strip()).replaceAll("_");
            if (dripKey.isEmpty()) {
                warnings.add("a property with an empty name was dropped");
                return;
            }
            properties.put(dripKey, value);
        });
        return properties;
    }

    private static Map<String, Object> stringKeyed(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }
}
