package io.github.segmentdrip.reverse;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether delivery to Segment may run, and why not: without a write key, or after Segment refused
 * it, every batch would fail the same way, so the rows wait in the outbox instead.
 */
public class SegmentGate {

    private static final System.Logger LOG = System.getLogger(SegmentGate.class.getName());

    private final TrackingApiWriteKey writeKey;
    private final AtomicReference<String> refusedBecause = new AtomicReference<>();

    public SegmentGate(TrackingApiWriteKey writeKey) {
        this.writeKey = writeKey;
    }

    /** Null when delivery may run, else the reason it waits. */
    public String blockedReason() {
        if (!writeKey.isPresent()) {
            return "segment.tracking-api.write-key not set: Drip webhooks are stored, delivery to Segment waits "
                    + "until SEGMENT_TRACKING_API_WRITE_KEY is set";
        }
        return refusedBecause.get();
    }

    public boolean isOpen() {
        return blockedReason() == null;
    }

    /** The step before each call: batches already claimed when delivery paused go back untouched. */
    public void requireOpen() {
        String reason = blockedReason();
        if (reason != null) {
            throw new SegmentFailure.Paused(reason);
        }
    }

    /** Segment answered 401: stop, and say so once, instead of dead-lettering every event. */
    public void unauthorized(int status) {
        String reason = "Segment refused the write key (HTTP " + status + "): delivery to Segment is paused; "
                + "set a valid SEGMENT_TRACKING_API_WRITE_KEY and restart";
        if (refusedBecause.compareAndSet(null, reason)) {
            LOG.log(System.Logger.Level.ERROR, reason);
        }
    }
}
