package io.github.segmentdrip.outbox;

import io.github.segmentdrip.testing.ManualClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The Segment outbox on a real SQLite file, migrated by Flyway as the service does it. */
class SegmentOutboxTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private SegmentOutbox store;
    private DeadLetterStore deadLetters;

    @BeforeEach
    void open() {
        DataSource dataSource = dataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:" + dialect().migrationFolder()).load().migrate();
        Transactions transactions = new Transactions(dataSource, dialect());
        store = new SegmentOutbox(transactions, clock);
        deadLetters = new DeadLetterStore(transactions, clock);
    }

    /** A freshly created database. */
    DataSource dataSource() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db") + "?journal_mode=WAL&busy_timeout=5000");
        return dataSource;
    }

    SqlDialect dialect() {
        return SqlDialect.SQLITE;
    }

    @Test
    void aResentWebhookIsStoredOnceWhileTheFirstCopyWaits() {
        assertThat(store.enqueue("drip-1", "a@example.com", "{\"n\":1}", "{}")).isTrue();
        assertThat(store.enqueue("drip-1", "a@example.com", "{\"n\":1}", "{}")).isFalse();
        assertThat(store.depth()).isEqualTo(1);
        store.delivered(store.claim(10, "one", Duration.ofSeconds(30)));
        // Delivered and gone: a later re-send is stored again (Segment deduplicates by messageId).
        assertThat(store.enqueue("drip-1", "a@example.com", "{\"n\":1}", "{}")).isTrue();
    }

    @Test
    void claimsOldestFirstAndHidesClaimedRowsUntilTheLeaseExpires() {
        enqueue("a", "b", "c");
        assertThat(store.claim(2, "one", Duration.ofSeconds(30))).extracting(SegmentOutboxRow::messageId)
                .containsExactly("a", "b");
        assertThat(store.claim(10, "two", Duration.ofSeconds(30))).extracting(SegmentOutboxRow::messageId)
                .containsExactly("c");
        clock.advance(Duration.ofSeconds(31));
        List<SegmentOutboxRow> again = store.claim(10, "two", Duration.ofSeconds(30));
        assertThat(again).extracting(SegmentOutboxRow::messageId).containsExactly("a", "b", "c");
        assertThat(again.get(0)).isEqualTo(new SegmentOutboxRow(again.get(0).id(), "a", "a@example.com",
                "{\"id\":\"a\"}", "{\"webhook\":\"a\"}", clock.millis() - 31_000, 0, false));
    }

    @Test
    void onShutdownAnInstanceHandsBackOnlyItsOwnClaims() {
        enqueue("a", "b");
        store.claim(1, "one", Duration.ofMinutes(2));
        store.claim(1, "two", Duration.ofMinutes(2));
        assertThat(store.releaseClaims("one")).isEqualTo(1);
        assertThat(store.claim(10, "three", Duration.ofMinutes(2))).extracting(SegmentOutboxRow::messageId)
                .containsExactly("a");
    }

    @Test
    void retryLaterCountsTheAttemptAndWaitsUntilEachRowsTime() {
        enqueue("a", "b");
        List<SegmentOutboxRow> rows = store.claim(10, "one", Duration.ofSeconds(30));
        Map<SegmentOutboxRow, java.time.Instant> due = new LinkedHashMap<>();
        due.put(rows.get(0), clock.instant().plusSeconds(5));
        due.put(rows.get(1), clock.instant().plusSeconds(10));
        store.retryLater(due, "503");
        assertThat(store.claim(10, "one", Duration.ofSeconds(30))).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(store.claim(10, "one", Duration.ofSeconds(30))).extracting(SegmentOutboxRow::messageId,
                SegmentOutboxRow::attempts).containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1));
    }

    @Test
    void releaseAndSendAloneHandRowsBackWithoutAnAttempt() {
        enqueue("a", "b");
        List<SegmentOutboxRow> rows = store.claim(10, "one", Duration.ofSeconds(30));
        store.release(rows.subList(0, 1));
        store.sendAlone(rows.subList(1, 2), "400");
        List<SegmentOutboxRow> again = store.claim(10, "one", Duration.ofSeconds(30));
        assertThat(again).extracting(SegmentOutboxRow::attempts).containsExactly(0, 0);
        assertThat(again).extracting(SegmentOutboxRow::sendAlone).containsExactly(false, true);
    }

    @Test
    void deadLettersKeepTheTrackCallTheWebhookAndSegmentsAnswer() {
        enqueue("a");
        List<SegmentOutboxRow> rows = store.claim(10, "one", Duration.ofSeconds(30));
        store.deadLetter(rows, "Segment answered 400", row -> "POST /v1/batch", 400, "{\"success\":false}");
        store.deadLetterNow("big@example.com", "{\"big\":true}", "{\"webhook\":\"big\"}", "too large");

        assertThat(store.depth()).isZero();
        List<DeadLetter> letters = deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 10);
        assertThat(letters).hasSize(2);
        DeadLetter refused = letters.get(1);
        assertThat(refused).extracting(DeadLetter::kind, DeadLetter::email, DeadLetter::payload, DeadLetter::event,
                DeadLetter::request, DeadLetter::status, DeadLetter::response, DeadLetter::reason, DeadLetter::attempts)
                .containsExactly("SEGMENT", "a@example.com", "{\"id\":\"a\"}", "{\"webhook\":\"a\"}", "POST /v1/batch",
                        400, "{\"success\":false}", "Segment answered 400", 1);
        assertThat(letters.get(0).status()).isNull();
        assertThat(letters.get(0).attempts()).isZero();
        // The one dead-letter listing shows them beside the Drip-bound ones.
        assertThat(deadLetters.count()).isEqualTo(2);
    }

    private void enqueue(String... ids) {
        for (String id : ids) {
            store.enqueue(id, id + "@example.com", "{\"id\":\"" + id + "\"}", "{\"webhook\":\"" + id + "\"}");
        }
    }
}
