package io.github.segmentdrip.outbox;

import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.testing.ManualClock;
import io.github.segmentdrip.testing.Outboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segment's deduplication in the outbox (mapping.md "Each message once"): a messageId accepted
 * within the window stores nothing again, within a request, across a restart and across instances
 * sharing the database; expired ids count as new and are purged in bounded chunks.
 */
class MessageDedupeTest {

    private static final Duration WINDOW = Duration.ofHours(24);

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock();
    DataSource dataSource;
    Outboxes outbox;
    private final List<Outboxes> instances = new ArrayList<>();

    DataSource dataSource() {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db") + "?journal_mode=WAL&busy_timeout=5000");
        return sqlite;
    }

    SqlDialect dialect() {
        return SqlDialect.SQLITE;
    }

    @BeforeEach
    void open() {
        dataSource = dataSource();
        Outboxes.migrated(dataSource, dialect());
        outbox = newInstance();
    }

    /** Another instance (or this one after a restart) on the same database. */
    Outboxes newInstance() {
        return instance(WINDOW);
    }

    private Outboxes instance(Duration window) {
        Outboxes instance = new Outboxes(dataSource, dialect(), clock, window);
        instances.add(instance);
        return instance;
    }

    @AfterEach
    void close() {
        instances.forEach(Outboxes::close);
    }

    @Test
    void aRepeatedMessageIdIsAnsweredButStoredOnce() {
        Intake first = store(outbox, message("m-1"));
        Intake again = store(outbox, message("m-1"));
        assertThat(first.getAccepted()).hasSize(1);
        assertThat(first.getDeduplicated()).isZero();
        assertThat(again.getAccepted()).isEmpty();
        assertThat(again.getDeduplicated()).isEqualTo(1);
        assertThat(outbox.drip.depth()).isEqualTo(1);
    }

    @Test
    void aDuplicateInsideOneBatchIsStoredOnce() {
        Intake batch = store(outbox, message("m-1"), message("m-2"), message("m-1"));
        assertThat(batch.getDeduplicated()).isEqualTo(1);
        assertThat(outbox.drip.depth()).isEqualTo(2);
    }

    @Test
    void messagesWithoutMessageIdAreNeverDuplicates() {
        store(outbox, message(null), message(null), message(""));
        assertThat(outbox.drip.depth()).isEqualTo(3);
    }

    @Test
    void oneMessageThatBecameSeveralRecordsKeepsThemAll() {
        Map<String, Object> event = event("m-1");
        Intake intake = new Intake("/v1/track", true, clock.instant());
        intake.accept(work(event));
        intake.accept(work(event));
        outbox.store(intake);
        assertThat(intake.getDeduplicated()).isZero();
        assertThat(outbox.drip.depth()).isEqualTo(2);
    }

    @Test
    void theWindowSurvivesARestartAndIsSharedByInstances() {
        store(outbox, message("m-1"));
        assertThat(store(newInstance(), message("m-1")).getDeduplicated()).isEqualTo(1);
        assertThat(outbox.drip.depth()).isEqualTo(1);
    }

    @Test
    void afterTheWindowTheSameIdIsAcceptedAgain() {
        store(outbox, message("m-1"));
        clock.advance(WINDOW.minusSeconds(1));
        assertThat(store(outbox, message("m-1")).getDeduplicated()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(store(outbox, message("m-1")).getDeduplicated()).isZero();
        assertThat(outbox.drip.depth()).isEqualTo(2);
    }

    @Test
    void aZeroWindowTurnsDeduplicationOff() {
        Outboxes off = instance(Duration.ZERO);
        store(off, message("m-1"));
        store(off, message("m-1"));
        assertThat(off.drip.depth()).isEqualTo(2);
        assertThat(off.seenMessages.count()).isZero();
    }

    @Test
    void expiredIdsArePurgedInBoundedChunks() {
        for (int i = 0; i < 25; i++) {
            store(outbox, message("old-" + i));
        }
        clock.advance(WINDOW.plusSeconds(1));
        store(outbox, message("new"));
        assertThat(outbox.seenMessages.count()).isEqualTo(26);
        // Two chunks of ten at most: bounded work per run, the rest waits for the next run.
        assertThat(outbox.seenMessages.purge(10, 2)).isEqualTo(20);
        assertThat(outbox.seenMessages.purge(10, 2)).isEqualTo(5);
        assertThat(outbox.seenMessages.count()).isEqualTo(1);
        assertThat(store(outbox, message("new")).getDeduplicated()).isEqualTo(1);
    }

    @Test
    void twoInstancesRacingOnOneIdStoreItOnce() throws Exception {
        int instances = 4;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Intake>> results = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                Outboxes instance = newInstance();
                Callable<Intake> send = () -> {
                    start.await();
                    return store(instance, message("raced"));
                };
                results.add(pool.submit(send));
            }
            start.countDown();
            int deduplicated = 0;
            for (Future<Intake> result : results) {
                deduplicated += result.get().getDeduplicated();
            }
            assertThat(deduplicated).isEqualTo(instances - 1);
            assertThat(outbox.drip.depth()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Intake store(Outboxes store, DripWork... works) {
        return store.store(works);
    }

    private static DripWork message(String messageId) {
        return work(event(messageId));
    }

    private static Map<String, Object> event(String messageId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "track");
        if (messageId != null) {
            event.put("messageId", messageId);
        }
        return event;
    }

    private static DripWork work(Map<String, Object> event) {
        return new DripWork(DripWork.Kind.EVENT, "a@example.com", null, Map.of("email", "a@example.com", "action", "A"),
                event);
    }
}
