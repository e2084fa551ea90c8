package io.github.segmentdrip.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The few places where SQLite and PostgreSQL differ for the outbox. */
public enum SqlDialect {
    SQLITE(""),
    // Several instances share one PostgreSQL: a row locked by one claim is skipped by the others.
    POSTGRESQL(" FOR UPDATE SKIP LOCKED");

    private final String lockSuffix;

    SqlDialect(String lockSuffix) {
        this.lockSuffix = lockSuffix;
    }

    String lockSuffix() {
        return lockSuffix;
    }

    /** Migrations live in one folder per database under {@code db/migration}. */
    public String migrationFolder() {
        return "db/migration/" + name().toLowerCase(Locale.ROOT);
    }

    public static SqlDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("postgres") ? POSTGRESQL : SQLITE;
    }
}
