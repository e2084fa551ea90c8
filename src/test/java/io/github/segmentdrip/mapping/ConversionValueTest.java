package io.github.segmentdrip.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConversionValueTest {

    private final ConversionValue conversionValue = new ConversionValue();

    @Test
    void revenueInDollarsBecomesValueInCentsAndRevenueIsRemoved() {
        Mapped mapped = conversionValue.apply("Purchased", Map.of("revenue", 9.99, "currency", "USD"));
        assertThat(mapped.payload()).isEqualTo(Map.of("currency", "USD", "value", 999L));
        assertThat(mapped.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "39.95      | 3995",
            "$1,299.99  | 129999",
            "1,299.99   | 129999",
            "$12        | 1200",
            "' 19.99 '  | 1999",
            "0.005      | 1",
            "0.004      | 0",
            "1.005      | 101",
            "-0.004     | 0",
            "0          | 0",
            "1e2        | 10000",
            "21474836.46 | 2147483646",
    })
    void numericStringsCountAndRoundHalfUp(String revenue, long value) {
        assertThat(conversionValue.apply("Purchased", Map.of("revenue", revenue)).payload())
                .isEqualTo(Map.of("value", value));
    }

    @Test
    void jsonNumbersOfEveryShapeCount() {
        assertThat(value(19.99)).isEqualTo(1999L);
        assertThat(value(12)).isEqualTo(1200L);
        assertThat(value(12L)).isEqualTo(1200L);
        assertThat(value(new BigDecimal("0.125"))).isEqualTo(13L);
        assertThat(value(2.675)).isEqualTo(268L); // the decimal sent, not the double just below it
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-5.00        | -500",
            "21474836.47  | 2147483647",
            "99999999999  | 9999999999900",
    })
    void outsideDripsRangeNoValueRevenueKeptAndWarned(String revenue, String cents) {
        Map<String, Object> properties = Map.of("revenue", new BigDecimal(revenue), "value", 7, "sku", "A1");
        Mapped mapped = conversionValue.apply("Order Refunded", properties);
        assertThat(mapped.payload()).isEqualTo(Map.of("revenue", new BigDecimal(revenue), "sku", "A1"));
        assertThat(mapped.warnings()).containsExactly("properties.revenue " + revenue + " gives value " + cents
                + ", outside Drip's range 0 to 2147483646: no conversion value sent, properties.revenue kept as sent");
    }

    @Test
    void negativeRevenueStaysExactlyAsSent() {
        Mapped mapped = conversionValue.apply("Order Refunded", Map.of("revenue", "-$5.00"));
        assertThat(mapped.payload()).isEqualTo(Map.of("revenue", "-$5.00"));
        assertThat(mapped.warnings()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"abc", "'12,50'", "'1,2,3'", "$", "''", "1.2.3"})
    void unreadableRevenueIsKeptAndWarned(String revenue) {
        Mapped mapped = conversionValue.apply("Purchased", Map.of("revenue", revenue));
        assertThat(mapped.payload()).isEqualTo(Map.of("revenue", revenue));
        assertThat(mapped.warnings()).containsExactly(
                "properties.revenue is not a number: no conversion value sent, properties.revenue kept as sent");
    }

    @Test
    void nonScalarRevenueIsKeptAndWarned() {
        Mapped mapped = conversionValue.apply("Purchased", Map.of("revenue", Map.of("amount", 5), "value", 100));
        assertThat(mapped.payload()).isEqualTo(Map.of("revenue", Map.of("amount", 5)));
        assertThat(mapped.warnings()).hasSize(1);
    }

    @Test
    void completedOrdersWithoutRevenueUseTotal() {
        for (String event : new String[] {"Order Completed", "Completed Order", " order completed "}) {
            Mapped mapped = conversionValue.apply(event, Map.of("total", 27.5, "order_id", "50314b8e"));
            assertThat(mapped.payload()).as(event)
                    .isEqualTo(Map.of("total", 27.5, "order_id", "50314b8e", "value", 2750L));
        }
    }

    @Test
    void revenueWinsOverTotal() {
        assertThat(conversionValue.apply("Order Completed", Map.of("revenue", 19.99, "total", 27.5)).payload())
                .isEqualTo(Map.of("total", 27.5, "value", 1999L));
    }

    @Test
    void totalCountsOnlyForCompletedOrders() {
        assertThat(conversionValue.apply("Checkout Started", Map.of("total", 27.5)).payload())
                .isEqualTo(Map.of("total", 27.5));
        assertThat(conversionValue.apply(null, Map.of("total", 27.5)).payload()).isEqualTo(Map.of("total", 27.5));
    }

    @Test
    void outOfRangeTotalIsWarnedUnderItsOwnName() {
        Mapped mapped = conversionValue.apply("Order Completed", Map.of("total", -3));
        assertThat(mapped.payload()).isEqualTo(Map.of("total", -3));
        assertThat(mapped.warnings()).containsExactly("properties.total -3 gives value -300, outside Drip's range"
                + " 0 to 2147483646: no conversion value sent, properties.total kept as sent");
    }

    @Test
    void withoutRevenueTheCallersValuePassesUnchanged() {
        assertThat(conversionValue.apply("Signed Up", Map.of("value", 42.5, "plan", "pro")).payload())
                .isEqualTo(Map.of("value", 42.5, "plan", "pro"));
        Map<String, Object> nullRevenue = new HashMap<>();
        nullRevenue.put("revenue", null);
        nullRevenue.put("value", "abc");
        assertThat(conversionValue.apply("Signed Up", nullRevenue).payload()).isEqualTo(nullRevenue);
    }

    @Test
    void revenueReplacesTheCallersValue() {
        assertThat(conversionValue.apply("Purchased", Map.of("value", 5, "revenue", 1)).payload())
                .isEqualTo(Map.of("value", 100L));
    }

    @Test
    void noPropertiesAtAll() {
        Mapped mapped = conversionValue.apply("Signed Up", null);
        assertThat(mapped.payload()).isEmpty();
        assertThat(mapped.warnings()).isEmpty();
    }

    @Test
    void neverChangesTheGivenProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(Map.of("revenue", 1, "email", "a@b.co"));
        Mapped mapped = conversionValue.apply("Purchased", properties);
        assertThat(properties).isEqualTo(Map.of("revenue", 1, "email", "a@b.co"));
        // email is the track transformer's to remove, not this rule's
        assertThat(mapped.payload()).isEqualTo(Map.of("email", "a@b.co", "value", 100L));
    }

    private Object value(Object revenue) {
        return conversionValue.apply("Purchased", Map.of("revenue", revenue)).payload().get("value");
    }
}
