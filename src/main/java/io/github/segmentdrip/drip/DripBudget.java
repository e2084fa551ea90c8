package io.github.segmentdrip.drip;

import java.time.Clock;
import java.time.Duration;

/**
 * Drip's per-account request budgets (drip-api.md §8): single endpoints and batch endpoints, each
 * a number of requests per window. A request is sent only after {@link #tryAcquire} said yes, so
 * in normal operation Drip never answers 429. The limit holds over every interval of one window
 * length (a sliding log), which also satisfies Drip's fixed hourly windows wherever they start.
 */
public class DripBudget {

    private final Clock clock;
    private final Window single;
    private final Window batch;

    public DripBudget(Clock clock, int singleRequests, int batchRequests, Duration window) {
        this.clock = clock;
        this.single = new Window(singleRequests, window.toMillis());
        this.batch = new Window(batchRequests, window.toMillis());
    }

    /** Takes one request from the budget, or answers false when the window is spent or paused. */
    public boolean tryAcquire(boolean batchEndpoint) {
        return window(batchEndpoint).tryAcquire(clock.millis());
    }

    /** Requests that could be sent now. */
    public int available(boolean batchEndpoint) {
        return window(batchEndpoint).available(clock.millis());
    }

    /** Drip said the window is spent (429): send nothing on that budget until a full window has passed. */
    public void exhausted(boolean batchEndpoint) {
        window(batchEndpoint).pauseUntil(clock.millis() + window(batchEndpoint).lengthMillis);
    }

    /**
     * Keeps in step with Drip's {@code X-RateLimit-Remaining}: when another client of the account
     * spends budget too, Drip's count is lower than ours and wins.
     */
    public void observeRemaining(boolean batchEndpoint, int remaining) {
        window(batchEndpoint).observeRemaining(clock.millis(), remaining);
    }

    /** When the budget next allows a request, epoch millis (now when available). */
    public long nextAvailableAt(boolean batchEndpoint) {
        return window(batchEndpoint).nextAvailableAt(clock.millis());
    }

    public int limit(boolean batchEndpoint) {
        return window(batchEndpoint).limit;
    }

    private Window window(boolean batchEndpoint) {
        return batchEndpoint ? batch : single;
    }

    /** A ring of the send times of the last {@code limit} requests. */
    private static final class Window {
        final int limit;
        final long lengthMillis;
        final long[] sentAt;
        int next;
        long pausedUntil;

        Window(int limit, long lengthMillis) {
            this.limit = limit;
            this.lengthMillis = lengthMillis;
            this.sentAt = new long[Math.max(limit, 1)];
            java.util.Arrays.fill(sentAt, Long.MIN_VALUE / 2);
        }

        synchronized boolean tryAcquire(long now) {
            if (available(now) == 0) {
                return false;
            }
            sentAt[next] = now;
            next = (next + 1) % sentAt.length;
            return true;
        }

        synchronized int available(long now) {
            if (limit <= 0 || now < pausedUntil) {
                return 0;
            }
            int used = 0;
            for (long t : sentAt) {
                if (t > now - lengthMillis) {
                    used++;
                }
            }
            return Math.max(0, limit - used);
        }

        synchronized long nextAvailableAt(long now) {
            if (available(now) > 0) {
                return now;
            }
            // The oldest send in the ring frees its slot one window after it was made.
            return Math.max(pausedUntil, sentAt[next] + lengthMillis);
        }

        synchronized void pauseUntil(long until) {
            pausedUntil = Math.max(pausedUntil, until);
        }

        synchronized void observeRemaining(long now, int remaining) {
            int surplus = available(now) - Math.max(remaining, 0);
            // Mark the difference as spent now: the most conservative reading of Drip's counter.
            for (int i = 0; i < surplus; i++) {
                sentAt[next] = now;
                next = (next + 1) % sentAt.length;
            }
        }
    }
}
