package io.github.segmentdrip.outbox;

import io.github.segmentdrip.testing.ManualClock;
import io.github.segmentdrip.testing.Outboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Drip outbox on a real SQLite file, migrated by Flyway as the service does it. */
class DripOutboxTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private Outboxes outboxes;
    private DripOutbox outbox;

    @BeforeEach
    void open() {
        outboxes = Outboxes.sqlite(dir.resolve("outbox.db"), clock);
        outbox = outboxes.drip;
    }

    @AfterEach
    void close() {
        outboxes.close();
    }

    @Test
    void claimsOldestFirstAndHidesClaimedRowsUntilTheLeaseExpires() {
        store(work("a@example.com"), work("b@example.com"), work("c@example.com"));
        List<DripOutboxRow> first = outbox.claim(2, "one", Duration.ofSeconds(30));
        assertThat(first).extracting(DripOutboxRow::email).containsExactly("a@example.com", "b@example.com");
        assertThat(outbox.claim(10, "two", Duration.ofSeconds(30))).extracting(DripOutboxRow::email)
                .containsExactly("c@example.com");
        clock.advance(Duration.ofSeconds(31));
        // A crashed claimer's rows come back once its lease is over.
        assertThat(outbox.claim(10, "two", Duration.ofSeconds(30))).extracting(DripOutboxRow::email)
                .containsExactly("a@example.com", "b@example.com", "c@example.com");
    }

    @Test
    void retryLaterCountsTheAttemptAndWaits() {
        store(work("a@example.com"));
        DripOutboxRow row = outbox.claim(1, "one", Duration.ofSeconds(30)).get(0);
        assertThat(row.attempts()).isZero();
        outbox.retryLater(List.of(row), "503", clock.instant().plusSeconds(10));
        assertThat(outbox.claim(1, "one", Duration.ofSeconds(30))).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        DripOutboxRow again = outbox.claim(1, "one", Duration.ofSeconds(30)).get(0);
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void aPersonsLaterRowsWaitWhileAnEarlierOneIsInBackOff() {
        store(work("a@example.com"), work("a@example.com"), work("b@example.com"));
        DripOutboxRow first = outbox.claim(1, "one", Duration.ofSeconds(30)).get(0);
        outbox.retryLater(List.of(first), "503", clock.instant().plusSeconds(10));
        assertThat(outbox.claim(10, "one", Duration.ofSeconds(30))).extracting(DripOutboxRow::email)
                .containsExactly("b@example.com");
    }

    @Test
    void aPersonsLaterRowsWaitUntilTheirCampaignSubscriptionIsNext() {
        store(new DripWork(DripWork.Kind.SUBSCRIBER, "a@example.com", "99", Map.of("email", "a@example.com"), Map.of()),
                work("a@example.com"));
        List<DripOutboxRow> upsert = outbox.claim(10, "one", Duration.ofSeconds(30));
        assertThat(upsert).extracting(DripOutboxRow::kind).containsExactly(DripWork.Kind.SUBSCRIBER);
        outbox.delivered(upsert);
        assertThat(outbox.claim(10, "one", Duration.ofSeconds(30))).extracting(DripOutboxRow::kind)
                .containsExactly(DripWork.Kind.CAMPAIGN, DripWork.Kind.EVENT);
    }

    @Test
    void deliveredRemovesRowsAndTurnsASubscriberWithCampaignIntoTheSubscription() {
        store(new DripWork(DripWork.Kind.SUBSCRIBER, "a@example.com", "99", Map.of("email", "a@example.com"), Map.of()),
                work("b@example.com"));
        List<DripOutboxRow> rows = outbox.claim(10, "one", Duration.ofSeconds(30));
        outbox.delivered(rows);
        List<DripOutboxRow> left = outbox.claim(10, "one", Duration.ofSeconds(30));
        assertThat(left).hasSize(1);
        assertThat(left.get(0).kind()).isEqualTo(DripWork.Kind.CAMPAIGN);
        assertThat(left.get(0).campaignId()).isEqualTo("99");
        outbox.delivered(left);
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void deadLetterKeepsEverythingAndLeavesTheOutbox() {
        store(work("a@example.com"));
        List<DripOutboxRow> rows = outbox.claim(1, "one", Duration.ofSeconds(30));
        outbox.deadLetter(rows, "Drip answered 422", row -> "POST /v2/1/events {}", 422, "{\"errors\":[]}");
        assertThat(outbox.depth()).isZero();
        DeadLetter dead = outboxes.deadLetters.list("422", 10).get(0);
        assertThat(dead.email()).isEqualTo("a@example.com");
        assertThat(dead.status()).isEqualTo(422);
        assertThat(dead.response()).isEqualTo("{\"errors\":[]}");
        assertThat(dead.request()).isEqualTo("POST /v2/1/events {}");
        assertThat(dead.event()).isEqualTo("{\"type\":\"track\"}");
        assertThat(dead.attempts()).isEqualTo(1);
    }

    private void store(DripWork... works) {
        outboxes.store(works);
    }

    private static DripWork work(String email) {
        return new DripWork(DripWork.Kind.EVENT, email, null, Map.of("email", email, "action", "A"), Map.of("type", "track"));
    }
}
