package io.github.segmentdrip.reverse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.RetrySchedule;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SegmentOutboxRow;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.Transactions;
import io.github.segmentdrip.testing.ManualClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SegmentDispatcher, SegmentGate and SegmentOutcomes on a real SQLite outbox, without Camel. */
class SegmentDeliveryBeansTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final ObjectMapper json = new ObjectMapper();
    private SegmentOutbox outbox;
    private DeadLetterStore deadLetters;
    private SegmentGate gate;
    private SegmentOutcomes outcomes;

    @BeforeEach
    void open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db"));
        Flyway.configure().dataSource(dataSource).locations("classpath:" + SqlDialect.SQLITE.migrationFolder()).load().migrate();
        Transactions transactions = new Transactions(dataSource, SqlDialect.SQLITE);
        outbox = new SegmentOutbox(transactions, clock);
        deadLetters = new DeadLetterStore(transactions, clock);
        gate = new SegmentGate(new TrackingApiWriteKey("key"));
        outcomes = new SegmentOutcomes(outbox, gate, clock, new RetrySchedule(Duration.ofSeconds(10), 2,
                Duration.ofMinutes(10), 3, Duration.ofHours(24)));
    }

    @Test
    void requestsStayWithinTheBatchLimitsAndBodiesAreSegmentBatches() throws IOException {
        for (int i = 0; i < 5; i++) {
            enqueue(i);
        }
        // Room for two events per body: five claimed rows make three requests.
        int twoEvents = SegmentBatches.ENVELOPE_BYTES + 2 * track(0).length() + 1;
        SegmentDispatcher dispatcher = dispatcher(new SegmentBatches(SegmentLimits.MAX_BATCH_EVENTS, twoEvents));
        List<SegmentRequest> requests = dispatcher.nextRequests();
        assertThat(requests).extracting(SegmentRequest::size).containsExactly(2, 2, 1);
        assertThat(dispatcher.body(requests.get(0))).hasSize(twoEvents);

        JsonNode body = json.readTree(new String(dispatcher.body(requests.get(0)), UTF_8));
        assertThat(body.get("batch")).isEqualTo(json.readTree("[" + track(0) + "," + track(1) + "]"));
        assertThat(body.get("sentAt").asText()).isEqualTo("2024-06-05T12:00:00.000Z");
        // Claimed: another poll finds nothing.
        assertThat(dispatcher.nextRequests()).isEmpty();
    }

    @Test
    void aPollClaimsAtMostOneBatchOfEvents() {
        for (int i = 0; i < 5; i++) {
            enqueue(i);
        }
        SegmentDispatcher dispatcher = dispatcher(new SegmentBatches(2, SegmentLimits.MAX_BATCH_BYTES));
        assertThat(dispatcher.nextRequests()).singleElement().extracting(SegmentRequest::size).isEqualTo(2);
        assertThat(dispatcher.nextRequests()).singleElement().extracting(SegmentRequest::size).isEqualTo(2);
        assertThat(dispatcher.nextRequests()).singleElement().extracting(SegmentRequest::size).isEqualTo(1);
        assertThat(dispatcher.polls()).isEqualTo(3);
    }

    @Test
    void nothingIsClaimedWithoutAWriteKey() {
        enqueue(0);
        SegmentGate closed = new SegmentGate(new TrackingApiWriteKey(" "));
        SegmentDispatcher dispatcher = new SegmentDispatcher(outbox, closed, new SegmentBatches(), clock, "me",
                Duration.ofMinutes(2));
        assertThat(dispatcher.nextRequests()).isEmpty();
        assertThat(closed.blockedReason()).contains("SEGMENT_TRACKING_API_WRITE_KEY");
        assertThatThrownBy(closed::requireOpen).isInstanceOf(SegmentFailure.Paused.class);
        assertThat(outbox.claim(10, "other", Duration.ofMinutes(1))).hasSize(1);
    }

    @Test
    void aRefusedBatchOfSeveralIsSentAgainOneByOneAndOnlyTheBadEventIsDeadLettered() {
        enqueue(0);
        enqueue(1);
        SegmentDispatcher dispatcher = dispatcher(new SegmentBatches());
        SegmentRequest both = dispatcher.nextRequests().get(0);
        assertThat(both.size()).isEqualTo(2);

        outcomes.deadLetter(both, new SegmentFailure.Rejected("Segment answered 400", 400, "bad"));
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 10)).isEmpty();
        List<SegmentRequest> alone = dispatcher.nextRequests();
        assertThat(alone).extracting(SegmentRequest::size).containsExactly(1, 1);

        outcomes.delivered(alone.get(0));
        outcomes.deadLetter(alone.get(1), new SegmentFailure.Rejected("Segment answered 400", 400, "bad"));
        assertThat(outbox.depth()).isZero();
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 10)).singleElement().satisfies(letter -> {
            assertThat(letter.payload()).isEqualTo(track(1));
            assertThat(letter.status()).isEqualTo(400);
            assertThat(letter.response()).isEqualTo("bad");
            assertThat(letter.request()).isEqualTo("POST /v1/batch (batch of 1 event)");
        });
    }

    @Test
    void retryLaterBacksOffDurablyNeverBeforeRetryAfterThenDeadLetters() {
        enqueue(0);
        SegmentDispatcher dispatcher = dispatcher(new SegmentBatches());

        // Attempt 1: the schedule's 10 s.
        outcomes.retryLater(dispatcher.nextRequests().get(0), new SocketTimeoutException("Read timed out"));
        clock.advance(Duration.ofSeconds(9));
        assertThat(dispatcher.nextRequests()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        SegmentRequest second = dispatcher.nextRequests().get(0);
        assertThat(second.rows().get(0).attempts()).isEqualTo(1);

        // Attempt 2: the schedule says 20 s, Segment said 60 s.
        outcomes.retryLater(second, new SegmentFailure.Deferred("Segment answered 429", 429, "",
                Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(59));
        assertThat(dispatcher.nextRequests()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        SegmentRequest third = dispatcher.nextRequests().get(0);

        // Attempt 3 of 3: the dead letters.
        outcomes.retryLater(third, new SegmentFailure.Retryable("Segment answered 503", 503, "down", null));
        assertThat(outbox.depth()).isZero();
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 10)).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo("gave up after 3 attempts: Segment answered 503");
            assertThat(letter.status()).isEqualTo(503);
            assertThat(letter.attempts()).isEqualTo(3);
        });
    }

    @Test
    void aRefusedWriteKeyPausesDeliveryAndKeepsTheRows() {
        enqueue(0);
        SegmentDispatcher dispatcher = dispatcher(new SegmentBatches());
        outcomes.unauthorized(dispatcher.nextRequests().get(0), new SegmentFailure.Unauthorized("401", 401, ""));

        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.blockedReason()).contains("HTTP 401");
        assertThat(dispatcher.nextRequests()).isEmpty();
        assertThat(outbox.depth()).isEqualTo(1);
        assertThat(deadLetters.ofKind(SegmentOutbox.DEAD_LETTER_KIND, 10)).isEmpty();
        assertThat(outbox.claim(10, "x", Duration.ofMinutes(1))).extracting(SegmentOutboxRow::attempts).containsExactly(0);
    }

    private SegmentDispatcher dispatcher(SegmentBatches batches) {
        return new SegmentDispatcher(outbox, gate, batches, clock, "me", Duration.ofMinutes(2));
    }

    private void enqueue(int i) {
        outbox.enqueue("drip-" + i, i + "@example.com", track(i), "{\"event\":\"subscriber.opened_email\"}");
    }

    private static String track(int i) {
        return "{\"type\":\"track\",\"event\":\"Email Opened\",\"userId\":\"" + i + "\",\"messageId\":\"drip-" + i + "\"}";
    }
}
