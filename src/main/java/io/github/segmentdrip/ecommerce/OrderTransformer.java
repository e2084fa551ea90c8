package io.github.segmentdrip.ecommerce;

import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Segment order events → one Drip order record, the body of
 * {@code POST /v3/{account}/shopper_activity/order} (an element of {@code {"orders":[…]}} in a
 * batch). Rules: mapping.md "Orders". Which event name becomes which Drip action is the caller's
 * choice (a route), so an operator can add {@code Order Shipped → fulfilled} without code;
 * {@link #DEFAULT_ACTIONS} is the table mapping.md gives.
 */
public class OrderTransformer {

    /** mapping.md "Orders": Segment's E-commerce spec order events and their Drip actions. */
    public static final Map<String, String> DEFAULT_ACTIONS = orderedMap(
            "Order Completed", "placed",
            "Order Updated", "updated",
            "Order Refunded", "refunded",
            "Order Cancelled", "canceled");

    /** Drip docs, Order Activity: the six actions Drip accepts. */
    public static final Set<String> DRIP_ACTIONS = Set.of("placed", "updated", "paid", "fulfilled", "refunded",
            "canceled");

    private static final String REFUNDED = "refunded";

    private final ShopperActivitySettings settings;

    public OrderTransformer(ShopperActivitySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The Drip action {@link #DEFAULT_ACTIONS} gives a Segment event name (trimmed, exact case). */
    public static Optional<String> defaultAction(String eventName) {
        return eventName == null ? Optional.empty() : Optional.ofNullable(DEFAULT_ACTIONS.get(eventName.strip()));
    }

    /**
     * @param trackEvent a Segment track message for an order event
     * @param action     the Drip order action the route chose, one of {@link #DRIP_ACTIONS}
     * @param receivedAt when this service received it: the order time of last resort
     * @return the order record and what was dropped on the way (items without a name, amounts
     *         that are not numbers, unreadable timestamps)
     * @throws MappingException         {@code missing email} or {@code missing order_id}: no order
     *                                  record; the custom event (if kept) is still sent
     * @throws IllegalArgumentException an action Drip does not know: a mistake in the route
     */
    public Mapped toOrder(Map<String, Object> trackEvent, String action, Instant receivedAt) {
        String dripAction = requireAction(action);
        String email = ShopperFields.email(trackEvent);
        Map<String, Object> properties = ShopperFields.properties(trackEvent);
        // Drip keys an order by provider + order_id: without it a later refund could not find it.
        String orderId = ShopperFields.text(properties.get("order_id"))
                .orElseThrow(() -> new MappingException("missing order_id", "properties.order_id"));
        List<String> warnings = new ArrayList<>();

        Map<String, Object> order = new LinkedHashMap<>();
        order.put("provider", settings.provider());
        order.put("email", email);
        order.put("action", dripAction);
        order.put("occurred_at", ShopperFields.occurredAt(trackEvent, receivedAt, warnings));
        order.put("order_id", orderId);
        // Drip docs, Order Activity: a refund lowers lifetime value by refund_amount, and
        // grand_total is left as it was placed; the Segment total of a refund is what was refunded.
        String totalField = dripAction.equals(REFUNDED) ? "refund_amount" : "grand_total";
        if (ShopperFields.putAmount(order, totalField, properties, "total", "properties", warnings).isEmpty()) {
            ShopperFields.putAmount(order, totalField, properties, "revenue", "properties", warnings);
        }
        ShopperFields.putAmount(order, "total_discounts", properties, "discount", "properties", warnings);
        ShopperFields.putAmount(order, "total_taxes", properties, "tax", "properties", warnings);
        ShopperFields.putAmount(order, "total_shipping", properties, "shipping", "properties", warnings);
        ShopperFields.putText(order, "currency", ShopperFields.text(properties.get("currency")));
        ShopperFields.putText(order, "order_url", ShopperFields.firstText(properties, "order_url", "url"));
        List<Map<String, Object>> items = items(properties, warnings);
        if (!items.isEmpty()) {
            order.put("items", items);
        }
        return new Mapped(order, warnings);
    }

    /**
     * The action, trimmed, when Drip accepts it.
     *
     * @throws IllegalArgumentException otherwise, listing the actions Drip accepts
     */
    public static String requireAction(String action) {
        String trimmed = action == null ? "" : action.strip();
        if (!DRIP_ACTIONS.contains(trimmed)) {
            throw new IllegalArgumentException("Drip order action must be one of placed, updated, paid, fulfilled, "
                    + "refunded, canceled; got '" + action + "'");
        }
        return trimmed;
    }

    /** Drip docs, Order Activity: an item's name is its only required field. */
    private static List<Map<String, Object>> items(Map<String, Object> properties, List<String> warnings) {
        List<Map<String, Object>> products = ShopperFields.products(properties, warnings);
        List<Map<String, Object>> items = new ArrayList<>(products.size());
        for (int i = 0; i < products.size(); i++) {
            String where = "properties.products[" + i + "]";
            Map<String, Object> item = ShopperFields.item(products.get(i), where, warnings);
            if (!item.containsKey("name")) {
                warnings.add(where + " has no name: item dropped (Drip requires one)");
                continue;
            }
            items.add(item);
        }
        return items;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
