package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.DripEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the Drip emulator on 127.0.0.1 and points the application at it, with a fresh data
 * directory and retry delays short enough for tests.
 */
public class DripEmulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCOUNT = "1234567";
    public static final String TOKEN = "abcdefghij0123456789";
    /** The admin API's token: tests observe outbox and dead letters through it ({@link AdminApi}). */
    public static final String ADMIN_TOKEN = "admin-token-0f1e2d3c4b5a69788796";

    private static volatile DripEmulator emulator;

    /** Extra or overriding configuration from {@code @ResourceArg}s, for test classes that need another setup. */
    private final Map<String, String> overrides = new HashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        overrides.putAll(initArgs);
    }

    public static DripEmulator drip() {
        return emulator;
    }

    @Override
    public Map<String, String> start() {
        // The emulator enforces the same limits the service is told about.
        DripEmulator.Builder builder = DripEmulator.builder(ACCOUNT, TOKEN);
        if (overrides.containsKey("drip.rate-limit.single-requests")) {
            builder.singleLimit(Integer.parseInt(overrides.get("drip.rate-limit.single-requests")));
        }
        if (overrides.containsKey("drip.rate-limit.batch-requests")) {
            builder.batchLimit(Integer.parseInt(overrides.get("drip.rate-limit.batch-requests")));
        }
        if (overrides.containsKey("drip.rate-limit.window")) {
            builder.windowLength(java.time.Duration.parse(overrides.get("drip.rate-limit.window")));
        }
        emulator = builder.start();
        Map<String, String> config = new HashMap<>();
        // Test servers listen on the loopback interface only.
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("drip.base-url", emulator.baseUrl());
        config.put("drip.account-id", ACCOUNT);
        config.put("drip.api-token", TOKEN);
        config.put("drip.data-dir", tempDir().toString());
        config.put("drip.delivery.poll-interval", "50");
        config.put("drip.redelivery.delay", "20");
        config.put("drip.redelivery.maximum-delay", "100");
        config.put("drip.retry.first-delay", "PT0.2S");
        config.put("drip.retry.max-delay", "PT1S");
        config.put("drip.retry.max-attempts", "4");
        config.put("admin.token", ADMIN_TOKEN);
        config.putAll(overrides);
        return config;
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("drip-data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
