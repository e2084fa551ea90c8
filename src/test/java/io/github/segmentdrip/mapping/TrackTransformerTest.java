package io.github.segmentdrip.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackTransformerTest {

    private static final Path SAMPLES = Path.of("../shared/reference/samples/segment-in");
    private static final Instant RECEIVED = Instant.parse("2024-07-01T08:00:00.250Z");

    private final TrackTransformer transformer = new TrackTransformer(new ConversionValue());

    // ---- the samples, exactly -----------------------------------------------------------------

    @Test
    void orderCompletedWithRevenueAndEmailInContextTraits() throws IOException {
        Mapped mapped = transformer.toEvent(sample("track-revenue.composed.json"), RECEIVED);
        assertThat(mapped.payload()).isEqualTo(Map.of(
                "email", "peter@example.com",
                "action", "Order Completed",
                "occurred_at", "2024-06-05T11:44:40.433Z",
                "properties", Map.of(
                        "order_id", "50314b8e9bcf000000000000",
                        "currency", "USD",
                        "coupon", "hasbros",
                        "shipping", 3.0,
                        "value", 1999L)));
        assertThat(mapped.warnings()).isEmpty();
    }

    @Test
    void emailInPropertiesIsRemovedAndRevenueBecomesValue() throws IOException {
        // Segment's legacy Drip integration fixture: no timestamps at all.
        Mapped mapped = transformer.toEvent(sample("track-email-in-properties.integration-drip.json"), RECEIVED);
        assertThat(mapped.payload()).isEqualTo(Map.of(
                "email", "jd@example.com",
                "action", "my-event",
                "occurred_at", "2024-07-01T08:00:00.250Z",
                "properties", Map.of("prop", true, "value", 1999L)));
        assertThat(mapped.warnings()).isEmpty();
    }

    @Test
    void revenueAsAStringWithAnEmailLikeUserId() throws IOException {
        Map<String, Object> event = sample("track-revenue-string.webhooks-doc.json");
        event.put("userId", "buyer@example.com");
        assertThat(transformer.toEvent(event, RECEIVED).payload()).isEqualTo(Map.of(
                "email", "buyer@example.com",
                "action", "Purchased an Item",
                "occurred_at", "2012-12-02T00:30:08.276Z",
                "properties", Map.of("shippingMethod", "2-day", "value", 3995L)));
    }

    @Test
    void engageAudienceEnteredTrackKeepsItsProperties() throws IOException {
        Map<String, Object> event = sample("track-engage-audience-entered.docs.json");
        withContextEmail(event, "shopper@example.com");
        assertThat(transformer.toEvent(event, RECEIVED).payload()).isEqualTo(Map.of(
                "email", "shopper@example.com",
                "action", "Audience Entered",
                "occurred_at", "2024-07-01T08:00:00.250Z",
                "properties", Map.of("audience_key", "first_time_shopper", "first_time_shopper", true)));
    }

    @Test
    void engageTraitComputedTrack() throws IOException {
        Map<String, Object> event = sample("track-engage-trait-computed.docs.json");
        withContextEmail(event, "shopper@example.com");
        assertThat(transformer.toEvent(event, RECEIVED).payload()).isEqualTo(Map.of(
                "email", "shopper@example.com",
                "action", "Trait Computed",
                "occurred_at", "2024-07-01T08:00:00.250Z",
                "properties", Map.of("trait_key", "total_revenue_180_days", "total_revenue_180_days", 450.0)));
    }

    @Test
    void trackWithoutPropertiesStillSendsAnEmptyPropertiesObject() throws IOException {
        Map<String, Object> event = sample("track-common-fields.spec.json");
        withContextEmail(event, "peter@example.com");
        assertThat(transformer.toEvent(event, RECEIVED).payload()).isEqualTo(Map.of(
                "email", "peter@example.com",
                "action", "Report Submitted",
                "occurred_at", "2015-12-10T04:08:31.905Z",
                "properties", Map.of()));
    }

    @Test
    void tracksInsideTheBatchSamples() throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> batch = new ObjectMapper().readValue(
                SAMPLES.resolve("batch-array.functions-doc.json").toFile(), List.class);
        Map<String, Object> songPlayed = batch.get(1);
        withContextEmail(songPlayed, "jake@yahoo.com");
        assertThat(transformer.toEvent(songPlayed, RECEIVED).payload()).isEqualTo(Map.of(
                "email", "jake@yahoo.com",
                "action", "Song Played",
                "occurred_at", "2024-07-01T08:00:00.250Z",
                "properties", Map.of("name", "Fallin for You", "artist", "Dierks Bentley")));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> httpBatch = (List<Map<String, Object>>)
                sample("http-api-v1-batch-request.doc.json").get("batch");
        Map<String, Object> malformedTimestamp = httpBatch.get(3);
        withContextEmail(malformedTimestamp, "cindy@example.com");
        assertThat(transformer.toEvent(malformedTimestamp, RECEIVED).payload()).isEqualTo(Map.of(
                "email", "cindy@example.com",
                "action", "Song Played",
                "occurred_at", "2015-02-02T00:30:12.984Z",
                "properties", Map.of("name", "Get Right", "artist", "Jennifer Lopez")));
    }

    // ---- email ----------------------------------------------------------------------------------

    @Test
    void noEmailIsRejected() throws IOException {
        assertThatThrownBy(() -> transformer.toEvent(sample("track-without-email.spec.json"), RECEIVED))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.error()).isEqualTo("missing email");
                    assertThat(e.field()).isEqualTo("properties.email");
                    assertThat(e.getMessage()).isEqualTo("missing email");
                });
    }

    @Test
    void emailIsTakenFromPropertiesBeforeContextAndTrimmed() {
        Map<String, Object> event = Map.of("event", "Signed Up",
                "properties", Map.of("email", " props@example.com "),
                "context", Map.of("traits", Map.of("email", "context@example.com")));
        assertThat(transformer.toEvent(event, RECEIVED).payload())
                .containsEntry("email", "props@example.com")
                .containsEntry("properties", Map.of());
    }

    @Test
    void propertiesEmailIsRemovedEvenWhenAnotherEmailIdentifies() {
        Map<String, Object> event = Map.of("event", "Invited",
                "properties", Map.of("email", "   ", "invitee", "x"),
                "context", Map.of("traits", Map.of("email", "context@example.com")));
        assertThat(transformer.toEvent(event, RECEIVED).payload())
                .containsEntry("email", "context@example.com")
                .containsEntry("properties", Map.of("invitee", "x"));
    }

    // ---- action ---------------------------------------------------------------------------------

    @Test
    void actionIsTheEventNameTrimmedOtherwiseVerbatim() {
        Map<String, Object> event = Map.of("userId", "a@b.co", "event", "  order  COMPLETED  ");
        assertThat(transformer.toEvent(event, RECEIVED).payload()).containsEntry("action", "order  COMPLETED");
    }

    @Test
    void missingOrBlankEventNameIsRejected() {
        Map<String, Object> missing = Map.of("userId", "a@b.co", "properties", Map.of());
        Map<String, Object> blank = Map.of("userId", "a@b.co", "event", "  ");
        Map<String, Object> notText = Map.of("userId", "a@b.co", "event", Map.of("name", "x"));
        for (Map<String, Object> event : List.of(missing, blank, notText)) {
            assertThatThrownBy(() -> transformer.toEvent(event, RECEIVED))
                    .isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.error()).isEqualTo("missing event name");
                        assertThat(e.field()).isEqualTo("event");
                    });
        }
    }

    // ---- occurred_at ----------------------------------------------------------------------------

    @Test
    void occurredAtPrefersTimestampThenOriginalTimestampThenReceipt() {
        Map<String, Object> both = event(Map.of("timestamp", "2024-06-05T11:44:40.433Z",
                "originalTimestamp", "2024-06-05T11:44:40.184Z"));
        assertThat(occurredAt(both)).isEqualTo("2024-06-05T11:44:40.433Z");

        Map<String, Object> original = event(Map.of("originalTimestamp", "2024-05-03T19:42:50.066179717Z"));
        assertThat(occurredAt(original)).isEqualTo("2024-05-03T19:42:50.066Z");

        assertThat(occurredAt(event(Map.of()))).isEqualTo("2024-07-01T08:00:00.250Z");
    }

    @Test
    void occurredAtIsAlwaysUtc() {
        assertThat(occurredAt(event(Map.of("timestamp", "2024-06-05T13:44:40+02:00")))).isEqualTo("2024-06-05T11:44:40Z");
        assertThat(occurredAt(event(Map.of("timestamp", "2024-06-05T11:44:40")))).isEqualTo("2024-06-05T11:44:40Z");
        assertThat(occurredAt(event(Map.of("timestamp", 1717587880184L)))).isEqualTo("2024-06-05T11:44:40.184Z");
    }

    @Test
    void anUnreadableTimestampFallsBackAndIsReported() {
        Mapped mapped = transformer.toEvent(event(Map.of("timestamp", "yesterday",
                "originalTimestamp", "2024-06-05T11:44:40.184Z")), RECEIVED);
        assertThat(mapped.payload()).containsEntry("occurred_at", "2024-06-05T11:44:40.184Z");
        assertThat(mapped.warnings()).containsExactly("timestamp is not a readable date; ignored");

        Mapped neither = transformer.toEvent(event(Map.of("timestamp", "", "originalTimestamp", true)), RECEIVED);
        assertThat(neither.payload()).containsEntry("occurred_at", "2024-07-01T08:00:00.250Z");
        assertThat(neither.warnings()).containsExactly(
                "timestamp is not a readable date; ignored", "originalTimestamp is not a readable date; ignored");
    }

    // ---- properties -----------------------------------------------------------------------------

    @Test
    void whitespaceInPropertyNamesBecomesUnderscore() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("order id", "A1");
        properties.put("shipping\tmethod", "2-day");
        properties.put("  gift  wrap  ", true);
        properties.put("camelCase", 1);
        properties.put("nested", Map.of("inner key", "kept as sent"));
        Mapped mapped = transformer.toEvent(event(Map.of("properties", properties)), RECEIVED);
        assertThat(mapped.payload().get("properties")).isEqualTo(Map.of(
                "order_id", "A1",
                "shipping_method", "2-day",
                "gift_wrap", true,
                "camelCase", 1,
                "nested", Map.of("inner key", "kept as sent")));
    }

    @Test
    void aPropertyNamedOnlyWithWhitespaceIsDroppedAndReported() {
        Mapped mapped = transformer.toEvent(event(Map.of("properties", Map.of(" ", 1, "ok", 2))), RECEIVED);
        assertThat(mapped.payload().get("properties")).isEqualTo(Map.of("ok", 2));
        assertThat(mapped.warnings()).containsExactly("a property with an empty name was dropped");
    }

    @Test
    void nullPropertyValuesAreSentAsReceived() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("coupon", null);
        assertThat(transformer.toEvent(event(Map.of("properties", properties)), RECEIVED).payload().get("properties"))
                .isEqualTo(properties);
    }

    @Test
    void outOfRangeRevenueStaysAsSentWithAWarning() {
        Mapped mapped = transformer.toEvent(Map.of("userId", "a@b.co", "event", "Order Refunded",
                "properties", Map.of("revenue", -5, "email", "a@b.co")), RECEIVED);
        assertThat(mapped.payload().get("properties")).isEqualTo(Map.of("revenue", -5));
        assertThat(mapped.warnings()).containsExactly("properties.revenue -5 gives value -500, outside Drip's range"
                + " 0 to 2147483646: no conversion value sent, properties.revenue kept as sent");
    }

    @Test
    void completedOrderWithoutRevenueUsesTotal() {
        Mapped mapped = transformer.toEvent(Map.of("userId", "a@b.co", "event", " Completed Order ",
                "properties", Map.of("total", "$1,299.99")), RECEIVED);
        assertThat(mapped.payload()).containsEntry("action", "Completed Order");
        assertThat(mapped.payload().get("properties")).isEqualTo(Map.of("total", "$1,299.99", "value", 129999L));
    }

    @Test
    void withoutRevenueTheCallersValuePassesThrough() {
        Mapped mapped = transformer.toEvent(event(Map.of("properties", Map.of("value", 250))), RECEIVED);
        assertThat(mapped.payload().get("properties")).isEqualTo(Map.of("value", 250));
    }

    @Test
    void neverChangesTheMessage() throws IOException {
        Map<String, Object> event = sample("track-revenue.composed.json");
        Map<String, Object> copy = sample("track-revenue.composed.json");
        transformer.toEvent(event, RECEIVED);
        assertThat(event).isEqualTo(copy);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String occurredAt(Map<String, Object> event) {
        return (String) transformer.toEvent(event, RECEIVED).payload().get("occurred_at");
    }

    private static Map<String, Object> event(Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>(Map.of("type", "track", "userId", "a@b.co", "event", "Tested"));
        event.putAll(fields);
        return event;
    }

    /** Most samples carry no email; this is where Engage and analytics.js put it on a track. */
    @SuppressWarnings("unchecked")
    private static void withContextEmail(Map<String, Object> event, String email) {
        Map<String, Object> context = new LinkedHashMap<>(
                (Map<String, Object>) event.getOrDefault("context", Map.of()));
        context.put("traits", Map.of("email", email));
        event.put("context", context);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sample(String name) throws IOException {
        return new ObjectMapper().readValue(SAMPLES.resolve(name).toFile(), LinkedHashMap.class);
    }
}
