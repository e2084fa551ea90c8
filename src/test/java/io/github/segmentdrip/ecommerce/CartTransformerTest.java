package io.github.segmentdrip.ecommerce;

import static io.github.segmentdrip.ecommerce.Json.assertJson;
import static io.github.segmentdrip.ecommerce.Json.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.segmentdrip.mapping.MappingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mapping.md "Carts": the cart record each cart event sends, one test per rule. */
class CartTransformerTest {

    private static final Instant RECEIVED = Instant.parse("2024-07-01T08:00:00.250Z");

    private final CartTransformer carts = new CartTransformer(ShopperActivitySettings.parse("carts", "my_store", null,
            "https://shop.example.com/cart/{cart_id}"));

    @Test
    void aProductAddedToANewCartSendsTheWholeCartAsCreated() {
        Map<String, Object> event = message("""
                {"type":"track","event":"Product Added","timestamp":"2024-06-05T11:44:40Z",
                 "properties":{"cart_id":"c-1","product_id":"P1","variant_id":"P1-red","sku":"S1","name":"Boots",
                   "brand":"Acme","category":"Shoes","price":54.00,"quantity":2,"currency":"USD",
                   "url":"https://shop.example.com/p1","image_url":"https://shop.example.com/p1.png",
                   "email":"ann@example.com"}}
                """);
        List<Map<String, Object>> items = CartState.apply(null, event);

        CartRecord cart = carts.toCart(event, items, false, RECEIVED);

        assertThat(cart.present()).isTrue();
        assertJson(cart.payload(), """
                {"provider":"my_store","email":"ann@example.com","action":"created",
                 "occurred_at":"2024-06-05T11:44:40Z","cart_id":"c-1","grand_total":108.00,"currency":"USD",
                 "cart_url":"https://shop.example.com/cart/c-1",
                 "items":[{"product_id":"P1","product_variant_id":"P1-red","sku":"S1","name":"Boots","brand":"Acme",
                   "categories":["Shoes"],"price":54.00,"quantity":2,"product_url":"https://shop.example.com/p1",
                   "image_url":"https://shop.example.com/p1.png","total":108.00}]}
                """);
        assertThat(cart.warnings()).isEmpty();
        assertThat(cart.mapped()).hasValueSatisfying(m -> assertThat(m.payload()).isSameAs(cart.payload()));
    }

    @Test
    void theActionIsCreatedTheFirstTimeTheCartIsSentAndUpdatedAfter() {
        Map<String, Object> event = cartViewed("{\"cart_id\":\"c-1\",\"products\":[]}");

        assertThat(carts.toCart(event, List.of(), false, RECEIVED).payload()).containsEntry("action", "created");
        assertThat(carts.toCart(event, List.of(), true, RECEIVED).payload()).containsEntry("action", "updated");
    }

    @Test
    void theCartIdIsTheCartKeyTheCartIdElseTheEmail() {
        assertThat(carts.toCart(cartViewed("{\"cart_id\":\"c-9\"}"), List.of(), false, RECEIVED).payload())
                .containsEntry("cart_id", "c-9");
        assertThat(carts.toCart(cartViewed("{}"), List.of(), false, RECEIVED).payload())
                .containsEntry("cart_id", "ann@example.com")
                .containsEntry("cart_url", "https://shop.example.com/cart/ann%40example.com");
    }

    @Test
    void theGrandTotalIsTheTotalSent() {
        assertThat(carts.toCart(cartViewed("{\"cart_id\":\"c-1\",\"total\":\"99.50\"}"), items(), false, RECEIVED)
                .payload()).containsEntry("grand_total", new BigDecimal("99.50"));
    }

    @Test
    void withoutATotalTheGrandTotalIsTheSumOfPriceTimesQuantity() {
        CartRecord cart = carts.toCart(cartViewed("{\"cart_id\":\"c-1\"}"), items(), false, RECEIVED);

        assertThat((BigDecimal) cart.payload().get("grand_total")).isEqualByComparingTo("61.50");
        assertThat(carts.toCart(cartViewed("{\"cart_id\":\"c-1\"}"), List.of(), false, RECEIVED).payload())
                .containsEntry("grand_total", BigDecimal.ZERO);
    }

    @Test
    void theCartUrlIsTheOneSentBeforeTheTemplate() {
        assertThat(carts.toCart(cartViewed("{\"cart_id\":\"c-1\",\"cart_url\":\"https://other.example/c/1\"}"),
                List.of(), false, RECEIVED).payload()).containsEntry("cart_url", "https://other.example/c/1");
    }

    @Test
    void theCartUrlIsTheTemplateWithTheCartIdWhenNoneIsSent() {
        assertThat(carts.toCart(cartViewed("{\"cart_id\":\"c 1\"}"), List.of(), false, RECEIVED).payload())
                .containsEntry("cart_url", "https://shop.example.com/cart/c%201");
    }

    @Test
    void withNeitherACartUrlNorATemplateNoRecordIsSentAndAWarningSaysWhy() {
        CartTransformer noTemplate = new CartTransformer(ShopperActivitySettings.parse("carts", null, null, null));

        CartRecord cart = noTemplate.toCart(cartViewed("{\"cart_id\":\"c-1\"}"), items(), false, RECEIVED);

        assertThat(cart.present()).isFalse();
        assertThat(cart.payload()).isNull();
        assertThat(cart.mapped()).isEmpty();
        assertThat(cart.warnings()).containsExactly("no cart URL (properties.cart_url is missing and "
                + "drip.shopper-activity.cart-url is not set): no cart record sent, Drip requires cart_url");
    }

    @Test
    void everyItemIsSentEveryTimeMappedAsOrderItemsAre() {
        CartRecord cart = carts.toCart(cartViewed("{\"cart_id\":\"c-1\"}"), items(), true, RECEIVED);

        assertJson(cart.payload().get("items"), """
                [{"product_id":"P1","product_variant_id":"P1","name":"Boots","price":54,"quantity":1,"total":54},
                 {"product_id":"S2","product_variant_id":"S2-blue","sku":"S2","name":"Socks","price":2.50,"quantity":3,
                  "total":7.50}]
                """);
    }

    @Test
    void theVariantIdDefaultsToTheProductIdAsDripAsks() {
        List<Map<String, Object>> items = List.of(Map.of("product_id", "P1", "name", "Boots", "price", 5));

        Map<String, Object> item = firstItem(carts.toCart(cartViewed("{}"), items, false, RECEIVED));

        assertThat(item).containsEntry("product_variant_id", "P1");
        assertThat(List.copyOf(item.keySet())).startsWith("product_id", "product_variant_id");
    }

    @Test
    void anItemLackingProductIdVariantNameOrPriceIsDroppedWithAWarning() {
        List<Map<String, Object>> items = List.of(
                Map.of("name", "No id", "price", 1),
                Map.of("product_id", "P2", "price", 1),
                Map.of("product_id", "P3", "name", "No price"),
                Map.of("product_id", "P4", "name", "Kept", "price", 1));

        CartRecord cart = carts.toCart(cartViewed("{\"cart_id\":\"c-1\"}"), items, false, RECEIVED);

        assertJson(cart.payload().get("items"),
                "[{\"product_id\":\"P4\",\"product_variant_id\":\"P4\",\"name\":\"Kept\",\"price\":1,\"total\":1}]");
        assertThat(cart.payload()).containsEntry("grand_total", new BigDecimal("1"));
        assertThat(cart.warnings()).containsExactly(
                "cart items[0] has no product_id, product_variant_id: item dropped (Drip requires product_id, "
                        + "product_variant_id, name and price)",
                "cart items[1] has no name: item dropped (Drip requires product_id, product_variant_id, name and price)",
                "cart items[2] has no price: item dropped (Drip requires product_id, product_variant_id, name and price)");
    }

    @Test
    void anEmptiedCartStillSendsAnEmptyItemsList() {
        assertThat(carts.toCart(cartViewed("{\"cart_id\":\"c-1\"}"), List.of(), true, RECEIVED).payload())
                .containsEntry("items", List.of());
    }

    @Test
    void providerComesFromTheSettingNeverFromTheEvent() {
        assertThat(carts.toCart(cartViewed("{\"provider\":\"shopify\"}"), List.of(), false, RECEIVED).payload())
                .containsEntry("provider", "my_store");
    }

    @Test
    void currencyIsTakenAsSent() {
        assertThat(carts.toCart(cartViewed("{\"currency\":\"EUR\"}"), List.of(), false, RECEIVED).payload())
                .containsEntry("currency", "EUR");
    }

    @Test
    void occurredAtIsTheTimestampElseTheOriginalTimestampElseTheReceiptTime() {
        Map<String, Object> event = cartViewed("{}");
        assertThat(carts.toCart(event, List.of(), false, RECEIVED).payload())
                .containsEntry("occurred_at", "2024-07-01T08:00:00.250Z");
        event.put("originalTimestamp", "2024-06-05T11:44:39Z");
        assertThat(carts.toCart(event, List.of(), false, RECEIVED).payload())
                .containsEntry("occurred_at", "2024-06-05T11:44:39Z");
        event.put("timestamp", "2024-06-05T11:44:40Z");
        assertThat(carts.toCart(event, List.of(), false, RECEIVED).payload())
                .containsEntry("occurred_at", "2024-06-05T11:44:40Z");
    }

    @Test
    void withoutAnEmailTheCartRecordIsRefused() {
        Map<String, Object> event = message("{\"event\":\"Cart Viewed\",\"userId\":\"u1\",\"properties\":{\"cart_id\":\"c-1\"}}");

        assertThatThrownBy(() -> carts.toCart(event, List.of(), false, RECEIVED))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.error()).isEqualTo("missing email"));
    }

    @Test
    void addedThenRemovedThenViewedCartsFollowTheShopper() {
        Map<String, Object> added = productEvent("Product Added", "{\"cart_id\":\"c-1\",\"product_id\":\"P1\","
                + "\"name\":\"Boots\",\"price\":54}");
        List<Map<String, Object>> cart = CartState.apply(null, added);
        CartRecord first = carts.toCart(added, cart, false, RECEIVED);

        Map<String, Object> addedAgain = productEvent("Product Added", "{\"cart_id\":\"c-1\",\"product_id\":\"P2\","
                + "\"name\":\"Socks\",\"price\":3,\"quantity\":2}");
        cart = CartState.apply(cart, addedAgain);
        CartRecord second = carts.toCart(addedAgain, cart, true, RECEIVED);

        Map<String, Object> removed = productEvent("Product Removed", "{\"cart_id\":\"c-1\",\"product_id\":\"P1\"}");
        cart = CartState.apply(cart, removed);
        CartRecord third = carts.toCart(removed, cart, true, RECEIVED);

        assertThat(first.payload()).containsEntry("action", "created");
        assertThat((List<?>) first.payload().get("items")).hasSize(1);
        assertThat((List<?>) second.payload().get("items")).hasSize(2);
        assertThat((BigDecimal) second.payload().get("grand_total")).isEqualByComparingTo("60");
        assertJson(third.payload().get("items"), """
                [{"product_id":"P2","product_variant_id":"P2","name":"Socks","price":3,"quantity":2,"total":6}]
                """);
        assertThat(third.payload()).containsEntry("action", "updated");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Two stored items: Boots 54 × 1 (no quantity) and Socks 2.50 × 3 (by sku, with a variant). */
    private static List<Map<String, Object>> items() {
        return List.of(
                Map.of("product_id", "P1", "name", "Boots", "price", 54, "quantity", 1),
                Map.of("sku", "S2", "variant_id", "S2-blue", "name", "Socks", "price", 2.50, "quantity", 3));
    }

    private static Map<String, Object> cartViewed(String properties) {
        return productEvent("Cart Viewed", properties);
    }

    private static Map<String, Object> productEvent(String name, String properties) {
        return message("{\"type\":\"track\",\"event\":\"" + name + "\",\"properties\":" + properties
                + ",\"context\":{\"traits\":{\"email\":\"Ann@example.com\"}}}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstItem(CartRecord cart) {
        return ((List<Map<String, Object>>) cart.payload().get("items")).get(0);
    }
}
