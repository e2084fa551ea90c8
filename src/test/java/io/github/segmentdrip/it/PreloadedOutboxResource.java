package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.OutboxStore;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.segment.Intake;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

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
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dataDir.resolve("outbox.db"));
        Flyway.configure().dataSource(dataSource).locations("classpath:" + SqlDialect.SQLITE.migrationFolder()).load().migrate();
        OutboxStore outbox = new OutboxStore(dataSource, SqlDialect.SQLITE, new ObjectMapper(), Clock.systemUTC());
        Intake intake = new Intake("/v1/batch", false, Clock.systemUTC().instant());
        for (int i = 0; i < 3; i++) {
            String email = "left" + i + "@example.com";
            intake.accept(new DripWork(DripWork.Kind.EVENT, email, null,
                    Map.of("email", email, "action", "Left Behind", "occurred_at", "2024-06-05T11:44:40Z"),
                    Map.of("type", "track")));
        }
        outbox.store(intake);
        // The crashed instance's claim on the first row ran out a moment ago.
        outbox.claim(1, "crashed-instance", Duration.ofMillis(1));
        return config;
    }
}
