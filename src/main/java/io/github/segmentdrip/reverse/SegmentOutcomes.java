package io.github.segmentdrip.reverse;

import io.github.segmentdrip.outbox.RetrySchedule;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SegmentOutboxRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to a batch's outbox rows after Segment answered (or did not). Called by the
 * {@code segment-deliver} route and the {@code segment-error-handling} clauses.
 */
public class SegmentOutcomes {

    private static final System.Logger LOG = System.getLogger(SegmentOutcomes.class.getName());

    private final SegmentOutbox outbox;
    private final SegmentGate gate;
    private final Clock clock;
    private final RetrySchedule schedule;

    public SegmentOutcomes(SegmentOutbox outbox, SegmentGate gate, Clock clock, RetrySchedule schedule) {
        this.outbox = outbox;
        this.gate = gate;
        this.clock = clock;
        this.schedule = schedule;
    }

    public void delivered(SegmentRequest request) {
        outbox.delivered(request.rows());
    }

    /**
     * A transient failure outlasted the route's redeliveries (or Segment asked for a long wait):
     * each row goes back to the outbox, due after the durable back-off and never before
     * {@code Retry-After}, or to the dead letters once it exceeds the maximum attempts or age.
     */
    public void retryLater(SegmentRequest request, Exception cause) {
        Instant now = clock.instant();
        String error = describe(cause);
        Duration retryAfter = cause instanceof SegmentFailure failure ? failure.getRetryAfter() : null;
        Map<SegmentOutboxRow, Instant> later = new LinkedHashMap<>();
        List<SegmentOutboxRow> exhausted = new ArrayList<>();
        for (SegmentOutboxRow row : request.rows()) {
            int attempts = row.attempts() + 1;
            if (schedule.exhausted(attempts, Duration.between(Instant.ofEpochMilli(row.createdAt()), now))) {
                exhausted.add(row);
                continue;
            }
            Duration wait = schedule.delayAfter(attempts);
            if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
                wait = retryAfter;
            }
            later.put(row, now.plus(wait));
        }
        if (!later.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> error + "; " + later.size() + " event(s) retried from "
                    + later.values().stream().min(Instant::compareTo).orElse(now));
            outbox.retryLater(later, error);
        }
        if (!exhausted.isEmpty()) {
            outbox.deadLetter(exhausted, "gave up after " + (exhausted.get(0).attempts() + 1) + " attempts: " + error,
                    request::describe, statusOrNull(cause), responseBody(cause));
        }
    }

    /** Delivery is paused: the rows go back untouched, no attempt counted. */
    public void postpone(SegmentRequest request, Exception cause) {
        outbox.release(request.rows());
    }

    /** Segment refused the write key: pause all delivery, the rows wait. */
    public void unauthorized(SegmentRequest request, Exception cause) {
        gate.unauthorized(status(cause));
        outbox.release(request.rows());
    }

    /**
     * Segment refused the batch for good. A batch of several events is not given up at once: one
     * bad event must not take the others along, so each goes again alone, and only an event
     * refused on its own reaches the dead letters, with Segment's answer.
     */
    public void deadLetter(SegmentRequest request, Exception cause) {
        if (request.size() > 1) {
            LOG.log(System.Logger.Level.WARNING, () -> describe(cause) + "; sending its " + request.size()
                    + " events one by one");
            outbox.sendAlone(request.rows(), describe(cause));
            return;
        }
        outbox.deadLetter(request.rows(), describe(cause), request::describe, statusOrNull(cause), responseBody(cause));
    }

    private static String describe(Exception cause) {
        if (cause instanceof SegmentFailure) {
            return cause.getMessage();
        }
        return cause == null ? "unknown failure" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static int status(Exception cause) {
        return cause instanceof SegmentFailure failure ? failure.getStatus() : 0;
    }

    private static Integer statusOrNull(Exception cause) {
        int status = status(cause);
        return status > 0 ? status : null;
    }

    private static String responseBody(Exception cause) {
        return cause instanceof SegmentFailure failure ? failure.getResponseBody() : null;
    }
}
