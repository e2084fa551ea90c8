package io.github.segmentdrip.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The Segment outbox (table {@code segment_outbox}): Drip's webhooks on their way to Segment as track
 * calls, in the same database as the Drip outbox, leaving dead letters of kind {@value #DEAD_LETTER_KIND}.
 * A webhook is committed before Drip hears 2xx; delivery claims rows with a lease, so rows of a crashed
 * instance are taken over when the lease expires.
 */
public class SegmentOutbox extends LeasedQueue<SegmentOutboxRow> {

    /** {@code dead_letter.kind} of what Segment refused or what could not be sent to it. */
    public static final String DEAD_LETTER_KIND = "SEGMENT";

    // Drip re-sends a webhook it is unsure about for days: while a row with the same deterministic
    // messageId waits, the copy adds nothing (Segment would deduplicate it anyway, segment.md §3).
    private static final String INSERT = "INSERT INTO segment_outbox (message_id, email, payload, event, created_at, "
            + "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (message_id) DO NOTHING";

    public SegmentOutbox(Transactions transactions, Clock clock) {
        super(transactions, clock, "segment_outbox");
    }

    /**
     * Commits one track call. Returns {@code false} when a row with the same {@code messageId} is
     * already waiting (a re-send of the same webhook), which is as good as stored.
     */
    public boolean enqueue(String messageId, String email, String payload, String event) {
        long now = clock.millis();
        return transactions.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, messageId);
                insert.setString(2, email);
                insert.setString(3, payload);
                insert.setString(4, event);
                insert.setLong(5, now);
                insert.setLong(6, now);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** Commits straight to the dead letters something that can never be sent (e.g. over Segment's 32 KB). */
    public void deadLetterNow(String email, String payload, String event, String reason) {
        long now = clock.millis();
        transactions.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(DeadLetterStore.INSERT)) {
                DeadLetterStore.add(insert, DEAD_LETTER_KIND, email, payload, event, null, null, null, reason, 0, now,
                        null);
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Claims up to {@code limit} due rows, oldest first, for {@code lease}. */
    @Override
    public List<SegmentOutboxRow> claim(int limit, String claimer, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        long now = clock.millis();
        String sql = "UPDATE segment_outbox SET claimed_by = ?, claimed_until = ? WHERE id IN ("
                + "SELECT id FROM segment_outbox WHERE next_attempt_at <= ? "
                + "AND (claimed_until IS NULL OR claimed_until < ?) "
                + "ORDER BY id LIMIT ?" + transactions.dialect().lockSuffix() + ") "
                + "RETURNING id, message_id, email, payload, event, created_at, attempts, send_alone";
        return transactions.inTransaction(connection -> {
            List<SegmentOutboxRow> rows = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement(sql)) {
                claim.setString(1, claimer);
                claim.setLong(2, now + lease.toMillis());
                claim.setLong(3, now);
                claim.setLong(4, now);
                claim.setInt(5, limit);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new SegmentOutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6), rs.getInt(7), rs.getInt(8) != 0));
                    }
                }
            }
            // RETURNING gives no order guarantee.
            rows.sort(Comparator.comparingLong(SegmentOutboxRow::id));
            return rows;
        });
    }

    /** Segment answered 2xx: the rows leave the outbox. */
    @Override
    public void delivered(Collection<SegmentOutboxRow> rows) {
        delete(rows);
    }

    /**
     * Segment refused a batch of several events as a whole: each goes again in a batch of its own,
     * so one bad event cannot take the others to the dead letters. No attempt is counted.
     */
    public void sendAlone(Collection<SegmentOutboxRow> rows, String error) {
        transactions.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE segment_outbox SET send_alone = 1, "
                    + "claimed_by = NULL, claimed_until = NULL, last_error = ? WHERE id = ?")) {
                for (SegmentOutboxRow row : rows) {
                    update.setString(1, error);
                    update.setLong(2, row.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    @Override
    String deadLetterKind(SegmentOutboxRow row) {
        return DEAD_LETTER_KIND;
    }
}
