package io.github.segmentdrip.config;

import io.agroal.api.AgroalDataSource;
import io.github.segmentdrip.outbox.SqlDialect;
import io.quarkus.agroal.DataSource;
import io.quarkus.flyway.FlywayDataSource;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the outbox database among Quarkus's pooled datasources: the embedded SQLite file under
 * {@code drip.data-dir} by default, or PostgreSQL when {@code drip.database.url} is a PostgreSQL URL.
 * Migrations run here rather than at Quarkus start, because SQLite needs the data directory to exist
 * first. Without Quarkus, {@link io.github.segmentdrip.outbox.StandaloneOutboxDatabase} builds it.
 */
@Singleton
public class QuarkusOutboxDatabase {

    private final javax.sql.DataSource dataSource;
    private final SqlDialect dialect;

    @Inject
    public QuarkusOutboxDatabase(DripSettings settings, Instance<AgroalDataSource> embedded,
            @DataSource("postgresql") Instance<AgroalDataSource> postgres, Instance<Flyway> embeddedFlyway,
            @FlywayDataSource("postgresql") Instance<Flyway> postgresFlyway) {
        boolean usePostgres = settings.database().url().filter(url -> url.startsWith("jdbc:postgresql:")).isPresent();
        if (usePostgres) {
            dataSource = postgres.get();
            dialect = SqlDialect.POSTGRESQL;
            postgresFlyway.get().migrate();
        } else {
            createDataDir(Path.of(settings.dataDir()));
            dataSource = embedded.get();
            dialect = SqlDialect.SQLITE;
            embeddedFlyway.get().migrate();
        }
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    private static void createDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir.toAbsolutePath()
                    + " (drip.data-dir): " + e.getMessage(), e);
        }
    }
}
