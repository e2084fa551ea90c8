package io.github.segmentdrip.mapping;

/**
 * Segment's HTTP Tracking API limits (segment.md §3), stated once: the intake refuses what Segment
 * would refuse, and the reverse path's batches to Segment stay within them.
 */
public final class SegmentLimits {

    /** One message, as JSON. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    /** One batch request body, envelope included. */
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    /** Messages in one batch. */
    public static final int MAX_BATCH_EVENTS = 2500;

    private SegmentLimits() {
    }
}
