package io.github.segmentdrip.ecommerce;

import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.mapping.EmailResolver;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The items of one cart, as the service keeps them between events. Drip wants the whole cart in
 * every cart record, but Segment's {@code Product Added} and {@code Product Removed} carry one
 * product; {@code Cart Viewed} and {@code Checkout Started} carry the whole cart (mapping.md
 * "Carts"). Pure: the caller loads the stored items, calls {@link #apply}, stores the result.
 *
 * <p>Items are kept as Segment products (the fields in {@link #PRODUCT_FIELDS}, as sent, with a
 * plain numeric {@code quantity}); {@link CartTransformer} turns them into Drip items each time, so
 * one rule maps every product.
 */
public final class CartState {

    public static final String PRODUCT_ADDED = "Product Added";
    public static final String PRODUCT_REMOVED = "Product Removed";
    public static final String CART_VIEWED = "Cart Viewed";
    public static final String CHECKOUT_STARTED = "Checkout Started";

    /** The events that send a cart record. */
    public static final Set<String> CART_EVENTS = Set.of(PRODUCT_ADDED, PRODUCT_REMOVED, CART_VIEWED,
            CHECKOUT_STARTED);

    /** mapping.md "Carts": an order completed with the same cart key forgets that cart. */
    public static final String ENDS_CART = "Order Completed";

    /** The Segment product fields a stored item keeps: what the item mapping reads, nothing else. */
    public static final List<String> PRODUCT_FIELDS = List.of("product_id", "product_variant_id", "variant_id",
            "sku", "name", "brand", "category", "price", "quantity", "url", "image_url");

    private CartState() {
    }

    /** Whether the event name (trimmed) is one of {@link #CART_EVENTS}. */
    public static boolean isCartEvent(String eventName) {
        return eventName != null && CART_EVENTS.contains(eventName.strip());
    }

    /**
     * {@code properties.cart_id}, else the person's email (track rules) in lower case, since Drip
     * matches emails without regard to case and the same shopper must find the same cart. Empty
     * when there is neither.
     */
    public static Optional<String> cartKey(Map<String, Object> trackEvent) {
        return ShopperFields.text(ShopperFields.properties(trackEvent).get("cart_id"))
                .or(() -> EmailResolver.forTrack(trackEvent).map(email -> email.toLowerCase(Locale.ROOT)));
    }

    /**
     * The cart's items after this event.
     *
     * <ul>
     * <li>{@code Product Added}: the product's quantity (default 1) is added to the item with the
     * same product ({@code product_id}, else {@code sku}) and variant ({@code product_variant_id},
     * else {@code variant_id}), whose other fields the newer event refreshes; a new product is
     * appended.</li>
     * <li>{@code Product Removed}: that item's quantity drops by the quantity sent, and the item
     * goes at zero or when no quantity is sent; an unknown product changes nothing.</li>
     * <li>{@code Cart Viewed}, {@code Checkout Started}: {@code properties.products[]} replaces
     * the items; without a {@code products} array the items stay as they were.</li>
     * </ul>
     *
     * @param current    the stored items, or null / empty for a new cart; not changed
     * @param trackEvent one of the {@link #CART_EVENTS}
     * @return a new list of new maps
     * @throws IllegalArgumentException for another event
     */
    public static List<Map<String, Object>> apply(List<Map<String, Object>> current, Map<String, Object> trackEvent) {
        Objects.requireNonNull(trackEvent, "trackEvent");
        String event = trackEvent.get("event") instanceof String name ? name.strip() : "";
        List<Map<String, Object>> items = new ArrayList<>();
        if (current != null) {
            current.forEach(item -> items.add(new LinkedHashMap<>(item)));
        }
        Map<String, Object> properties = ShopperFields.properties(trackEvent);
        switch (event) {
            case PRODUCT_ADDED -> add(items, productOf(properties));
            case PRODUCT_REMOVED -> remove(items, productOf(properties));
            case CART_VIEWED, CHECKOUT_STARTED -> replace(items, properties);
            default -> throw new IllegalArgumentException("not a cart event: '" + event + "'; cart events are "
                    + PRODUCT_ADDED + ", " + PRODUCT_REMOVED + ", " + CART_VIEWED + ", " + CHECKOUT_STARTED);
        }
        return items;
    }

    private static void add(List<Map<String, Object>> items, Map<String, Object> product) {
        BigDecimal added = quantity(product).orElse(BigDecimal.ONE);
        int index = indexOf(items, product);
        if (index < 0) {
            product.put("quantity", ShopperFields.quantityValue(added));
            items.add(product);
            return;
        }
        Map<String, Object> existing = items.get(index);
        BigDecimal total = quantity(existing).orElse(BigDecimal.ONE).add(added);
        existing.putAll(product);
        existing.put("quantity", ShopperFields.quantityValue(total));
    }

    private static void remove(List<Map<String, Object>> items, Map<String, Object> product) {
        int index = indexOf(items, product);
        if (index < 0) {
            return;
        }
        Optional<BigDecimal> removed = quantity(product);
        if (removed.isEmpty()) {
            items.remove(index);
            return;
        }
        Map<String, Object> existing = items.get(index);
        BigDecimal left = quantity(existing).orElse(BigDecimal.ONE).subtract(removed.get());
        if (left.signum() <= 0) {
            items.remove(index);
        } else {
            existing.put("quantity", ShopperFields.quantityValue(left));
        }
    }

    private static void replace(List<Map<String, Object>> items, Map<String, Object> properties) {
        if (!(properties.get("products") instanceof List<?>)) {
            return;
        }
        items.clear();
        for (Map<String, Object> product : ShopperFields.products(properties, new ArrayList<>())) {
            Map<String, Object> item = productOf(product);
            quantity(item).ifPresent(q -> item.put("quantity", ShopperFields.quantityValue(q)));
            items.add(item);
        }
    }

    /** The product fields of a Segment product (or of a Product Added's properties), as sent. */
    private static Map<String, Object> productOf(Map<String, Object> source) {
        Map<String, Object> product = new LinkedHashMap<>();
        for (String field : PRODUCT_FIELDS) {
            Object value = source.get(field);
            if (value != null) {
                product.put(field, value);
            }
        }
        return product;
    }

    /** The first item with the same product and variant; products without an id never match. */
    private static int indexOf(List<Map<String, Object>> items, Map<String, Object> product) {
        Optional<String> productId = productId(product);
        if (productId.isEmpty()) {
            return -1;
        }
        Optional<String> variantId = variantId(product);
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> item = items.get(i);
            if (productId.equals(productId(item)) && variantId.equals(variantId(item))) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<String> productId(Map<String, Object> product) {
        return ShopperFields.firstText(product, "product_id", "sku");
    }

    private static Optional<String> variantId(Map<String, Object> product) {
        return ShopperFields.firstText(product, "product_variant_id", "variant_id");
    }

    private static Optional<BigDecimal> quantity(Map<String, Object> product) {
        return ConversionValue.amountOf(product.get("quantity"));
    }
}
