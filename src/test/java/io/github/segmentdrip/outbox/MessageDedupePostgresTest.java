package io.github.segmentdrip.outbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;
import java.io.IOException;

/** The same deduplication checks on a real PostgreSQL, where instances share the database for real. */
class MessageDedupePostgresTest extends MessageDedupeTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Override
    DataSource dataSource() {
        DataSource dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
        return dataSource;
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
