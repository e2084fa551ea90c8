package io.github.segmentdrip.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code drip.shopper-activity.keep-events=false}: an order becomes Drip's order record only, and
 * an order Drip could not take is refused rather than silently sent as nothing.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "drip.shopper-activity", value = "orders"),
        @ResourceArg(name = "drip.shopper-activity.keep-events", value = "false") })
class ShopperActivityInsteadOfEventsTest {

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0);
        drip().reset();
    }

    @Test
    void anOrderIsSentAsTheOrderRecordOnlyAndOtherEventsAsBefore() {
        given().contentType(ContentType.JSON).body(track("Order Completed", "\"order_id\":\"o-1\",\"total\":5"))
                .post("/v1/track").then().statusCode(200);
        given().contentType(ContentType.JSON).body(track("Signed Up", "\"plan\":\"pro\"")).post("/v1/track")
                .then().statusCode(200);
        await().until(() -> outboxDepth() == 0);
        assertThat(drip().orders()).singleElement().satisfies(o -> assertThat(o.get("order_id").asText()).isEqualTo("o-1"));
        assertThat(drip().events()).extracting(e -> e.get("action").asText()).containsExactly("Signed Up");
    }

    @Test
    void anOrderWithoutOrderIdIsRefusedNamingTheField() {
        given().contentType(ContentType.JSON).body(track("Order Completed", "\"total\":5")).post("/v1/track")
                .then().statusCode(400).body("error", equalTo("missing order_id")).body("field", equalTo("properties.order_id"));
        assertThat(outboxDepth()).isZero();
        assertThat(drip().requests()).isEmpty();
    }

    private static String track(String event, String properties) {
        return "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"u\",\"event\":\"" + event
                + "\",\"properties\":{\"email\":\"instead@example.com\"," + properties + "}}";
    }
}
