package io.github.segmentdrip.mapping;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of mapping one Segment message: the Drip object to send, and what the mapping had to
 * leave out or change on the way (dropped keys, over-long values, out-of-range revenue...).
 * Warnings do not stop delivery; they are reported so a customer can find why a trait never
 * reached Drip.
 *
 * @param payload  the Drip object; a fresh, ordered map the caller owns
 * @param warnings human-readable reports, empty when everything was sent as received
 */
public record Mapped(Map<String, Object> payload, List<String> warnings) {

    public Mapped {
        Objects.requireNonNull(payload, "payload");
        warnings = List.copyOf(warnings);
    }
}
