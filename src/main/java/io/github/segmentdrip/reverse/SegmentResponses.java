package io.github.segmentdrip.reverse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads Segment's answer to a {@code /v1/batch} (segment.md §3) and turns every non-success into
 * the {@link SegmentFailure} that says what delivery must do: 429, 5xx (but 501), 408 are worth
 * another try, honouring {@code Retry-After}; 401 pauses delivery; any other status is final.
 */
public class SegmentResponses {

    private static final int MAX_KEPT_BODY = 4000;

    private final Duration maxRedeliveryDelay;
    private final Clock clock;

    /**
     * @param maxRedeliveryDelay the longest wait an in-route redelivery may take; a longer
     *                           {@code Retry-After} goes to the outbox's durable back-off instead of
     *                           holding the delivery thread
     */
    public SegmentResponses(Duration maxRedeliveryDelay, Clock clock) {
        this.maxRedeliveryDelay = maxRedeliveryDelay;
        this.clock = clock;
    }

    /**
     * The wait before the route's next redelivery, in milliseconds, when Segment said how long
     * (the route puts it in {@code CamelRedeliveryDelay}, which Camel's redelivery reads); {@code null}
     * lets the redelivery policy's back-off decide.
     */
    public Long redeliveryDelay(Integer status, String retryAfter) {
        if (status == null || !retryable(status)) {
            return null;
        }
        Duration wait = retryAfter(retryAfter, clock.instant());
        return wait == null || wait.compareTo(maxRedeliveryDelay) > 0 ? null : wait.toMillis();
    }

    public void check(SegmentRequest request, int status, String retryAfter, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        String text = body == null ? "" : body.length() > MAX_KEPT_BODY ? body.substring(0, MAX_KEPT_BODY) : body;
        String what = "Segment answered " + status + " to POST /v1/batch of " + request.size() + " event"
                + (request.size() == 1 ? "" : "s");
        if (status == 401) {
            throw new SegmentFailure.Unauthorized(what + ": the write key was refused", status, text);
        }
        if (retryable(status)) {
            Duration wait = retryAfter(retryAfter, clock.instant());
            if (wait != null && wait.compareTo(maxRedeliveryDelay) > 0) {
                throw new SegmentFailure.Deferred(what + ", retry after " + wait.toSeconds() + "s", status, text, wait);
            }
            throw new SegmentFailure.Retryable(what, status, text, wait);
        }
        throw new SegmentFailure.Rejected(what, status, text);
    }

    /** 429 (rate limited), 408, and 5xx except 501, which Segment's own destinations retry too (segment.md §2.2). */
    static boolean retryable(int status) {
        return status == 429 || status == 408 || (status >= 500 && status != 501);
    }

    /**
     * {@code Retry-After} as a wait from {@code now}: delta-seconds (Segment's form, segment.md §3)
     * or an HTTP date (RFC 9110 §10.2.3). {@code null} when absent or unreadable; never negative.
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return Duration.ofSeconds(Math.max(0, Math.min(seconds, Duration.ofDays(1).toSeconds())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
