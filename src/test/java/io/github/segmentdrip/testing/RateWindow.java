package io.github.segmentdrip.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Drip's hourly request budget for one endpoint class (single or batch) of one account: fixed
 * windows counted from a start instant, as Drip's "3,600 requests per hour" reads (Drip docs,
 * Rate Limiting). It also keeps the time of every counted request, so a test can check a
 * stricter, sliding reading of the budget: a client cannot know where Drip's windows start.
 */
final class RateWindow {

    private final LongSupplier ticker;
    private int limit;
    private long windowNanos;
    private long originNanos;
    private long currentIndex;
    private int currentCount;
    private int maxInAnyWindow;
    private int rejected;
    private long[] times = new long[256];
    private int size;

    RateWindow(LongSupplier ticker, int limit, Duration window) {
        this.ticker = ticker;
        this.limit = requirePositive(limit);
        this.windowNanos = requirePositive(window);
        restart();
    }

    /** Counts one request; returns the remaining budget, or -1 when the window is exhausted. */
    synchronized int tryAcquire() {
        long now = ticker.getAsLong();
        roll(now);
        if (currentCount >= limit) {
            rejected++;
            return -1;
        }
        currentCount++;
        maxInAnyWindow = Math.max(maxInAnyWindow, currentCount);
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
        }
        times[size++] = now;
        return limit - currentCount;
    }

    /** The remaining budget of the current window, without counting anything. */
    synchronized int remaining() {
        roll(ticker.getAsLong());
        return Math.max(0, limit - currentCount);
    }

    synchronized int limit() {
        return limit;
    }

    synchronized Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    synchronized void limit(int newLimit) {
        limit = requirePositive(newLimit);
    }

    /** A new window length restarts the accounting: old windows would not line up with the new ones. */
    synchronized void window(Duration newWindow) {
        windowNanos = requirePositive(newWindow);
        restart();
    }

    synchronized void restart() {
        originNanos = ticker.getAsLong();
        currentIndex = 0;
        currentCount = 0;
        maxInAnyWindow = 0;
        rejected = 0;
        size = 0;
    }

    synchronized int maxInAnyWindow() {
        return maxInAnyWindow;
    }

    synchronized int rejected() {
        return rejected;
    }

    synchronized int counted() {
        return size;
    }

    /** The most counted requests in any interval of one window length, wherever it starts. */
    synchronized int maxInAnySlidingWindow() {
        int max = 0;
        int first = 0;
        for (int last = 0; last < size; last++) {
            while (times[last] - times[first] >= windowNanos) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    private void roll(long now) {
        long index = Math.floorDiv(now - originNanos, windowNanos);
        if (index != currentIndex) {
            currentIndex = index;
            currentCount = 0;
        }
    }

    private static int requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1: " + limit);
        }
        return limit;
    }

    private static long requirePositive(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window length must be positive: " + window);
        }
        return window.toNanos();
    }
}
