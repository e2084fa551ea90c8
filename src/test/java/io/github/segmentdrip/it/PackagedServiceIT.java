package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged service (the jar here, the native binary where GraalVM exists) end to end: Segment
 * calls in, Drip requests out, bad input refused.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = DripEmulatorResource.class, restrictToAnnotatedClass = true)
class PackagedServiceIT {

    @Test
    void identifyTrackAndCampaignReachDripAndBadInputIsRefused() {
        given().contentType(ContentType.JSON).body(Samples.segment("identify-spec-complete.json"))
                .post("/v1/identify").then().statusCode(200).body("success", equalTo(true));
        given().contentType(ContentType.JSON).body(Samples.segment("track-revenue.composed.json"))
                .post("/v1/track/").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"identify\",\"traits\":{\"email\":\"it@example.com\"},\"integrations\":{\"Drip\":{\"campaignId\":\"42\"}}}")
                .post("/segment/webhook").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"userId\":\"nobody\"}").post("/v1/identify")
                .then().statusCode(400).body("error", equalTo("missing email"));

        await().until(() -> drip().accepted().size() == 4);
        assertThat(drip().subscribers()).extracting(s -> s.get("email").asText())
                .containsExactly("peter@example.com", "it@example.com");
        assertThat(drip().events()).singleElement().satisfies(e -> {
            assertThat(e.get("action").asText()).isEqualTo("Order Completed");
            assertThat(e.get("properties").get("value").asLong()).isEqualTo(1999);
        });
        assertThat(drip().campaignSubscriptions("42")).hasSize(1);
    }
}
