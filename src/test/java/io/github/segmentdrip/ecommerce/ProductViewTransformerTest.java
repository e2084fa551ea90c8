package io.github.segmentdrip.ecommerce;

import static io.github.segmentdrip.ecommerce.Json.assertJson;
import static io.github.segmentdrip.ecommerce.Json.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mapping.md "Product views": Product Viewed → the Drip event Viewed a Product. */
class ProductViewTransformerTest {

    private static final Instant RECEIVED = Instant.parse("2024-07-01T08:00:00.250Z");

    private final ProductViewTransformer views = new ProductViewTransformer();

    @Test
    void productViewedBecomesTheViewedAProductEventWithTheProductProperties() {
        Mapped mapped = views.toEvent(message("""
                {"type":"track","event":"Product Viewed","timestamp":"2024-06-05T11:44:40Z",
                 "context":{"traits":{"email":"ann@example.com"}},
                 "properties":{"product_id":"507f1f77bcf86cd799439011","product_variant_id":"507-blue","sku":"G-32",
                   "category":"Games","name":"Monopoly: 3rd Edition","brand":"Hasbro","variant":"200 pieces",
                   "price":18.99,"quantity":1,"coupon":"MAYDEALS","currency":"usd","position":3,"value":18.99,
                   "url":"https://www.example.com/product/path","image_url":"https://www.example.com/product/path.jpg"}}
                """), RECEIVED);

        assertJson(mapped.payload(), """
                {"email":"ann@example.com","action":"Viewed a Product","occurred_at":"2024-06-05T11:44:40Z",
                 "properties":{"product_id":"507f1f77bcf86cd799439011","product_variant_id":"507-blue","sku":"G-32",
                   "name":"Monopoly: 3rd Edition","brand":"Hasbro","categories":["Games"],"price":18.99,
                   "currency":"usd","product_url":"https://www.example.com/product/path",
                   "image_url":"https://www.example.com/product/path.jpg"}}
                """);
        assertThat(mapped.warnings()).isEmpty();
    }

    @Test
    void theActionIsTheEventDripsBrowseAbandonmentWorkflowsUse() {
        assertThat(views.toEvent(viewed("{}"), RECEIVED).payload()).containsEntry("action", "Viewed a Product");
        assertThat(ProductViewTransformer.SEGMENT_EVENT).isEqualTo("Product Viewed");
    }

    @Test
    void productIdFallsBackToTheSkuAndTheVariantToVariantIdAsForOrderItems() {
        assertThat(properties("{\"sku\":\"G-32\",\"variant_id\":\"blue\"}"))
                .containsEntry("product_id", "G-32")
                .containsEntry("sku", "G-32")
                .containsEntry("product_variant_id", "blue");
    }

    @Test
    void categoryBecomesCategoriesAndUrlBecomesProductUrl() {
        assertJson(properties("{\"category\":\"Games\",\"url\":\"https://s.example/p\"}"),
                "{\"categories\":[\"Games\"],\"product_url\":\"https://s.example/p\"}");
    }

    @Test
    void thePriceIsInCurrencyUnitsAndANumericStringIsParsed() {
        assertJson(properties("{\"price\":\"$1,299.99\",\"currency\":\"USD\"}"),
                "{\"price\":1299.99,\"currency\":\"USD\"}");
    }

    @Test
    void nothingButTheProductPropertiesIsSent() {
        assertJson(properties("{\"name\":\"A\",\"coupon\":\"X\",\"position\":1,\"value\":3,\"quantity\":2,"
                + "\"email\":\"ann@example.com\"}"), "{\"name\":\"A\"}");
    }

    @Test
    void aQuantityThatIsNotANumberIsNoConcernOfAView() {
        assertThat(views.toEvent(viewed("{\"name\":\"A\",\"quantity\":\"some\"}"), RECEIVED).warnings()).isEmpty();
    }

    @Test
    void occurredAtIsTheTimestampElseTheOriginalTimestampElseTheReceiptTime() {
        Map<String, Object> event = viewed("{}");
        assertThat(views.toEvent(event, RECEIVED).payload()).containsEntry("occurred_at", "2024-07-01T08:00:00.250Z");
        event.put("originalTimestamp", "2024-06-05T11:44:39Z");
        assertThat(views.toEvent(event, RECEIVED).payload()).containsEntry("occurred_at", "2024-06-05T11:44:39Z");
    }

    @Test
    void withoutAnEmailNoEventIsMade() {
        assertThatThrownBy(() -> views.toEvent(message("{\"event\":\"Product Viewed\",\"anonymousId\":\"a1\"}"), RECEIVED))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.error()).isEqualTo("missing email"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(String properties) {
        return (Map<String, Object>) views.toEvent(viewed(properties), RECEIVED).payload().get("properties");
    }

    private static Map<String, Object> viewed(String properties) {
        return message("{\"type\":\"track\",\"event\":\"Product Viewed\",\"properties\":" + properties
                + ",\"context\":{\"traits\":{\"email\":\"ann@example.com\"}}}");
    }
}
