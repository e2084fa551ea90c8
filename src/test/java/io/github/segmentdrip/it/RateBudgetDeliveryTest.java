package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery under a compressed Drip budget (20 single and 4 batch requests per 4 s "hour"), with
 * the emulator enforcing the same limits: upserts of one person are merged, campaign calls are not
 * repeated. (A backlog draining through batches: EventBacklogDeliveryTest, MixedBacklogDeliveryTest.)
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "drip.rate-limit.single-requests", value = "20"),
        @ResourceArg(name = "drip.rate-limit.batch-requests", value = "4"),
        @ResourceArg(name = "drip.rate-limit.window", value = "PT4S") })
class RateBudgetDeliveryTest {

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(60)).until(() -> outboxDepth() == 0);
    }

    @Test
    void upsertsOfOnePersonAreMergedIntoOneRecord() {
        drip().reset();
        given().contentType(ContentType.JSON).body("""
                {"batch":[
                  {"type":"identify","userId":"m1","traits":{"email":"merge@example.com","plan":"free","tags":["trial"]}},
                  {"type":"identify","userId":"m1","traits":{"email":"merge@example.com","firstName":"Mia","remove_tags":"trial"}},
                  {"type":"identify","userId":"m1","traits":{"email":"merge@example.com","plan":"pro","tags":"customer"}}
                ]}""").post("/v1/batch").then().statusCode(200);
        await().until(() -> outboxDepth() == 0);
        List<JsonNode> subscribers = drip().subscribers();
        assertThat(subscribers).hasSize(1);
        assertThat(subscribers.get(0).toString()).isEqualTo("{\"email\":\"merge@example.com\",\"user_id\":\"m1\","
                + "\"first_name\":\"Mia\",\"tags\":[\"customer\"],\"remove_tags\":[\"trial\"],\"custom_fields\":{\"plan\":\"pro\"}}");
        assertThat(drip().accepted()).hasSize(1);
    }

    @Test
    void aCampaignSubscriptionIsMadeOncePerPerson() {
        drip().reset();
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body("{\"traits\":{\"email\":\"once@example.com\",\"visits\":" + i
                    + "},\"integrations\":{\"Drip\":{\"campaignId\":\"31337\"}}}").post("/v1/identify").then().statusCode(200);
            await().until(() -> outboxDepth() == 0);
        }
        assertThat(drip().subscribers()).hasSize(3);
        assertThat(drip().campaignSubscriptions("31337")).hasSize(1);
    }
}
