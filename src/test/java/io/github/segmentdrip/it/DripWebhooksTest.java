package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.outbox.DeadLetter;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.reverse.DripWebhookIntake;
import io.github.segmentdrip.testing.RecordedRequest;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.github.segmentdrip.it.ReverseEmulatorsResource.segment;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

/**
 * Drip's documented webhook examples in over HTTP, the exact Segment {@code /v1/batch} out
 * (mapping.md "Drip → Segment"), asserted on what the Segment emulator received; and the way back
 * to Drip closed (the loop guard).
 */
@QuarkusTest
@WithTestResource(value = ReverseEmulatorsResource.class, initArgs = {
        // Short enough for the timeout test, long enough for everything else.
        @ResourceArg(name = "camel.component.http.response-timeout", value = "1000") })
class DripWebhooksTest {

    @Inject
    io.github.segmentdrip.admin.DeadLetterAdmin deadLetterAdmin;

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = ReverseEmulatorsResource.ACCOUNT;
    static final String WEBHOOK_PATH = "/drip/webhooks/" + ReverseEmulatorsResource.WEBHOOK_TOKEN;
    static final String JOHN = "z1togz2hcjrkpp5treip";
    static final String JANE = "x8hyt3kqw0lq5zcvbnmp";
    static final String OCCURRED_AT = "2013-06-21T10:31:58Z";
    static final String EMAIL_PROPERTIES = "{\"email_id\":\"88888\",\"email_subject\":\"Email Course: Day 1\","
            + "\"delivery_id\":\"99999\"}";
    static final String JOHN_CONTEXT = "{\"integration\":{\"name\":\"drip\"},\"traits\":{\"email\":\"john@acme.com\"}}";

    @TestHTTPResource("/")
    URI root;

    @Inject
    SegmentOutbox segmentOutbox;

    @Inject
    DeadLetterStore deadLetters;

    @Inject
    DripOutbox outbox;

    @Inject
    DripWebhookIntake intake;

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> segmentOutbox.depth() == 0 && outbox.depth() == 0);
        segment().reset();
        drip().reset();
    }

    // ---------------------------------------------------------------- the six email events

    static Stream<Arguments> emailEvents() {
        return Stream.of(
                Arguments.of("subscriber.received_email.json", track("Email Delivered", "\"userId\":\"123\"",
                        messageId("subscriber.received_email", JOHN, "99999", ""), EMAIL_PROPERTIES, JOHN_CONTEXT)),
                Arguments.of("subscriber.opened_email.json", track("Email Opened", "\"userId\":\"123\"",
                        messageId("subscriber.opened_email", JOHN, "99999", ""), EMAIL_PROPERTIES, JOHN_CONTEXT)),
                // The click's own IP and browser (data.properties), and the link.
                Arguments.of("subscriber.clicked_email.json", track("Email Link Clicked", "\"userId\":\"123\"",
                        messageId("subscriber.clicked_email", JOHN, "99999", "http://www.example.com"),
                        "{\"email_id\":\"88888\",\"email_subject\":\"Email Course: Day 1\",\"delivery_id\":\"99999\","
                                + "\"link_url\":\"http://www.example.com\"}",
                        "{\"integration\":{\"name\":\"drip\"},\"traits\":{\"email\":\"john@acme.com\"},"
                                + "\"ip\":\"111.111.111.11\",\"userAgent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X "
                                + "10_10_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/44.0.2403.89 Safari/537.36\"}")),
                // The bounced sample's subscriber has no user_id: the email is the anonymousId.
                Arguments.of("subscriber.bounced.json", track("Email Bounced", "\"anonymousId\":\"jane@acme.com\"",
                        messageId("subscriber.bounced", JANE, "99999", ""), EMAIL_PROPERTIES,
                        "{\"integration\":{\"name\":\"drip\"},\"traits\":{\"email\":\"jane@acme.com\"}}")),
                Arguments.of("subscriber.complained.json", track("Email Marked as Spam", "\"userId\":\"123\"",
                        messageId("subscriber.complained", JOHN, "99999", ""), EMAIL_PROPERTIES, JOHN_CONTEXT)),
                Arguments.of("subscriber.unsubscribed_all.json", track("Email Unsubscribed", "\"userId\":\"123\"",
                        messageId("subscriber.unsubscribed_all", JOHN, "", ""), "{}", JOHN_CONTEXT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emailEvents")
    void eachEmailWebhookBecomesExactlyItsSegmentEmailTrack(String sample, String expectedTrack) {
        postWebhook(fromOurAccount(Samples.dripWebhook(sample))).statusCode(200).body("success", equalTo(true));

        RecordedRequest request = awaitAccepted(1).get(0);
        assertThat(request.path()).isEqualTo("/v1/batch");
        assertThat(request.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString((ReverseEmulatorsResource.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("User-Agent")).startsWith("segment-drip-destination/");
        assertThat(request.json().get("batch")).isEqualTo(json("[" + expectedTrack + "]"));
        assertThat(request.json().get("sentAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(request.json().size()).isEqualTo(2);
        // The row is deleted once Segment's answer is handled, just after the emulator recorded the call.
        await().until(() -> segmentOutbox.depth() == 0);
    }

    @Test
    void aBurstOfWebhooksReachesSegmentInBatchesEachEventOnce() {
        List<String> samples = List.of("subscriber.received_email.json", "subscriber.opened_email.json",
                "subscriber.clicked_email.json", "subscriber.bounced.json", "subscriber.complained.json",
                "subscriber.unsubscribed_all.json");
        for (String sample : samples) {
            postWebhook(fromOurAccount(Samples.dripWebhook(sample))).statusCode(200);
        }
        await().until(() -> segment().events().size() >= samples.size());
        assertThat(segment().events()).extracting(e -> e.get("event").asText()).containsExactlyInAnyOrder(
                "Email Delivered", "Email Opened", "Email Link Clicked", "Email Bounced", "Email Marked as Spam",
                "Email Unsubscribed");
        assertThat(segment().accepted().size()).isLessThanOrEqualTo(samples.size());
        assertThat(segment().requests()).allMatch(RecordedRequest::accepted);
    }

    // ---------------------------------------------------------------- skipped events

    @ParameterizedTest
    @ValueSource(strings = {"subscriber.applied_tag.json", "subscriber.created.json",
        "subscriber.performed_custom_event.json", "subscriber.unsubscribed_from_campaign.json",
        "subscriber.updated_email_address.json"})
    void otherDripEventsAreAcknowledgedCountedAndNotSent(String sample) {
        long skipped = intake.skipped();
        String event = sample.replace(".json", "");
        postWebhook(fromOurAccount(Samples.dripWebhook(sample))).statusCode(200)
                .body("success", equalTo(true)).body("skipped", equalTo("not forwarded: " + event));
        assertThat(intake.skipped()).isEqualTo(skipped + 1);
        assertThat(segmentOutbox.depth()).isZero();

        // A webhook after it arrives alone: nothing was stored for the skipped one.
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);
        await().until(() -> segment().events().size() >= 1);
        assertThat(segment().events()).extracting(e -> e.get("event").asText()).containsExactly("Email Opened");
    }

    // ---------------------------------------------------------------- who may post

    @Test
    void theReversePathIsCountedInPrometheusMetrics() {
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.applied_tag.json"))).statusCode(200);
        await().until(() -> segment().events().size() >= 1);
        await().untilAsserted(() -> assertThat(io.restassured.RestAssured.get("/q/metrics").asString())
                .contains("drip_webhooks_received_total{event=\"subscriber.opened_email\",outcome=\"forwarded\"")
                .contains("drip_webhooks_received_total{event=\"subscriber.applied_tag\",outcome=\"skipped\"")
                .contains("segment_responses_total{status=\"200\"")
                .contains("segment_events_delivered_total")
                .contains("segment_outbox_depth"));
    }

    @Test
    void aWrongTokenIs401AndStoresNothing() {
        long received = intake.received();
        String body = fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"));
        for (String token : List.of("wrong", ReverseEmulatorsResource.WEBHOOK_TOKEN.substring(1) + "x",
                ReverseEmulatorsResource.WEBHOOK_TOKEN + "0")) {
            given().contentType(ContentType.JSON).body(body).post("/drip/webhooks/" + token).then().statusCode(401)
                    .contentType(ContentType.JSON)
                    .body("success", equalTo(false)).body("error", equalTo("invalid webhook token"));
        }
        assertThat(intake.received()).isEqualTo(received);
        assertNothingSent();
    }

    @Test
    void aWebhookOfAnotherDripAccountIs403AndStoresNothing() {
        // Drip's samples come from account 9999999; this service is set up for ACCOUNT.
        postWebhook(Samples.dripWebhook("subscriber.opened_email.json")).statusCode(403)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false)).body("error", equalTo("webhook is not from the configured Drip account"))
                .body("field", equalTo("data.account_id"));
        postWebhook(Samples.dripWebhook("subscriber.opened_email.json").replace("\"account_id\": \"9999999\",", ""))
                .statusCode(403);
        assertNothingSent();
    }

    @Test
    void aBodyThatIsNoDripWebhookIs400() throws Exception {
        postWebhook("not json").statusCode(400).body("error", equalTo("invalid JSON"));
        postWebhook("{\"data\":{}}").statusCode(400).body("field", equalTo("event"));
        // Other content types: a JSON 400 too (the HTTP layer may consume a form body: "empty body").
        HttpClient client = HttpClient.newHttpClient();
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(root.resolve(WEBHOOK_PATH.substring(1)))
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("event=subscriber.opened_email&data=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(type).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("application/json"));
            assertThat(json(response.body()).get("success").asBoolean(true)).as(type).isFalse();
        }
        assertNothingSent();
    }

    @Test
    void onlyPostIsAnswered() {
        given().get(WEBHOOK_PATH).then().statusCode(anyOf(equalTo(404), equalTo(405)));
        assertThat(segmentOutbox.depth()).isZero();
    }

    // ---------------------------------------------------------------- Segment's answers

    @Test
    void segment429WithRetryAfterIsRetriedNoEarlierThanItSays() {
        int lettersBefore = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100).size();
        segment().failNext(1, 429, "{\"success\":false,\"code\":\"rate_limited\"}", 1);
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);

        await().until(() -> segment().accepted().size() == 1);
        List<RecordedRequest> requests = segment().requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 200);
        assertThat(Duration.between(requests.get(0).time(), requests.get(1).time()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(requests.get(1).json().get("batch")).isEqualTo(requests.get(0).json().get("batch"));
        assertThat(segment().events()).hasSize(1);
        await().until(() -> segmentOutbox.depth() == 0);
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100)).hasSize(lettersBefore);
    }

    @Test
    void segment5xxIsRedeliveredThenSucceeds() {
        int lettersBefore = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100).size();
        segment().failNext(2, 503, "{\"success\":false}");
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.clicked_email.json"))).statusCode(200);

        await().until(() -> segment().accepted().size() == 1);
        assertThat(segment().requests()).extracting(RecordedRequest::status).containsExactly(503, 503, 200);
        assertThat(segment().events()).extracting(e -> e.get("event").asText()).containsExactly("Email Link Clicked");
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100)).hasSize(lettersBefore);
    }

    @Test
    void anOutageLongerThanTheRedeliveriesWaitsInTheOutboxAndIsDeliveredOnce() {
        int lettersBefore = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100).size();
        // Three failures exhaust the in-route redeliveries (2); the row backs off durably, then succeeds.
        segment().failNext(4, 500, "{\"success\":false}");
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.complained.json"))).statusCode(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> segment().accepted().size() == 1);
        assertThat(segment().requests()).extracting(RecordedRequest::status).containsExactly(500, 500, 500, 500, 200);
        assertThat(segment().events()).hasSize(1);
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100)).hasSize(lettersBefore);
    }

    @Test
    void aTimeoutIsRedeliveredWithTheSameMessageIdSoSegmentDeduplicates() {
        int lettersBefore = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100).size();
        segment().latency(Duration.ofMillis(1500));
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);
        await().until(() -> segment().requests().size() == 1);
        segment().latency(Duration.ZERO);

        // The first request reached Segment but its answer came too late: the batch is sent again.
        await().until(() -> segment().requests().size() == 2 && segmentOutbox.depth() == 0);
        assertThat(segment().messageIds()).hasSize(2).containsOnly(segment().messageIds().get(0));
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100)).hasSize(lettersBefore);
    }

    @Test
    void anEventSegmentRefusesGoesToTheDeadLettersWithItsWebhook() {
        long before = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100).size();
        segment().failNext(1, 400, "{\"success\":false,\"code\":\"bad_request\"}");
        String webhook = fromOurAccount(Samples.dripWebhook("subscriber.bounced.json"));
        postWebhook(webhook).statusCode(200);

        await().until(() -> deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100).size() == before + 1);
        DeadLetter letter = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 1).get(0);
        assertThat(letter.kind()).isEqualTo("SEGMENT");
        assertThat(letter.email()).isEqualTo("jane@acme.com");
        assertThat(letter.status()).isEqualTo(400);
        assertThat(letter.response()).contains("bad_request");
        assertThat(letter.reason()).contains("Segment answered 400");
        assertThat(json(letter.payload()).get("event").asText()).isEqualTo("Email Bounced");
        assertThat(letter.event()).isEqualTo(webhook);
        assertThat(segmentOutbox.depth()).isZero();
        assertThat(segment().requests()).hasSize(1);

        // Replayed from the dead letters (the admin API's bean), it reaches Segment with its messageId.
        String messageId = json(letter.payload()).get("messageId").asText();
        deadLetterAdmin.replayOne(String.valueOf(letter.id()));
        await().until(() -> segment().messageIds().contains(messageId));
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 100)).filteredOn(d -> d.id() == letter.id()).singleElement()
                .satisfies(d -> assertThat(d.replayed()).isEqualTo(1));
    }

    // ---------------------------------------------------------------- the loop guard

    @Test
    void aTrackCallThisServiceSentToSegmentIsNeverSentBackToDrip() {
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);
        await().until(() -> segment().events().size() == 1);
        // Segment forwards what it received to every destination: here, back into the forward path.
        JsonNode fromDrip = segment().events().get(0);
        assertThat(fromDrip.at("/context/integration/name").asText()).isEqualTo("drip");
        given().contentType(ContentType.JSON).body(fromDrip.toString()).post("/v1/track").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"type\":\"track\",\"event\":\"Loop Marker\","
                + "\"userId\":\"123\",\"context\":{\"traits\":{\"email\":\"john@acme.com\"}},\"messageId\":\"marker\"}")
                .post("/v1/track").then().statusCode(200);

        // A marker sent after it reaches Drip; the forward outbox is first-in first-out, so the
        // event before it was skipped, not pending.
        await().until(() -> drip().events().size() == 1);
        await().until(() -> outbox.depth() == 0);
        assertThat(drip().events()).hasSize(1);
        assertThat(drip().events().get(0).get("action").asText()).isEqualTo("Loop Marker");
        assertThat(segment().events()).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    static ValidatableResponse postWebhook(String body) {
        return given().contentType(ContentType.JSON).body(body).post(WEBHOOK_PATH).then();
    }

    /** Drip's samples with this service's Drip account as {@code data.account_id}. */
    static String fromOurAccount(String sample) {
        String changed = sample.replace("\"account_id\": \"9999999\"", "\"account_id\": \"" + ACCOUNT + "\"");
        assertThat(changed).isNotEqualTo(sample);
        return changed;
    }

    static String track(String event, String identity, String messageId, String properties, String context) {
        return "{\"type\":\"track\",\"event\":\"" + event + "\"," + identity + ",\"messageId\":\"" + messageId
                + "\",\"timestamp\":\"" + OCCURRED_AT + "\",\"properties\":" + properties + ",\"context\":" + context
                + ",\"integrations\":{\"Drip\":false}}";
    }

    /** mapping.md: "drip-" + the first 40 hex of SHA-256 over event|account_id|subscriber.id|occurred_at|delivery_id|url. */
    static String messageId(String event, String subscriberId, String deliveryId, String url) {
        return messageId(event, ACCOUNT, subscriberId, deliveryId, url);
    }

    static String messageId(String event, String account, String subscriberId, String deliveryId, String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("|", event, account, subscriberId,
                    OCCURRED_AT, deliveryId, url).getBytes(StandardCharsets.UTF_8));
            return "drip-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<RecordedRequest> awaitAccepted(int count) {
        await().until(() -> segment().accepted().size() >= count);
        return segment().accepted();
    }

    /** A valid webhook after the refused ones reaches Segment alone. */
    void assertNothingSent() {
        assertThat(segmentOutbox.depth()).isZero();
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.received_email.json"))).statusCode(200);
        await().until(() -> segment().events().size() >= 1);
        assertThat(segment().events()).extracting(e -> e.get("event").asText()).containsExactly("Email Delivered");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
