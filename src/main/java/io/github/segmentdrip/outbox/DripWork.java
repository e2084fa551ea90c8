package io.github.segmentdrip.outbox;

import java.util.Map;

/**
 * One unit of work for Drip, as the outbox stores it: a subscriber upsert (optionally followed by
 * a campaign subscription once the upsert succeeded), an event, or a Shopper Activity order or cart.
 *
 * @param kind       what Drip endpoint the record goes to
 * @param email      the person, used to keep one person's work in order
 * @param campaignId the campaign to subscribe to after a successful upsert, or null
 * @param record     the Drip record (the element of {"subscribers":[…]} or {"events":[…]}); null
 *                   once the intake serialised it
 * @param event      the original Segment event, kept for the dead-letter store; null once serialised
 */
public record DripWork(Kind kind, String email, String campaignId, Map<String, Object> record,
        Map<String, Object> event) {

    /** In the order a delivery round sends its batches: upserts before the events that may rely on them. */
    public enum Kind {
        SUBSCRIBER, EVENT, CAMPAIGN,
        /** A Shopper Activity order (v3). */
        ORDER,
        /** A Shopper Activity cart, always with all its items (v3). */
        CART
    }
}
