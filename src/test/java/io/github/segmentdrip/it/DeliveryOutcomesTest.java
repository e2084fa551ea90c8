package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.it.AdminApi.DeadLetterView;
import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.segmentdrip.it.AdminApi.deadLetter;
import static io.github.segmentdrip.it.AdminApi.deadLetters;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens after Drip answers: success, transient failures redelivered, permanent refusals
 * dead-lettered with Drip's answer. Asserted on the requests the emulator received and on the
 * dead letters as the admin API shows them.
 */
@QuarkusTest
// Shares one application with IntakeTest and SegmentToDripTest; each test waits for an empty outbox first.
@WithTestResource(SharedEmulatorResource.class)
class DeliveryOutcomesTest {

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0);
        drip().reset();
    }

    @Test
    void requestsCarryDripsAuthContentTypeAndUserAgent() {
        track("headers@example.com", "Checked Headers");
        RecordedRequest request = await().until(() -> requestsFor("headers@example.com"), r -> !r.isEmpty()).get(0);
        assertThat(request.path()).isEqualTo("/v2/" + DripEmulatorResource.ACCOUNT + "/events");
        assertThat(request.header("Authorization")).isEqualTo("Basic YWJjZGVmZ2hpajAxMjM0NTY3ODk6");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("User-Agent")).startsWith("segment-drip-destination/");
        assertThat(request.status()).isEqualTo(204);
    }

    @Test
    void transientFailuresAreRedeliveredUntilDripAccepts() {
        drip().failNext("/events$", 2, 500, "{\"errors\":[{\"code\":\"internal\"}]}");
        track("flaky@example.com", "Retried");
        await().until(() -> eventsFor("flaky@example.com").size() == 1);
        List<RecordedRequest> tries = requestsFor("flaky@example.com");
        assertThat(tries).extracting(RecordedRequest::status).containsExactly(500, 500, 204);
        assertThat(deadLetters("flaky", 10)).isEmpty();
    }

    @Test
    void aTimeoutLikeStatusIsRetriedDurablyAfterTheRedeliveries() {
        // 3 failures exhaust the in-process redeliveries; the row waits in the outbox and succeeds later.
        drip().failNext("/events$", 4, 503, "{\"errors\":[{\"code\":\"unavailable\"}]}");
        track("outage@example.com", "Waited Out");
        await().atMost(Duration.ofSeconds(20)).until(() -> eventsFor("outage@example.com").size() == 1);
        assertThat(requestsFor("outage@example.com")).extracting(RecordedRequest::status)
                .containsExactly(503, 503, 503, 503, 204);
    }

    @Test
    void permanentRefusalGoesToTheDeadLetterStoreWithDripsAnswer() {
        String refusal = "{\"errors\":[{\"code\":\"email_error\",\"attribute\":\"email\",\"message\":\"Email is invalid\"}]}";
        drip().failNext("/events$", 1, 422, refusal);
        track("refused@example.com", "Refused Event");
        DeadLetterView dead = await().until(() -> deadLetters("422", 50).stream()
                .filter(d -> "refused@example.com".equals(d.email())).findFirst().orElse(null), d -> d != null);
        assertThat(dead.status()).isEqualTo(422);
        assertThat(dead.kind()).isEqualTo("EVENT");
        assertThat(dead.attempts()).isEqualTo(1);
        // In full, as an operator reads it: Drip's answer, the request that got it and the Segment event.
        JsonNode full = deadLetter(dead.id());
        assertThat(full.get("response")).isEqualTo(json(refusal));
        assertThat(full.get("request").asText()).startsWith("POST /v2/" + DripEmulatorResource.ACCOUNT + "/events {\"events\":[");
        assertThat(full.get("event").get("event").asText()).isEqualTo("Refused Event");
        assertThat(requestsFor("refused@example.com")).hasSize(1);
    }

    @Test
    void eachPermanentStatusIsDeadLetteredWithoutRetry() {
        for (int status : new int[] {400, 403, 404}) {
            String email = "status" + status + "@example.com";
            drip().failNext("/events$", 1, status, "{\"errors\":[{\"code\":\"x\"}]}");
            track(email, "Status " + status);
            await().until(() -> deadLetters("answered " + status, 50).stream().anyMatch(d -> email.equals(d.email())));
            assertThat(requestsFor(email)).hasSize(1);
        }
    }

    @Test
    void aFailureThatOutlastsTheMaximumAttemptsIsDeadLettered() {
        drip().failNext("/events$", 100, 502, "{\"errors\":[{\"code\":\"bad_gateway\"}]}");
        track("gone@example.com", "Never Arrives");
        DeadLetterView dead = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters("gave up", 50).stream()
                .filter(d -> "gone@example.com".equals(d.email())).findFirst().orElse(null), d -> d != null);
        assertThat(dead.reason()).startsWith("gave up after 4 attempts");
        assertThat(dead.status()).isEqualTo(502);
        // 4 durable attempts, each with the route's 2 redeliveries.
        assertThat(requestsFor("gone@example.com")).hasSize(12);
        drip().reset();
    }

    @Test
    void sameSubscriberConflictIsRetriedShortly() {
        drip().sameSubscriberConflictNext(1);
        track("busy@example.com", "Concurrent");
        await().until(() -> eventsFor("busy@example.com").size() == 1);
        assertThat(requestsFor("busy@example.com")).extracting(RecordedRequest::status).containsExactly(429, 204);
    }

    private static void track(String email, String event) {
        given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + email + "\",\"event\":\"" + event + "\",\"timestamp\":\"2024-06-05T11:44:40Z\"}")
                .post("/v1/track").then().statusCode(200);
    }

    static List<RecordedRequest> requestsFor(String email) {
        return drip().requests().stream().filter(r -> r.body().contains("\"" + email + "\"")).toList();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<JsonNode> eventsFor(String email) {
        return drip().events().stream().filter(e -> email.equals(e.path("email").asText())).toList();
    }

}
