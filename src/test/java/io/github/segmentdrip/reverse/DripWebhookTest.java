package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DripWebhookTest {

    @ParameterizedTest
    @ValueSource(strings = { "subscriber.applied_tag.json", "subscriber.bounced.json",
        "subscriber.clicked_email.json", "subscriber.complained.json", "subscriber.created.json",
        "subscriber.opened_email.json", "subscriber.performed_custom_event.json",
        "subscriber.received_email.json", "subscriber.unsubscribed_all.json",
        "subscriber.unsubscribed_from_campaign.json", "subscriber.updated_email_address.json" })
    void everyDripSampleParses(String sample) {
        DripWebhook webhook = parse(Samples.dripWebhook(sample));

        assertThat(webhook.eventName()).isEqualTo(sample.replace(".json", ""));
        assertThat(webhook.accountId()).isEqualTo("9999999");
        assertThat(webhook.occurredAt()).isEqualTo("2013-06-21T10:31:58Z");
        assertThat(webhook.subscriber()).containsKeys("id", "email");
        assertThat(webhook.raw()).containsKeys("event", "data", "occurred_at");
        assertThat(webhook.fromAccount("9999999")).isTrue();
        assertThat(webhook.fromAccount("1234567")).isFalse();
    }

    @Test
    void readsTheOpenedEmailSample() {
        DripWebhook webhook = parse(Samples.dripWebhook("subscriber.opened_email.json"));

        assertThat(webhook.subscriberText("id")).isEqualTo("z1togz2hcjrkpp5treip");
        assertThat(webhook.subscriberText("email")).isEqualTo("john@acme.com");
        assertThat(webhook.subscriberText("user_id")).isEqualTo("123");
        assertThat(webhook.properties()).isEqualTo(Map.of("delivery_id", "99999", "email_id", "88888",
                "email_subject", "Email Course: Day 1"));
        assertThat(webhook.propertyText("delivery_id")).isEqualTo("99999");
        assertThat(webhook.propertyText("url")).isNull();
    }

    @Test
    void absentPropertiesAreEmptyAndANullUserIdIsAbsent() {
        assertThat(parse(Samples.dripWebhook("subscriber.created.json")).properties()).isEmpty();
        assertThat(parse(Samples.dripWebhook("subscriber.unsubscribed_all.json")).properties()).isEmpty();
        assertThat(parse(Samples.dripWebhook("subscriber.bounced.json")).subscriberText("user_id")).isNull();
    }

    @Test
    void acceptsANumericAccountIdAndTrimsTheEventName() {
        DripWebhook webhook = parse("{\"event\":\" subscriber.opened_email \",\"data\":{\"account_id\":9999999}}");

        assertThat(webhook.eventName()).isEqualTo("subscriber.opened_email");
        assertThat(webhook.accountId()).isEqualTo("9999999");
        assertThat(webhook.fromAccount(" 9999999 ")).isTrue();
        assertThat(webhook.subscriber()).isEmpty();
        assertThat(webhook.occurredAt()).isNull();
    }

    @Test
    void withoutAccountIdNoAccountMatches() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.opened_email\",\"data\":{}}");

        assertThat(webhook.accountId()).isNull();
        assertThat(webhook.fromAccount("9999999")).isFalse();
        assertThat(webhook.fromAccount(null)).isFalse();
    }

    @Test
    void theParsedMapsAreReadOnly() {
        DripWebhook webhook = parse(Samples.dripWebhook("subscriber.opened_email.json"));

        assertThatThrownBy(() -> webhook.properties().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> webhook.raw().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                                              | empty body                     |",
        "not json                                                        | invalid JSON                   |",
        "{\"event\":\"subscriber.opened_email\"                          | invalid JSON                   |",
        "[{\"event\":\"subscriber.opened_email\",\"data\":{}}]           | body must be a JSON object     |",
        "\"subscriber.opened_email\"                                     | body must be a JSON object     |",
        "{\"data\":{\"account_id\":\"1\"}}                               | missing event                  | event",
        "{\"event\":\"  \",\"data\":{}}                                  | missing event                  | event",
        "{\"event\":null,\"data\":{}}                                    | missing event                  | event",
        "{\"event\":{\"name\":\"x\"},\"data\":{}}                        | event must be a string         | event",
        "{\"event\":\"subscriber.opened_email\"}                         | missing data                   | data",
        "{\"event\":\"subscriber.opened_email\",\"data\":null}           | missing data                   | data",
        "{\"event\":\"subscriber.opened_email\",\"data\":[]}             | data must be an object         | data",
        "{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":true}} | data.account_id must be a string | data.account_id",
        "{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":1.5}}  | data.account_id must be a string | data.account_id",
        "{\"event\":\"subscriber.opened_email\",\"data\":{\"subscriber\":\"x\"}} | data.subscriber must be an object | data.subscriber",
        "{\"event\":\"subscriber.opened_email\",\"data\":{\"properties\":[1]}}   | data.properties must be an object | data.properties",
        "{\"event\":\"a\",\"event\":\"b\",\"data\":{}}                   | invalid JSON                   |" })
    void refusesUnusableBodiesWith400(String body, String error, String field) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(RequestRefused.class, rejection -> {
                    assertThat(rejection.getStatus()).isEqualTo(400);
                    assertThat(rejection.getError()).isEqualTo(error);
                    assertThat(rejection.getField()).isEqualTo(field);
                });
    }

    @Test
    void refusesNullAndHostileBodies() {
        assertThatThrownBy(() -> DripWebhook.parse(null))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.getStatus()).isEqualTo(400));
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertThatThrownBy(() -> parse(deep))
                .isInstanceOfSatisfying(RequestRefused.class,
                        r -> assertThat(r.getError()).isEqualTo("JSON exceeds parsing limits"));
        byte[] huge = ("{\"event\":\"e\",\"data\":{\"x\":\"" + "a".repeat(DripWebhook.MAX_BODY_BYTES) + "\"}}")
                .getBytes(UTF_8);
        assertThatThrownBy(() -> DripWebhook.parse(huge))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.getStatus()).isEqualTo(413));
    }

    private static DripWebhook parse(String body) {
        return DripWebhook.parse(body.getBytes(UTF_8));
    }
}
