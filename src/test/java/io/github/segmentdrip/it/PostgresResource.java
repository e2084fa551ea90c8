package io.github.segmentdrip.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A real PostgreSQL (binaries from Maven Central) next to the Drip emulator, with a compressed
 * budget the emulator enforces too: the setup for several instances sharing one database.
 */
public class PostgresResource extends DripEmulatorResource {

    private static volatile EmbeddedPostgres postgres;
    private static volatile Map<String, String> config;

    /** The configuration the application got, for starting a second instance with the same. */
    public static Map<String, String> config() {
        return config;
    }

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        init(Map.of("drip.rate-limit.single-requests", "10", "drip.rate-limit.batch-requests", "2",
                "drip.rate-limit.window", "PT3S"));
        Map<String, String> settings = new HashMap<>(super.start());
        settings.put("drip.database.url", postgres.getJdbcUrl("postgres", "postgres"));
        settings.put("drip.database.username", "postgres");
        settings.put("drip.database.password", "postgres");
        config = settings;
        return settings;
    }

    @Override
    public void stop() {
        super.stop();
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
