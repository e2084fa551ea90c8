package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.LogCapture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Drip emulator plus every secret the service knows configured, and the JVM's log captured
 * from before the application starts: the setup of the hostile-input and no-secret-in-logs tests.
 */
public class SecuredEmulatorResource extends DripEmulatorResource {

    public static final String WRITE_KEY = "wk_live_9f8e7d6c5b4a";
    public static final String OTHER_WRITE_KEY = "wk_live_other_1234";
    public static final String SHARED_SECRET = "shared-secret-5ad1f00d";
    public static final String DRIP_WEBHOOK_TOKEN = "drip-webhook-token-7c1e9a0b2d3f4e5a6b7c8d9e";
    public static final String SEGMENT_WRITE_KEY = "segment-outbound-write-key-42";

    /** Every secret, as configured and as it would travel (base64 in Basic auth). */
    public static List<String> secrets() {
        return List.of(TOKEN, base64(TOKEN + ":"), base64(TOKEN), WRITE_KEY, base64(WRITE_KEY + ":"), OTHER_WRITE_KEY,
                SHARED_SECRET, DRIP_WEBHOOK_TOKEN, ADMIN_TOKEN, SEGMENT_WRITE_KEY, base64(SEGMENT_WRITE_KEY + ":"));
    }

    @Override
    public Map<String, String> start() {
        LogCapture.install();
        Map<String, String> config = new HashMap<>(super.start());
        config.put("segment.write-keys", WRITE_KEY + "," + OTHER_WRITE_KEY);
        config.put("segment.shared-secret", SHARED_SECRET);
        config.put("drip.webhook-token", DRIP_WEBHOOK_TOKEN);
        config.put("segment.tracking-api.write-key", SEGMENT_WRITE_KEY);
        config.put("quarkus.log.category.\"io.github.segmentdrip\".level", "DEBUG");
        return config;
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
