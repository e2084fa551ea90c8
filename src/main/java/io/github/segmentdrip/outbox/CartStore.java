package io.github.segmentdrip.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The kept carts (table {@code cart}). Reading happens while a request is mapped; writing happens
 * in the intake's transaction ({@link GroupCommit}), so a cart changes only together with
 * the cart record it produced. Two requests changing one cart at once: the second finds the
 * version moved and its whole request is refused with 503, which Segment retries.
 */
public class CartStore {

    private static final TypeReference<List<Map<String, Object>>> ITEMS = new TypeReference<>() {
    };

    private final Transactions transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration expiry;

    /** @param expiry how long a cart nobody touches is kept (abandoned carts are not kept for ever) */
    public CartStore(Transactions transactions, ObjectMapper json, Clock clock, Duration expiry) {
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** The cart under {@code key}, or an empty, never-sent one. */
    public StoredCart load(String key) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT items, sent, version FROM cart WHERE cart_key = ?")) {
                query.setString(1, key);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return StoredCart.empty(key);
                    }
                    return new StoredCart(key, read(rs.getString(1)), rs.getInt(2) != 0, rs.getLong(3));
                }
            }
        });
    }

    /** Carts stored. */
    public long count() {
        return transactions.count("cart");
    }

    /**
     * Forgets carts untouched for the expiry, up to {@code chunk} per transaction and
     * {@code maxChunks} transactions per call, so storage stays bounded and intake never waits long.
     */
    public int expire(int chunk, int maxChunks) {
        return transactions.deleteOlderInChunks("cart", "cart_key", "updated_at", clock.millis() - expiry.toMillis(), chunk,
                maxChunks);
    }

    /**
     * Writes a request's cart changes inside its transaction.
     *
     * @throws OutboxException when another request changed one of the carts meanwhile
     */
    static void write(Connection connection, Collection<StoredCart> carts, ObjectMapper json, long now)
            throws SQLException {
        if (carts.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cart (cart_key, items, sent, version, "
                + "updated_at) VALUES (?, ?, ?, 1, ?) ON CONFLICT (cart_key) DO NOTHING");
                PreparedStatement update = connection.prepareStatement("UPDATE cart SET items = ?, sent = ?, "
                        + "version = version + 1, updated_at = ? WHERE cart_key = ? AND version = ?");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM cart WHERE cart_key = ?")) {
            for (StoredCart cart : carts) {
                if (cart.isForgotten()) {
                    delete.setString(1, cart.key());
                    delete.executeUpdate();
                    continue;
                }
                int changed;
                if (cart.version() == 0) {
                    insert.setString(1, cart.key());
                    insert.setString(2, write(json, cart.items()));
                    insert.setInt(3, cart.sent() ? 1 : 0);
                    insert.setLong(4, now);
                    changed = insert.executeUpdate();
                } else {
                    update.setString(1, write(json, cart.items()));
                    update.setInt(2, cart.sent() ? 1 : 0);
                    update.setLong(3, now);
                    update.setString(4, cart.key());
                    update.setLong(5, cart.version());
                    changed = update.executeUpdate();
                }
                if (changed == 0) {
                    throw new OutboxException(new SQLException("cart changed by a concurrent request; retry"));
                }
            }
        }
    }

    private List<Map<String, Object>> read(String items) {
        try {
            return json.readValue(items, ITEMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
