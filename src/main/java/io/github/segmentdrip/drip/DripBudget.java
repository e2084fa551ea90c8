package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.RateBudgetStore;

import java.time.Clock;
import java.time.Duration;

/**
 * Drip's per-account request budgets (drip-api.md §8): single endpoints and batch endpoints, each
 * a number of requests per window. A request is sent only after {@link #tryAcquire} said yes, so
 * in normal operation Drip never answers 429. The limit holds over every interval of one window
 * length (a sliding log), which also satisfies Drip's fixed hourly windows wherever they start;
 * the log lives in the database, so instances sharing it share the budget.
 */
public class DripBudget {

    private static final String SINGLE = "single";
    private static final String BATCH = "batch";

    private final Clock clock;
    private final RateBudgetStore store;
    private final int singleLimit;
    private final int batchLimit;
    private final long windowMillis;

    public DripBudget(Clock clock, RateBudgetStore store, int singleRequests, int batchRequests, Duration window) {
        this.clock = clock;
        this.store = store;
        this.singleLimit = singleRequests;
        this.batchLimit = batchRequests;
        this.windowMillis = window.toMillis();
    }

    /** Takes one request from the budget, or answers false when the window is spent or paused. */
    public boolean tryAcquire(boolean batchEndpoint) {
        return acquire(batchEndpoint) >= 0;
    }

    /** As {@link #tryAcquire}, returning a ticket for {@link #settle}, or -1 when the budget said no. */
    public long acquire(boolean batchEndpoint) {
        return store.tryAcquire(name(batchEndpoint), limit(batchEndpoint), windowMillis, clock.millis());
    }

    /** The request's answer came now: its budget slot frees one window from now. */
    public void settle(long ticket) {
        store.settle(ticket, clock.millis() + 1);
    }

    /** Requests that could be sent now. */
    public int available(boolean batchEndpoint) {
        long now = clock.millis();
        if (now < store.pausedUntil(name(batchEndpoint))) {
            return 0;
        }
        return Math.max(0, limit(batchEndpoint) - store.used(name(batchEndpoint), windowMillis, now));
    }

    /** Drip said the window is spent (429): send nothing on that budget until a full window has passed. */
    public void exhausted(boolean batchEndpoint) {
        store.pause(name(batchEndpoint), clock.millis() + windowMillis);
    }

    /**
     * Keeps in step with Drip's {@code X-RateLimit-Remaining}: when another client of the account
     * spends budget too, Drip's count is lower than ours and wins.
     */
    public void observeRemaining(boolean batchEndpoint, int remaining) {
        int surplus = available(batchEndpoint) - Math.max(remaining, 0);
        store.spend(name(batchEndpoint), surplus, clock.millis());
    }

    /** When the budget next allows a request, epoch millis (now when available). */
    public long nextAvailableAt(boolean batchEndpoint) {
        long now = clock.millis();
        long paused = store.pausedUntil(name(batchEndpoint));
        if (available(batchEndpoint) > 0) {
            return Math.max(now, paused);
        }
        return Math.max(paused, store.oldestInWindow(name(batchEndpoint), windowMillis, now) + windowMillis);
    }

    public int limit(boolean batchEndpoint) {
        return batchEndpoint ? batchLimit : singleLimit;
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    private static String name(boolean batchEndpoint) {
        return batchEndpoint ? BATCH : SINGLE;
    }
}
