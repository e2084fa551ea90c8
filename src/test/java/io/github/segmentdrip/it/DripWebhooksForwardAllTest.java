package io.github.segmentdrip.it;

import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.github.segmentdrip.it.DripWebhooksTest.EMAIL_PROPERTIES;
import static io.github.segmentdrip.it.DripWebhooksTest.JOHN;
import static io.github.segmentdrip.it.DripWebhooksTest.JOHN_CONTEXT;
import static io.github.segmentdrip.it.DripWebhooksTest.fromOurAccount;
import static io.github.segmentdrip.it.DripWebhooksTest.json;
import static io.github.segmentdrip.it.DripWebhooksTest.messageId;
import static io.github.segmentdrip.it.DripWebhooksTest.postWebhook;
import static io.github.segmentdrip.it.DripWebhooksTest.track;
import static io.github.segmentdrip.it.ReverseEmulatorsResource.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.nullValue;

/** {@code segment.forward-all-drip-events=true}: every Drip event reaches Segment, the others as "Drip <Event Name>". */
@QuarkusTest
@WithTestResource(value = ReverseEmulatorsResource.class, initArgs = {
        @ResourceArg(name = "segment.forward-all-drip-events", value = "true") })
class DripWebhooksForwardAllTest {

    @Inject
    SegmentOutbox segmentOutbox;

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> segmentOutbox.depth() == 0);
        segment().reset();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "subscriber.applied_tag             | Drip Applied Tag                  | {\"tag\":\"Customer\"}",
        "subscriber.created                 | Drip Created                      | {}",
        "subscriber.performed_custom_event  | Drip Performed Custom Event       | {\"action\":\"Signed up for a trial\",\"plan\":\"rock-star\",\"amount\":2999}",
        "subscriber.unsubscribed_from_campaign | Drip Unsubscribed From Campaign | {\"campaign_id\":\"9999999\",\"campaign_name\":\"Email course\"}",
        "subscriber.updated_email_address   | Drip Updated Email Address        | {\"value\":\"jdoe@gmail.com\",\"previous_value\":\"johndoe@gmail.com\",\"source\":\"drip\"}" })
    void everyOtherDripEventIsForwardedWithItsProperties(String dripEvent, String segmentEvent, String properties) {
        postWebhook(fromOurAccount(Samples.dripWebhook(dripEvent + ".json"))).statusCode(200)
                .body("skipped", nullValue());

        await().until(() -> segment().accepted().size() == 1);
        assertThat(segment().accepted().get(0).json().get("batch")).isEqualTo(json("["
                + track(segmentEvent, "\"userId\":\"123\"", messageId(dripEvent, JOHN, "", ""), properties, JOHN_CONTEXT)
                + "]"));
    }

    @Test
    void theEmailEventsAreMappedAsWithoutForwarding() {
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);

        await().until(() -> segment().accepted().size() == 1);
        assertThat(segment().accepted().get(0).json().get("batch")).isEqualTo(json("[" + track("Email Opened",
                "\"userId\":\"123\"", messageId("subscriber.opened_email", JOHN, "99999", ""), EMAIL_PROPERTIES,
                JOHN_CONTEXT) + "]"));
    }

    @Test
    void textIsSentAsUtf8() {
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.applied_tag.json"))
                .replace("\"tag\": \"Customer\"", "\"tag\": \"Caf\u00e9 \u2615 \uD83D\uDE80\"")).statusCode(200);

        await().until(() -> segment().events().size() == 1);
        assertThat(segment().events().get(0).at("/properties/tag").asText()).isEqualTo("Caf\u00e9 \u2615 \uD83D\uDE80");
    }
}
