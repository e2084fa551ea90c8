package io.github.segmentdrip.ecommerce;

import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment {@code Product Viewed} → the Drip event {@code Viewed a Product}, an element of
 * {@code {"events":[…]}} for {@code POST /v2/{account}/events}. That is the event Drip's
 * browse-abandonment workflows wait for; Drip's Product Activity endpoint describes the catalogue,
 * not a shopper, so a view is an event (mapping.md "Product views").
 */
public class ProductViewTransformer {

    public static final String SEGMENT_EVENT = "Product Viewed";
    public static final String DRIP_ACTION = "Viewed a Product";

    /** The product fields the event carries, in this order; amounts in currency units. */
    private static final List<String> FIELDS = List.of("product_id", "product_variant_id", "sku", "name", "brand",
            "categories", "price", "currency", "product_url", "image_url");

    /**
     * @param trackEvent a Segment {@code Product Viewed} track message
     * @param receivedAt when this service received it: the event time of last resort
     * @return the Drip event: {@code email}, {@code action}, {@code occurred_at}, {@code properties}
     * @throws MappingException {@code missing email}
     */
    public Mapped toEvent(Map<String, Object> trackEvent, Instant receivedAt) {
        String email = ShopperFields.email(trackEvent);
        Map<String, Object> properties = ShopperFields.properties(trackEvent);
        List<String> warnings = new ArrayList<>();

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("email", email);
        event.put("action", DRIP_ACTION);
        event.put("occurred_at", ShopperFields.occurredAt(trackEvent, receivedAt, warnings));
        // The same product fields as an order item (product_id else sku, product_variant_id else
        // variant_id, categories from category, product_url from url), plus the currency.
        Map<String, Object> source = new LinkedHashMap<>(properties);
        source.remove("quantity"); // a view has no quantity: nothing to read, nothing to warn about
        Map<String, Object> product = ShopperFields.item(source, "properties", warnings);
        ShopperFields.putText(product, "currency", ShopperFields.text(properties.get("currency")));
        Map<String, Object> viewed = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (product.containsKey(field)) {
                viewed.put(field, product.get(field));
            }
        }
        event.put("properties", viewed);
        return new Mapped(event, warnings);
    }
}
