package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.testing.RecordedRequest;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.segmentdrip.it.AdminApi.deadLetters;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Segment payloads in over HTTP, the exact Drip requests out (mapping.md), asserted on what
 * the Drip emulator received. Black-box (the outbox seen through the admin API), so
 * {@link SegmentToDripIT} runs it against the packaged jar.
 */
@QuarkusTest
@WithTestResource(SharedEmulatorResource.class)
class SegmentToDripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = DripEmulatorResource.ACCOUNT;

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0);
        drip().reset();
    }

    @Test
    void identifyBecomesOneSubscriberUpsertWithLiftedFieldsAndCustomFields() {
        post("/v1/identify", Samples.segment("identify-spec-complete.json"));
        RecordedRequest request = awaitRequests(1).get(0);
        assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/subscribers");
        assertThat(request.json()).isEqualTo(json("""
                {"subscribers":[{"email":"peter@example.com","user_id":"97980cfea0067",
                  "first_name":"Peter","last_name":"Gibbons","address1":"6th St","city":"San Francisco",
                  "state":"CA","zip":"94103","country":"USA","ip_address":"8.8.8.8",
                  "custom_fields":{"plan":"premium","logins":5}}]}"""));
    }

    @Test
    void engageAudienceIdentifyFlattensNestedTraitsAndKeepsTheAudienceFlag() {
        post("/segment/webhook", Samples.segment("identify-address-engage-audience.composed.json"));
        JsonNode subscriber = awaitRequests(1).get(0).json().get("subscribers").get(0);
        assertThat(subscriber).isEqualTo(json("""
                {"email":"peter@example.com","user_id":"97980cfea0067","first_name":"Peter","last_name":"Gibbons",
                 "phone":"+14155550123","address1":"6th St","city":"San Francisco","state":"CA","zip":"94103",
                 "country":"USA","time_zone":"America/Los_Angeles","ip_address":"8.8.8.8",
                 "custom_fields":{"created_at":"2015-02-23T22:28:55.111Z","title":"Software Engineer",
                   "company_name":"Initech","company_id":"initech-1","company_industry":"Technology",
                   "company_employee_count":329,"company_plan":"enterprise","plan":"premium",
                   "first_time_shopper":true}}"""));
    }

    @Test
    void trackWithRevenueBecomesAnEventWithConversionValueInCents() {
        post("/v1/track", Samples.segment("track-revenue.composed.json"));
        RecordedRequest request = awaitRequests(1).get(0);
        assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/events");
        assertThat(request.json()).isEqualTo(json("""
                {"events":[{"email":"peter@example.com","action":"Order Completed",
                  "occurred_at":"2024-06-05T11:44:40.433Z",
                  "properties":{"order_id":"50314b8e9bcf000000000000","currency":"USD","coupon":"hasbros",
                    "shipping":3.0,"value":1999}}]}"""));
    }

    @Test
    void revenueAsAStringAndEmailInPropertiesAreHandled() {
        post("/v1/track", Samples.segment("track-email-in-properties.integration-drip.json"));
        JsonNode event = awaitRequests(1).get(0).json().get("events").get(0);
        assertThat(event.get("email").asText()).isEqualTo("jd@example.com");
        assertThat(event.get("action").asText()).isEqualTo("my-event");
        assertThat(event.get("properties")).isEqualTo(json("{\"prop\":true,\"value\":1999}"));
        // No timestamp in the message: the time it was received, in ISO-8601 UTC.
        assertThat(event.get("occurred_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

        drip().reset();
        String stringRevenue = Samples.segment("track-revenue-string.webhooks-doc.json")
                .replace("\"userId\": \"019mr8mf4r\"", "\"userId\": \"buyer@example.com\"");
        post("/v1/track", stringRevenue);
        JsonNode second = awaitRequests(1).get(0).json().get("events").get(0);
        assertThat(second.get("properties")).isEqualTo(json("{\"shippingMethod\":\"2-day\",\"value\":3995}"));
        assertThat(second.get("occurred_at").asText()).isEqualTo("2012-12-02T00:30:08.276Z");
    }

    @Test
    void outOfRangeRevenueSendsNoValueAndKeepsRevenue() {
        post("/v1/track", "{\"userId\":\"refund@example.com\",\"event\":\"Order Refunded\",\"properties\":{\"revenue\":-5}}");
        JsonNode event = awaitRequests(1).get(0).json().get("events").get(0);
        assertThat(event.get("properties")).isEqualTo(json("{\"revenue\":-5}"));
    }

    @Test
    void integrationsCampaignIdSubscribesAfterTheUpsert() {
        post("/v1/identify", "{\"userId\":\"42\",\"traits\":{\"email\":\"camper@example.com\"},"
                + "\"integrations\":{\"Drip\":{\"campaignId\":5551234}}}");
        List<RecordedRequest> requests = awaitRequests(2);
        assertThat(requests.get(0).path()).isEqualTo("/v2/" + ACCOUNT + "/subscribers");
        assertThat(requests.get(1).path()).isEqualTo("/v2/" + ACCOUNT + "/campaigns/5551234/subscribers");
        assertThat(requests.get(1).json()).isEqualTo(json(
                "{\"subscribers\":[{\"email\":\"camper@example.com\",\"user_id\":\"42\"}]}"));
    }

    @Test
    void aCampaignDripAlreadyHasCountsAsDone() {
        drip().failNext("/campaigns/", 1, 422,
                "{\"errors\":[{\"code\":\"uniqueness_error\",\"attribute\":\"email\",\"message\":\"Email is already subscribed\"}]}");
        post("/v1/identify", "{\"traits\":{\"email\":\"again@example.com\"},\"integrations\":{\"Drip\":{\"campaignId\":\"77\"}}}");
        await().until(() -> drip().requests().size() == 2);
        assertThat(drip().requests().get(1).status()).isEqualTo(422);
        await().until(() -> outboxDepth() == 0);
        assertThat(deadLetters("again", 10)).isEmpty();
        assertThat(deadLetters(null, 100)).noneMatch(d -> "again@example.com".equals(d.email()));
    }

    @Test
    void batchItemsGetBatchLevelContextAndAreDeliveredInOrder() {
        post("/v1/batch", Samples.segment("http-api-v1-batch-request.doc.json"));
        List<RecordedRequest> requests = awaitRequests(2);
        assertThat(requests).extracting(r -> r.json().get("subscribers").get(0).get("email").asText())
                .containsExactly("jake@yahoo.com", "cindy@example.com");
        assertThat(requests.get(0).json().get("subscribers").get(0)).isEqualTo(json("""
                {"email":"jake@yahoo.com","user_id":"019mr8mf4r","first_name":"Jake","last_name":"Peterson",
                 "custom_fields":{"age":26}}"""));
    }

    @Test
    void skippedCallsAndEventsFromDripNeverReachDrip() {
        for (String sample : new String[] {"page-unsupported.spec.json", "screen-unsupported.spec.json",
                "group-unsupported.spec.json", "alias-unsupported.spec.json", "delete-unsupported.webhooks-doc.json"}) {
            // Each with an email Drip could use, so only the skip rule keeps them away.
            post("/segment/webhook", withEmail(Samples.segment(sample), "skipped@example.com"));
        }
        post("/v1/track", "{\"userId\":\"loop@example.com\",\"event\":\"Email Opened\","
                + "\"context\":{\"integration\":{\"name\":\"drip\"}}}");
        // A marker sent after them arrives; the outbox is first-in first-out, so nothing before it is pending.
        post("/v1/track", "{\"userId\":\"marker@example.com\",\"event\":\"Marker\"}");
        List<RecordedRequest> requests = awaitRequests(1);
        assertThat(requests.get(0).body()).contains("marker@example.com");
        assertThat(outboxDepth()).isZero();
        assertThat(drip().requests()).hasSize(1);
    }

    private static void post(String path, String body) {
        given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(200);
    }

    private static List<RecordedRequest> awaitRequests(int count) {
        return await().until(() -> drip().accepted(), r -> r.size() >= count);
    }

    private static String withEmail(String event, String email) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(event);
            node.with("context").with("traits").put("email", email);
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
