package io.github.segmentdrip.outbox;

import javax.sql.DataSource;

/** The same reverse outbox checks on a real PostgreSQL (FOR UPDATE SKIP LOCKED, ON CONFLICT, BIGSERIAL). */
class SegmentOutboxPostgresTest extends SegmentOutboxTest {

    @Override
    DataSource dataSource() {
        return EmbeddedPostgres.cleanDatabase();
    }

    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
