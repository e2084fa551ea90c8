package io.github.segmentdrip.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.IntakeItem;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.segment.Rejected;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The durable outbox between intake and Drip, and the dead-letter store beside it. All SQL lives
 * here. Intake commits a whole request in one transaction before the sender hears 200; delivery
 * claims rows with a lease, so rows of a crashed instance are taken over when the lease expires.
 */
public class OutboxStore {

    private static final String INSERT_WORK = "INSERT INTO outbox (kind, email, campaign_id, payload, event, created_at, "
            + "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)";
    static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letter (kind, email, payload, event, request, "
            + "status, response, reason, attempts, created_at, campaign_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String DEAD_LETTER_COLUMNS = "id, kind, email, payload, event, request, status, response, reason, "
            + "attempts, created_at, replayed";

    /**
     * Remembers a messageId, or finds it remembered within the window: 1 row changed for a new (or
     * expired) id, 0 for a duplicate. Works on SQLite and PostgreSQL alike; on PostgreSQL a second
     * instance inserting the same id waits for the first one's commit, then sees it.
     */
    private static final String REMEMBER_MESSAGE = "INSERT INTO seen_message (message_id, seen_at) VALUES (?, ?) "
            + "ON CONFLICT (message_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen_message.seen_at < ?";
    private static final String ROUND_SEPARATOR = "/round-";
    /** Requests committed in one transaction at most, and how long a request waits for its commit at most. */
    private static final int GROUP_COMMIT_MAX = 256;
    private static final Duration GROUP_COMMIT_WAIT = Duration.ofSeconds(30);
    /** Segment's own window (mapping.md "Each message once"). */
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(24);

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration dedupeWindow;
    private volatile GroupCommit groupCommit;

    public OutboxStore(DataSource dataSource, SqlDialect dialect, ObjectMapper json, Clock clock) {
        this(dataSource, dialect, json, clock, DEFAULT_DEDUPE_WINDOW);
    }

    /** @param dedupeWindow how long an accepted messageId makes a repeat a duplicate; zero turns deduplication off */
    public OutboxStore(DataSource dataSource, SqlDialect dialect, ObjectMapper json, Clock clock, Duration dedupeWindow) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.json = json;
        this.clock = clock;
        this.dedupeWindow = dedupeWindow;
    }

    /**
     * Commits what a request's messages became: Drip work to the outbox, refused messages to the
     * dead-letter store. A single-message call whose message was refused stores nothing and fails
     * with 400, because its sender sees the error directly. A message whose {@code messageId} was
     * accepted within the dedupe window (this request included) stores nothing; remembering the id
     * is part of the same transaction, so a crash can neither lose the message nor let it in twice.
     */
    public void store(Intake intake) {
        if (intake.isSingle() && !intake.getRejected().isEmpty()) {
            Rejected refused = intake.getRejected().get(0);
            throw RequestRefused.badRequest(refused.error(), refused.field());
        }
        if (intake.getAccepted().isEmpty() && intake.getRejected().isEmpty() && intake.getCartChanges().isEmpty()) {
            return;
        }
        // Serialised on the request's own thread: the shared commit does nothing but SQL.
        PendingIntake pending = new PendingIntake(intake, intake.getReceivedAt().toEpochMilli(),
                intake.getAccepted().stream().map(work -> new PendingRow(work, toJson(work.record()), toJson(work.event())))
                        .toList(),
                intake.getRejected().stream().map(refused -> toJson(refused.event())).toList());
        groupCommit().commit(pending);
    }

    /** A request ready to commit: its rows already serialised. */
    record PendingIntake(Intake intake, long now, List<PendingRow> rows, List<String> refusedEvents) {
    }

    record PendingRow(DripWork work, String payload, String event) {
    }

    private GroupCommit groupCommit() {
        GroupCommit commit = groupCommit;
        if (commit == null) {
            synchronized (this) {
                if (groupCommit == null) {
                    groupCommit = new GroupCommit(this::commitTogether, GROUP_COMMIT_MAX, GROUP_COMMIT_WAIT);
                }
                commit = groupCommit;
            }
        }
        return commit;
    }

    /** Stops the shared commit thread; requests still waiting are refused (503, the sender retries). */
    public void close() {
        synchronized (this) {
            if (groupCommit != null) {
                groupCommit.close();
                groupCommit = null;
            }
        }
    }

    /**
     * Commits several requests in one transaction (group commit): with SQLite, writers otherwise take
     * turns through its busy handler, one commit per request. Each request's messageIds are
     * remembered in order, so a message repeated by a later request of the same group is its
     * duplicate. The answer to each request is its own: {@link GroupCommit} commits a failed group's
     * requests one by one.
     */
    void commitTogether(List<PendingIntake> group) {
        List<Set<Map<String, Object>>> duplicates = inTransaction(connection -> {
            List<Set<Map<String, Object>>> seen = new ArrayList<>(group.size());
            try (PreparedStatement remember = connection.prepareStatement(REMEMBER_MESSAGE);
                    PreparedStatement work = connection.prepareStatement(INSERT_WORK);
                    PreparedStatement dead = connection.prepareStatement(INSERT_DEAD_LETTER)) {
                boolean anyWork = false;
                boolean anyDead = false;
                for (PendingIntake pending : group) {
                    Intake intake = pending.intake();
                    Set<Map<String, Object>> repeated = rememberMessages(remember, intake.getAccepted(), pending.now());
                    if (intake.changedCarts(repeated)) {
                        // The same message raced in through another request: its cart change is already stored.
                        throw new OutboxException(new SQLException("a duplicate message changed a cart concurrently; retry"));
                    }
                    CartStore.write(connection, intake.getCartChanges(), json, pending.now());
                    for (PendingRow row : pending.rows()) {
                        if (repeated.contains(row.work().event())) {
                            continue;
                        }
                        work.setString(1, row.work().kind().name());
                        work.setString(2, row.work().email());
                        work.setString(3, row.work().campaignId());
                        work.setString(4, row.payload());
                        work.setString(5, row.event());
                        work.setLong(6, pending.now());
                        work.setLong(7, pending.now());
                        work.addBatch();
                        anyWork = true;
                    }
                    for (int i = 0; i < pending.refusedEvents().size(); i++) {
                        Rejected refused = intake.getRejected().get(i);
                        String reason = refused.error() + (refused.field() == null ? "" : " (" + refused.field() + ")");
                        addDeadLetter(dead, "INTAKE", null, null, pending.refusedEvents().get(i), null, null, null, reason, 0,
                                pending.now(), null);
                        anyDead = true;
                    }
                    seen.add(repeated);
                }
                if (anyWork) {
                    work.executeBatch();
                }
                if (anyDead) {
                    dead.executeBatch();
                }
            }
            return seen;
        });
        for (int i = 0; i < group.size(); i++) {
            group.get(i).intake().dropDuplicates(duplicates.get(i));
        }
    }

    /**
     * Whether {@code messageId} was accepted within the dedupe window. A read only, for the one
     * place that must know before mapping (a repeated Product Added must not change its cart
     * twice); {@link #store} decides for good, in its transaction.
     */
    public boolean wasAccepted(String messageId) {
        if (dedupeWindow.isZero() || messageId == null) {
            return false;
        }
        long since = clock.millis() - dedupeWindow.toMillis();
        return inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT 1 FROM seen_message WHERE message_id = ? AND seen_at >= ?")) {
                query.setString(1, messageId);
                query.setLong(2, since);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * Records the messageId of each message that became work; returns the messages (by identity)
     * whose id was already accepted within the window, earlier or in this same request.
     */
    private Set<Map<String, Object>> rememberMessages(PreparedStatement remember, List<DripWork> accepted, long now)
            throws SQLException {
        Set<Map<String, Object>> duplicates = Collections.newSetFromMap(new IdentityHashMap<>());
        if (dedupeWindow.isZero() || accepted.isEmpty()) {
            return duplicates;
        }
        // One message may have become several records: its id is remembered once.
        Set<Map<String, Object>> messages = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Map<String, Object>> withIds = new ArrayList<>();
        for (DripWork work : accepted) {
            if (IntakeItem.messageIdOf(work.event()) != null && messages.add(work.event())) {
                withIds.add(work.event());
            }
        }
        if (withIds.isEmpty()) {
            return duplicates;
        }
        for (Map<String, Object> message : withIds) {
            remember.setString(1, IntakeItem.messageIdOf(message));
            remember.setLong(2, now);
            remember.setLong(3, now - dedupeWindow.toMillis());
            remember.addBatch();
        }
        int[] changed = remember.executeBatch();
        for (int i = 0; i < changed.length; i++) {
            if (changed[i] == 0) {
                duplicates.add(withIds.get(i));
            }
        }
        return duplicates;
    }

    /**
     * Forgets messageIds older than the dedupe window, in chunks of {@code chunk} rows, each its own
     * short transaction so intake never waits long; stops after {@code maxChunks}.
     *
     * @return how many ids were forgotten
     */
    public int purgeSeenMessages(int chunk, int maxChunks) {
        return deleteOlderInChunks("seen_message", "message_id", "seen_at", clock.millis() - dedupeWindow.toMillis(),
                chunk, maxChunks);
    }

    /**
     * Deletes the rows of {@code table} whose {@code timeColumn} is before {@code before}, at most
     * {@code chunk} per transaction and {@code maxChunks} transactions: bounded work, short locks.
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

    /** MessageIds remembered for deduplication (expired ones included until purged). */
    public long seenMessages() {
        return inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM seen_message");
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
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
    public List<OutboxRow> claim(int limit, String claimer, Duration lease) {
        return claim(limit, claimer, lease, null);
    }

    /** The claimer name of one delivery round of {@code owner}; {@link #releaseClaims} finds every round. */
    public static String roundOf(String owner, long round) {
        return owner + ROUND_SEPARATOR + round;
    }

    /** As {@link #claim(int, String, Duration)}, only rows of one kind (a batch endpoint takes one kind). */
    public List<OutboxRow> claim(int limit, String owner, Duration lease, DripWork.Kind kind) {
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
                + "ORDER BY o.id LIMIT ?" + dialect.lockSuffix() + ") "
                + "RETURNING id, kind, email, campaign_id, payload, event, created_at, attempts";
        return inTransaction(connection -> {
            List<OutboxRow> rows = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement(sql)) {
                int p = 1;
                claim.setString(p++, owner);
                claim.setLong(p++, now + lease.toMillis());
                claim.setLong(p++, now);
                claim.setLong(p++, now);
                if (kind != null) {
                    claim.setString(p++, kind.name());
                }
                claim.setLong(p++, now);
                claim.setLong(p++, now);
                claim.setString(p++, owner);
                claim.setInt(p, limit);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new OutboxRow(rs.getLong(1), DripWork.Kind.valueOf(rs.getString(2)), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getInt(8)));
                    }
                }
            }
            rows.sort(Comparator.comparingLong(OutboxRow::id));
            return rows;
        });
    }

    /**
     * Drip answered 2xx. The row leaves the outbox, except a subscriber upsert with a campaign this
     * service has not subscribed the person to yet: it becomes the campaign subscription, which Drip
     * wants only after the subscriber exists. A delivered campaign subscription is remembered.
     */
    public void delivered(Collection<OutboxRow> rows) {
        long now = clock.millis();
        inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ?");
                    PreparedStatement toCampaign = connection.prepareStatement("UPDATE outbox SET kind = 'CAMPAIGN', "
                            + "attempts = 0, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = NULL "
                            + "WHERE id = ?");
                    PreparedStatement remember = connection.prepareStatement("INSERT INTO campaign_subscription "
                            + "(email, campaign_id, subscribed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (OutboxRow row : rows) {
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
        return inTransaction(connection -> {
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
     * back behind an earlier row of the same person (as {@link #claim(int, String, Duration)} decides). A row that only
     * waits its turn is no sign of a stalled delivery; the watchdog counts these.
     */
    public int countClaimable(int cap) {
        long now = clock.millis();
        return inTransaction(connection -> {
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

    /** Drip or the network failed transiently: the rows wait until {@code at}, one attempt counted. */
    public void retryLater(Collection<OutboxRow> rows, String error, Instant at) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE outbox SET attempts = attempts + 1, "
                    + "next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = ? WHERE id = ?")) {
                for (OutboxRow row : rows) {
                    update.setLong(1, at.toEpochMilli());
                    update.setString(2, error);
                    update.setLong(3, row.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /** Hands claimed rows back untouched (delivery paused, shutting down): no attempt is counted. */
    public void release(Collection<OutboxRow> rows) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ?")) {
                for (OutboxRow row : rows) {
                    update.setLong(1, row.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /** Gives back every row this instance still holds: called on shutdown so nothing waits for a lease to expire. */
    public int releaseClaims(String owner) {
        return inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE outbox SET claimed_by = NULL, "
                    + "claimed_until = NULL WHERE claimed_by = ? OR substr(claimed_by, 1, ?) = ?")) {
                update.setString(1, owner);
                update.setInt(2, owner.length() + ROUND_SEPARATOR.length());
                update.setString(3, owner + ROUND_SEPARATOR);
                return update.executeUpdate();
            }
        });
    }

    /** Moves rows to the dead-letter store with the reason and Drip's answer, in one transaction. */
    public void deadLetter(Collection<OutboxRow> rows, String reason, Function<OutboxRow, String> request, Integer status,
            String response) {
        long now = clock.millis();
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_DEAD_LETTER);
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                for (OutboxRow row : rows) {
                    addDeadLetter(insert, row.kind().name(), row.email(), row.payload(), row.event(), request.apply(row), status,
                            response, reason, row.attempts() + 1, now, row.campaignId());
                    delete.setLong(1, row.id());
                    delete.addBatch();
                }
                insert.executeBatch();
                delete.executeBatch();
            }
            return null;
        });
    }

    /** Rows waiting for Drip. */
    public long depth() {
        return inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM outbox");
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Dead letters recorded so far. */
    public long deadLetterCount() {
        return inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM dead_letter");
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The newest dead letters first, optionally only those whose reason contains {@code reasonContains}. */
    public List<DeadLetter> deadLetters(String reasonContains, int limit) {
        return deadLetters(reasonContains, 0, limit);
    }

    /** A page of dead letters, newest first. */
    public List<DeadLetter> deadLetters(String reasonContains, int offset, int limit) {
        String filter = reasonContains == null || reasonContains.isBlank() ? "" : " WHERE reason LIKE ?";
        return inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + DEAD_LETTER_COLUMNS
                    + " FROM dead_letter" + filter + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                int p = 1;
                if (!filter.isEmpty()) {
                    query.setString(p++, "%" + reasonContains + "%");
                }
                query.setInt(p++, limit);
                query.setInt(p, offset);
                return readDeadLetters(query);
            }
        });
    }

    public java.util.Optional<DeadLetter> deadLetter(long id) {
        return inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + DEAD_LETTER_COLUMNS
                    + " FROM dead_letter WHERE id = ?")) {
                query.setLong(1, id);
                return readDeadLetters(query).stream().findFirst();
            }
        });
    }

    public long deadLetterCount(String reasonContains) {
        String filter = reasonContains == null || reasonContains.isBlank() ? "" : " WHERE reason LIKE ?";
        return inTransaction(connection -> {
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

    public boolean deleteDeadLetter(long id) {
        return inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM dead_letter WHERE id = ?")) {
                delete.setLong(1, id);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /**
     * Puts dead letters back in the outbox as new work (age and attempts start again) and counts the
     * replay on each. Refused intake messages have no Drip record and are not replayed.
     *
     * @return how many went back to the outbox
     */
    public int replay(List<Long> ids) {
        long now = clock.millis();
        return inTransaction(connection -> {
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
        inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "UPDATE dead_letter SET replayed = replayed + 1 WHERE id = ?")) {
                count.setLong(1, id);
                count.executeUpdate();
            }
            return null;
        });
    }

    /** Ids of the dead letters whose reason contains {@code reasonContains} (all when blank), oldest first. */
    public List<Long> deadLetterIds(String reasonContains, int limit) {
        String filter = reasonContains == null || reasonContains.isBlank() ? "" : " WHERE reason LIKE ?";
        return inTransaction(connection -> {
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

    /** When the oldest waiting row was accepted (epoch millis), or empty when the outbox is empty. */
    public java.util.OptionalLong oldestCreatedAt() {
        return inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT created_at FROM outbox ORDER BY id LIMIT 1");
                    ResultSet rs = query.executeQuery()) {
                return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
            }
        });
    }

    static List<DeadLetter> readDeadLetters(PreparedStatement query) throws SQLException {
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

    /** One dead letter into a batch of {@link #INSERT_DEAD_LETTER}; the reverse outbox writes its own with it. */
    static void addDeadLetter(PreparedStatement insert, String kind, String email, String payload, String event,
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

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction on the outbox database (other stores of this package share it). */
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
}
