package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.drip.DripFailure;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.testing.RecordedRequest;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The drip-sink Kamelet used from a route of the Quarkus application (a test-only route file,
 * loaded next to the service's routes for this class only). The kamelet calls Drip directly:
 * the requests are at the emulator when the call returns, and nothing passes through the outbox.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "camel.main.routes-include-pattern",
                value = "classpath:routes/*.camel.yaml,classpath:routes-test/drip-sink-from-route.camel.yaml"),
        // As docs/embed.md asks of kamelet users: Camel's start-up summary masks secrets by key name.
        @ResourceArg(name = "camel.main.additional-sensitive-keywords", value = "apitoken") })
class DripSinkKameletTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = DripEmulatorResource.ACCOUNT;

    @Inject
    ProducerTemplate producer;

    @Inject
    DripOutbox outbox;

    @Inject
    DeadLetterStore deadLetters;

    @BeforeEach
    void quiet() {
        drip().reset();
    }

    @Test
    void identifyFromARouteBecomesTheExactSubscriberUpsert() {
        producer.sendBody("direct:segment-event", Samples.segment("identify-spec-complete.json"));

        List<RecordedRequest> requests = drip().requests();
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/subscribers");
            assertThat(request.header("Authorization")).isEqualTo("Basic YWJjZGVmZ2hpajAxMjM0NTY3ODk6");
            assertThat(request.json()).isEqualTo(json("""
                    {"subscribers":[{"email":"peter@example.com","user_id":"97980cfea0067",
                      "first_name":"Peter","last_name":"Gibbons","address1":"6th St","city":"San Francisco",
                      "state":"CA","zip":"94103","country":"USA","ip_address":"8.8.8.8",
                      "custom_fields":{"plan":"premium","logins":5}}]}"""));
            assertThat(request.accepted()).isTrue();
        });
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void trackFromARouteBecomesTheExactEvent() {
        producer.sendBody("direct:segment-event", Samples.segment("track-revenue.composed.json"));

        assertThat(drip().requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/events");
            assertThat(request.json()).isEqualTo(json("""
                    {"events":[{"email":"peter@example.com","action":"Order Completed",
                      "occurred_at":"2024-06-05T11:44:40.433Z",
                      "properties":{"order_id":"50314b8e9bcf000000000000","currency":"USD","coupon":"hasbros",
                        "shipping":3.0,"value":1999}}]}"""));
        });
    }

    @Test
    void dripsRefusalIsTheCallersToHandle() {
        drip().failNext("/events", 1, 422,
                "{\"errors\":[{\"code\":\"range_error\",\"attribute\":\"value\",\"message\":\"Value is out of range\"}]}");

        assertThatThrownBy(() -> producer.sendBody("direct:segment-event",
                "{\"type\":\"track\",\"userId\":\"refused@example.com\",\"event\":\"Refused\"}"))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(DripFailure.Rejected.class,
                        refused -> assertThat(refused.getStatus()).isEqualTo(422));
        assertThat(deadLetters.list("refused", 10)).isEmpty();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
