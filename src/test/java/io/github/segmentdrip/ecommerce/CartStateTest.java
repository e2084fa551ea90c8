package io.github.segmentdrip.ecommerce;

import static io.github.segmentdrip.ecommerce.Json.assertJson;
import static io.github.segmentdrip.ecommerce.Json.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mapping.md "Carts": how the service keeps a cart's items between events. */
class CartStateTest {

    // ---- the cart key ----------------------------------------------------------------------------

    @Test
    void theCartKeyIsTheCartId() {
        assertThat(CartState.cartKey(message("""
                {"event":"Product Added","properties":{"cart_id":" c-1 ","email":"ann@example.com"}}
                """))).hasValue("c-1");
        assertThat(CartState.cartKey(message("{\"event\":\"Product Added\",\"properties\":{\"cart_id\":42}}")))
                .hasValue("42");
    }

    @Test
    void withoutCartIdTheCartKeyIsThePersonsEmailInLowerCase() {
        assertThat(CartState.cartKey(message("""
                {"event":"Product Added","context":{"traits":{"email":"Ann@Example.com"}},"properties":{"cart_id":""}}
                """))).hasValue("ann@example.com");
        assertThat(CartState.cartKey(message("{\"event\":\"Product Added\",\"userId\":\"u1\"}"))).isEmpty();
    }

    @Test
    void anOrderCompletedWithTheSameKeyIsTheEventThatForgetsTheCart() {
        Map<String, Object> order = message("""
                {"event":"Order Completed","properties":{"cart_id":"c-1","order_id":"o-1","email":"ann@example.com"}}
                """);

        assertThat(CartState.ENDS_CART).isEqualTo("Order Completed");
        assertThat(CartState.cartKey(order)).hasValue("c-1");
        assertThat(CartState.isCartEvent("Order Completed")).isFalse();
    }

    @Test
    void theFourCartEventsAreKnownByName() {
        assertThat(CartState.CART_EVENTS)
                .containsExactlyInAnyOrder("Product Added", "Product Removed", "Cart Viewed", "Checkout Started");
        assertThat(CartState.isCartEvent(" Cart Viewed ")).isTrue();
        assertThat(CartState.isCartEvent("Product Viewed")).isFalse();
        assertThat(CartState.isCartEvent(null)).isFalse();
    }

    // ---- Product Added ---------------------------------------------------------------------------

    @Test
    void productAddedToANewCartMakesItsFirstItemWithQuantityOneByDefault() {
        List<Map<String, Object>> items = CartState.apply(null, event("Product Added", """
                {"cart_id":"c-1","product_id":"P1","sku":"S1","name":"Boots","brand":"Acme","category":"Shoes",
                 "price":54.00,"url":"https://s.example/p1","image_url":"https://s.example/p1.png",
                 "coupon":"X","position":3}
                """));

        assertJson(items, """
                [{"product_id":"P1","sku":"S1","name":"Boots","brand":"Acme","category":"Shoes","price":54.00,
                  "quantity":1,"url":"https://s.example/p1","image_url":"https://s.example/p1.png"}]
                """);
    }

    @Test
    void productAddedForAProductAlreadyInTheCartIncreasesItsQuantity() {
        List<Map<String, Object>> cart = CartState.apply(List.of(), event("Product Added",
                "{\"product_id\":\"P1\",\"name\":\"Boots\",\"price\":54,\"quantity\":2}"));

        List<Map<String, Object>> after = CartState.apply(cart, event("Product Added",
                "{\"product_id\":\"P1\",\"name\":\"Boots\",\"price\":49,\"quantity\":\"3\"}"));

        assertJson(after, "[{\"product_id\":\"P1\",\"name\":\"Boots\",\"price\":49,\"quantity\":5}]");
    }

    @Test
    void productAddedForAnotherVariantOfTheSameProductIsAnotherItem() {
        List<Map<String, Object>> cart = CartState.apply(List.of(), event("Product Added",
                "{\"product_id\":\"P1\",\"variant_id\":\"red\",\"name\":\"Shirt\",\"price\":10}"));

        List<Map<String, Object>> after = CartState.apply(cart, event("Product Added",
                "{\"product_id\":\"P1\",\"variant_id\":\"blue\",\"name\":\"Shirt\",\"price\":10}"));
        List<Map<String, Object>> again = CartState.apply(after, event("Product Added",
                "{\"product_id\":\"P1\",\"variant_id\":\"red\",\"name\":\"Shirt\",\"price\":10}"));

        assertJson(again, """
                [{"product_id":"P1","variant_id":"red","name":"Shirt","price":10,"quantity":2},
                 {"product_id":"P1","variant_id":"blue","name":"Shirt","price":10,"quantity":1}]
                """);
    }

    @Test
    void productsAreMatchedBySkuWhenTheyHaveNoProductId() {
        List<Map<String, Object>> cart = CartState.apply(List.of(), event("Product Added",
                "{\"sku\":\"S1\",\"name\":\"Socks\",\"price\":3}"));

        List<Map<String, Object>> after = CartState.apply(cart, event("Product Added", "{\"sku\":\"S1\"}"));

        assertJson(after, "[{\"sku\":\"S1\",\"name\":\"Socks\",\"price\":3,\"quantity\":2}]");
    }

    // ---- Product Removed -------------------------------------------------------------------------

    @Test
    void productRemovedWithAQuantityDecreasesTheItem() {
        List<Map<String, Object>> cart = List.of(Map.of("product_id", "P1", "name", "Boots", "quantity", 3));

        List<Map<String, Object>> after = CartState.apply(cart, event("Product Removed",
                "{\"product_id\":\"P1\",\"quantity\":1}"));

        assertJson(after, "[{\"product_id\":\"P1\",\"name\":\"Boots\",\"quantity\":2}]");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"product_id\":\"P1\"}", "{\"product_id\":\"P1\",\"quantity\":3}",
        "{\"product_id\":\"P1\",\"quantity\":5}" })
    void productRemovedWithoutQuantityOrDownToZeroRemovesTheItem(String properties) {
        List<Map<String, Object>> cart = List.of(
                Map.of("product_id", "P1", "name", "Boots", "quantity", 3),
                Map.of("product_id", "P2", "name", "Socks"));

        List<Map<String, Object>> after = CartState.apply(cart, event("Product Removed", properties));

        assertJson(after, "[{\"product_id\":\"P2\",\"name\":\"Socks\"}]");
    }

    @Test
    void productRemovedForAProductNotInTheCartChangesNothing() {
        List<Map<String, Object>> cart = List.of(Map.of("product_id", "P1", "name", "Boots", "quantity", 1));

        assertJson(CartState.apply(cart, event("Product Removed", "{\"product_id\":\"P9\"}")),
                "[{\"product_id\":\"P1\",\"name\":\"Boots\",\"quantity\":1}]");
        assertThat(CartState.apply(null, event("Product Removed", "{\"product_id\":\"P9\"}"))).isEmpty();
    }

    // ---- Cart Viewed, Checkout Started -----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "Cart Viewed", "Checkout Started" })
    void aWholeCartEventReplacesTheItemsWithItsProducts(String eventName) {
        List<Map<String, Object>> cart = List.of(Map.of("product_id", "OLD", "name", "Gone", "quantity", 1));

        List<Map<String, Object>> after = CartState.apply(cart, event(eventName, """
                {"cart_id":"c-1","products":[
                  {"product_id":"P1","name":"Boots","price":54,"quantity":"2","extra":"not kept"},
                  {"sku":"S2","name":"Socks","price":3}, 7]}
                """));

        assertJson(after, """
                [{"product_id":"P1","name":"Boots","price":54,"quantity":2},
                 {"sku":"S2","name":"Socks","price":3}]
                """);
    }

    @Test
    void aWholeCartEventWithAnEmptyProductsArrayEmptiesTheCartButOneWithoutTheArrayKeepsIt() {
        List<Map<String, Object>> cart = List.of(Map.of("product_id", "P1", "name", "Boots", "quantity", 1));

        assertThat(CartState.apply(cart, event("Cart Viewed", "{\"products\":[]}"))).isEmpty();
        assertJson(CartState.apply(cart, event("Checkout Started", "{\"cart_id\":\"c-1\"}")),
                "[{\"product_id\":\"P1\",\"name\":\"Boots\",\"quantity\":1}]");
    }

    // ---- purity ----------------------------------------------------------------------------------

    @Test
    void neverChangesTheStoredItemsItWasGiven() {
        List<Map<String, Object>> cart = new ArrayList<>(List.of(
                new java.util.LinkedHashMap<>(Map.of("product_id", "P1", "name", "Boots", "quantity", 1))));
        String before = Json.write(cart);

        CartState.apply(cart, event("Product Added", "{\"product_id\":\"P1\",\"name\":\"Boots 2\"}"));
        CartState.apply(cart, event("Product Removed", "{\"product_id\":\"P1\"}"));

        assertThat(Json.write(cart)).isEqualTo(before);
    }

    @Test
    void anotherEventIsNotACartEvent() {
        assertThatThrownBy(() -> CartState.apply(List.of(), event("Order Completed", "{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a cart event");
    }

    private static Map<String, Object> event(String name, String properties) {
        return message("{\"type\":\"track\",\"event\":\"" + name + "\",\"properties\":" + properties
                + ",\"context\":{\"traits\":{\"email\":\"ann@example.com\"}}}");
    }
}
