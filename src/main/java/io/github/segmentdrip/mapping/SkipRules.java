package io.github.segmentdrip.mapping;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Messages this service acknowledges but never sends to Drip, and the two facts that decide it:
 * a message's call type, and whether it came from Drip. The one home of both rules: the intake's
 * router and the drip-sink Kamelet read them here. Skipping is not an error: Segment must get a
 * 2xx, or it would retry (or report a failure) for calls Drip has no use for.
 */
public final class SkipRules {

    /**
     * {@code context.integration.name} of the track calls the reverse path sends to Segment. A
     * message carrying it is one of Drip's own events coming back through Segment.
     */
    public static final String DRIP_INTEGRATION = "drip";

    private static final Set<String> DELIVERED_TYPES = Set.of("identify", "track");

    private SkipRules() {
    }

    /** Why the message is skipped, or empty when it goes to Drip. */
    public static Optional<String> skipReason(Map<String, Object> event) {
        if (!DELIVERED_TYPES.contains(typeOf(event))) {
            // page, screen, group, alias, delete and anything newer: Drip has no matching call.
            Object type = event.get("type");
            return Optional.of("unsupported type " + (type == null ? "(missing)" : type));
        }
        if (cameFromDrip(event)) {
            // Drip's email events come back into Segment through the reverse path; sending them
            // to Drip again would loop.
            return Optional.of("came from Drip");
        }
        return Optional.empty();
    }

    /**
     * The Segment call type, trimmed and in lower case ({@code " Track"} is a track call, as Segment's
     * libraries never send it but hand-written senders do); empty when missing or not text.
     */
    public static String typeOf(Map<String, Object> event) {
        return event.get("type") instanceof String type ? type.strip().toLowerCase(Locale.ROOT) : "";
    }

    /**
     * Whether the message came back from Drip through Segment (the reverse path's
     * {@code context.integration.name}, in any case): skipped, so that connecting both directions to
     * one Segment source cannot loop.
     */
    public static boolean cameFromDrip(Map<String, Object> event) {
        return event.get("context") instanceof Map<?, ?> context
                && context.get("integration") instanceof Map<?, ?> integration
                && integration.get("name") instanceof String name
                && name.strip().equalsIgnoreCase(DRIP_INTEGRATION);
    }
}
