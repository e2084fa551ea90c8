package io.github.segmentdrip.outbox;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The outbox database for applications without Quarkus (plain Camel Main, Spring Boot): a
 * {@link DataSource} whose schema is migrated by the same Flyway scripts the service runs
 * ({@code db/migration/sqlite}, {@code db/migration/postgresql}). Static factories, so a Camel YAML
 * {@code - beans:} entry can call them with {@code factoryMethod}. Quarkus uses
 * {@code config.QuarkusOutboxDatabase} instead, with its pooled datasources.
 */
public final class StandaloneOutboxDatabase {

    /**
     * The service's own SQLite settings: WAL with synchronous=NORMAL survives a crash of the process,
     * and a writer waits for another one instead of failing, for a bounded time (application.properties).
     */
    private static final String SQLITE_OPTIONS = "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=";

    /** {@code drip.database.busy-timeout}'s default, in milliseconds. */
    private static final long DEFAULT_BUSY_TIMEOUT = 10_000;

    private StandaloneOutboxDatabase() {
    }

    /**
     * The embedded outbox: {@code <dataDir>/outbox.db}, the directory created when missing, the
     * schema migrated.
     *
     * @param dataDir the directory of the SQLite file ({@code drip.data-dir})
     */
    public static DataSource sqlite(String dataDir) {
        return sqlite(dataDir, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * As {@link #sqlite(String)}, a writer waiting at most {@code busyTimeoutMillis} for another
     * writer's lock ({@code drip.database.busy-timeout}).
     */
    public static DataSource sqlite(String dataDir, long busyTimeoutMillis) {
        Path dir = Path.of(dataDir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir.toAbsolutePath()
                    + " (drip.data-dir): " + e.getMessage(), e);
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db") + SQLITE_OPTIONS + busyTimeoutMillis);
        return migrated(dataSource, SqlDialect.SQLITE);
    }

    /**
     * Brings an application's own datasource (a PostgreSQL pool, say) to the outbox schema.
     *
     * @return the same datasource, migrated
     */
    public static DataSource migrated(DataSource dataSource, SqlDialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + dialect.migrationFolder())
                .load()
                .migrate();
        return dataSource;
    }
}
