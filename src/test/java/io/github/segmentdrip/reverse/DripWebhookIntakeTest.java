package io.github.segmentdrip.reverse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.http.RefusalBodies;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SegmentOutboxRow;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.Transactions;
import io.github.segmentdrip.testing.ManualClock;
import io.github.segmentdrip.testing.Samples;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The steps of the drip-webhooks route: token, account, mapping branches, the commit, the answers. */
class DripWebhookIntakeTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String ACCOUNT = "9999999";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private SegmentOutbox outbox;
    private DeadLetterStore deadLetters;
    private DripWebhookIntake intake;

    @BeforeEach
    void open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db"));
        Flyway.configure().dataSource(dataSource).locations("classpath:" + SqlDialect.SQLITE.migrationFolder()).load().migrate();
        Transactions transactions = new Transactions(dataSource, SqlDialect.SQLITE);
        outbox = new SegmentOutbox(transactions, clock);
        deadLetters = new DeadLetterStore(transactions, clock);
        intake = new DripWebhookIntake(TOKEN, ACCOUNT, new SegmentEmailEvents(), outbox, new ObjectMapper());
    }

    @Test
    void theRightTokenPasses() {
        assertThat(intake.isEnabled()).isTrue();
        assertThatCode(() -> intake.authenticate(TOKEN)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"x", "0123456789abcdef0123456789abcdeF", "0123456789abcdef0123456789abcdef0",
        " 0123456789abcdef0123456789abcdef"})
    void anyOtherTokenIs401(String token) {
        assertThatThrownBy(() -> intake.authenticate(token)).isInstanceOf(RequestRefused.class)
                .extracting(e -> ((RequestRefused) e).getStatus()).isEqualTo(401);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void withoutAConfiguredTokenTheEndpointIs404(String configured) {
        DripWebhookIntake off = new DripWebhookIntake(configured, ACCOUNT, new SegmentEmailEvents(), outbox,
                new ObjectMapper());
        assertThat(off.isEnabled()).isFalse();
        for (String presented : new String[] {null, "", "anything", "  "}) {
            assertThatThrownBy(() -> off.authenticate(presented)).isInstanceOf(RequestRefused.class)
                    .extracting(e -> ((RequestRefused) e).getStatus()).isEqualTo(404);
        }
    }

    @Test
    void aWebhookOfAnotherAccountOrWithoutAConfiguredAccountIs403() {
        WebhookItem item = intake.parse(sample("subscriber.opened_email.json"));
        assertThatCode(() -> intake.checkAccount(item)).doesNotThrowAnyException();

        DripWebhookIntake other = new DripWebhookIntake(TOKEN, "1234567", new SegmentEmailEvents(), outbox,
                new ObjectMapper());
        assertThatThrownBy(() -> other.checkAccount(item)).isInstanceOf(RequestRefused.class)
                .extracting(e -> ((RequestRefused) e).getStatus(), e -> ((RequestRefused) e).getField())
                .containsExactly(403, "data.account_id");
        DripWebhookIntake noAccount = new DripWebhookIntake(TOKEN, null, new SegmentEmailEvents(), outbox,
                new ObjectMapper());
        assertThatThrownBy(() -> noAccount.checkAccount(item)).isInstanceOf(RequestRefused.class)
                .hasMessageContaining("drip.account-id is not configured");
    }

    @Test
    void theRoutesNameIsTheSegmentEvent() {
        WebhookItem item = intake.parse(sample("subscriber.opened_email.json"));
        intake.track(item, "Email Viewed");

        assertThat(item.getTrack()).containsEntry("event", "Email Viewed");
        assertThat(item.getTrack().keySet()).containsExactly("type", "event", "userId", "messageId", "timestamp",
                "properties", "context", "integrations");
        // Everything else as mapping.md says.
        WebhookItem standard = intake.parse(sample("subscriber.opened_email.json"));
        standard.becomes(new SegmentEmailEvents().toTrack(standard.getWebhook(), false).orElseThrow(), "");
        item.getTrack().put("event", "Email Opened");
        assertThat(item.getTrack()).isEqualTo(standard.getTrack());
    }

    @Test
    void aMappingAddedInTheRouteSendsDripsProperties() {
        WebhookItem item = intake.parse(sample("subscriber.applied_tag.json"));
        intake.track(item, "Tag Applied");
        assertThat(item.getTrack()).containsEntry("event", "Tag Applied");
        assertThat(item.getTrack().get("properties")).isEqualTo(java.util.Map.of("tag", "Customer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscriber.received_email", "subscriber.opened_email", "subscriber.clicked_email",
            "subscriber.bounced", "subscriber.complained", "subscriber.unsubscribed_all"})
    void theEmailEventsAreNamedByTheirOneTable(String dripEvent) {
        WebhookItem item = intake.parse(sample(dripEvent + ".json"));
        assertThat(item.isEmailEvent()).isTrue();
        intake.trackEmailEvent(item);
        assertThat(item.getTrack()).containsEntry("event", SegmentEmailEvents.EMAIL_EVENTS.get(dripEvent));
    }

    @Test
    void otherDripEventsAreNoEmailEvents() {
        WebhookItem item = intake.parse(sample("subscriber.applied_tag.json"));
        assertThat(item.isEmailEvent()).isFalse();
        assertThatThrownBy(() -> intake.trackEmailEvent(item)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardedEventsAreNamedDripAndTheirEvent() {
        WebhookItem item = intake.parse(sample("subscriber.updated_email_address.json"));
        intake.forward(item);
        assertThat(item.getTrack()).containsEntry("event", "Drip Updated Email Address");
    }

    @Test
    void skippedWebhooksAreCountedAndStoreNothing() {
        WebhookItem item = intake.parse(sample("subscriber.applied_tag.json"));
        intake.skip(item);
        intake.store(item);

        assertThat(intake.skipped()).isEqualTo(1);
        assertThat(outbox.depth()).isZero();
        assertThat(intake.accepted(item))
                .isEqualTo("{\"success\":true,\"skipped\":\"not forwarded: subscriber.applied_tag\"}");
    }

    @Test
    void aSubscriberWithoutUserIdOrEmailIsSkipped() {
        WebhookItem item = intake.parse(("{\"event\":\"subscriber.opened_email\",\"data\":{\"account_id\":\"9999999\","
                + "\"subscriber\":{\"id\":\"abc\"}}}").getBytes(UTF_8));
        intake.track(item, "Email Opened");
        intake.store(item);
        assertThat(item.getSkipReason()).isEqualTo("subscriber has neither user_id nor email");
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void aWebhookNoBranchHandledIsSkippedNotLost() {
        WebhookItem item = intake.parse(sample("subscriber.opened_email.json"));
        intake.store(item);
        assertThat(item.getSkipReason()).startsWith("no branch of the route handled");
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void aTrackCallIsCommittedWithItsWebhook() {
        byte[] body = sample("subscriber.clicked_email.json");
        WebhookItem item = intake.parse(body);
        intake.track(item, "Email Link Clicked");
        intake.store(item);

        assertThat(intake.accepted(item)).isEqualTo("{\"success\":true}");
        assertThat(intake.stored()).isEqualTo(1);
        List<SegmentOutboxRow> rows = outbox.claim(10, "test", Duration.ofSeconds(10));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).messageId()).isEqualTo(SegmentEmailEvents.messageId(item.getWebhook()));
        assertThat(rows.get(0).email()).isEqualTo("john@acme.com");
        assertThat(rows.get(0).payload()).isEqualTo(item.getTrackJson()).startsWith("{\"type\":\"track\",\"event\":\"Email Link Clicked\"");
        assertThat(rows.get(0).event()).isEqualTo(new String(body, UTF_8));
    }

    @Test
    void aTrackCallOverSegmentsEventLimitGoesStraightToTheDeadLetters() {
        String big = "x".repeat(SegmentLimits.MAX_EVENT_BYTES);
        WebhookItem item = intake.parse(("{\"event\":\"subscriber.applied_tag\",\"data\":{\"account_id\":\"9999999\","
                + "\"subscriber\":{\"id\":\"abc\",\"email\":\"big@example.com\"},\"properties\":{\"tag\":\"" + big
                + "\"}}}").getBytes(UTF_8));
        intake.forward(item);
        intake.store(item);

        assertThat(outbox.depth()).isZero();
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 10)).singleElement().satisfies(letter -> {
            assertThat(letter.email()).isEqualTo("big@example.com");
            assertThat(letter.reason()).contains("larger than Segment's 32768 bytes");
        });
    }

    @Test
    void refusalsAreJson() {
        RefusalBodies bodies = new RefusalBodies();
        assertThat(bodies.refused(new RequestRefused(403, "webhook is not from the configured Drip account",
                "data.account_id"))).isEqualTo("{\"success\":false,\"error\":\"webhook is not from the configured "
                        + "Drip account\",\"field\":\"data.account_id\"}");
        assertThat(bodies.refused(new RequestRefused(401, "invalid webhook token", null)))
                .isEqualTo("{\"success\":false,\"error\":\"invalid webhook token\"}");
    }

    private static byte[] sample(String name) {
        return Samples.dripWebhook(name).getBytes(UTF_8);
    }
}
