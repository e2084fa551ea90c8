package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.DripOutboxRow;
import io.github.segmentdrip.outbox.RetrySchedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What happens to a request's outbox rows after Drip answered (or did not). Called by the
 * delivery route and its {@code onException} clauses; the policy's numbers come from configuration.
 */
public class DeliveryOutcomes {

    private static final System.Logger LOG = System.getLogger(DeliveryOutcomes.class.getName());

    private final DripOutbox outbox;
    private final DripBudget budget;
    private final DeliveryGate gate;
    private final Clock clock;
    private final RetrySchedule schedule;

    public DeliveryOutcomes(DripOutbox outbox, DripBudget budget, DeliveryGate gate, Clock clock, RetrySchedule schedule) {
        this.outbox = outbox;
        this.budget = budget;
        this.gate = gate;
        this.clock = clock;
        this.schedule = schedule;
    }

    public void delivered(DripRequest request) {
        outbox.delivered(request.rows());
        gate.accepted();
    }

    /**
     * A transient failure outlasted the route's redeliveries: the rows go back to the outbox with
     * a later due time, or to the dead letters once they exceed the maximum attempts or age.
     */
    public void retryLater(DripRequest request, Exception cause) {
        Instant now = clock.instant();
        DripOutboxRow first = request.rows().get(0);
        int attempts = first.attempts() + 1;
        Duration age = Duration.between(Instant.ofEpochMilli(first.createdAt()), now);
        String error = describe(cause);
        if (schedule.exhausted(attempts, age)) {
            outbox.deadLetter(request.rows(), "gave up after " + attempts + " attempts over " + age.toSeconds() + "s: "
                    + error, request::describe, status(cause), responseBody(cause));
            return;
        }
        Instant at = now.plus(schedule.delayAfter(attempts));
        LOG.log(System.Logger.Level.WARNING, () -> error + "; " + request.rows().size() + " record(s) retried at " + at);
        outbox.retryLater(request.rows(), error, at);
    }

    /**
     * Not now: the hourly budget is spent (Drip said 429, or ours said no) or delivery is paused.
     * The rows go back untouched; a 429 also pauses that budget for a window.
     */
    public void postpone(DripRequest request, Exception cause) {
        if (cause instanceof DripFailure failure && failure.getStatus() == 429) {
            budget.exhausted(request.batch());
            LOG.log(System.Logger.Level.WARNING, () -> failure.getMessage() + "; pausing "
                    + (request.batch() ? "batch" : "single") + " requests for one rate-limit window");
        }
        outbox.release(request.rows());
    }

    public void unauthorized(DripRequest request, Exception cause) {
        gate.unauthorized(status(cause));
        outbox.release(request.rows());
    }

    /** Drip refused the record for good: the dead-letter channel keeps it with Drip's answer. */
    public void deadLetter(DripRequest request, Exception cause) {
        if (Integer.valueOf(403).equals(status(cause))) {
            gate.forbidden(request.path());
        }
        outbox.deadLetter(request.rows(), describe(cause), request::describe, status(cause), responseBody(cause));
    }

    private static String describe(Exception cause) {
        if (cause instanceof DripFailure) {
            return cause.getMessage();
        }
        return cause == null ? "unknown failure" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static Integer status(Exception cause) {
        return cause instanceof DripFailure failure && failure.getStatus() > 0 ? failure.getStatus() : null;
    }

    private static String responseBody(Exception cause) {
        return cause instanceof DripFailure failure ? failure.getResponseBody() : null;
    }
}
