package io.github.segmentdrip.outbox;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One embedded PostgreSQL per test JVM for the outbox tests that run their SQLite checks again on
 * PostgreSQL; each {@link #cleanDatabase()} hands out its database emptied by Flyway.
 */
final class EmbeddedPostgres {

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

    private EmbeddedPostgres() {
    }

    static synchronized DataSource cleanDatabase() {
        if (postgres == null) {
            try {
                postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        DataSource dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
        return dataSource;
    }
}
