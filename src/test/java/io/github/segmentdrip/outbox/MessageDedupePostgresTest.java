package io.github.segmentdrip.outbox;

import javax.sql.DataSource;

/** The same deduplication checks on a real PostgreSQL, where instances share the database for real. */
class MessageDedupePostgresTest extends MessageDedupeTest {

    @Override
    DataSource dataSource() {
        return EmbeddedPostgres.cleanDatabase();
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
