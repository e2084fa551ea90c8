package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;

/**
 * The write key this service sends Drip's events to Segment's Tracking API with
 * ({@code segment.tracking-api.write-key}, outbound; the intake's {@code segment.write-keys} are the
 * other direction), and the header that proves it: HTTP Basic with the key as user name and an
 * empty password, {@code abc123} → {@code Basic YWJjMTIzOg==} (segment.md §3). The key
 * is a secret: {@link #toString()} never shows it, so it cannot reach a log through a route or an
 * exception message.
 *
 * <p>A blank key is allowed, so the forward path starts without the reverse path configured;
 * {@link #authorization()} refuses it.
 */
public final class TrackingApiWriteKey {

    public static final String HEADER = "Authorization";

    private final String writeKey;

    public TrackingApiWriteKey(String writeKey) {
        // Copy-pasted keys often carry a trailing newline or space; Segment's keys have none.
        this.writeKey = writeKey == null ? "" : writeKey.strip();
    }

    /** Whether a key is configured, i.e. the reverse path can send. */
    public boolean isPresent() {
        return !writeKey.isEmpty();
    }

    /**
     * The {@code Authorization} header value.
     *
     * @throws IllegalStateException when no key is configured
     */
    public String authorization() {
        if (!isPresent()) {
            throw new IllegalStateException("segment.tracking-api.write-key is not set");
        }
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(UTF_8));
    }

    @Override
    public String toString() {
        return isPresent() ? "TrackingApiWriteKey[****]" : "TrackingApiWriteKey[not set]";
    }
}
