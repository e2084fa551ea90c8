package io.github.segmentdrip.segment;

import java.util.Map;
import java.util.Optional;

/**
 * The short paths analytics.js posts to when its {@code apiHost} points at this service
 * (segment.md §7). The standard dispatcher posts each event to {@code /} plus the first letter of
 * its type; the batching dispatcher posts {@code {"batch": […]}} to {@code /b}
 * ({@code segmentio/analytics-next} {@code packages/browser/src/plugins/segmentio/index.ts}:
 * {@code ctx.event.type.charAt(0)}; {@code batched-dispatcher.ts}: {@code https://${apiHost}/b}).
 */
public final class AnalyticsJsPaths {

    private static final Map<String, String> CALLS = Map.of(
            "t", "track",
            "i", "identify",
            "p", "page",
            "s", "screen",
            "g", "group",
            "a", "alias",
            "b", "batch",
            // analytics.js's own telemetry (counters of its plugins), posted every 30 s without credentials.
            "m", AnalyticsJsPaths.TELEMETRY);

    /** The call name of analytics.js's telemetry path {@code /m}: acknowledged, nothing kept. */
    public static final String TELEMETRY = "telemetry";

    private AnalyticsJsPaths() {
    }

    /**
     * The Tracking API call ({@code track}, {@code identify}, {@code page}, {@code screen},
     * {@code group}, {@code alias}, {@code batch}) for a short path such as {@code t} or
     * {@code /t}; empty for anything else. Lower case only, as analytics.js sends it.
     */
    public static Optional<String> callFor(String shortPath) {
        if (shortPath == null) {
            return Optional.empty();
        }
        String path = shortPath.strip();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        return Optional.ofNullable(CALLS.get(path));
    }
}
