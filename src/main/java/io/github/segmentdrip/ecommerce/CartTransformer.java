package io.github.segmentdrip.ecommerce;

import io.github.segmentdrip.mapping.MappingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cart event and the cart's items after it ({@link CartState#apply}) → one Drip cart record, the
 * body of {@code POST /v3/{account}/shopper_activity/cart} (an element of {@code {"carts":[…]}} in
 * a batch). Drip wants the whole cart every time, so every record carries every item. Rules:
 * mapping.md "Carts".
 */
public class CartTransformer {

    private final ShopperActivitySettings settings;

    public CartTransformer(ShopperActivitySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param trackEvent one of {@link CartState#CART_EVENTS}
     * @param items      the cart's items after this event, as {@link CartState#apply} returned them
     * @param sentBefore whether the service already sent a record for this cart: {@code updated}
     *                   then, {@code created} the first time
     * @param receivedAt when this service received the event: the time of last resort
     * @return the record, or none with a warning when there is no cart URL (Drip requires one)
     * @throws MappingException {@code missing email}: Drip needs the person
     */
    public CartRecord toCart(Map<String, Object> trackEvent, List<Map<String, Object>> items, boolean sentBefore,
            Instant receivedAt) {
        String email = ShopperFields.email(trackEvent);
        String cartId = CartState.cartKey(trackEvent).orElseThrow(); // the email at least
        Map<String, Object> properties = ShopperFields.properties(trackEvent);
        List<String> warnings = new ArrayList<>();

        Optional<String> cartUrl = ShopperFields.text(properties.get("cart_url")).or(() -> settings.cartUrl(cartId));
        if (cartUrl.isEmpty()) {
            warnings.add("no cart URL (properties.cart_url is missing and " + ShopperActivitySettings.CART_URL_PROPERTY
                    + " is not set): no cart record sent, Drip requires cart_url");
            return CartRecord.none(warnings);
        }

        Map<String, Object> cart = new LinkedHashMap<>();
        cart.put("provider", settings.provider());
        cart.put("email", email);
        cart.put("action", sentBefore ? "updated" : "created");
        cart.put("occurred_at", ShopperFields.occurredAt(trackEvent, receivedAt, warnings));
        cart.put("cart_id", cartId);
        List<Map<String, Object>> dripItems = items(items == null ? List.of() : items, warnings);
        if (ShopperFields.putAmount(cart, "grand_total", properties, "total", "properties", warnings).isEmpty()) {
            cart.put("grand_total", dripItems.stream().map(ShopperFields::itemTotal)
                    .reduce(BigDecimal.ZERO, BigDecimal::add));
        }
        ShopperFields.putText(cart, "currency", ShopperFields.text(properties.get("currency")));
        cart.put("cart_url", cartUrl.get());
        // Always sent, even empty: the record replaces the whole cart, so an emptied cart must say so.
        cart.put("items", dripItems);
        return new CartRecord(cart, warnings);
    }

    /**
     * Drip docs, Cart Activity: an item needs product_id, product_variant_id ("repeat the
     * product_id" when there are no variants), name and price. An item lacking one is dropped.
     */
    private static List<Map<String, Object>> items(List<Map<String, Object>> stored, List<String> warnings) {
        List<Map<String, Object>> items = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            String where = "cart items[" + i + "]";
            Map<String, Object> item = ShopperFields.item(stored.get(i), where, warnings);
            if (item.containsKey("product_id")) {
                item.putIfAbsent("product_variant_id", item.get("product_id"));
                item = withVariantAfterProduct(item);
            }
            List<String> missing = new ArrayList<>();
            for (String field : List.of("product_id", "product_variant_id", "name", "price")) {
                if (!item.containsKey(field)) {
                    missing.add(field);
                }
            }
            if (!missing.isEmpty()) {
                warnings.add(where + " has no " + String.join(", ", missing)
                        + ": item dropped (Drip requires product_id, product_variant_id, name and price)");
                continue;
            }
            items.add(item);
        }
        return items;
    }

    /** Keeps Drip's field order (product_id, product_variant_id, …) when the variant was defaulted. */
    private static Map<String, Object> withVariantAfterProduct(Map<String, Object> item) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("product_id", item.get("product_id"));
        ordered.put("product_variant_id", item.get("product_variant_id"));
        ordered.putAll(item);
        return ordered;
    }
}
