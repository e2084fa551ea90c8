package io.github.segmentdrip.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters (table {@code dead_letter}) of both paths: what Drip or Segment refused for good,
 * what was given up after the retries, and the Segment messages the intake refused, each with what is
 * needed to understand and replay it. The outboxes move rows here in their own transaction
 * ({@link LeasedQueue#deadLetter}); the admin API reads, replays and deletes them here.
 */
public class DeadLetterStore {

    /** {@code dead_letter.kind} of a Segment message the intake refused: it has no Drip record, so no replay. */
    public static final String INTAKE_KIND = "INTAKE";

    static final String INSERT = "INSERT INTO dead_letter (kind, email, payload, event, request, "
            + "status, response, reason, attempts, created_at, campaign_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "id, kind, email, payload, event, request, status, response, reason, "
            + "attempts, created_at, replayed";

    private final Transactions transactions;
    private final Clock clock;

    public DeadLetterStore(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Dead letters recorded so far. */
    public long count() {
        return transactions.count("dead_letter");
    }

    /** Dead letters whose reason contains {@code reasonContains} (all when blank). */
    public long count(String reasonContains) {
        String filter = filter(reasonContains);
        return transactions.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM dead_letter" + filter)) {
                if (!filter.isEmpty()) {
                    count.setString(1, "%" + reasonContains + "%");
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The newest dead letters first, optionally only those whose reason contains {@code reasonContains}. */
    public List<DeadLetter> list(String reasonContains, int limit) {
        return list(reasonContains, 0, limit);
    }

    /** A page of dead letters, newest first. */
    public List<DeadLetter> list(String reasonContains, int offset, int limit) {
        String filter = filter(reasonContains);
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM dead_letter" + filter + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                int p = 1;
                if (!filter.isEmpty()) {
                    query.setString(p++, "%" + reasonContains + "%");
                }
                query.setInt(p++, limit);
                query.setInt(p, offset);
                return read(query);
            }
        });
    }

    /** The newest dead letters of one kind ({@link SegmentOutbox#DEAD_LETTER_KIND}, say) first. */
    public List<DeadLetter> ofKind(String kind, int limit) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM dead_letter WHERE kind = ? ORDER BY id DESC LIMIT ?")) {
                query.setString(1, kind);
                query.setInt(2, limit);
                return read(query);
            }
        });
    }

    public Optional<DeadLetter> find(long id) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM dead_letter WHERE id = ?")) {
                query.setLong(1, id);
                return read(query).stream().findFirst();
            }
        });
    }

    /** Ids of the dead letters whose reason contains {@code reasonContains} (all when blank), oldest first. */
    public List<Long> ids(String reasonContains, int limit) {
        String filter = filter(reasonContains);
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT id FROM dead_letter" + filter
                    + " ORDER BY id LIMIT ?")) {
                int p = 1;
                if (!filter.isEmpty()) {
                    query.setString(p++, "%" + reasonContains + "%");
                }
                query.setInt(p, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    public boolean delete(long id) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM dead_letter WHERE id = ?")) {
                delete.setLong(1, id);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /**
     * Puts Drip-bound dead letters back in the Drip outbox as new work (age and attempts start again)
     * and counts the replay on each. Refused intake messages have no Drip record and are not replayed,
     * nor are Segment-bound ones (they go back through {@link SegmentOutbox#enqueue}).
     *
     * @return how many went back to the Drip outbox
     */
    public int replayToDrip(List<Long> ids) {
        long now = clock.millis();
        return transactions.inTransaction(connection -> {
            int replayed = 0;
            try (PreparedStatement copy = connection.prepareStatement("INSERT INTO outbox (kind, email, campaign_id, "
                    + "payload, event, created_at, attempts, next_attempt_at) SELECT kind, email, campaign_id, payload, "
                    + "event, ?, 0, ? FROM dead_letter WHERE id = ? AND kind IN ('SUBSCRIBER', 'EVENT', 'CAMPAIGN', 'ORDER', 'CART') "
                    + "AND payload IS NOT NULL");
                    PreparedStatement count = connection.prepareStatement(
                            "UPDATE dead_letter SET replayed = replayed + 1 WHERE id = ?")) {
                for (long id : ids) {
                    copy.setLong(1, now);
                    copy.setLong(2, now);
                    copy.setLong(3, id);
                    if (copy.executeUpdate() > 0) {
                        count.setLong(1, id);
                        count.executeUpdate();
                        replayed++;
                    }
                }
            }
            return replayed;
        });
    }

    /** Counts a replay done elsewhere (a Segment-bound dead letter goes back to its own outbox). */
    public void markReplayed(long id) {
        transactions.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "UPDATE dead_letter SET replayed = replayed + 1 WHERE id = ?")) {
                count.setLong(1, id);
                count.executeUpdate();
            }
            return null;
        });
    }

    /** One dead letter into a batch of {@link #INSERT}, inside the caller's transaction. */
    static void add(PreparedStatement insert, String kind, String email, String payload, String event,
            String request, Integer status, String response, String reason, int attempts, long now, String campaignId)
            throws SQLException {
        insert.setString(1, kind);
        insert.setString(2, email);
        insert.setString(3, payload);
        insert.setString(4, event);
        insert.setString(5, request);
        if (status == null) {
            insert.setNull(6, Types.INTEGER);
        } else {
            insert.setInt(6, status);
        }
        insert.setString(7, response);
        insert.setString(8, reason);
        insert.setInt(9, attempts);
        insert.setLong(10, now);
        insert.setString(11, campaignId);
        insert.addBatch();
    }

    private static List<DeadLetter> read(PreparedStatement query) throws SQLException {
        List<DeadLetter> found = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                int status = rs.getInt(7);
                found.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.wasNull() ? null : status, rs.getString(8),
                        rs.getString(9), rs.getInt(10), rs.getLong(11), rs.getInt(12)));
            }
        }
        return found;
    }

    private static String filter(String reasonContains) {
        return reasonContains == null || reasonContains.isBlank() ? "" : " WHERE reason LIKE ?";
    }
}
