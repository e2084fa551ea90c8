package io.github.segmentdrip.outbox;

import javax.sql.DataSource;

/** The same reverse outbox checks on a real PostgreSQL (FOR UPDATE SKIP LOCKED, ON CONFLICT, BIGSERIAL). */
class SegmentOutboxStorePostgresTest extends SegmentOutboxStoreTest {

    @Override
    DataSource dataSource() {
        return EmbeddedPostgres.cleanDatabase();
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
