package io.github.segmentdrip.operate;

import io.github.segmentdrip.outbox.DripOutbox;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the status page draws: outbox depth sampled every few seconds and deliveries / failures per
 * minute, for the last hour, kept in memory (a restart starts a new history).
 */
public class StatusHistory {

    private static final int SAMPLES = 360;
    private static final int MINUTES = 60;

    private final DripOutbox outbox;
    private final DestinationMetrics metrics;
    private final Clock clock;
    private final Deque<long[]> depth = new ArrayDeque<>();
    private final Deque<long[]> perMinute = new ArrayDeque<>();
    private long lastDelivered;
    private long lastFailed;

    public StatusHistory(DripOutbox outbox, DestinationMetrics metrics, Clock clock) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records Drip accepted since start, by kind: the status page shows orders and carts sent. */
    public java.util.Map<String, Long> deliveredSinceStart() {
        return metrics.deliveredByKind();
    }

    /** Called by the {@code status-sampler} route. */
    public synchronized void sample() {
        long now = clock.millis();
        add(depth, new long[] {now, outbox.depth()}, SAMPLES);
        long minute = now - now % 60_000;
        long delivered = metrics.deliveredTotal();
        long failed = metrics.failedTotal();
        long[] current = perMinute.peekLast();
        if (current == null || current[0] != minute) {
            current = new long[] {minute, 0, 0};
            add(perMinute, current, MINUTES);
        }
        current[1] += delivered - lastDelivered;
        current[2] += failed - lastFailed;
        lastDelivered = delivered;
        lastFailed = failed;
    }

    public synchronized List<Map<String, Object>> depthHistory() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (long[] sample : depth) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t", sample[0]);
            point.put("depth", sample[1]);
            points.add(point);
        }
        return points;
    }

    public synchronized List<Map<String, Object>> deliveriesPerMinute() {
        List<Map<String, Object>> minutes = new ArrayList<>();
        for (long[] minute : perMinute) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t", minute[0]);
            point.put("delivered", minute[1]);
            point.put("failed", minute[2]);
            minutes.add(point);
        }
        return minutes;
    }

    private static void add(Deque<long[]> series, long[] point, int max) {
        series.addLast(point);
        while (series.size() > max) {
            series.removeFirst();
        }
    }
}
