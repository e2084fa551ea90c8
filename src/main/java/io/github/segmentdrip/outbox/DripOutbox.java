package io.github.segmentdrip.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The Drip outbox (table {@code outbox}): the work the intake committed ({@link GroupCommit}), waiting
 * for Drip. One person's rows reach Drip in order, and a subscriber upsert with a campaign becomes the
 * campaign subscription once Drip has the subscriber: both rules are in the claim and in
 * {@link #delivered}, so every instance sharing the database keeps them.
 */
public class DripOutbox extends LeasedQueue<DripOutboxRow> {

    public DripOutbox(Transactions transactions, Clock clock) {
        super(transactions, clock, "outbox");
    }

    /**
     * Claims up to {@code limit} due rows, oldest first. A row waits while an older row of the same
     * person is in back-off, claimed by another claimer (another instance, or an earlier delivery
     * round still in flight), or an upsert whose campaign subscription is still to come, so one
     * person's work reaches Drip in order. Rows claimed by the same {@code claimer} do not hold it
     * back: one delivery round claims its subscriber batch, then its event batch, and sends them in
     * that order, so a person's event can ride in the same round as their upsert and batches fill.
     *
     * @param claimer who claims: {@link #roundOf(String, long) one delivery round} of an instance
     */
    @Override
    public List<DripOutboxRow> claim(int limit, String claimer, Duration lease) {
        return claim(limit, claimer, lease, null);
    }

    /** As {@link #claim(int, String, Duration)}, only rows of one kind (a batch endpoint takes one kind). */
    public List<DripOutboxRow> claim(int limit, String claimer, Duration lease, DripWork.Kind kind) {
        if (limit <= 0) {
            return List.of();
        }
        long now = clock.millis();
        String sql = "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN ("
                + "SELECT o.id FROM outbox o WHERE o.next_attempt_at <= ? "
                + "AND (o.claimed_until IS NULL OR o.claimed_until < ?) "
                + (kind == null ? "" : "AND o.kind = ? ")
                + "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.email = o.email AND e.id < o.id "
                + "AND (e.next_attempt_at > ? OR (e.claimed_until >= ? AND e.claimed_by <> ?) "
                + "OR (e.kind = 'SUBSCRIBER' AND e.campaign_id IS NOT NULL))) "
                + "ORDER BY o.id LIMIT ?" + transactions.dialect().lockSuffix() + ") "
                + "RETURNING id, kind, email, campaign_id, payload, event, created_at, attempts";
        return transactions.inTransaction(connection -> {
            List<DripOutboxRow> rows = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement(sql)) {
                int p = 1;
                claim.setString(p++, claimer);
                claim.setLong(p++, now + lease.toMillis());
                claim.setLong(p++, now);
                claim.setLong(p++, now);
                if (kind != null) {
                    claim.setString(p++, kind.name());
                }
                claim.setLong(p++, now);
                claim.setLong(p++, now);
                claim.setString(p++, claimer);
                claim.setInt(p, limit);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new DripOutboxRow(rs.getLong(1), DripWork.Kind.valueOf(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                                rs.getInt(8)));
                    }
                }
            }
            // RETURNING gives no order guarantee.
            rows.sort(Comparator.comparingLong(DripOutboxRow::id));
            return rows;
        });
    }

    /**
     * Drip answered 2xx. The row leaves the outbox, except a subscriber upsert with a campaign this
     * service has not subscribed the person to yet: it becomes the campaign subscription, which Drip
     * wants only after the subscriber exists. A delivered campaign subscription is remembered.
     */
    @Override
    public void delivered(Collection<DripOutboxRow> rows) {
        long now = clock.millis();
        transactions.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ?");
                    PreparedStatement toCampaign = connection.prepareStatement("UPDATE outbox SET kind = 'CAMPAIGN', "
                            + "attempts = 0, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = NULL "
                            + "WHERE id = ?");
                    PreparedStatement remember = connection.prepareStatement("INSERT INTO campaign_subscription "
                            + "(email, campaign_id, subscribed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (DripOutboxRow row : rows) {
                    if (row.kind() == DripWork.Kind.SUBSCRIBER && row.campaignId() != null
                            && !alreadySubscribed(connection, row.email(), row.campaignId())) {
                        toCampaign.setLong(1, now);
                        toCampaign.setLong(2, row.id());
                        toCampaign.addBatch();
                        continue;
                    }
                    if (row.kind() == DripWork.Kind.CAMPAIGN) {
                        remember.setString(1, row.email());
                        remember.setString(2, row.campaignId());
                        remember.setLong(3, now);
                        remember.addBatch();
                    }
                    delete.setLong(1, row.id());
                    delete.addBatch();
                }
                delete.executeBatch();
                toCampaign.executeBatch();
                remember.executeBatch();
            }
            return null;
        });
    }

    /** Each campaign call costs budget: one this service already made is not made again. */
    private static boolean alreadySubscribed(Connection connection, String email, String campaignId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM campaign_subscription WHERE email = ? AND campaign_id = ?")) {
            query.setString(1, email);
            query.setString(2, campaignId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Rows that could be claimed now, counted up to {@code cap}: enough to choose between single and
     * batch requests without a count that grows with the backlog.
     */
    public int countDue(int cap) {
        long now = clock.millis();
        return transactions.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM outbox "
                    + "WHERE next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) LIMIT ?) due")) {
                count.setLong(1, now);
                count.setLong(2, now);
                count.setInt(3, cap);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * Rows a delivery round could claim now, counted up to {@code cap}: due, not claimed, and not held
     * back behind an earlier row of the same person (as {@link #claim(int, String, Duration)} decides).
     * A row that only waits its turn is no sign of a stalled delivery; the watchdog counts these.
     */
    public int countClaimable(int cap) {
        long now = clock.millis();
        return transactions.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM outbox o "
                    + "WHERE o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until < ?) "
                    + "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.email = o.email AND e.id < o.id "
                    + "AND (e.next_attempt_at > ? OR e.claimed_until >= ? "
                    + "OR (e.kind = 'SUBSCRIBER' AND e.campaign_id IS NOT NULL))) LIMIT ?) claimable")) {
                count.setLong(1, now);
                count.setLong(2, now);
                count.setLong(3, now);
                count.setLong(4, now);
                count.setInt(5, cap);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    String deadLetterKind(DripOutboxRow row) {
        return row.kind().name();
    }

    @Override
    String deadLetterCampaign(DripOutboxRow row) {
        return row.campaignId();
    }
}
