package io.github.segmentdrip.ecommerce;

import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.mapping.EmailResolver;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.mapping.Timestamps;
import io.github.segmentdrip.mapping.TrackTransformer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What orders, carts and product views read alike from a Segment e-commerce track call: the
 * person, the time, amounts and the product fields (mapping.md "E-commerce → Drip Shopper
 * Activity"). Amounts stay in currency units, never cents: Drip's Shopper Activity API reads
 * {@code 54.00} as fifty-four, unlike an event's conversion value.
 */
final class ShopperFields {

    private ShopperFields() {
    }

    /** The track call's {@code properties}, or an empty map. */
    static Map<String, Object> properties(Map<String, Object> trackEvent) {
        return trackEvent.get("properties") instanceof Map<?, ?> map ? stringKeyed(map) : Map.of();
    }

    /** The track email rules (mapping.md "Which email"); none → the record is refused. */
    static String email(Map<String, Object> trackEvent) {
        return EmailResolver.forTrack(trackEvent)
                .orElseThrow(() -> new MappingException("missing email", "properties.email"));
    }

    /** As for events: timestamp, else originalTimestamp, else when the service received it. */
    static String occurredAt(Map<String, Object> trackEvent, Instant receivedAt, List<String> warnings) {
        return Timestamps.format(TrackTransformer.occurredAt(trackEvent, receivedAt, warnings));
    }

    /**
     * An identifier or a label: a non-blank string (trimmed), or a number written plainly
     * ({@code 123}, not {@code 123.0}), since Drip compares ids as text. Anything else is absent.
     */
    static Optional<String> text(Object value) {
        if (value instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s.strip());
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return Optional.of(value.toString());
        }
        if (value instanceof Number number) {
            return ConversionValue.amountOf(number).map(d -> d.stripTrailingZeros().toPlainString());
        }
        return Optional.empty();
    }

    /** The first of {@code keys} in {@code source} that gives a {@link #text}. */
    static Optional<String> firstText(Map<String, Object> source, String... keys) {
        for (String key : keys) {
            Optional<String> text = text(source.get(key));
            if (text.isPresent()) {
                return text;
            }
        }
        return Optional.empty();
    }

    /**
     * An amount in currency units: a JSON number or a numeric string, read as revenue is
     * ({@code "$1,299.99"} counts). Absent when missing or null; a value that is not a number is
     * left out with a warning (the caller may fall back to another field), since Drip refuses
     * amounts sent as text.
     */
    static Optional<BigDecimal> amount(Map<String, Object> source, String key, String where, String dripField,
            List<String> warnings) {
        Object value = source.get(key);
        if (value == null) {
            return Optional.empty();
        }
        Optional<BigDecimal> amount = ConversionValue.amountOf(value);
        if (amount.isEmpty()) {
            warnings.add(where + "." + key + " is not a number: not used for " + dripField);
        }
        return amount;
    }

    /** Puts the amount read from {@code key} under {@code dripField}, when there is one. */
    static Optional<BigDecimal> putAmount(Map<String, Object> target, String dripField, Map<String, Object> source,
            String key, String where, List<String> warnings) {
        Optional<BigDecimal> amount = amount(source, key, where, dripField, warnings);
        amount.ifPresent(value -> target.put(dripField, value));
        return amount;
    }

    static void putText(Map<String, Object> target, String dripField, Optional<String> value) {
        value.ifPresent(text -> target.put(dripField, text));
    }

    /**
     * The elements of {@code properties.products} that are objects; anything else in the array is
     * dropped with a warning. Empty when there is no array.
     */
    static List<Map<String, Object>> products(Map<String, Object> properties, List<String> warnings) {
        List<Map<String, Object>> products = new ArrayList<>();
        if (!(properties.get("products") instanceof List<?> list)) {
            return products;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> map) {
                products.add(stringKeyed(map));
            } else {
                warnings.add("properties.products[" + i + "] is not an object: dropped");
            }
        }
        return products;
    }

    /**
     * One Segment product as a Drip Shopper Activity item, before the caller's rules on required
     * fields: {@code product_id} (else {@code sku}), {@code product_variant_id} (else
     * {@code variant_id}), {@code sku}, {@code name}, {@code brand}, {@code categories}
     * ({@code [category]}), {@code price}, {@code quantity}, {@code product_url} ← {@code url},
     * {@code image_url}, {@code total} ← price × quantity.
     *
     * @param where the product's place in the Segment message, for warnings
     */
    static Map<String, Object> item(Map<String, Object> product, String where, List<String> warnings) {
        Map<String, Object> item = new LinkedHashMap<>();
        putText(item, "product_id", firstText(product, "product_id", "sku"));
        putText(item, "product_variant_id", firstText(product, "product_variant_id", "variant_id"));
        putText(item, "sku", text(product.get("sku")));
        putText(item, "name", text(product.get("name")));
        putText(item, "brand", text(product.get("brand")));
        text(product.get("category")).ifPresent(category -> item.put("categories", List.of(category)));
        Optional<BigDecimal> price = putAmount(item, "price", product, "price", where, warnings);
        Optional<BigDecimal> quantity = amount(product, "quantity", where, "quantity", warnings);
        quantity.ifPresent(q -> item.put("quantity", quantityValue(q)));
        putText(item, "product_url", text(product.get("url")));
        putText(item, "image_url", text(product.get("image_url")));
        // Drip counts an item without quantity as one (Drip docs, Order Activity: "Defaults to 1").
        price.ifPresent(p -> item.put("total", p.multiply(quantity.orElse(BigDecimal.ONE))));
        return item;
    }

    /** The price × quantity of a Drip item, zero without a price. */
    static BigDecimal itemTotal(Map<String, Object> item) {
        return item.get("total") instanceof BigDecimal total ? total : BigDecimal.ZERO;
    }

    /** A whole quantity as a plain integer ({@code 2}, not {@code 2.0}); anything else as sent. */
    static Object quantityValue(BigDecimal quantity) {
        BigDecimal stripped = quantity.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
            return stripped.longValueExact();
        }
        return quantity;
    }

    static Map<String, Object> stringKeyed(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }
}
