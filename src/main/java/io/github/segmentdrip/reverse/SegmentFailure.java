package io.github.segmentdrip.reverse;

import java.time.Duration;

/**
 * Segment did not accept a batch. The subclass says what delivery does about it; the
 * {@code segment-error-handling} route configuration chooses by type, so the policy reads in
 * {@code routes/}.
 */
public abstract class SegmentFailure extends RuntimeException {

    private final int status;
    private final String responseBody;
    private final Duration retryAfter;

    protected SegmentFailure(String message, int status, String responseBody, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.responseBody = responseBody;
        this.retryAfter = retryAfter;
    }

    /** Segment's HTTP status, or 0 when no answer came. */
    public int getStatus() {
        return status;
    }

    public String getResponseBody() {
        return responseBody;
    }

    /** Segment's {@code Retry-After}, or {@code null} when it sent none. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    /** 429, 5xx, 408: redeliver with back-off now, then durable back-off in the outbox. */
    public static class Retryable extends SegmentFailure {
        public Retryable(String message, int status, String responseBody, Duration retryAfter) {
            super(message, status, responseBody, retryAfter);
        }
    }

    /**
     * As {@link Retryable}, but Segment asked for a wait longer than an in-route redelivery may
     * take: straight to the durable back-off, due no earlier than {@code Retry-After}.
     */
    public static class Deferred extends SegmentFailure {
        public Deferred(String message, int status, String responseBody, Duration retryAfter) {
            super(message, status, responseBody, retryAfter);
        }
    }

    /** Delivery to Segment is paused (no write key, or Segment refused it). */
    public static class Paused extends SegmentFailure {
        public Paused(String message) {
            super(message, 0, null, null);
        }
    }

    /** 401: the write key was refused; every batch would fail the same way, so delivery pauses. */
    public static class Unauthorized extends SegmentFailure {
        public Unauthorized(String message, int status, String responseBody) {
            super(message, status, responseBody, null);
        }
    }

    /** Any other 4xx (and 501): Segment refused the batch for good. */
    public static class Rejected extends SegmentFailure {
        public Rejected(String message, int status, String responseBody) {
            super(message, status, responseBody, null);
        }
    }
}
