package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.AdminApi.deadLetters;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The intake's answers over real HTTP: what is accepted, what is refused, and that refusals store
 * nothing. Black-box (outbox and dead letters seen through the admin API), so {@link IntakeIT}
 * runs it against the packaged jar.
 */
@QuarkusTest
@WithTestResource(SharedEmulatorResource.class)
class IntakeTest {

    private static final String TRACK = "{\"userId\":\"u1\",\"event\":\"Signed Up\",\"properties\":{\"email\":\"a@example.com\"}}";

    @Test
    void everyTrackingApiCallAnswersSuccessWithOrWithoutTrailingSlash() {
        for (String path : new String[] {"/v1/track", "/v1/track/", "/v1/identify", "/v1/page", "/v1/screen/",
                "/v1/group", "/v1/alias"}) {
            given().contentType(ContentType.JSON).body("{\"userId\":\"slash@example.com\",\"event\":\"Slash\"}")
                    .post(path)
                    .then().statusCode(200).contentType(ContentType.JSON).body("success", equalTo(true));
        }
    }

    @Test
    void batchAndImportAcceptTheirEnvelope() {
        String batch = Samples.segment("http-api-v1-batch-request.doc.json");
        given().contentType(ContentType.JSON).body(batch).post("/v1/batch")
                .then().statusCode(200).body("success", equalTo(true))
                // The doc's tracks carry no email: refused by index, the identifies accepted.
                .body("rejected", hasSize(2))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].error", equalTo("missing email"))
                .body("rejected[1].index", equalTo(3));
        given().contentType(ContentType.JSON).body(batch).post("/v1/import/")
                .then().statusCode(200).body("success", equalTo(true));
    }

    @Test
    void webhookTakesOneEventOrAnArray() {
        given().contentType(ContentType.JSON).body(Samples.segment("identify-plain.webhooks-doc.json"))
                .post("/segment/webhook").then().statusCode(200).body("success", equalTo(true));
        given().contentType(ContentType.JSON).body(Samples.segment("batch-array.functions-doc.json"))
                .post("/segment/webhook").then().statusCode(200).body("success", equalTo(true));
    }

    @Test
    void invalidJsonIsA400NamingTheProblem() {
        given().contentType(ContentType.JSON).body("{\"event\":").post("/v1/track")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("success", equalTo(false)).body("error", equalTo("invalid JSON"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsA400() {
        given().contentType(ContentType.JSON).body("[1,2]").post("/v1/identify")
                .then().statusCode(400).body("error", equalTo("body must be a JSON object"));
        given().contentType(ContentType.JSON).body("\"text\"").post("/segment/webhook")
                .then().statusCode(400).body("error", equalTo("body must be a JSON object or array"));
    }

    @Test
    void aWebhookEventWithoutTypeIsA400() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"x\"}").post("/segment/webhook")
                .then().statusCode(400).body("error", equalTo("missing type")).body("field", equalTo("type"));
    }

    @Test
    void identifyWithoutEmailIsA400AndStoresNothing() {
        // Earlier tests' accepted events are delivered first, so the depth below can only change by this call.
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0);
        long before = outboxDepth();
        long deadBefore = deadLetterCount();
        given().contentType(ContentType.JSON).body("{\"userId\":\"no-email\",\"traits\":{\"name\":\"X\"}}")
                .post("/v1/identify")
                .then().statusCode(400)
                .body("success", equalTo(false)).body("error", equalTo("missing email"))
                .body("field", equalTo("traits.email"));
        assertThat(outboxDepth()).isEqualTo(before);
        assertThat(deadLetterCount()).isEqualTo(deadBefore);
    }

    @Test
    void trackWithoutEventNameIsA400() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"a@example.com\",\"event\":\"  \"}").post("/v1/track")
                .then().statusCode(400).body("error", equalTo("missing event name")).body("field", equalTo("event"));
    }

    @Test
    void trackWithoutEmailIsA400() {
        given().contentType(ContentType.JSON).body(Samples.segment("track-without-email.spec.json")).post("/v1/track")
                .then().statusCode(400).body("error", equalTo("missing email"));
    }

    @Test
    void aBadMessageInABatchIsReportedAndDeadLetteredWhileTheGoodOnesAreStored() {
        String batch = "{\"batch\":["
                + "{\"type\":\"track\",\"event\":\"Good\",\"userId\":\"good-batch@example.com\"},"
                + "{\"type\":\"identify\",\"userId\":\"nobody\"},"
                + "{\"event\":\"no type\"},"
                + "42"
                + "]}";
        long deadBefore = deadLetterCount();
        given().contentType(ContentType.JSON).body(batch).post("/v1/batch")
                .then().statusCode(200).body("success", equalTo(true))
                .body("rejected", hasSize(3))
                .body("rejected[0].index", equalTo(1)).body("rejected[0].field", equalTo("batch[1].traits.email"))
                .body("rejected[1].index", equalTo(2)).body("rejected[1].error", equalTo("missing type"))
                .body("rejected[2].index", equalTo(3)).body("rejected[2].error", equalTo("event is not a JSON object"));
        assertThat(deadLetterCount()).isEqualTo(deadBefore + 3);
        assertThat(deadLetters("missing type", 10)).isNotEmpty();
    }

    @Test
    void oversizedRequestsAre413() {
        String bigTrait = "x".repeat(33 * 1024);
        given().contentType(ContentType.JSON).body("{\"userId\":\"a@example.com\",\"traits\":{\"t\":\"" + bigTrait + "\"}}")
                .post("/v1/identify").then().statusCode(413).body("success", equalTo(false));

        StringBuilder many = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 2501; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"page\"}");
        }
        given().contentType(ContentType.JSON).body(many.append("]}").toString()).post("/v1/batch")
                .then().statusCode(413).body("error", equalTo("batch of 2501 events, at most 2500"));

        String hugeBatch = "{\"batch\":[{\"type\":\"page\",\"p\":\"" + "y".repeat(501 * 1024) + "\"}]}";
        given().contentType(ContentType.JSON).body(hugeBatch).post("/v1/batch").then().statusCode(413);
    }

    @Test
    void unknownTrackingCallsAre404() {
        given().contentType(ContentType.JSON).body("{}").post("/v1/nonsense")
                .then().statusCode(404).body("success", equalTo(false));
    }
}
