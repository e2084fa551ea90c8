package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Campaign ID setting subscribes every identified user; a call's integrations.Drip.campaignId overrides it. */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class,
        initArgs = @ResourceArg(name = "drip.campaign-id", value = "8888888"))
class CampaignSettingTest {

    @Test
    void everyIdentifiedUserJoinsTheConfiguredCampaignAndTrackDoesNot() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"u-1\",\"traits\":{\"email\":\"setting@example.com\"}}")
                .post("/v1/identify").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"userId\":\"setting@example.com\",\"event\":\"Clicked\"}")
                .post("/v1/track").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"traits\":{\"email\":\"override@example.com\"},"
                + "\"integrations\":{\"Drip\":{\"campaignId\":\"1234\"}}}").post("/v1/identify").then().statusCode(200);

        await().until(() -> drip().accepted().size() == 5);
        String base = "/v2/" + DripEmulatorResource.ACCOUNT;
        // One person's requests keep their order (subscriber, then campaign, then event); two people's
        // requests may interleave, which Drip does not mind.
        assertThat(pathsOf("setting@example.com")).containsExactly(base + "/subscribers",
                base + "/campaigns/8888888/subscribers", base + "/events");
        assertThat(pathsOf("override@example.com")).containsExactly(base + "/subscribers",
                base + "/campaigns/1234/subscribers");
        assertThat(drip().campaignSubscriptions("8888888")).singleElement()
                .satisfies(s -> assertThat(s.toString()).isEqualTo("{\"email\":\"setting@example.com\",\"user_id\":\"u-1\"}"));
        assertThat(drip().campaignSubscriptions("1234")).singleElement()
                .satisfies(s -> assertThat(s.toString()).isEqualTo("{\"email\":\"override@example.com\"}"));
    }

    private static List<String> pathsOf(String email) {
        return drip().accepted().stream().filter(request -> request.body().contains("\"" + email + "\""))
                .map(RecordedRequest::path).toList();
    }
}
