package io.github.segmentdrip.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Typed view of the {@code segment.*} properties: the Drip → Segment path and the intake's settings
 * (documented in docs/configuration.md). Nothing is required; without
 * {@code segment.tracking-api.write-key}, Drip webhooks are stored and wait.
 */
@ConfigMapping(prefix = "segment")
public interface SegmentSettings {

    /** Segment's HTTP Tracking API; EU workspaces use {@code https://events.eu1.segmentapis.com}. */
    @WithDefault("https://api.segment.io")
    String apiUrl();

    /** The Tracking API this service sends Drip's events to (the reverse path). */
    TrackingApi trackingApi();

    /**
     * {@code segment.write-key}: the old name of {@code segment.tracking-api.write-key}, still read
     * (application.properties makes it the new name's default) and warned about at start. It read
     * too much like {@code segment.write-keys}, the keys senders must bring to the intake.
     */
    @Deprecated
    Optional<String> writeKey();

    /** Whether Drip events outside the six email events go to Segment as {@code Drip <Event Name>}. */
    @WithDefault("false")
    boolean forwardAllDripEvents();

    /** Read by the routes: where what Segment refused for good goes. */
    @WithDefault("direct:segment-dead-letter")
    String deadLetterUri();

    Delivery delivery();

    Redelivery redelivery();

    Retry retry();

    // Read by the Segment intake, declared here so this mapping knows every segment.* property.
    /** The write keys senders must bring to the intake (inbound). Secret. */
    Optional<String> writeKeys();

    Optional<String> sharedSecret();

    Optional<String> corsOrigins();

    /** How long an accepted messageId makes a repeat a duplicate (mapping.md "Each message once"); PT0S: off. */
    @WithDefault("PT24H")
    Duration dedupeWindow();

    /** Read by the routes: how often expired messageIds are purged, in milliseconds. */
    @WithDefault("60000")
    long dedupePurgeInterval();

    /** Read by the routes: the intake's parse-and-route workers, and how long a request waits for one. */
    Intake intake();

    interface Intake {
        @WithDefault("2")
        int workers();

        @WithDefault("10000")
        long queueTimeout();
    }

    interface TrackingApi {
        /** The write key of the Segment source Drip's events go to (outbound). Secret. */
        Optional<String> writeKey();
    }

    interface Delivery {
        /** Read by the routes: the reverse outbox polling period in milliseconds. */
        @WithDefault("200")
        long pollInterval();

        /** How long claimed rows belong to this instance before another may take them over. */
        @WithDefault("PT2M")
        Duration lease();

        /** Events per {@code /v1/batch} at most (Segment: 2,500). */
        @WithDefault("2500")
        int maxBatchEvents();

        /** Bytes per {@code /v1/batch} body at most (Segment: 500 KB). */
        @WithDefault("512000")
        int maxBatchBytes();
    }

    /** Read by the routes: in-process redelivery of a failed call to Segment (429, 5xx, timeouts). */
    interface Redelivery {
        @WithDefault("2")
        int maximumRedeliveries();

        @WithDefault("500")
        long delay();

        @WithDefault("2")
        double multiplier();

        /** Also the longest {@code Retry-After} waited for in-process; a longer one uses the durable back-off. */
        @WithDefault("5000")
        long maximumDelay();
    }

    /** Durable back-off in the reverse outbox after the redeliveries, then the dead letters. */
    interface Retry {
        @WithDefault("PT10S")
        Duration firstDelay();

        @WithDefault("2")
        double multiplier();

        @WithDefault("PT10M")
        Duration maxDelay();

        /** 0: no limit, only {@link #maxAge()} (an outage shorter than it costs time, not events). */
        @WithDefault("0")
        int maxAttempts();

        @WithDefault("PT24H")
        Duration maxAge();
    }
}
