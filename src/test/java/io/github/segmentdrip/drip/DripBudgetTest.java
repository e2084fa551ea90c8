package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.RateBudgetStore;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.Transactions;
import io.github.segmentdrip.testing.ManualClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget on a real database, with a clock the test moves: the limit holds over every window. */
class DripBudgetTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private RateBudgetStore store;

    @BeforeEach
    void open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("outbox.db"));
        Flyway.configure().dataSource(dataSource).locations("classpath:" + SqlDialect.SQLITE.migrationFolder()).load().migrate();
        store = new RateBudgetStore(new Transactions(dataSource, SqlDialect.SQLITE));
    }

    @Test
    void neverMoreThanTheLimitInAnyWindow() {
        DripBudget budget = new DripBudget(clock, store, 3, 1, Duration.ofSeconds(10));
        assertThat(budget.tryAcquire(false)).isTrue();
        clock.advance(Duration.ofSeconds(4));
        assertThat(budget.tryAcquire(false)).isTrue();
        assertThat(budget.tryAcquire(false)).isTrue();
        assertThat(budget.tryAcquire(false)).isFalse();
        assertThat(budget.available(false)).isZero();
        // The first request leaves the window 10 s after it was sent, not at a window boundary.
        assertThat(budget.nextAvailableAt(false)).isEqualTo(clock.millis() + 6000);
        clock.advance(Duration.ofSeconds(6).plusMillis(1));
        assertThat(budget.available(false)).isEqualTo(1);
        assertThat(budget.tryAcquire(false)).isTrue();
        assertThat(budget.tryAcquire(false)).isFalse();
    }

    @Test
    void singleAndBatchBudgetsAreSeparate() {
        DripBudget budget = new DripBudget(clock, store, 1, 1, Duration.ofSeconds(10));
        assertThat(budget.tryAcquire(true)).isTrue();
        assertThat(budget.tryAcquire(true)).isFalse();
        assertThat(budget.tryAcquire(false)).isTrue();
    }

    @Test
    void twoInstancesOnOneDatabaseShareTheBudget() {
        DripBudget one = new DripBudget(clock, store, 2, 1, Duration.ofSeconds(10));
        DripBudget two = new DripBudget(clock, store, 2, 1, Duration.ofSeconds(10));
        assertThat(one.tryAcquire(false)).isTrue();
        assertThat(two.tryAcquire(false)).isTrue();
        assertThat(one.tryAcquire(false)).isFalse();
        assertThat(two.available(false)).isZero();
    }

    @Test
    void aRateLimitAnswerPausesForAWholeWindow() {
        DripBudget budget = new DripBudget(clock, store, 100, 1, Duration.ofSeconds(10));
        budget.exhausted(false);
        assertThat(budget.tryAcquire(false)).isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(budget.tryAcquire(false)).isTrue();
    }

    @Test
    void dripsRemainingCountWinsWhenItIsLower() {
        DripBudget budget = new DripBudget(clock, store, 100, 1, Duration.ofSeconds(10));
        budget.observeRemaining(false, 5);
        assertThat(budget.available(false)).isEqualTo(5);
        budget.observeRemaining(false, 50);
        assertThat(budget.available(false)).isEqualTo(5);
    }
}
