package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.segmentdrip.testing.Samples;

/** mapping.md "Drip → Segment": every Drip sample webhook, and the exact track call it becomes. */
class SegmentEmailEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCCURRED_AT = "2013-06-21T10:31:58Z";
    private static final String JOHN_ID = "z1togz2hcjrkpp5treip";

    private final SegmentEmailEvents events = new SegmentEmailEvents();

    // ---------------------------------------------------------------- the six email events

    static Stream<Arguments> emailEvents() {
        Map<String, Object> emailProperties = map("email_id", "88888", "email_subject", "Email Course: Day 1",
                "delivery_id", "99999");
        Map<String, Object> john = map("integration", map("name", "drip"), "traits", map("email", "john@acme.com"));
        return Stream.of(
                Arguments.of("subscriber.received_email.json", expected("Email Delivered", "userId", "123",
                        messageId("subscriber.received_email", JOHN_ID, "99999", ""), emailProperties, john)),
                Arguments.of("subscriber.opened_email.json", expected("Email Opened", "userId", "123",
                        messageId("subscriber.opened_email", JOHN_ID, "99999", ""), emailProperties, john)),
                Arguments.of("subscriber.clicked_email.json", expected("Email Link Clicked", "userId", "123",
                        messageId("subscriber.clicked_email", JOHN_ID, "99999", "http://www.example.com"),
                        map("email_id", "88888", "email_subject", "Email Course: Day 1", "delivery_id", "99999",
                                "link_url", "http://www.example.com"),
                        // The click's IP and browser (data.properties), not the subscriber's.
                        map("integration", map("name", "drip"), "traits", map("email", "john@acme.com"),
                                "ip", "111.111.111.11",
                                "userAgent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/537.36 "
                                        + "(KHTML, like Gecko) Chrome/44.0.2403.89 Safari/537.36"))),
                // The bounced sample's subscriber has "user_id": null: the email becomes anonymousId.
                Arguments.of("subscriber.bounced.json", expected("Email Bounced", "anonymousId", "jane@acme.com",
                        messageId("subscriber.bounced", "x8hyt3kqw0lq5zcvbnmp", "99999", ""), emailProperties,
                        map("integration", map("name", "drip"), "traits", map("email", "jane@acme.com")))),
                Arguments.of("subscriber.complained.json", expected("Email Marked as Spam", "userId", "123",
                        messageId("subscriber.complained", JOHN_ID, "99999", ""), emailProperties, john)),
                Arguments.of("subscriber.unsubscribed_all.json", expected("Email Unsubscribed", "userId", "123",
                        messageId("subscriber.unsubscribed_all", JOHN_ID, "", ""), map(), john)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emailEvents")
    void emailEventBecomesTheSegmentEmailSpecTrack(String sample, Map<String, Object> expected) {
        DripWebhook webhook = webhook(sample);

        assertThat(events.toTrack(webhook, false)).contains(expected);
        // Forwarding everything changes nothing for the six.
        assertThat(events.toTrack(webhook, true)).contains(expected);
        assertThat(events.skipReason(webhook, false)).isEmpty();
    }

    @Test
    void messageIdsMatchValuesComputedWithSha256sum() {
        // printf '%s' 'subscriber.opened_email|9999999|z1togz2hcjrkpp5treip|2013-06-21T10:31:58Z|99999|' \
        //   | sha256sum | cut -c1-40
        assertThat(SegmentEmailEvents.messageId(webhook("subscriber.opened_email.json")))
                .isEqualTo("drip-b737f06c7b37a99e4a7fe5f1d47cce70789bc469");
        // …|99999|http://www.example.com
        assertThat(SegmentEmailEvents.messageId(webhook("subscriber.clicked_email.json")))
                .isEqualTo("drip-12b24fcdbf94c895461028f933353226fc51dbfe");
        // 'subscriber.bounced|9999999|x8hyt3kqw0lq5zcvbnmp|2013-06-21T10:31:58Z|99999|'
        assertThat(SegmentEmailEvents.messageId(webhook("subscriber.bounced.json")))
                .isEqualTo("drip-9368ee7bbdd7b7a8d1f30b56afc59554baeeee15");
        // mapping.md: unsubscribed_all hashes "…|occurred_at||"
        assertThat(SegmentEmailEvents.messageId(webhook("subscriber.unsubscribed_all.json")))
                .isEqualTo("drip-e9b3dfaffc953ab6c50cf17d750f79df0fa685ec");
    }

    @Test
    void openedEmailSerialisesToTheExactJson() throws Exception {
        Map<String, Object> track = events.toTrack(webhook("subscriber.opened_email.json"), false).orElseThrow();

        assertThat(JSON.writeValueAsString(track)).isEqualTo("{\"type\":\"track\",\"event\":\"Email Opened\","
                + "\"userId\":\"123\",\"messageId\":\"drip-b737f06c7b37a99e4a7fe5f1d47cce70789bc469\","
                + "\"timestamp\":\"2013-06-21T10:31:58Z\","
                + "\"properties\":{\"email_id\":\"88888\",\"email_subject\":\"Email Course: Day 1\","
                + "\"delivery_id\":\"99999\"},"
                + "\"context\":{\"integration\":{\"name\":\"drip\"},\"traits\":{\"email\":\"john@acme.com\"}},"
                + "\"integrations\":{\"Drip\":false}}");
    }

    @Test
    void aResentWebhookGetsTheSameMessageIdAndAnotherDeliveryAnotherOne() {
        String body = Samples.dripWebhook("subscriber.opened_email.json");
        String first = SegmentEmailEvents.messageId(DripWebhook.parse(body.getBytes(UTF_8)));
        String again = SegmentEmailEvents.messageId(DripWebhook.parse(body.getBytes(UTF_8)));
        String otherDelivery = SegmentEmailEvents.messageId(DripWebhook.parse(
                body.replace("\"99999\"", "\"99998\"").getBytes(UTF_8)));

        assertThat(again).isEqualTo(first);
        assertThat(otherDelivery).isNotEqualTo(first).startsWith("drip-").hasSize(45);
    }

    // ---------------------------------------------------------------- the other Drip events

    @ParameterizedTest
    @ValueSource(strings = { "subscriber.applied_tag.json", "subscriber.created.json",
        "subscriber.performed_custom_event.json", "subscriber.unsubscribed_from_campaign.json",
        "subscriber.updated_email_address.json" })
    void otherEventsAreSkippedByDefault(String sample) {
        DripWebhook webhook = webhook(sample);

        assertThat(events.toTrack(webhook, false)).isEmpty();
        assertThat(events.skipReason(webhook, false)).contains("not an email event: " + webhook.eventName());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "subscriber.applied_tag.json,                Drip Applied Tag",
        "subscriber.created.json,                    Drip Created",
        "subscriber.performed_custom_event.json,     Drip Performed Custom Event",
        "subscriber.unsubscribed_from_campaign.json, Drip Unsubscribed From Campaign",
        "subscriber.updated_email_address.json,      Drip Updated Email Address" })
    void forwardAllSendsOtherEventsWithTheirOwnProperties(String sample, String name) throws Exception {
        DripWebhook webhook = webhook(sample);
        Map<String, Object> dataProperties = JSON.convertValue(
                JSON.readTree(Samples.dripWebhook(sample)).path("data").path("properties"), Map.class);

        Map<String, Object> track = events.toTrack(webhook, true).orElseThrow();

        assertThat(track).isEqualTo(expected(name, "userId", "123",
                messageId(webhook.eventName(), JOHN_ID, "", ""),
                dataProperties == null ? map() : dataProperties,
                map("integration", map("name", "drip"), "traits", map("email", "john@acme.com"))));
    }

    @Test
    void forwardedPropertiesKeepTheirTypes() {
        Map<String, Object> track = events.toTrack(webhook("subscriber.performed_custom_event.json"), true)
                .orElseThrow();

        assertThat(track.get("properties")).isEqualTo(
                map("action", "Signed up for a trial", "plan", "rock-star", "amount", 2999));
        assertThat(track.get("properties")).isNotSameAs(webhook("subscriber.performed_custom_event.json").properties());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "subscriber.applied_tag,            Drip Applied Tag",
        "subscriber.updated_lifetime_value, Drip Updated Lifetime Value",
        "subscriber.became_lead,            Drip Became Lead",
        "subscriber.reactivated,            Drip Reactivated",
        "account.deleted,                   Drip Account Deleted",
        "subscriber.,                       Drip" })
    void forwardedEventNames(String dripEvent, String name) {
        assertThat(SegmentEmailEvents.forwardedEventName(dripEvent)).isEqualTo(name);
        assertThat(SegmentEmailEvents.segmentEventName(dripEvent, true)).contains(name);
        assertThat(SegmentEmailEvents.segmentEventName(dripEvent, false)).isEmpty();
        assertThat(SegmentEmailEvents.segmentEventName(dripEvent)).isEmpty();
    }

    @Test
    void theTableHoldsExactlyTheSixEmailEventsInOrder() {
        assertThat(SegmentEmailEvents.EMAIL_EVENTS).containsExactly(
                Map.entry("subscriber.received_email", "Email Delivered"),
                Map.entry("subscriber.opened_email", "Email Opened"),
                Map.entry("subscriber.clicked_email", "Email Link Clicked"),
                Map.entry("subscriber.bounced", "Email Bounced"),
                Map.entry("subscriber.complained", "Email Marked as Spam"),
                Map.entry("subscriber.unsubscribed_all", "Email Unsubscribed"));
        assertThat(SegmentEmailEvents.segmentEventName("subscriber.clicked_email")).contains("Email Link Clicked");
        assertThat(SegmentEmailEvents.isEmailEvent("subscriber.visited_page")).isFalse();
        assertThat(SegmentEmailEvents.isEmailEvent(null)).isFalse();
    }

    // ---------------------------------------------------------------- identity and missing fields

    @Test
    void aNumericUserIdBecomesText() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":9999999,"
                + "\"subscriber\":{\"id\":\"s1\",\"email\":\"a@b.co\",\"user_id\":123}},\"occurred_at\":\"" + OCCURRED_AT
                + "\"}");

        Map<String, Object> track = events.toTrack(webhook, false).orElseThrow();

        assertThat(track).containsEntry("userId", "123").doesNotContainKey("anonymousId");
        // No data.properties: nothing to copy, still an object.
        assertThat(track).containsEntry("properties", map());
    }

    @Test
    void aBlankUserIdFallsBackToTheEmail() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":\"1\","
                + "\"subscriber\":{\"email\":\"a@b.co\",\"user_id\":\"  \"}}}");

        assertThat(events.toTrack(webhook, false).orElseThrow())
                .containsEntry("anonymousId", "a@b.co").doesNotContainKey("userId");
    }

    @Test
    void aUserIdWithoutEmailHasNoTraits() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":\"1\","
                + "\"subscriber\":{\"user_id\":\"u1\"}},\"occurred_at\":\"" + OCCURRED_AT + "\"}");

        assertThat(events.toTrack(webhook, false).orElseThrow().get("context"))
                .isEqualTo(map("integration", map("name", "drip")));
    }

    @Test
    void aSubscriberWithNeitherUserIdNorEmailIsSkipped() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":\"1\","
                + "\"subscriber\":{\"id\":\"s1\",\"user_id\":null}}}");

        assertThat(events.toTrack(webhook, true)).isEmpty();
        assertThat(events.skipReason(webhook, true)).contains("subscriber has neither user_id nor email");
    }

    @Test
    void withoutOccurredAtThereIsNoTimestampAndTheHashHasAnEmptyPart() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":\"1\","
                + "\"subscriber\":{\"id\":\"s1\",\"email\":\"a@b.co\"},\"properties\":{\"delivery_id\":\"7\"}}}");

        Map<String, Object> track = events.toTrack(webhook, false).orElseThrow();

        assertThat(track).doesNotContainKey("timestamp")
                .containsEntry("messageId", "drip-" + sha256("subscriber.opened_email|1|s1||7|").substring(0, 40))
                .containsEntry("properties", map("delivery_id", "7"));
    }

    @Test
    void aClickWithoutIpOrUserAgentLeavesThemOut() {
        DripWebhook webhook = parse("{\"event\":\"subscriber.clicked_email\",\"data\":{\"account_id\":\"1\","
                + "\"subscriber\":{\"id\":\"s1\",\"email\":\"a@b.co\"},\"properties\":{\"url\":\"https://x.co\"}},"
                + "\"occurred_at\":\"" + OCCURRED_AT + "\"}");

        Map<String, Object> track = events.toTrack(webhook, false).orElseThrow();

        assertThat(track.get("properties")).isEqualTo(map("link_url", "https://x.co"));
        assertThat(track.get("context")).isEqualTo(
                map("integration", map("name", "drip"), "traits", map("email", "a@b.co")));
    }

    @Test
    void theResultIsAFreshMapEachTime() {
        DripWebhook webhook = webhook("subscriber.opened_email.json");
        Map<String, Object> first = events.toTrack(webhook, false).orElseThrow();
        first.put("event", "changed");

        assertThat(events.toTrack(webhook, false).orElseThrow()).containsEntry("event", "Email Opened");
    }

    // ---------------------------------------------------------------- helpers

    private static DripWebhook webhook(String sample) {
        return DripWebhook.parse(Samples.dripWebhook(sample).getBytes(UTF_8));
    }

    private static DripWebhook parse(String json) {
        return DripWebhook.parse(json.getBytes(UTF_8));
    }

    /** The messageId of a sample (account 9999999, the samples' occurred_at), computed here independently. */
    private static String messageId(String event, String subscriberId, String deliveryId, String url) {
        return "drip-" + sha256(String.join("|", event, "9999999", subscriberId, OCCURRED_AT, deliveryId, url))
                .substring(0, 40);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> expected(String event, String identityKey, String identity, String messageId,
            Map<String, Object> properties, Map<String, Object> context) {
        return map("type", "track", "event", event, identityKey, identity, "messageId", messageId,
                "timestamp", OCCURRED_AT, "properties", properties, "context", context,
                "integrations", map("Drip", false));
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
