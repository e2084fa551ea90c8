package io.github.segmentdrip.mapping;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns Segment's revenue into Drip's conversion value. Segment sends revenue in decimal dollars
 * (Spec, Track: {@code revenue}); Drip reads {@code properties.value} as integer cents and
 * answers 422 {@code range_error} outside {@code 0 ≤ value < 2,147,483,647} (drip-api.md §5).
 * Rule: mapping.md "Conversion value".
 */
public class ConversionValue {

    /** Drip's upper bound is exclusive: 2,147,483,647 itself is refused. */
    static final long MAX_EXCLUSIVE = 2_147_483_647L;

    private static final BigDecimal CENTS_PER_UNIT = BigDecimal.valueOf(100);

    /** "1,299.99": commas only as thousands separators, so "12,50" is not read as 1250. */
    private static final Pattern THOUSANDS = Pattern.compile("[+-]?\\d{1,3}(,\\d{3})+(\\.\\d*)?");

    /**
     * @param eventName  the track event name; "Order Completed" / "Completed Order" fall back to
     *                   {@code total} when there is no revenue, as Segment's own integrations do
     * @param properties the track properties as received (not changed)
     * @return a copy of the properties with {@code value} set and {@code revenue} removed when the
     *         revenue gives a valid value; otherwise the properties with {@code revenue} kept as
     *         sent and no {@code value}, plus a warning. Without revenue, the caller's own
     *         {@code value} passes unchanged.
     */
    public Mapped apply(String eventName, Map<String, Object> properties) {
        Map<String, Object> result = new LinkedHashMap<>(properties == null ? Map.of() : properties);
        List<String> warnings = new ArrayList<>();

        String source = revenueSource(eventName, result);
        if (source == null) {
            return new Mapped(result, warnings);
        }
        Object revenue = result.get(source);
        Optional<BigDecimal> amount = amountOf(revenue);
        if (amount.isEmpty()) {
            result.remove("value");
            warnings.add("properties." + source + " is not a number: no conversion value sent, properties."
                    + source + " kept as sent");
            return new Mapped(result, warnings);
        }
        BigDecimal cents = amount.get().multiply(CENTS_PER_UNIT).setScale(0, RoundingMode.HALF_UP);
        if (cents.signum() < 0 || cents.compareTo(BigDecimal.valueOf(MAX_EXCLUSIVE)) >= 0) {
            // Refunds (negative revenue) and absurd amounts: Drip would refuse the whole event.
            result.remove("value");
            warnings.add("properties." + source + " " + amount.get().toPlainString() + " gives value "
                    + cents.toPlainString() + ", outside Drip's range 0 to " + (MAX_EXCLUSIVE - 1)
                    + ": no conversion value sent, properties." + source + " kept as sent");
            return new Mapped(result, warnings);
        }
        result.remove("revenue");
        result.put("value", cents.longValueExact());
        return new Mapped(result, warnings);
    }

    /** "revenue", or "total" for a completed order without revenue, or null when neither applies. */
    private static String revenueSource(String eventName, Map<String, Object> properties) {
        if (properties.get("revenue") != null) {
            return "revenue";
        }
        if (isCompletedOrder(eventName) && properties.get("total") != null) {
            return "total";
        }
        return null;
    }

    private static boolean isCompletedOrder(String eventName) {
        if (eventName == null) {
            return false;
        }
        String name = eventName.strip();
        return name.equalsIgnoreCase("Order Completed") || name.equalsIgnoreCase("Completed Order");
    }

    /**
     * A JSON number, or a numeric string such as "39.95" or "$1,299.99"; anything else is empty.
     * Also how Shopper Activity amounts are read (mapping.md: "numeric strings are parsed as for
     * revenue"), so both paths accept the same inputs.
     */
    public static Optional<BigDecimal> amountOf(Object revenue) {
        try {
            if (revenue instanceof BigDecimal decimal) {
                return Optional.of(decimal);
            }
            if (revenue instanceof Number number) {
                // toString keeps the decimal the sender wrote (19.99), not its binary double.
                return Optional.of(new BigDecimal(number.toString()));
            }
            if (revenue instanceof String text) {
                String plain = text.replace("$", "").strip();
                if (plain.indexOf(',') >= 0) {
                    if (!THOUSANDS.matcher(plain).matches()) {
                        return Optional.empty();
                    }
                    plain = plain.replace(",", "");
                }
                return Optional.of(new BigDecimal(plain));
            }
        } catch (NumberFormatException notANumber) {
            // "abc", "", NaN, Infinity
        }
        return Optional.empty();
    }
}
