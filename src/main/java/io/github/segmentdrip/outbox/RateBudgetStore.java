package io.github.segmentdrip.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Drip's request budgets kept in the database, so that every instance sharing it draws from the
 * same budget: a log of the requests sent in the last window per endpoint class, and a row per
 * class that serialises the check-and-record (locked with {@code FOR UPDATE} on PostgreSQL;
 * SQLite serialises writers itself) and holds a pause after a 429.
 */
public class RateBudgetStore {

    private final Transactions transactions;
    private final SqlDialect dialect;

    public RateBudgetStore(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
    }

    /**
     * Records one request now if fewer than {@code limit} were sent in the window and the class is
     * not paused. Returns the entry's id for {@link #settle}, or -1 when the budget said no.
     */
    public long tryAcquire(String endpointClass, int limit, long windowMillis, long now) {
        return transactions.inTransaction(connection -> {
            long pausedUntil = lockAndReadPause(connection, endpointClass);
            if (now < pausedUntil) {
                return -1L;
            }
            forget(connection, endpointClass, now - windowMillis);
            if (count(connection, endpointClass, now - windowMillis) >= limit) {
                return -1L;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO rate_budget_log (endpoint_class, sent_at) VALUES (?, ?) RETURNING id")) {
                insert.setString(1, endpointClass);
                insert.setLong(2, now);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Moves a request's entry to the time its answer came. Drip counts a request when it arrives,
     * which is after we took the budget; counting from the answer keeps our window behind Drip's.
     */
    public void settle(long entry, long now) {
        if (entry < 0) {
            return;
        }
        transactions.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE rate_budget_log SET sent_at = ? WHERE id = ?")) {
                update.setLong(1, now);
                update.setLong(2, entry);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Requests sent within the window ending now. */
    public int used(String endpointClass, long windowMillis, long now) {
        return transactions.inTransaction(connection -> count(connection, endpointClass, now - windowMillis));
    }

    public long pausedUntil(String endpointClass) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT paused_until FROM rate_budget WHERE endpoint_class = ?")) {
                query.setString(1, endpointClass);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    public void pause(String endpointClass, long until) {
        transactions.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE rate_budget SET paused_until = ? WHERE endpoint_class = ? AND paused_until < ?")) {
                update.setLong(1, until);
                update.setString(2, endpointClass);
                update.setLong(3, until);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Marks {@code requests} as spent now: Drip counted requests we did not send (another client). */
    public void spend(String endpointClass, int requests, long now) {
        if (requests <= 0) {
            return;
        }
        transactions.inTransaction(connection -> {
            lockAndReadPause(connection, endpointClass);
            record(connection, endpointClass, now, requests);
            return null;
        });
    }

    /** The send time of the oldest request in the window, or {@code now} when none: the next slot frees one window after it. */
    public long oldestInWindow(String endpointClass, long windowMillis, long now) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT MIN(sent_at) FROM rate_budget_log WHERE endpoint_class = ? AND sent_at > ?")) {
                query.setString(1, endpointClass);
                query.setLong(2, now - windowMillis);
                try (ResultSet rs = query.executeQuery()) {
                    long oldest = rs.next() ? rs.getLong(1) : 0;
                    return rs.wasNull() || oldest == 0 ? now : oldest;
                }
            }
        });
    }

    private long lockAndReadPause(Connection connection, String endpointClass) throws SQLException {
        String lock = dialect == SqlDialect.POSTGRESQL ? " FOR UPDATE" : "";
        if (dialect == SqlDialect.SQLITE) {
            // Take SQLite's write lock before reading, so check and record are one atomic step.
            try (PreparedStatement touch = connection.prepareStatement(
                    "UPDATE rate_budget SET paused_until = paused_until WHERE endpoint_class = ?")) {
                touch.setString(1, endpointClass);
                touch.executeUpdate();
            }
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT paused_until FROM rate_budget WHERE endpoint_class = ?" + lock)) {
            query.setString(1, endpointClass);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    private static int count(Connection connection, String endpointClass, long after) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM rate_budget_log WHERE endpoint_class = ? AND sent_at > ?")) {
            query.setString(1, endpointClass);
            query.setLong(2, after);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void forget(Connection connection, String endpointClass, long upTo) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM rate_budget_log WHERE endpoint_class = ? AND sent_at <= ?")) {
            delete.setString(1, endpointClass);
            delete.setLong(2, upTo);
            delete.executeUpdate();
        }
    }

    private static void record(Connection connection, String endpointClass, long now, int requests) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO rate_budget_log (endpoint_class, sent_at) VALUES (?, ?)")) {
            for (int i = 0; i < requests; i++) {
                insert.setString(1, endpointClass);
                insert.setLong(2, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

}
