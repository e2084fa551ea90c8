package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.DripOutbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Notices a delivery that stopped without a word: rows could be claimed, the budget has room,
 * delivery is not paused, and yet no request has gone to Drip for {@code stallAfter}. Every wait on
 * the delivery path is bounded, so this should not happen; it was seen once (240 s, no thread dump),
 * and the next time the log line this class writes carries the delivery threads' stacks, which tell
 * a hung connection from a held lock or a busy database. Readiness reports the stall until requests
 * flow again, then the recovery is logged once too.
 *
 * <p>{@link #sending} and {@link #answered} are called around every HTTP call to Drip (route
 * {@code drip-call}); {@link #check} runs on a timer of its own (route {@code drip-delivery-watchdog}),
 * never on the delivery thread, which is the one that may be stuck.
 */
public class DeliveryWatchdog {

    private static final System.Logger LOG = System.getLogger(DeliveryWatchdog.class.getName());

    /** The reason needs "some rows", not the backlog's size: counting stops here. */
    private static final int COUNT_CAP = 1000;

    private final DripOutbox outbox;
    private final DripBudget budget;
    private final DeliveryGate gate;
    private final Clock clock;
    private final Duration stallAfter;
    private final Supplier<String> threadDump;

    /** The last sign of life of delivery: a request sent or answered; the start counts as one. */
    private final AtomicLong lastRequestAt;
    /** Since when (first check that saw it) rows could go to Drip without interruption; -1: not now. */
    private long readySince = -1;
    private volatile Stall stall;

    public DeliveryWatchdog(DripOutbox outbox, DripBudget budget, DeliveryGate gate, Clock clock, Duration stallAfter) {
        this(outbox, budget, gate, clock, stallAfter, DeliveryThreads::dump);
    }

    DeliveryWatchdog(DripOutbox outbox, DripBudget budget, DeliveryGate gate, Clock clock, Duration stallAfter,
            Supplier<String> threadDump) {
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("drip.delivery.stall-after must be positive, not " + stallAfter);
        }
        this.outbox = outbox;
        this.budget = budget;
        this.gate = gate;
        this.clock = clock;
        this.stallAfter = stallAfter;
        this.threadDump = threadDump;
        this.lastRequestAt = new AtomicLong(clock.millis());
    }

    /** A request is about to go to Drip (each attempt, redeliveries included). */
    public void sending() {
        lastRequestAt.set(clock.millis());
    }

    /** Drip answered a request, whatever the status. */
    public void answered() {
        lastRequestAt.set(clock.millis());
    }

    /** Looks once: reports a stall when it starts (with the thread dump) and when it ends, once each. */
    public synchronized void check() {
        long now = clock.millis();
        String reason;
        try {
            reason = stallReason(now);
        } catch (RuntimeException e) {
            // The database did not answer: its own health check says so; nothing can be told here.
            LOG.log(System.Logger.Level.DEBUG, () -> "Delivery watchdog could not look at the outbox: " + e);
            return;
        }
        Stall current = stall;
        if (reason != null && current == null) {
            stall = new Stall(now, reason);
            LOG.log(System.Logger.Level.ERROR, () -> "Delivery to Drip stalled: " + reason
                    + ". Threads on the delivery path (stack frames only):\n" + threadDump.get());
        } else if (reason != null) {
            stall = new Stall(current.since(), reason);
        } else if (current != null) {
            stall = null;
            boolean flowing = lastRequestAt.get() >= current.since();
            LOG.log(System.Logger.Level.INFO, () -> "Delivery to Drip no longer stalled, after " + seconds(now - current.since())
                    + (flowing ? ": requests go to Drip again" : ": no row is waiting that could be sent now"));
        }
    }

    /** Why delivery is stalled, for readiness; null while it is not. */
    public String stallReason() {
        Stall current = stall;
        return current == null ? null : current.reason();
    }

    /** When the current stall was noticed; null while there is none. */
    public Instant stalledSince() {
        Stall current = stall;
        return current == null ? null : Instant.ofEpochMilli(current.since());
    }

    /**
     * Null unless rows could go and nothing went for long enough. Cheapest questions first: the
     * gate is in memory, the budget and the outbox are in the database.
     */
    private String stallReason(long now) {
        if (!gate.isOpen()) {
            readySince = -1;
            return null;
        }
        int single = budget.available(false);
        int batch = budget.available(true);
        if (single == 0 && batch == 0) {
            readySince = -1;
            return null;
        }
        int claimable = outbox.countClaimable(COUNT_CAP);
        if (claimable == 0) {
            readySince = -1;
            return null;
        }
        if (readySince < 0) {
            readySince = now;
        }
        long last = lastRequestAt.get();
        // Rows that just became due after a quiet hour are no stall: both must be older than the limit.
        long quiet = now - Math.max(last, readySince);
        if (quiet < patience(single).toMillis()) {
            return null;
        }
        return "no request sent to Drip for " + seconds(now - last) + " although "
                + (claimable >= COUNT_CAP ? "at least " + COUNT_CAP + " rows are" : claimable == 1 ? "1 row is" : claimable + " rows are")
                + " due and the budget has room";
    }

    /**
     * With room on the single budget the dispatcher sends at once. With room on the batch budget
     * only, it sends a partial batch at most once per {@code window / batch limit}: waiting that long
     * is its policy, not a stall.
     */
    private Duration patience(int singleRoom) {
        if (singleRoom > 0) {
            return stallAfter;
        }
        Duration pace = budget.window().dividedBy(Math.max(1, budget.limit(true)));
        return pace.compareTo(stallAfter) > 0 ? pace : stallAfter;
    }

    private static String seconds(long millis) {
        return Math.max(0, millis / 1000) + " s";
    }

    private record Stall(long since, String reason) {
    }
}
