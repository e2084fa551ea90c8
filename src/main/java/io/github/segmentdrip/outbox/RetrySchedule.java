package io.github.segmentdrip.outbox;

import java.time.Duration;

/**
 * Durable back-off between delivery attempts, after the route's in-process redeliveries: the
 * outbox row waits {@code first × multiplier^(attempt-1)}, capped at {@code maxDelay}, until
 * {@code maxAttempts} or {@code maxAge} is reached. A Drip outage shorter than the maximum age
 * costs nothing but time.
 */
public record RetrySchedule(Duration first, double multiplier, Duration maxDelay, int maxAttempts, Duration maxAge) {

    public Duration delayAfter(int attempts) {
        double millis = first.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }

    public boolean exhausted(int attempts, Duration age) {
        return (maxAttempts > 0 && attempts >= maxAttempts) || age.compareTo(maxAge) > 0;
    }
}
