package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.DripOutboxRow;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.RateBudgetStore;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.testing.LogCapture;
import io.github.segmentdrip.testing.ManualClock;
import io.github.segmentdrip.testing.Outboxes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The watchdog on a real outbox and budget, with a clock the test moves: no waiting, no timing. */
class DeliveryWatchdogTest {

    private static final Duration STALL_AFTER = Duration.ofMinutes(2);
    private static final String DUMP = "\"timer thread\" WAITING\n    at somewhere";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final LogCapture logs = LogCapture.install();
    private int logsBefore;
    private Outboxes outboxes;
    private DripOutbox outbox;
    private DripBudget budget;
    private DeliveryGate gate;

    @BeforeEach
    void open() {
        outboxes = Outboxes.sqlite(dir.resolve("outbox.db"), clock);
        outbox = outboxes.drip;
        budget = new DripBudget(clock, new RateBudgetStore(outboxes.transactions), 3600, 10, Duration.ofHours(1));
        gate = new DeliveryGate(new DripAccount("1234567", "abcdefghij0123456789"));
        logsBefore = logs.lines().size();
    }

    @Test
    void dueRowsWithNoRequestForStallAfterAreAStallReportedOnceWithTheThreadDump() {
        DeliveryWatchdog watchdog = watchdog();
        store("a@example.com", "b@example.com");
        watchdog.check();
        clock.advance(STALL_AFTER.minusSeconds(1));
        watchdog.check();
        assertThat(watchdog.stallReason()).isNull();

        clock.advance(Duration.ofSeconds(1));
        watchdog.check();
        assertThat(watchdog.stallReason())
                .isEqualTo("no request sent to Drip for 120 s although 2 rows are due and the budget has room");
        assertThat(watchdog.stalledSince()).isEqualTo(clock.instant());

        clock.advance(Duration.ofMinutes(1));
        watchdog.check();
        watchdog.check();
        // The reason stays current; the log line is written once per stall.
        assertThat(watchdog.stallReason()).startsWith("no request sent to Drip for 180 s");
        assertThat(newLines("Delivery to Drip stalled")).singleElement().asString()
                .contains("no request sent to Drip for 120 s although 2 rows are due").contains(DUMP);
    }

    @Test
    void aRequestEndsTheStallTheRecoveryIsLoggedOnceAndTheNextStallIsReportedAgain() {
        DeliveryWatchdog watchdog = watchdog();
        store("a@example.com");
        watchdog.check();
        clock.advance(STALL_AFTER);
        watchdog.check();
        assertThat(watchdog.stallReason()).contains("1 row is due");

        watchdog.sending();
        clock.advance(Duration.ofSeconds(5));
        watchdog.check();
        watchdog.check();
        assertThat(watchdog.stallReason()).isNull();
        assertThat(watchdog.stalledSince()).isNull();
        assertThat(newLines("no longer stalled")).singleElement().asString().contains("requests go to Drip again");

        // Answered, then silent again with the row still due: a new stall, a new report.
        watchdog.answered();
        clock.advance(STALL_AFTER);
        watchdog.check();
        assertThat(watchdog.stallReason()).isNotNull();
        assertThat(newLines("Delivery to Drip stalled")).hasSize(2);
    }

    @Test
    void rowsThatWaitTheirTurnAreNoStall() {
        DeliveryWatchdog watchdog = watchdog();
        store("a@example.com", "a@example.com");
        // The person's first row is in back-off; the second waits behind it, as claim() wants.
        List<DripOutboxRow> first = outbox.claim(1, "test", Duration.ofMinutes(1));
        outbox.retryLater(first, "503", clock.instant().plus(Duration.ofHours(1)));
        watchdog.check();
        clock.advance(STALL_AFTER.multipliedBy(3));
        watchdog.check();
        assertThat(watchdog.stallReason()).isNull();
        assertThat(newLines("Delivery to Drip stalled")).isEmpty();
    }

    @Test
    void noStallWhileDeliveryIsPausedOrTheBudgetIsSpent() {
        store("a@example.com");
        DeliveryWatchdog paused = new DeliveryWatchdog(outbox, budget, new DeliveryGate(new DripAccount(null, null)), clock,
                STALL_AFTER, () -> DUMP);
        DeliveryWatchdog spent = watchdog();
        budget.exhausted(false);
        budget.exhausted(true);
        paused.check();
        spent.check();
        clock.advance(STALL_AFTER.multipliedBy(3));
        paused.check();
        spent.check();
        assertThat(paused.stallReason()).isNull();
        assertThat(spent.stallReason()).isNull();
    }

    @Test
    void rowsThatJustBecameDueAfterAQuietHourAreNoStallYet() {
        DeliveryWatchdog watchdog = watchdog();
        watchdog.check();
        clock.advance(Duration.ofHours(1));
        watchdog.check();
        store("a@example.com");
        watchdog.check();
        assertThat(watchdog.stallReason()).isNull();
        clock.advance(STALL_AFTER);
        watchdog.check();
        assertThat(watchdog.stallReason()).startsWith("no request sent to Drip for 3720 s although 1 row is due");
    }

    @Test
    void withOnlyTheBatchBudgetLeftThePaceOfPartialBatchesIsNoStall() {
        DeliveryWatchdog watchdog = watchdog();
        store("a@example.com");
        budget.exhausted(false);
        watchdog.check();
        // 10 batch requests per hour: the dispatcher sends a partial batch at most every 6 minutes.
        clock.advance(Duration.ofMinutes(5));
        watchdog.check();
        assertThat(watchdog.stallReason()).isNull();
        clock.advance(Duration.ofMinutes(1));
        watchdog.check();
        assertThat(watchdog.stallReason()).contains("1 row is due");
    }

    @Test
    void theLoggedDumpHasTheDeliveryThreadsStackFramesAndNothingElse() {
        CountDownLatch release = new CountDownLatch(1);
        Thread timer = waiting("Camel (segment-drip) thread #4 - " + DeliveryThreads.DELIVERY_TIMER, release);
        // A thread with JDK frames only (a lambda of this test would put the delivery code's package on its stack).
        Timer other = new Timer("unrelated-worker", true);
        try {
            await().until(() -> timer.getState() == Thread.State.WAITING && Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("unrelated-worker") && t.getState() == Thread.State.WAITING));
            DeliveryWatchdog watchdog = new DeliveryWatchdog(outbox, budget, gate, clock, STALL_AFTER);
            store("a@example.com");
            watchdog.check();
            clock.advance(STALL_AFTER);
            watchdog.check();

            String line = newLines("Delivery to Drip stalled").get(0);
            assertThat(line).contains("\"Camel (segment-drip) thread #4 - timer://drip-delivery\" WAITING")
                    .contains("java.util.concurrent.CountDownLatch.await(")
                    .contains("DeliveryWatchdogTest.holdTheToken")
                    .doesNotContain("unrelated-worker")
                    // Stack frames only: what a thread holds in its variables never reaches the log.
                    .doesNotContain("abcdefghij0123456789");
        } finally {
            release.countDown();
            other.cancel();
        }
    }

    private DeliveryWatchdog watchdog() {
        return new DeliveryWatchdog(outbox, budget, gate, clock, STALL_AFTER, () -> DUMP);
    }

    private List<String> newLines(String containing) {
        List<String> lines = logs.lines();
        return lines.subList(logsBefore, lines.size()).stream().filter(line -> line.contains(containing)).toList();
    }

    private void store(String... emails) {
        Intake intake = new Intake("/v1/batch", false, clock.instant());
        for (String email : emails) {
            intake.accept(new DripWork(DripWork.Kind.EVENT, email, null, Map.of("email", email, "action", "A"),
                    Map.of("type", "track")));
        }
        outboxes.store(intake);
    }

    private static Thread waiting(String name, CountDownLatch release) {
        Thread thread = new Thread(() -> holdTheToken("Basic abcdefghij0123456789", release), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Stands for a delivery thread stuck with a request in hand. */
    private static void holdTheToken(String authorization, CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(authorization).isNotEmpty();
    }
}
