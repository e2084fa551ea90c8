package io.github.segmentdrip.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * The messageIds accepted within the dedupe window (table {@code seen_message}), Segment's "each
 * message once" (mapping.md): the group commit remembers them in the intake's transaction
 * ({@link GroupCommit}); the cart steps ask before changing a cart; a timer forgets the expired ones.
 */
public class SeenMessages {

    /** Segment's own window (mapping.md "Each message once"). */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    /**
     * Remembers a messageId, or finds it remembered within the window: 1 row changed for a new (or
     * expired) id, 0 for a duplicate. Works on SQLite and PostgreSQL alike; on PostgreSQL a second
     * instance inserting the same id waits for the first one's commit, then sees it.
     */
    static final String REMEMBER = "INSERT INTO seen_message (message_id, seen_at) VALUES (?, ?) "
            + "ON CONFLICT (message_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen_message.seen_at < ?";

    private final Transactions transactions;
    private final Clock clock;
    private final Duration window;

    /** @param window how long an accepted messageId makes a repeat a duplicate; zero turns deduplication off */
    public SeenMessages(Transactions transactions, Clock clock, Duration window) {
        this.transactions = transactions;
        this.clock = clock;
        this.window = window;
    }

    /** Whether deduplication is off (a zero window). */
    public boolean isOff() {
        return window.isZero();
    }

    Duration window() {
        return window;
    }

    /**
     * Whether {@code messageId} was accepted within the window. A read only, for the one place that
     * must know before mapping (a repeated Product Added must not change its cart twice); the group
     * commit decides for good, in its transaction.
     */
    public boolean wasAccepted(String messageId) {
        if (isOff() || messageId == null) {
            return false;
        }
        long since = clock.millis() - window.toMillis();
        return transactions.inTransaction(connection -> {
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
     * Forgets messageIds older than the window, in chunks of {@code chunk} rows, each its own short
     * transaction so intake never waits long; stops after {@code maxChunks}.
     *
     * @return how many ids were forgotten
     */
    public int purge(int chunk, int maxChunks) {
        return transactions.deleteOlderInChunks("seen_message", "message_id", "seen_at",
                clock.millis() - window.toMillis(), chunk, maxChunks);
    }

    /** MessageIds remembered (expired ones included until purged). */
    public long count() {
        return transactions.count("seen_message");
    }
}
