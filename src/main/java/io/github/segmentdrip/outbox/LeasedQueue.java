package io.github.segmentdrip.outbox;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The shape both outboxes share, the Drip outbox and the Segment outbox: rows wait in a table until
 * they are due; a delivery round claims them with a lease, so the rows of a crashed instance are taken
 * over once the lease expires; each claimed row then leaves (delivered), waits again with one attempt
 * counted (retried later), goes back untouched (released), or moves to the dead letters, each in one
 * transaction. What differs, which rows a round may claim and what delivered means, is the subclass's.
 *
 * @param <R> the table's row
 */
public abstract class LeasedQueue<R extends LeasedQueue.Row> {

    /** What every queued row carries. */
    public interface Row {
        long id();

        /** The person, for the dead letters; may be {@code null}. */
        String email();

        /** What is sent, as JSON text. */
        String payload();

        /** What it came from, as it was received. */
        String event();

        /** When it was stored, epoch milliseconds. */
        long createdAt();

        /** Failed delivery attempts so far. */
        int attempts();
    }

    private static final String ROUND_SEPARATOR = "/round-";

    final Transactions transactions;
    final Clock clock;
    private final String table;

    LeasedQueue(Transactions transactions, Clock clock, String table) {
        this.transactions = transactions;
        this.clock = clock;
        this.table = table;
    }

    /** Claims up to {@code limit} due rows, oldest first, for {@code lease}. */
    public abstract List<R> claim(int limit, String claimer, Duration lease);

    /** The delivery succeeded. */
    public abstract void delivered(Collection<R> rows);

    /** {@code dead_letter.kind} of a row of this queue. */
    abstract String deadLetterKind(R row);

    /** {@code dead_letter.campaign_id} of a row of this queue. */
    String deadLetterCampaign(R row) {
        return null;
    }

    /**
     * The claimer name of one delivery round of {@code owner}: a round's rows do not hold each other
     * back, and {@link #releaseClaims} finds every round of the owner.
     */
    public static String roundOf(String owner, long round) {
        return owner + ROUND_SEPARATOR + round;
    }

    /** A transient failure: the rows wait until {@code at}, one attempt counted. */
    public void retryLater(Collection<R> rows, String error, Instant at) {
        Map<R, Instant> dueAt = new LinkedHashMap<>();
        rows.forEach(row -> dueAt.put(row, at));
        retryLater(dueAt, error);
    }

    /** A transient failure: each row waits until its own time, one attempt counted. */
    public void retryLater(Map<R, Instant> dueAt, String error) {
        transactions.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET attempts = attempts + 1, "
                    + "next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = ? WHERE id = ?")) {
                for (Map.Entry<R, Instant> entry : dueAt.entrySet()) {
                    update.setLong(1, entry.getValue().toEpochMilli());
                    update.setString(2, error);
                    update.setLong(3, entry.getKey().id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /** Hands claimed rows back untouched (delivery paused, shutting down): no attempt is counted. */
    public void release(Collection<R> rows) {
        byId(rows, "UPDATE " + table + " SET claimed_by = NULL, claimed_until = NULL WHERE id = ?");
    }

    /**
     * Gives back every row {@code owner} (and each of its rounds) still holds: called on shutdown so
     * nothing waits for a lease to expire.
     */
    public int releaseClaims(String owner) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET claimed_by = NULL, "
                    + "claimed_until = NULL WHERE claimed_by = ? OR substr(claimed_by, 1, ?) = ?")) {
                update.setString(1, owner);
                update.setInt(2, owner.length() + ROUND_SEPARATOR.length());
                update.setString(3, owner + ROUND_SEPARATOR);
                return update.executeUpdate();
            }
        });
    }

    /** Moves rows to the dead letters with the reason and the destination's answer, in one transaction. */
    public void deadLetter(Collection<R> rows, String reason, Function<R, String> request, Integer status,
            String response) {
        long now = clock.millis();
        transactions.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(DeadLetterStore.INSERT);
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                for (R row : rows) {
                    DeadLetterStore.add(insert, deadLetterKind(row), row.email(), row.payload(), row.event(),
                            request.apply(row), status, response, reason, row.attempts() + 1, now, deadLetterCampaign(row));
                    delete.setLong(1, row.id());
                    delete.addBatch();
                }
                insert.executeBatch();
                delete.executeBatch();
            }
            return null;
        });
    }

    /** Rows waiting. */
    public long depth() {
        return transactions.count(table);
    }

    /** When the oldest waiting row was stored (epoch millis), or empty when none waits. */
    public OptionalLong oldestCreatedAt() {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT created_at FROM " + table + " ORDER BY id LIMIT 1");
                    java.sql.ResultSet rs = query.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        });
    }

    /** Deletes the rows: they are done with. */
    void delete(Collection<R> rows) {
        byId(rows, "DELETE FROM " + table + " WHERE id = ?");
    }

    /** Runs {@code sql}, whose only parameter is the row id, for each row in one transaction. */
    void byId(Collection<R> rows, String sql) {
        transactions.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                for (R row : rows) {
                    update.setLong(1, row.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }
}
