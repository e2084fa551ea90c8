package io.github.segmentdrip.ecommerce;

import static io.github.segmentdrip.ecommerce.Json.assertJson;
import static io.github.segmentdrip.ecommerce.Json.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** mapping.md "Orders", one test per row of its two tables, and the rules every record follows. */
class OrderTransformerTest {

    private static final Instant RECEIVED = Instant.parse("2024-07-01T08:00:00.250Z");

    private final OrderTransformer orders = new OrderTransformer(
            ShopperActivitySettings.parse("orders", "my_store", null, null));

    // ---- Segment event → Drip action -----------------------------------------------------------

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "Order Completed, placed",
            "Order Updated,   updated",
            "Order Refunded,  refunded",
            "Order Cancelled, canceled",
    })
    void eachSegmentOrderEventHasItsDripActionInTheDefaultTable(String event, String action) {
        assertThat(OrderTransformer.defaultAction(event)).hasValue(action);
        assertThat(OrderTransformer.defaultAction(" " + event + " ")).hasValue(action);
        assertThat(orders.toOrder(event(event, "{\"order_id\":\"5031\"}"), action, RECEIVED).payload())
                .containsEntry("action", action);
    }

    @Test
    void theDefaultTableListsExactlyTheFourSpecEventsInOrder() {
        assertThat(OrderTransformer.DEFAULT_ACTIONS.keySet())
                .containsExactly("Order Completed", "Order Updated", "Order Refunded", "Order Cancelled");
        assertThat(OrderTransformer.defaultAction("Order Shipped")).isEmpty();
        assertThat(OrderTransformer.defaultAction("order completed")).isEmpty();
        assertThat(OrderTransformer.defaultAction(null)).isEmpty();
    }

    @Test
    void theActionIsWhateverTheRouteChoseSoAnOperatorCanMapOrderShippedToFulfilled() {
        Mapped mapped = orders.toOrder(event("Order Shipped", "{\"order_id\":\"5031\"}"), "fulfilled", RECEIVED);

        assertThat(mapped.payload()).containsEntry("action", "fulfilled");
    }

    @ParameterizedTest
    @ValueSource(strings = { "shipped", "Placed", "cancelled", "" })
    void anActionDripDoesNotKnowIsAMistakeInTheRoute(String action) {
        assertThatThrownBy(() -> orders.toOrder(event("Order Completed", "{\"order_id\":\"1\"}"), action, RECEIVED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("placed, updated, paid, fulfilled, refunded, canceled");
    }

    // ---- Drip field ← Segment field ------------------------------------------------------------

    @Test
    void aCompletedOrderBecomesAPlacedOrderRecordWithEveryField() {
        Mapped mapped = orders.toOrder(message("""
                {"type":"track","event":"Order Completed","userId":"u1",
                 "timestamp":"2024-06-05T11:44:40.433Z",
                 "context":{"traits":{"email":"peter@example.com"}},
                 "properties":{"order_id":"50314b8e9bcf000000000000","total":27.50,"revenue":25.00,
                   "shipping":3,"tax":2,"discount":2.5,"coupon":"hasbros","currency":"USD",
                   "order_url":"https://shop.example.com/orders/5031",
                   "products":[
                     {"product_id":"507f1f77bcf86cd799439011","sku":"45790-32","variant_id":"507-blue",
                      "name":"Monopoly: 3rd Edition","brand":"Hasbro","category":"Games","price":19.99,
                      "quantity":1,"url":"https://shop.example.com/monopoly",
                      "image_url":"https://shop.example.com/monopoly.jpg"},
                     {"product_id":"505bd76785ebb509fc183733","sku":"46493-32","name":"Uno Card Game",
                      "category":"Games","price":3.75,"quantity":2}]}}
                """), "placed", RECEIVED);

        assertJson(mapped.payload(), """
                {"provider":"my_store","email":"peter@example.com","action":"placed",
                 "occurred_at":"2024-06-05T11:44:40.433Z","order_id":"50314b8e9bcf000000000000",
                 "grand_total":27.50,"total_discounts":2.5,"total_taxes":2,"total_shipping":3,
                 "currency":"USD","order_url":"https://shop.example.com/orders/5031",
                 "items":[
                   {"product_id":"507f1f77bcf86cd799439011","product_variant_id":"507-blue","sku":"45790-32",
                    "name":"Monopoly: 3rd Edition","brand":"Hasbro","categories":["Games"],"price":19.99,
                    "quantity":1,"product_url":"https://shop.example.com/monopoly",
                    "image_url":"https://shop.example.com/monopoly.jpg","total":19.99},
                   {"product_id":"505bd76785ebb509fc183733","sku":"46493-32","name":"Uno Card Game",
                    "categories":["Games"],"price":3.75,"quantity":2,"total":7.50}]}
                """);
        assertThat(mapped.warnings()).isEmpty();
    }

    @Test
    void orderIdIsTakenFromPropertiesAndANumberIsSentAsText() {
        assertThat(order("placed", "{\"order_id\":\" 5031 \"}")).containsEntry("order_id", "5031");
        assertThat(order("placed", "{\"order_id\":5031}")).containsEntry("order_id", "5031");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"order_id\":\"  \"}", "{\"order_id\":null}", "{\"order_id\":{\"id\":1}}" })
    void withoutOrderIdTheOrderRecordIsRefused(String properties) {
        assertThatThrownBy(() -> orders.toOrder(event("Order Completed", properties), "placed", RECEIVED))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.error()).isEqualTo("missing order_id");
                    assertThat(e.field()).isEqualTo("properties.order_id");
                });
    }

    @Test
    void grandTotalIsTheTotalElseTheRevenue() {
        assertThat(order("placed", "{\"order_id\":\"1\",\"total\":54.00,\"revenue\":50}"))
                .containsEntry("grand_total", new BigDecimal("54.0"));
        assertThat(order("updated", "{\"order_id\":\"1\",\"revenue\":50}"))
                .containsEntry("grand_total", new BigDecimal("50"));
        assertThat(order("placed", "{\"order_id\":\"1\"}")).doesNotContainKeys("grand_total", "refund_amount");
    }

    @Test
    void aRefundCarriesRefundAmountFromTheTotalElseTheRevenueAndNoGrandTotal() {
        assertThat(order("refunded", "{\"order_id\":\"1\",\"total\":20,\"revenue\":18}"))
                .containsEntry("refund_amount", new BigDecimal("20"))
                .doesNotContainKey("grand_total");
        assertThat(order("refunded", "{\"order_id\":\"1\",\"revenue\":18}"))
                .containsEntry("refund_amount", new BigDecimal("18"))
                .doesNotContainKey("grand_total");
        assertThat(order("canceled", "{\"order_id\":\"1\",\"total\":20}"))
                .containsEntry("grand_total", new BigDecimal("20"))
                .doesNotContainKey("refund_amount");
    }

    @Test
    void discountTaxAndShippingBecomeTheOrderTotals() {
        assertThat(order("placed", "{\"order_id\":\"1\",\"discount\":5.34,\"tax\":\"1.00\",\"shipping\":5}"))
                .containsEntry("total_discounts", new BigDecimal("5.34"))
                .containsEntry("total_taxes", new BigDecimal("1.00"))
                .containsEntry("total_shipping", new BigDecimal("5"));
    }

    @Test
    void orderUrlIsTheOrderUrlElseTheUrl() {
        assertThat(order("placed", "{\"order_id\":\"1\",\"order_url\":\"https://a.example/o/1\",\"url\":\"https://b.example\"}"))
                .containsEntry("order_url", "https://a.example/o/1");
        assertThat(order("placed", "{\"order_id\":\"1\",\"url\":\"https://b.example/o/1\"}"))
                .containsEntry("order_url", "https://b.example/o/1");
        assertThat(order("placed", "{\"order_id\":\"1\"}")).doesNotContainKey("order_url");
    }

    @Test
    void currencyIsTakenAsSent() {
        assertThat(order("placed", "{\"order_id\":\"1\",\"currency\":\"EUR\"}")).containsEntry("currency", "EUR");
    }

    @Test
    void itemProductIdFallsBackToTheSkuAndVariantToVariantId() {
        List<?> items = items("placed", """
                {"order_id":"1","products":[
                  {"sku":"SKU-1","name":"A"},
                  {"product_id":"P2","product_variant_id":"P2-red","variant_id":"ignored","name":"B"},
                  {"product_id":"P3","variant_id":"P3-blue","name":"C"}]}
                """);

        assertJson(items, """
                [{"product_id":"SKU-1","sku":"SKU-1","name":"A"},
                 {"product_id":"P2","product_variant_id":"P2-red","name":"B"},
                 {"product_id":"P3","product_variant_id":"P3-blue","name":"C"}]
                """);
    }

    @Test
    void anItemWithoutNameIsDroppedWithAWarning() {
        Mapped mapped = orders.toOrder(event("Order Completed", """
                {"order_id":"1","products":[{"product_id":"P1","price":3},{"product_id":"P2","name":"Kept"},"junk"]}
                """), "placed", RECEIVED);

        assertJson(mapped.payload().get("items"), "[{\"product_id\":\"P2\",\"name\":\"Kept\"}]");
        assertThat(mapped.warnings()).containsExactly(
                "properties.products[2] is not an object: dropped",
                "properties.products[0] has no name: item dropped (Drip requires one)");
    }

    @Test
    void noItemsAtAllSendsNoItemsField() {
        assertThat(order("placed", "{\"order_id\":\"1\",\"products\":[{\"price\":1}]}")).doesNotContainKey("items");
        assertThat(order("placed", "{\"order_id\":\"1\",\"products\":\"P1\"}")).doesNotContainKey("items");
    }

    @Test
    void itemCategoryBecomesAOneElementCategoriesArray() {
        assertJson(items("placed", "{\"order_id\":\"1\",\"products\":[{\"name\":\"A\",\"category\":\"Games\"}]}"),
                "[{\"name\":\"A\",\"categories\":[\"Games\"]}]");
    }

    @Test
    void itemUrlBecomesProductUrlAndImageUrlStays() {
        assertJson(items("placed", """
                {"order_id":"1","products":[{"name":"A","url":"https://s.example/a","image_url":"https://s.example/a.png"}]}
                """), "[{\"name\":\"A\",\"product_url\":\"https://s.example/a\",\"image_url\":\"https://s.example/a.png\"}]");
    }

    @Test
    void itemTotalIsPriceTimesQuantityAndAMissingQuantityCountsAsOne() {
        assertJson(items("placed", """
                {"order_id":"1","products":[{"name":"A","price":19.99,"quantity":3},{"name":"B","price":"4.50"},
                                            {"name":"C","quantity":2}]}
                """), """
                [{"name":"A","price":19.99,"quantity":3,"total":59.97},
                 {"name":"B","price":4.50,"total":4.50},
                 {"name":"C","quantity":2}]
                """);
    }

    @Test
    void brandIsCopied() {
        assertJson(items("placed", "{\"order_id\":\"1\",\"products\":[{\"name\":\"A\",\"brand\":\"Hasbro\"}]}"),
                "[{\"name\":\"A\",\"brand\":\"Hasbro\"}]");
    }

    // ---- rules for every Shopper Activity record -------------------------------------------------

    @Test
    void providerComesFromTheSettingNeverFromTheEvent() {
        assertThat(order("placed", "{\"order_id\":\"1\",\"provider\":\"shopify\"}")).containsEntry("provider", "my_store");
        assertThat(new OrderTransformer(ShopperActivitySettings.parse("orders", null, null, null))
                .toOrder(event("Order Completed", "{\"order_id\":\"1\"}"), "placed", RECEIVED).payload())
                .containsEntry("provider", "segment");
    }

    @Test
    void amountsAreCurrencyUnitsAsNumbersNeverCentsAndNumericStringsAreParsedAsRevenueIs() {
        Map<String, Object> order = order("placed",
                "{\"order_id\":\"1\",\"total\":\"$1,299.99\",\"tax\":\" 19.99 \",\"shipping\":54.00}");

        assertThat(order).containsEntry("grand_total", new BigDecimal("1299.99"))
                .containsEntry("total_taxes", new BigDecimal("19.99"))
                .containsEntry("total_shipping", new BigDecimal("54.0"));
        assertThat(Json.write(order)).contains("\"grand_total\":1299.99", "\"total_taxes\":19.99",
                "\"total_shipping\":54.0");
    }

    @Test
    void anAmountThatIsNotANumberIsLeftOutWithAWarningAndTheRevenueStandsIn() {
        Mapped mapped = orders.toOrder(event("Order Completed", """
                {"order_id":"1","total":"lots","revenue":12,"tax":"n/a","products":[{"name":"A","price":"free","quantity":"x"}]}
                """), "placed", RECEIVED);

        assertJson(mapped.payload(), """
                {"provider":"my_store","email":"ann@example.com","action":"placed","occurred_at":"2024-07-01T08:00:00.250Z",
                 "order_id":"1","grand_total":12,"items":[{"name":"A"}]}
                """);
        assertThat(mapped.warnings()).containsExactly(
                "properties.total is not a number: not used for grand_total",
                "properties.tax is not a number: not used for total_taxes",
                "properties.products[0].price is not a number: not used for price",
                "properties.products[0].quantity is not a number: not used for quantity");
    }

    @Test
    void occurredAtIsTheTimestampElseTheOriginalTimestampElseTheReceiptTime() {
        Map<String, Object> event = event("Order Completed", "{\"order_id\":\"1\"}");
        assertThat(orders.toOrder(event, "placed", RECEIVED).payload())
                .containsEntry("occurred_at", "2024-07-01T08:00:00.250Z");

        event.put("originalTimestamp", "2024-06-05T11:44:39+02:00");
        assertThat(orders.toOrder(event, "placed", RECEIVED).payload())
                .containsEntry("occurred_at", "2024-06-05T09:44:39Z");

        event.put("timestamp", "2024-06-05T11:44:40.433Z");
        assertThat(orders.toOrder(event, "placed", RECEIVED).payload())
                .containsEntry("occurred_at", "2024-06-05T11:44:40.433Z");
    }

    @Test
    void anUnreadableTimestampFallsBackWithAWarning() {
        Map<String, Object> event = event("Order Completed", "{\"order_id\":\"1\"}");
        event.put("timestamp", "yesterday");

        Mapped mapped = orders.toOrder(event, "placed", RECEIVED);

        assertThat(mapped.payload()).containsEntry("occurred_at", "2024-07-01T08:00:00.250Z");
        assertThat(mapped.warnings()).containsExactly("timestamp is not a readable date; ignored");
    }

    @Test
    void thePersonIsFoundByTheTrackEmailRules() {
        Map<String, Object> event = message("""
                {"event":"Order Completed","userId":"buyer@example.com",
                 "context":{"traits":{"email":"context@example.com"}},
                 "properties":{"order_id":"1","email":" props@example.com "}}
                """);
        assertThat(orders.toOrder(event, "placed", RECEIVED).payload()).containsEntry("email", "props@example.com");

        ((Map<?, ?>) event.get("properties")).remove("email");
        assertThat(orders.toOrder(event, "placed", RECEIVED).payload()).containsEntry("email", "context@example.com");

        event.remove("context");
        assertThat(orders.toOrder(event, "placed", RECEIVED).payload()).containsEntry("email", "buyer@example.com");
    }

    @Test
    void withoutAnEmailTheOrderRecordIsRefused() {
        assertThatThrownBy(() -> orders.toOrder(message(
                "{\"event\":\"Order Completed\",\"userId\":\"u1\",\"properties\":{\"order_id\":\"1\"}}"), "placed", RECEIVED))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.error()).isEqualTo("missing email"));
    }

    @Test
    void neverChangesTheMessage() {
        Map<String, Object> event = event("Order Completed",
                "{\"order_id\":\"1\",\"total\":\"5\",\"products\":[{\"sku\":\"S\",\"name\":\"A\",\"price\":2}]}");
        String before = Json.write(event);

        orders.toOrder(event, "placed", RECEIVED);

        assertThat(Json.write(event)).isEqualTo(before);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Map<String, Object> order(String action, String properties) {
        return orders.toOrder(event("Order " + action, properties), action, RECEIVED).payload();
    }

    private List<?> items(String action, String properties) {
        return (List<?>) order(action, properties).get("items");
    }

    private static Map<String, Object> event(String name, String properties) {
        return message("{\"type\":\"track\",\"event\":\"" + name + "\",\"properties\":" + properties
                + ",\"context\":{\"traits\":{\"email\":\"ann@example.com\"}}}");
    }
}
