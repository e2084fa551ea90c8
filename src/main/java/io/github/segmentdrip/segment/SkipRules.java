package io.github.segmentdrip.segment;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Messages this service acknowledges but never sends to Drip. Skipping is not an error: Segment
 * must get a 2xx, or it would retry (or report a failure) for calls Drip has no use for.
 */
public final class SkipRules {

    private static final Set<String> DELIVERED_TYPES = Set.of("identify", "track");

    private SkipRules() {
    }

    /** Why the message is skipped, or empty when it goes to Drip. */
    public static Optional<String> skipReason(Map<String, Object> event) {
        Object type = event.get("type");
        if (!(type instanceof String name && DELIVERED_TYPES.contains(name))) {
            // page, screen, group, alias, delete and anything newer: Drip has no matching call.
            return Optional.of("unsupported type " + (type == null ? "(missing)" : type));
        }
        if (cameFromDrip(event)) {
            // Drip's email events come back into Segment through the reverse path; sending them
            // to Drip again would loop.
            return Optional.of("came from Drip");
        }
        return Optional.empty();
    }

    private static boolean cameFromDrip(Map<String, Object> event) {
        return event.get("context") instanceof Map<?, ?> context
                && context.get("integration") instanceof Map<?, ?> integration
                && integration.get("name") instanceof String name
                && name.strip().equalsIgnoreCase("drip");
    }
}
