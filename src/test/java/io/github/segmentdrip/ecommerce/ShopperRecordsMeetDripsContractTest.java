package io.github.segmentdrip.ecommerce;

import static io.github.segmentdrip.ecommerce.Json.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.segmentdrip.testing.DripEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The records the mappings make are what Drip accepts: each one sent to the emulator, which holds
 * Drip's documented validation (required fields, provider, actions, amounts as numbers).
 */
class ShopperRecordsMeetDripsContractTest {

    private static final Instant RECEIVED = Instant.parse("2024-07-01T08:00:00.250Z");
    /** Drip docs, Authentication: token {@code abc123} → {@code Basic YWJjMTIzOg==}. */
    private static final String AUTH = "Basic YWJjMTIzOg==";

    private final ShopperActivitySettings settings = ShopperActivitySettings.parse("orders,carts,product-views",
            "my_store", null, "https://shop.example.com/cart/{cart_id}");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DripEmulator drip;

    @BeforeEach
    void startEmulator() {
        drip = DripEmulator.start("9999999", "abc123");
    }

    @AfterEach
    void stopEmulator() {
        drip.close();
    }

    @Test
    void everyOrderActionFromTheDefaultTableIsAcceptedWithAmountsStringsAndDroppedItems() {
        OrderTransformer orders = new OrderTransformer(settings);
        OrderTransformer.DEFAULT_ACTIONS.forEach((event, action) -> {
            Map<String, Object> record = orders.toOrder(message("""
                    {"type":"track","event":"%s","properties":{"order_id":5031,"total":"$1,299.99","tax":"12",
                     "discount":2,"shipping":"n/a","currency":"USD","email":"ann@example.com",
                     "products":[{"product_id":"P1","name":"Boots","price":"54.00","quantity":"2","category":"Shoes"},
                                 {"product_id":"P2","price":3}]}}
                    """.formatted(event)), action, RECEIVED).payload();

            assertThat(post("/v3/9999999/shopper_activity/order", record).statusCode()).as(event).isEqualTo(202);
        });
        assertThat(drip.orders()).hasSize(4);
        assertThat(drip.orders().get(2).path("refund_amount").isNumber()).isTrue();
    }

    @Test
    void cartRecordsFromAddedRemovedAndViewedEventsAreAccepted() {
        CartTransformer carts = new CartTransformer(settings);
        List<Map<String, Object>> items = null;
        boolean sent = false;
        for (String event : List.of(
                "{\"event\":\"Product Added\",\"properties\":{\"product_id\":\"P1\",\"name\":\"Boots\",\"price\":54}}",
                "{\"event\":\"Product Added\",\"properties\":{\"sku\":\"S2\",\"name\":\"Socks\",\"price\":\"3\"}}",
                "{\"event\":\"Product Added\",\"properties\":{\"product_id\":\"P3\",\"price\":1}}",
                "{\"event\":\"Product Removed\",\"properties\":{\"product_id\":\"P1\"}}",
                "{\"event\":\"Cart Viewed\",\"properties\":{\"products\":[]}}")) {
            Map<String, Object> track = message(event.replace("{\"event\"",
                    "{\"type\":\"track\",\"userId\":\"ann@example.com\",\"event\""));
            items = CartState.apply(items, track);
            CartRecord cart = carts.toCart(track, items, sent, RECEIVED);

            assertThat(post("/v3/9999999/shopper_activity/cart", cart.payload()).statusCode()).as(event).isEqualTo(202);
            sent = true;
        }
        assertThat(drip.carts()).extracting(c -> c.path("items").size()).containsExactly(1, 2, 2, 1, 0);
        assertThat(drip.carts()).extracting(c -> c.path("action").asText())
                .containsExactly("created", "updated", "updated", "updated", "updated");
    }

    @Test
    void aCartBatchOfMappedRecordsIsAccepted() {
        CartTransformer carts = new CartTransformer(settings);
        Map<String, Object> track = message("""
                {"type":"track","event":"Checkout Started","userId":"ann@example.com",
                 "properties":{"cart_id":"c-1","products":[{"product_id":"P1","name":"Boots","price":54,"quantity":2}]}}
                """);
        Map<String, Object> record = carts.toCart(track, CartState.apply(null, track), false, RECEIVED).payload();

        assertThat(post("/v3/9999999/shopper_activity/cart/batch", Map.of("carts", List.of(record, record)))
                .statusCode()).isEqualTo(202);
    }

    @Test
    void theViewedAProductEventIsAcceptedAsADripEvent() {
        Map<String, Object> event = new ProductViewTransformer().toEvent(message("""
                {"type":"track","event":"Product Viewed","userId":"ann@example.com",
                 "properties":{"product_id":"P1","name":"Boots","price":"54.00","category":"Shoes"}}
                """), RECEIVED).payload();

        assertThat(post("/v2/9999999/events", Map.of("events", List.of(event))).statusCode()).isEqualTo(204);
        assertThat(drip.events()).singleElement()
                .satisfies(e -> assertThat(e.path("action").asText()).isEqualTo("Viewed a Product"));
    }

    private HttpResponse<String> post(String path, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(drip.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", AUTH)
                .header("User-Agent", "Segment Drip Destination (github.com/segmentdrip)")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
