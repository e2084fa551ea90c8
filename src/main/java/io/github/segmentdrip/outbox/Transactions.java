package io.github.segmentdrip.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Transactions on the outbox database, for every store of this package: each unit of work runs on
 * one connection in one transaction, and a database failure surfaces as {@link OutboxException}, which
 * the callers answer with 503 or a later retry. The stores take this instead of borrowing another
 * store's connection handling.
 */
public final class Transactions {

    private final DataSource dataSource;
    private final SqlDialect dialect;

    public Transactions(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new OutboxException(e);
        }
    }

    /** {@code SELECT COUNT(*)} of a whole table. */
    long count(String table) {
        return inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Deletes the rows of {@code table} whose {@code timeColumn} is before {@code before}, at most
     * {@code chunk} per transaction and {@code maxChunks} transactions: bounded work, short locks, so
     * intake never waits long behind a clean-up.
     *
     * @return how many rows were deleted
     */
    int deleteOlderInChunks(String table, String keyColumn, String timeColumn, long before, int chunk, int maxChunks) {
        String sql = "DELETE FROM " + table + " WHERE " + keyColumn + " IN (SELECT " + keyColumn + " FROM " + table
                + " WHERE " + timeColumn + " < ? LIMIT ?)";
        int deleted = 0;
        for (int i = 0; i < maxChunks; i++) {
            int now = inTransaction(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setLong(1, before);
                    delete.setInt(2, chunk);
                    return delete.executeUpdate();
                }
            });
            deleted += now;
            if (now < chunk) {
                break;
            }
        }
        return deleted;
    }
}
