package io.github.segmentdrip.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.drip.DripFailure;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.testing.DripEmulator;
import io.github.segmentdrip.testing.LogCapture;
import io.github.segmentdrip.testing.RecordedRequest;
import io.github.segmentdrip.testing.Samples;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The drip-sink Kamelet in a plain Camel Main application: only the kamelet (from the classpath,
 * where the jar packages it) and a user's route that calls it. No outbox, no beans file: the
 * kamelet declares its own beans. Every call is synchronous, so the emulator has the requests
 * when {@code send} returns.
 */
class DripSinkKameletCamelMainTest {

    private static final String ACCOUNT = "1234567";
    private static final String TOKEN = "abcdefghij0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DripEmulator drip;
    private static Main main;
    private static ProducerTemplate producer;
    private static LogCapture logs;
    private static int firstLogLine;

    @BeforeAll
    static void boot() {
        drip = DripEmulator.start(ACCOUNT, TOKEN);
        logs = LogCapture.install();
        firstLogLine = logs.lines().size();
        main = CamelMainEmbedTest.plainCamelMain();
        main.setPropertyPlaceholderLocations("false");
        main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes-test/drip-sink-from-route.camel.yaml");
        // As docs/embed.md asks of kamelet users: Camel's start-up summary masks secrets by key name.
        main.addOverrideProperty("camel.main.additional-sensitive-keywords", "apitoken");
        main.addOverrideProperty("drip.account-id", ACCOUNT);
        main.addOverrideProperty("drip.api-token", TOKEN);
        main.addOverrideProperty("drip.base-url", drip.baseUrl());
        main.start();
        producer = main.getCamelContext().createProducerTemplate();
    }

    @AfterAll
    static void shutdown() {
        if (main != null) {
            main.stop();
        }
        if (drip != null) {
            drip.close();
        }
    }

    @BeforeEach
    void quiet() {
        drip.reset();
    }

    @Test
    void identifyUpsertsTheSubscriberThenJoinsTheCampaignOfTheCall() {
        producer.sendBody("direct:segment-event", "{\"type\":\"identify\",\"userId\":\"42\","
                + "\"traits\":{\"email\":\"camper@example.com\",\"firstName\":\"Cam\",\"plan\":\"pro\"},"
                + "\"integrations\":{\"Drip\":{\"campaignId\":5551234}}}");

        assertThat(drip.requests()).hasSize(2);
        RecordedRequest upsert = drip.requests().get(0);
        assertThat(upsert.path()).isEqualTo("/v2/" + ACCOUNT + "/subscribers");
        assertThat(upsert.header("Authorization")).isEqualTo("Basic YWJjZGVmZ2hpajAxMjM0NTY3ODk6");
        assertThat(upsert.header("User-Agent")).isEqualTo("segment-drip-destination drip-sink kamelet");
        assertThat(upsert.json()).isEqualTo(json("""
                {"subscribers":[{"email":"camper@example.com","user_id":"42","first_name":"Cam",
                  "custom_fields":{"plan":"pro"}}]}"""));
        RecordedRequest campaign = drip.requests().get(1);
        assertThat(campaign.path()).isEqualTo("/v2/" + ACCOUNT + "/campaigns/5551234/subscribers");
        assertThat(campaign.json()).isEqualTo(json("{\"subscribers\":[{\"email\":\"camper@example.com\",\"user_id\":\"42\"}]}"));
        assertThat(drip.requests()).allMatch(RecordedRequest::accepted);
    }

    @Test
    void theCampaignIdParameterSubscribesEveryIdentifiedPerson() {
        producer.sendBody("kamelet:drip-sink?accountId=" + ACCOUNT + "&apiToken=" + TOKEN + "&baseUrl=" + drip.baseUrl()
                + "&campaignId=777&noErrorHandler=true", "{\"type\":\"identify\",\"traits\":{\"email\":\"joiner@example.com\"}}");

        assertThat(drip.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v2/" + ACCOUNT + "/subscribers", "/v2/" + ACCOUNT + "/campaigns/777/subscribers");
        assertThat(drip.requests().get(1).json()).isEqualTo(json("{\"subscribers\":[{\"email\":\"joiner@example.com\"}]}"));
    }

    @Test
    void trackBecomesTheExactEventAndTheCallersMessageComesBackUnchanged() {
        String event = Samples.segment("track-revenue.composed.json");
        // Headers a platform-http or camel-http consumer leaves behind must not redirect the call.
        Exchange done = producer.request("direct:segment-event", exchange -> {
            exchange.getMessage().setBody(event);
            exchange.getMessage().setHeader(Exchange.HTTP_URI, "http://127.0.0.1:9/elsewhere");
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/elsewhere");
        });

        assertThat(done.getException()).isNull();
        assertThat(drip.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/events");
            assertThat(request.json()).isEqualTo(json("""
                    {"events":[{"email":"peter@example.com","action":"Order Completed",
                      "occurred_at":"2024-06-05T11:44:40.433Z",
                      "properties":{"order_id":"50314b8e9bcf000000000000","currency":"USD","coupon":"hasbros",
                        "shipping":3.0,"value":1999}}]}"""));
        });
        assertThat(done.getMessage().getBody(String.class)).isEqualTo(event);
        assertThat(done.getMessage().getHeader(Exchange.HTTP_URI)).isEqualTo("http://127.0.0.1:9/elsewhere");
        assertThat(done.getMessage().getHeaders()).doesNotContainKey("Authorization");
    }

    @Test
    void withShopperActivityAnOrderEventAlsoBecomesADripOrder() {
        producer.sendBody("kamelet:drip-sink?accountId=" + ACCOUNT + "&apiToken=" + TOKEN + "&baseUrl=" + drip.baseUrl()
                + "&shopperActivity=orders,product-views&shopperActivityProvider=my_store&noErrorHandler=true",
                Samples.segment("track-revenue.composed.json"));

        assertThat(drip.requests()).extracting(RecordedRequest::path).containsExactly("/v2/" + ACCOUNT + "/events",
                "/v3/" + ACCOUNT + "/shopper_activity/order");
        assertThat(drip.requests()).allMatch(RecordedRequest::accepted);
        JsonNode order = drip.orders().get(0);
        assertThat(order.get("provider").asText()).isEqualTo("my_store");
        assertThat(order.get("action").asText()).isEqualTo("placed");
        assertThat(order.get("order_id").asText()).isEqualTo("50314b8e9bcf000000000000");
        assertThat(order.get("email").asText()).isEqualTo("peter@example.com");
    }

    @Test
    void theSinkRefusesCartsBecauseOnlyTheServiceKeepsThem() {
        assertThatThrownBy(() -> producer.sendBody("kamelet:drip-sink?accountId=" + ACCOUNT + "&apiToken=" + TOKEN
                + "&baseUrl=" + drip.baseUrl() + "&shopperActivity=carts&noErrorHandler=true",
                "{\"type\":\"track\",\"event\":\"Product Added\",\"userId\":\"c@example.com\"}"))
                .hasStackTraceContaining("shopperActivity cannot list carts");
        assertThat(drip.requests()).isEmpty();
    }

    @Test
    void aMapBodyWorksAndOtherTypesAndEventsFromDripMakeNoCall() {
        producer.sendBody("direct:segment-event", Map.of("type", "track", "userId", "map@example.com", "event", "Signed Up"));
        assertThat(drip.requests()).singleElement()
                .satisfies(request -> assertThat(request.json().at("/events/0/action").asText()).isEqualTo("Signed Up"));

        drip.reset();
        producer.sendBody("direct:segment-event", Samples.segment("page-unsupported.spec.json"));
        producer.sendBody("direct:segment-event", "{\"type\":\"track\",\"userId\":\"loop@example.com\","
                + "\"event\":\"Email Opened\",\"context\":{\"integration\":{\"name\":\"drip\"}}}");
        assertThat(drip.requests()).isEmpty();
    }

    @Test
    void theTypeIsReadAsTheServiceReadsIt() {
        // "Identify" and " TRACK": the service's router takes them, so the Kamelet does too (SkipRules.typeOf).
        producer.sendBody("direct:segment-event", "{\"type\":\"Identify\",\"traits\":{\"email\":\"case@example.com\"}}");
        producer.sendBody("direct:segment-event", "{\"type\":\" TRACK\",\"userId\":\"case@example.com\",\"event\":\"Cased\"}");
        assertThat(drip.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v2/" + ACCOUNT + "/subscribers", "/v2/" + ACCOUNT + "/events");
    }

    @Test
    void dripsRefusalReachesTheCallerAndStopsTheCampaignCall() {
        drip.failNext("/subscribers", 1, 422,
                "{\"errors\":[{\"code\":\"validation_error\",\"attribute\":\"email\",\"message\":\"Email is invalid\"}]}");

        assertThatThrownBy(() -> producer.sendBody("direct:segment-event", "{\"type\":\"identify\","
                + "\"traits\":{\"email\":\"x@example.com\"},\"integrations\":{\"Drip\":{\"campaignId\":\"77\"}}}"))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(DripFailure.Rejected.class)
                .hasMessageContaining("422");
        assertThat(drip.requests()).hasSize(1);
    }

    @Test
    void anEventWithoutEmailIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> producer.sendBody("direct:segment-event", "{\"type\":\"track\",\"event\":\"Anonymous\"}"))
                .cause().isInstanceOf(MappingException.class)
                .hasMessage("missing email");
        assertThat(drip.requests()).isEmpty();
    }

    @Test
    void theCallersRedeliveryRepeatsTheDripCall() {
        drip.failNext("/events", 1, 500, "{\"errors\":[{\"code\":\"server_error\",\"message\":\"Try again\"}]}");

        producer.sendBody("direct:segment-event-with-retries", "{\"type\":\"track\",\"userId\":\"retry@example.com\",\"event\":\"Retried\"}");

        assertThat(drip.requests()).extracting(RecordedRequest::status).containsExactly(500, 204);
        assertThat(drip.events()).singleElement()
                .satisfies(event -> assertThat(event.get("email").asText()).isEqualTo("retry@example.com"));
    }

    @Test
    void theApiTokenNeverAppearsInTheLog() {
        // A refused call logs the failure and the route's message history, kamelet parameters included.
        drip.failNext("/events", 1, 422, "{\"errors\":[{\"code\":\"range_error\",\"message\":\"Value is out of range\"}]}");
        assertThatThrownBy(() -> producer.sendBody("direct:segment-event",
                "{\"type\":\"track\",\"userId\":\"logged@example.com\",\"event\":\"Logged\"}"));

        List<String> lines = logs.lines().subList(firstLogLine, logs.lines().size());
        assertThat(lines).anyMatch(line -> line.contains("apiToken") && line.contains("xxxxxx"));
        assertThat(lines).anyMatch(line -> line.contains("Drip answered 422"));
        String basic = Base64.getEncoder().encodeToString((TOKEN + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(lines).noneMatch(line -> line.contains(TOKEN) || line.contains(basic));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
