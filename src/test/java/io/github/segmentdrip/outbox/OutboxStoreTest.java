package io.github.segmentdrip.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.segment.SegmentRequestParser;
import org.flywaydb.core.Flyway;
import io.github.segmentdrip.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbox on a real SQLite file, migrated by Flyway as the service does it. */
class OutboxStoreTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private OutboxStore outbox;

    @BeforeEach
    void open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db") + "?journal_mode=WAL&busy_timeout=5000");
        Flyway.configure().dataSource(dataSource).locations("classpath:" + SqlDialect.SQLITE.migrationFolder()).load().migrate();
        outbox = new OutboxStore(dataSource, SqlDialect.SQLITE, new ObjectMapper(), clock);
    }

    @Test
    void claimsOldestFirstAndHidesClaimedRowsUntilTheLeaseExpires() {
        store(work("a@example.com"), work("b@example.com"), work("c@example.com"));
        List<OutboxRow> first = outbox.claim(2, "one", Duration.ofSeconds(30));
        assertThat(first).extracting(OutboxRow::email).containsExactly("a@example.com", "b@example.com");
        assertThat(outbox.claim(10, "two", Duration.ofSeconds(30))).extracting(OutboxRow::email)
                .containsExactly("c@example.com");
        clock.advance(Duration.ofSeconds(31));
        // A crashed claimer's rows come back once its lease is over.
        assertThat(outbox.claim(10, "two", Duration.ofSeconds(30))).extracting(OutboxRow::email)
                .containsExactly("a@example.com", "b@example.com", "c@example.com");
    }

    @Test
    void retryLaterCountsTheAttemptAndWaits() {
        store(work("a@example.com"));
        OutboxRow row = outbox.claim(1, "one", Duration.ofSeconds(30)).get(0);
        assertThat(row.attempts()).isZero();
        outbox.retryLater(List.of(row), "503", clock.instant().plusSeconds(10));
        assertThat(outbox.claim(1, "one", Duration.ofSeconds(30))).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        OutboxRow again = outbox.claim(1, "one", Duration.ofSeconds(30)).get(0);
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void aPersonsLaterRowsWaitWhileAnEarlierOneIsInBackOff() {
        store(work("a@example.com"), work("a@example.com"), work("b@example.com"));
        OutboxRow first = outbox.claim(1, "one", Duration.ofSeconds(30)).get(0);
        outbox.retryLater(List.of(first), "503", clock.instant().plusSeconds(10));
        assertThat(outbox.claim(10, "one", Duration.ofSeconds(30))).extracting(OutboxRow::email)
                .containsExactly("b@example.com");
    }

    @Test
    void aPersonsLaterRowsWaitUntilTheirCampaignSubscriptionIsNext() {
        store(new DripWork(DripWork.Kind.SUBSCRIBER, "a@example.com", "99", Map.of("email", "a@example.com"), Map.of()),
                work("a@example.com"));
        List<OutboxRow> upsert = outbox.claim(10, "one", Duration.ofSeconds(30));
        assertThat(upsert).extracting(OutboxRow::kind).containsExactly(DripWork.Kind.SUBSCRIBER);
        outbox.delivered(upsert);
        assertThat(outbox.claim(10, "one", Duration.ofSeconds(30))).extracting(OutboxRow::kind)
                .containsExactly(DripWork.Kind.CAMPAIGN, DripWork.Kind.EVENT);
    }

    @Test
    void deliveredRemovesRowsAndTurnsASubscriberWithCampaignIntoTheSubscription() {
        store(new DripWork(DripWork.Kind.SUBSCRIBER, "a@example.com", "99", Map.of("email", "a@example.com"), Map.of()),
                work("b@example.com"));
        List<OutboxRow> rows = outbox.claim(10, "one", Duration.ofSeconds(30));
        outbox.delivered(rows);
        List<OutboxRow> left = outbox.claim(10, "one", Duration.ofSeconds(30));
        assertThat(left).hasSize(1);
        assertThat(left.get(0).kind()).isEqualTo(DripWork.Kind.CAMPAIGN);
        assertThat(left.get(0).campaignId()).isEqualTo("99");
        outbox.delivered(left);
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void deadLetterKeepsEverythingAndLeavesTheOutbox() {
        store(work("a@example.com"));
        List<OutboxRow> rows = outbox.claim(1, "one", Duration.ofSeconds(30));
        outbox.deadLetter(rows, "Drip answered 422", row -> "POST /v2/1/events {}", 422, "{\"errors\":[]}");
        assertThat(outbox.depth()).isZero();
        DeadLetter dead = outbox.deadLetters("422", 10).get(0);
        assertThat(dead.email()).isEqualTo("a@example.com");
        assertThat(dead.status()).isEqualTo(422);
        assertThat(dead.response()).isEqualTo("{\"errors\":[]}");
        assertThat(dead.request()).isEqualTo("POST /v2/1/events {}");
        assertThat(dead.event()).isEqualTo("{\"type\":\"track\"}");
        assertThat(dead.attempts()).isEqualTo(1);
    }

    @Test
    void aSingleCallWithARefusedMessageStoresNothing() {
        Intake intake = new SegmentRequestParser(clock).trackingApi("identify",
                "{\"userId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        intake.reject(intake.getItems().get(0), "missing email", "traits.email");
        assertThatThrownBy(() -> outbox.store(intake)).isInstanceOf(RequestRefused.class).hasMessage("missing email");
        assertThat(outbox.depth()).isZero();
        assertThat(outbox.deadLetterCount()).isZero();
    }

    private void store(DripWork... works) {
        Intake intake = new Intake("/v1/batch", false, clock.instant());
        for (DripWork work : works) {
            intake.accept(work);
        }
        outbox.store(intake);
    }

    private static DripWork work(String email) {
        return new DripWork(DripWork.Kind.EVENT, email, null, Map.of("email", email, "action", "A"), Map.of("type", "track"));
    }

    /** A clock the test moves by hand, so leases and back-off are checked without waiting. */
}
