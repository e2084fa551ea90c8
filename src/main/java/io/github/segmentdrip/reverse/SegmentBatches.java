package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.segmentdrip.mapping.SegmentLimits;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Groups stored Segment track calls (JSON text) into request bodies for Segment's
 * {@code POST /v1/batch}: at most 2,500 events and 500 KB per request, envelope included
 * (segment.md §3). The events are already JSON, so a body is built by joining them; nothing is
 * parsed or re-serialised, and the size counted is the size sent.
 */
public class SegmentBatches {

    /** Segment's HTTP Tracking API limits (segment.md §3). */
    private static final int MAX_BATCH_EVENTS = SegmentLimits.MAX_BATCH_EVENTS;
    private static final int MAX_BATCH_BYTES = SegmentLimits.MAX_BATCH_BYTES;
    private static final int MAX_EVENT_BYTES = SegmentLimits.MAX_EVENT_BYTES;

    /** Fixed width (always milliseconds), so the envelope's size is known before {@code sentAt} is. */
    private static final DateTimeFormatter SENT_AT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String OPEN = "{\"batch\":[";
    private static final String SENT_AT_KEY = "],\"sentAt\":\"";
    private static final String CLOSE = "\"}";
    /** {@code {"batch":[],"sentAt":"2024-06-05T11:44:40.000Z"}}: 48 bytes. */
    public static final int ENVELOPE_BYTES = (OPEN + SENT_AT_KEY + SENT_AT.format(Instant.EPOCH) + CLOSE)
            .getBytes(UTF_8).length;

    private final int maxEvents;
    private final int maxBytes;

    /** Segment's limits. */
    public SegmentBatches() {
        this(MAX_BATCH_EVENTS, MAX_BATCH_BYTES);
    }

    /** Smaller limits, e.g. to keep each request short; never above Segment's. */
    public SegmentBatches(int maxEvents, int maxBytes) {
        if (maxEvents < 1 || maxEvents > MAX_BATCH_EVENTS || maxBytes <= ENVELOPE_BYTES || maxBytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("batch limits must be 1.." + MAX_BATCH_EVENTS + " events and "
                    + (ENVELOPE_BYTES + 1) + ".." + MAX_BATCH_BYTES + " bytes: " + maxEvents + ", " + maxBytes);
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Splits the events, in order, into requests: each list holds the indexes of the events of one
     * body. An event too large to share a body with any other gets one of its own, which Segment
     * refuses with 400; the caller dead-letters it then, and the others are not held back by it.
     */
    public List<List<Integer>> plan(List<String> eventJsons) {
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long currentBytes = ENVELOPE_BYTES;
        for (int i = 0; i < eventJsons.size(); i++) {
            int size = utf8Length(Objects.requireNonNull(eventJsons.get(i), "event"));
            // One comma between two events.
            long added = current.isEmpty() ? size : size + 1L;
            if (!current.isEmpty() && (current.size() >= maxEvents || currentBytes + added > maxBytes)) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = ENVELOPE_BYTES;
                added = size;
            }
            current.add(i);
            currentBytes += added;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** {@link #plan}, with the events themselves instead of their indexes. */
    public List<List<String>> split(List<String> eventJsons) {
        List<List<String>> batches = new ArrayList<>();
        for (List<Integer> indexes : plan(eventJsons)) {
            batches.add(indexes.stream().map(eventJsons::get).toList());
        }
        return batches;
    }

    /**
     * {@code {"batch":[e1,e2,…],"sentAt":"…"}}. {@code sentAt} is when the request leaves; Segment
     * uses it only to correct {@code originalTimestamp}, and the events carry {@code timestamp}.
     */
    public static String body(List<String> eventJsons, Instant sentAt) {
        StringBuilder body = new StringBuilder(ENVELOPE_BYTES + eventJsons.stream().mapToInt(String::length).sum()
                + eventJsons.size());
        body.append(OPEN);
        for (int i = 0; i < eventJsons.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(eventJsons.get(i));
        }
        return body.append(SENT_AT_KEY).append(SENT_AT.format(sentAt)).append(CLOSE).toString();
    }

    /** The size of a body holding exactly these events, in bytes. */
    public static long bodyBytes(List<String> eventJsons) {
        long bytes = ENVELOPE_BYTES + Math.max(0, eventJsons.size() - 1);
        for (String event : eventJsons) {
            bytes += utf8Length(event);
        }
        return bytes;
    }

    /** Over Segment's 32 KB per event: Segment refuses it (400), so it can be dead-lettered before sending. */
    public static boolean tooLarge(String eventJson) {
        return utf8Length(eventJson) > MAX_EVENT_BYTES;
    }

    /** UTF-8 length without encoding the string. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                // Lone surrogates become '?' (1 byte) in String.getBytes; counting 3 only over-estimates.
                bytes += 3;
            }
        }
        return bytes;
    }

    public int maxEvents() {
        return maxEvents;
    }

    public int maxBytes() {
        return maxBytes;
    }
}
