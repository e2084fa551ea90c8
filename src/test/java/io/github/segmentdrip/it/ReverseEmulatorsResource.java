package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.SegmentEmulator;

import java.util.HashMap;
import java.util.Map;

/**
 * Both directions: the Drip emulator (forward path, {@link DripEmulatorResource}) and the Segment
 * emulator, with the Drip webhook endpoint on and Segment delivery pointed at the emulator, its
 * redelivery and back-off short enough for tests.
 */
public class ReverseEmulatorsResource extends DripEmulatorResource {

    public static final String WRITE_KEY = "test-write-key-7Xk2p";
    public static final String WEBHOOK_TOKEN = "6f1c0d8e2b7a4c9e8d3f5a1b0c2e4d6f8a9b7c5d3e1f0a2b";
    /** Drip's sample webhooks come from account 9999999; the service is set up for this one. */
    public static final String ACCOUNT = DripEmulatorResource.ACCOUNT;

    private static volatile SegmentEmulator segmentEmulator;

    private final Map<String, String> reverseOverrides = new HashMap<>();

    public static SegmentEmulator segment() {
        return segmentEmulator;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(initArgs);
        reverseOverrides.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        segmentEmulator = SegmentEmulator.start(WRITE_KEY);
        config.put("segment.api-url", segmentEmulator.baseUrl());
        // test.old-write-key-name: the key under its deprecated name, segment.write-key.
        config.put(Boolean.parseBoolean(reverseOverrides.remove("test.old-write-key-name"))
                ? "segment.write-key" : "segment.tracking-api.write-key", WRITE_KEY);
        config.put("drip.webhook-token", WEBHOOK_TOKEN);
        config.put("segment.delivery.poll-interval", "50");
        config.put("segment.redelivery.delay", "20");
        // Long enough that a Retry-After of a second is waited for in-route.
        config.put("segment.redelivery.maximum-delay", "2000");
        config.put("segment.retry.first-delay", "PT0.2S");
        config.put("segment.retry.max-delay", "PT1S");
        config.put("segment.retry.max-attempts", "6");
        config.putAll(reverseOverrides);
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        if (segmentEmulator != null) {
            segmentEmulator.close();
        }
    }
}
