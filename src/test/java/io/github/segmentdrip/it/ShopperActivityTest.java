package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.outbox.CartStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/**
 * Segment's e-commerce events in over HTTP, Drip's Shopper Activity requests out (mapping.md
 * "E-commerce → Drip Shopper Activity"), asserted on what the Drip emulator received and accepted
 * under its v3 contract.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "drip.shopper-activity", value = "orders,carts,product-views"),
        @ResourceArg(name = "drip.shopper-activity.provider", value = "my_store"),
        @ResourceArg(name = "drip.shopper-activity.cart-url", value = "https://shop.example.com/cart/{cart_id}") })
class ShopperActivityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V3 = "/v3/" + DripEmulatorResource.ACCOUNT + "/shopper_activity/";

    @Inject
    DripOutbox outbox;

    @Inject
    CartStore carts;

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.depth() == 0);
        drip().reset();
    }

    @Test
    void orderCompletedBecomesAPlacedOrderAndTheCustomEventIsKept() throws IOException {
        String email = unique("order");
        post("/v1/track", """
                {"messageId":"%s","userId":"u1","event":"Order Completed","timestamp":"2026-11-30T10:00:00Z",
                 "properties":{"email":"%s","order_id":"50314b8e","total":27.5,"revenue":25.0,"shipping":3,
                   "tax":2,"discount":2.5,"currency":"USD","products":[
                     {"product_id":"507f1f77","sku":"45790-32","name":"Monopoly","price":19,"quantity":1,
                      "category":"Games","url":"https://shop.example.com/p/monopoly","image_url":"https://shop.example.com/i/m.png"},
                     {"sku":"46493-32","name":"Uno","price":3.25,"quantity":2}]}}""".formatted(UUID.randomUUID(), email))
                .statusCode(200);
        awaitDelivered();
        assertThat(requestTo(V3 + "order").json()).isEqualTo(json("""
                {"provider":"my_store","email":"%s","action":"placed","occurred_at":"2026-11-30T10:00:00Z",
                 "order_id":"50314b8e","grand_total":27.5,"total_discounts":2.5,"total_taxes":2,"total_shipping":3,
                 "currency":"USD","items":[
                   {"product_id":"507f1f77","sku":"45790-32","name":"Monopoly","categories":["Games"],"price":19,
                    "quantity":1,"product_url":"https://shop.example.com/p/monopoly",
                    "image_url":"https://shop.example.com/i/m.png","total":19},
                   {"product_id":"46493-32","sku":"46493-32","name":"Uno","price":3.25,"quantity":2,"total":6.50}]}"""
                .formatted(email)));
        assertThat(drip().events()).extracting(e -> e.get("action").asText()).containsExactly("Order Completed");
        assertThat(drip().accepted()).hasSize(2);
        await().untilAsserted(() -> assertThat(given().get("/q/metrics").then().extract().asString())
                .containsPattern("drip_records_delivered_total\\{endpoint=\"shopper_activity/order\"[^}]*} [1-9]")
                .containsPattern("segment_events_accepted_total\\{type=\"order\"[^}]*} [1-9]"));
    }

    @Test
    void refundsAndCancellationsFindTheirOrderByProviderAndOrderId() {
        String email = unique("refund");
        for (String event : List.of("Order Refunded", "Order Cancelled", "Order Updated")) {
            post("/v1/track", track(email, event, "\"order_id\":\"o-77\",\"total\":\"$12.00\"")).statusCode(200);
        }
        awaitDelivered();
        List<JsonNode> orders = drip().orders();
        assertThat(orders).extracting(o -> o.get("action").asText()).containsExactly("refunded", "canceled", "updated");
        assertThat(orders.get(0).get("refund_amount").decimalValue()).isEqualByComparingTo("12.00");
        assertThat(orders.get(0).has("grand_total")).isFalse();
        assertThat(orders).allSatisfy(o -> assertThat(o.get("order_id").asText()).isEqualTo("o-77"));
    }

    @Test
    void anOrderWithoutOrderIdIsReportedAndItsCustomEventStillGoes() {
        String email = unique("noid");
        post("/v1/track", track(email, "Order Completed", "\"total\":10")).statusCode(200)
                .body("warnings", hasItem("no order record for Drip: missing order_id (properties.order_id)"));
        awaitDelivered();
        assertThat(drip().orders()).isEmpty();
        assertThat(drip().events()).extracting(e -> e.get("action").asText()).containsExactly("Order Completed");
    }

    @Test
    void aCartIsKeptSoEveryCartRecordCarriesAllItsItems() {
        String email = unique("cart");
        String cart = "c-" + UUID.randomUUID().toString().substring(0, 8);
        String boots = "\"cart_id\":\"" + cart + "\",\"product_id\":\"B01\",\"name\":\"Boots\",\"price\":54,\"quantity\":1";
        String socks = "\"cart_id\":\"" + cart + "\",\"product_id\":\"S01\",\"name\":\"Socks\",\"price\":5.5,\"quantity\":2";
        // A mobile batch: three cart changes of one cart in one request.
        post("/v1/batch", "{\"batch\":[" + String.join(",", batchTrack(email, "Product Added", boots),
                batchTrack(email, "Product Added", socks), batchTrack(email, "Product Added", boots)) + "]}")
                .statusCode(200);
        post("/v1/track", track(email, "Product Removed", socks.replace("\"quantity\":2", "\"quantity\":1")))
                .statusCode(200);
        awaitDelivered();
        List<JsonNode> records = drip().carts();
        assertThat(records).extracting(c -> c.get("action").asText())
                .containsExactly("created", "updated", "updated", "updated");
        JsonNode last = records.get(3);
        assertThat(last.get("cart_id").asText()).isEqualTo(cart);
        assertThat(last.get("cart_url").asText()).isEqualTo("https://shop.example.com/cart/" + cart);
        assertThat(last.get("items")).extracting(i -> i.get("product_id").asText() + "×" + i.get("quantity").asInt())
                .containsExactly("B01×2", "S01×1");
        assertThat(last.get("grand_total").decimalValue()).isEqualByComparingTo("113.5");
        assertThat(carts.load(cart).items()).hasSize(2);

        // The order forgets the cart: the next cart of that id starts anew with "created".
        post("/v1/track", track(email, "Order Completed", "\"cart_id\":\"" + cart + "\",\"order_id\":\"o-" + cart + "\""))
                .statusCode(200);
        awaitDelivered();
        assertThat(carts.load(cart).version()).isZero();
        post("/v1/track", track(email, "Product Added", boots)).statusCode(200);
        awaitDelivered();
        assertThat(drip().carts()).last().satisfies(c -> {
            assertThat(c.get("action").asText()).isEqualTo("created");
            assertThat(c.get("items")).hasSize(1);
        });
    }

    @Test
    void aRetriedProductAddedChangesItsCartOnce() {
        String email = unique("retried");
        String added = track(email, "Product Added", "\"cart_id\":\"retry-cart-" + email.hashCode()
                + "\",\"product_id\":\"B01\",\"name\":\"Boots\",\"price\":54");
        post("/v1/track", added).statusCode(200);
        post("/v1/track", added).statusCode(200);
        awaitDelivered();
        assertThat(drip().carts()).singleElement().satisfies(c -> assertThat(c.at("/items/0/quantity").asInt()).isOne());
    }

    @Test
    void checkoutStartedReplacesTheCartWithItsProducts() {
        String email = unique("checkout");
        post("/v1/track", track(email, "Product Added", "\"product_id\":\"B01\",\"name\":\"Boots\",\"price\":54"))
                .statusCode(200);
        post("/v1/track", track(email, "Checkout Started", "\"total\":20,\"products\":[{\"product_id\":\"H01\","
                + "\"name\":\"Hat\",\"price\":20,\"quantity\":1}]")).statusCode(200);
        awaitDelivered();
        JsonNode last = drip().carts().get(1);
        // Without cart_id the shopper's email is the cart.
        assertThat(last.get("cart_id").asText()).isEqualTo(email);
        assertThat(last.get("items")).extracting(i -> i.get("product_id").asText()).containsExactly("H01");
        assertThat(last.get("grand_total").intValue()).isEqualTo(20);
    }

    @Test
    void productViewedBecomesDripsViewedAProductEvent() {
        String email = unique("view");
        post("/v1/track", track(email, "Product Viewed", "\"product_id\":\"B01\",\"sku\":\"B01-9\",\"name\":\"Boots\","
                + "\"brand\":\"Acme\",\"category\":\"Shoes\",\"price\":54,\"currency\":\"EUR\","
                + "\"url\":\"https://shop.example.com/p/b01\",\"image_url\":\"https://shop.example.com/i/b01.png\""))
                .statusCode(200);
        awaitDelivered();
        JsonNode view = drip().events().stream().filter(e -> e.get("action").asText().equals("Viewed a Product"))
                .findFirst().orElseThrow();
        assertThat(view.get("properties")).isEqualTo(json("""
                {"product_id":"B01","sku":"B01-9","name":"Boots","brand":"Acme","categories":["Shoes"],"price":54,
                 "currency":"EUR","product_url":"https://shop.example.com/p/b01","image_url":"https://shop.example.com/i/b01.png"}"""));
        assertThat(drip().events()).extracting(e -> e.get("action").asText())
                .containsExactlyInAnyOrder("Viewed a Product", "Product Viewed");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void awaitDelivered() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.depth() == 0);
    }

    private static RecordedRequest requestTo(String path) {
        return drip().accepted().stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow(
                () -> new AssertionError("no accepted request to " + path + " among " + drip().requests()));
    }

    private static ValidatableResponse post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then();
    }

    private static String track(String email, String event, String properties) {
        return "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"u1\",\"event\":\"" + event
                + "\",\"properties\":{\"email\":\"" + email + "\"," + properties + "}}";
    }

    private static String batchTrack(String email, String event, String properties) {
        return track(email, event, properties).replaceFirst("\\{", "{\"type\":\"track\",");
    }

    private static String unique(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
