package io.github.segmentdrip.outbox;

import java.util.List;
import java.util.Map;

/**
 * A cart as the service keeps it between e-commerce events: its items (Segment product fields),
 * whether Drip has had a record of it yet, and the version it was read at.
 *
 * @param key     {@code properties.cart_id}, else the shopper's email
 * @param items   the items; null when the cart is to be forgotten (the order was completed)
 * @param sent    whether a cart record went to Drip: later ones are {@code updated}
 * @param version 0 for a cart not stored yet; the stored version otherwise
 */
public record StoredCart(String key, List<Map<String, Object>> items, boolean sent, long version) {

    public static StoredCart empty(String key) {
        return new StoredCart(key, List.of(), false, 0);
    }

    /** The same cart after an event: written back only if nobody changed it since {@link #version()}. */
    public StoredCart with(List<Map<String, Object>> newItems, boolean nowSent) {
        return new StoredCart(key, newItems, nowSent, version);
    }

    public StoredCart forgotten() {
        return new StoredCart(key, null, sent, version);
    }

    public boolean isForgotten() {
        return items == null;
    }
}
