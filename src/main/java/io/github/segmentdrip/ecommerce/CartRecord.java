package io.github.segmentdrip.ecommerce;

import io.github.segmentdrip.mapping.Mapped;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * What a cart event gives: the Drip cart record, or none (Drip requires a {@code cart_url} and
 * there was none to send), with the warnings either way. No record is not an error: the custom
 * event for the same track call is still sent (mapping.md "Carts").
 *
 * @param payload  the cart record, a fresh ordered map the caller owns; null when none is sent
 * @param warnings human-readable reports, empty when everything was sent as received
 */
public record CartRecord(Map<String, Object> payload, List<String> warnings) {

    public CartRecord {
        warnings = List.copyOf(warnings);
    }

    /** No record, and why. */
    public static CartRecord none(List<String> warnings) {
        return new CartRecord(null, warnings);
    }

    /** Whether there is a record to send. */
    public boolean present() {
        return payload != null;
    }

    /** The record with its warnings, like the other mappings answer; empty when none is sent. */
    public Optional<Mapped> mapped() {
        return present() ? Optional.of(new Mapped(payload, warnings)) : Optional.empty();
    }
}
