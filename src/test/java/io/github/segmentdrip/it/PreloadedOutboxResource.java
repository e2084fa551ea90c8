package io.github.segmentdrip.it;

import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.testing.Outboxes;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Plays a service that stopped with work in its outbox: before the application starts, its data
 * directory already holds undelivered rows, one of them claimed by an instance that died.
 */
public class PreloadedOutboxResource extends DripEmulatorResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Path dataDir = Path.of(config.get("drip.data-dir"));
        try (Outboxes outbox = Outboxes.sqlite(dataDir.resolve("outbox.db"), Clock.systemUTC())) {
            preload(outbox);
        }
        return config;
    }

    private static void preload(Outboxes outbox) {
        Intake intake = new Intake("/v1/batch", false, Clock.systemUTC().instant());
        for (int i = 0; i < 3; i++) {
            String email = "left" + i + "@example.com";
            intake.accept(new DripWork(DripWork.Kind.EVENT, email, null,
                    Map.of("email", email, "action", "Left Behind", "occurred_at", "2024-06-05T11:44:40Z"),
                    Map.of("type", "track")));
        }
        outbox.store(intake);
        // The crashed instance's claim on the first row ran out a moment ago.
        outbox.drip.claim(1, "crashed-instance", Duration.ofMillis(1));
    }
}
