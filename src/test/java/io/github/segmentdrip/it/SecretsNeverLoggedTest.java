package io.github.segmentdrip.it;

import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.testing.LogCapture;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run that goes through every path, errors included, with every secret configured and the
 * service's own logging at DEBUG: no secret appears in any log line, error body or dead letter.
 */
@QuarkusTest
// An application of its own: the test ends with Drip refusing the token, which pauses delivery until a
// restart, and it reads the log of the test JVM, so it can neither share nor run against the packaged jar.
@QuarkusTestResource(value = SecuredEmulatorResource.class, restrictToAnnotatedClass = true)
class SecretsNeverLoggedTest {

    @Inject
    DripOutbox outbox;

    @Inject
    DeadLetterStore deadLetters;

    @Test
    void noSecretInLogsErrorsOrDeadLetters() {
        LogCapture logs = LogCapture.install();
        StringBuilder answers = new StringBuilder();
        String key = "Basic " + Base64.getEncoder().encodeToString((SecuredEmulatorResource.WRITE_KEY + ":")
                .getBytes(StandardCharsets.UTF_8));

        // Accepted, refused, unauthenticated, wrongly signed, oversized.
        answers.append(given().header("Authorization", key).contentType(ContentType.JSON)
                .body(Samples.segment("identify-spec-complete.json")).post("/v1/identify").asString());
        answers.append(given().contentType(ContentType.JSON).body("{\"userId\":\"x\",\"event\":\"E\"}").post("/v1/track").asString());
        answers.append(given().header("Authorization", key).contentType(ContentType.JSON).body("{\"userId\":\"x\"}")
                .post("/v1/identify").asString());
        answers.append(given().header("Authorization", key).contentType(ContentType.JSON).body("{broken").post("/v1/batch").asString());
        answers.append(given().header("X-Signature", "00".repeat(20)).contentType(ContentType.JSON)
                .body(Samples.signature("single-event.body.json")).post("/segment/webhook").asString());
        answers.append(given().contentType(ContentType.JSON).body("{\"writeKey\":\"" + SecuredEmulatorResource.WRITE_KEY
                + "\",\"batch\":[{\"type\":\"track\",\"userId\":\"nobody\",\"event\":\"E\"}]}").post("/v1/import").asString());

        // Drip's webhooks: the right token (stored, then sent on to Segment), a wrong one.
        String opened = Samples.dripWebhook("subscriber.opened_email.json").replace("9999999", DripEmulatorResource.ACCOUNT);
        answers.append(given().contentType(ContentType.JSON).body(opened)
                .post("/drip/webhooks/" + SecuredEmulatorResource.DRIP_WEBHOOK_TOKEN).asString());
        answers.append(given().contentType(ContentType.JSON).body(opened).post("/drip/webhooks/not-the-token").asString());

        // Drip answers: retried 5xx, refused 422 (dead letter), then a refused token (pause).
        drip().failNext("/events$", 3, 503, "{\"errors\":[{\"code\":\"unavailable\"}]}");
        given().header("Authorization", key).contentType(ContentType.JSON)
                .body("{\"userId\":\"retry@example.com\",\"event\":\"Retried\"}").post("/v1/track").then().statusCode(200);
        await().until(() -> drip().events().stream().anyMatch(e -> e.get("email").asText().equals("retry@example.com")));
        drip().failNext("/events$", 1, 422, "{\"errors\":[{\"code\":\"range_error\",\"message\":\"Value is invalid\"}]}");
        given().header("Authorization", key).contentType(ContentType.JSON)
                .body("{\"userId\":\"refused@example.com\",\"event\":\"Refused\"}").post("/v1/track").then().statusCode(200);
        await().until(() -> !deadLetters.list("422", 10).isEmpty());
        drip().failNext(1, 401, "{\"errors\":[{\"code\":\"authorization_error\"}]}");
        given().header("Authorization", key).contentType(ContentType.JSON)
                .body("{\"userId\":\"paused@example.com\",\"event\":\"Paused\"}").post("/v1/track").then().statusCode(200);
        await().until(() -> logs.lines().stream().anyMatch(line -> line.contains("Drip refused the API token")));

        List<String> lines = logs.lines();
        assertThat(lines).isNotEmpty();
        String stored = deadLetters.list(null, 100).toString();
        for (String secret : SecuredEmulatorResource.secrets()) {
            assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
            assertThat(answers.toString()).as("error bodies").doesNotContain(secret);
            assertThat(stored).as("dead letters").doesNotContain(secret);
        }
    }
}
