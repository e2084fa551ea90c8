package io.github.segmentdrip.reverse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.mapping.StrictJson;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One Drip outbound webhook, {@code {"event":"subscriber.…","data":{"account_id":…,"subscriber":{…},
 * "properties":{…}},"occurred_at":"…"}} (segment.md §6).
 *
 * <p>Only what makes the body unusable is refused (400): bytes that are not a JSON object, no
 * {@code event}, no {@code data} object, or a field of the wrong kind. Anything else is accepted
 * as it comes: Drip re-sends refused webhooks for up to three days and then disables the webhook
 * (segment.md §6), so being strict about fields the mapping does not read would cost every later
 * event.
 *
 * @param eventName  {@code event}, trimmed, e.g. {@code subscriber.opened_email}
 * @param accountId  {@code data.account_id} as text (Drip sends a string; a number is accepted);
 *                   {@code null} when absent, which no configured account matches
 * @param subscriber {@code data.subscriber}; empty when absent
 * @param properties {@code data.properties}; empty when absent (Drip leaves it out for
 *                   {@code subscriber.created} and others)
 * @param occurredAt {@code occurred_at} as text, {@code null} when absent
 * @param raw        the whole parsed body
 */
public record DripWebhook(
        String eventName,
        String accountId,
        Map<String, Object> subscriber,
        Map<String, Object> properties,
        String occurredAt,
        Map<String, Object> raw) {

    /**
     * Webhook bodies are a few kilobytes; Segment takes 32 KB per event, so nothing near this bound
     * could be forwarded anyway. It only keeps a hostile body from costing memory.
     */
    public static final int MAX_BODY_BYTES = SegmentLimits.MAX_BATCH_BYTES;

    private static final ObjectMapper JSON = StrictJson.mapper();

    public DripWebhook {
        Objects.requireNonNull(eventName, "eventName");
        subscriber = subscriber == null ? Map.of() : Collections.unmodifiableMap(subscriber);
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(properties);
        raw = raw == null ? Map.of() : Collections.unmodifiableMap(raw);
    }

    /**
     * Parses and checks the raw request body.
     *
     * @throws RequestRefused 400 for an empty body, invalid JSON, a body that is not an object, a
     *                         missing {@code event} or {@code data}, or a field of the wrong kind;
     *                         413 for a body over {@link #MAX_BODY_BYTES}
     */
    public static DripWebhook parse(byte[] body) {
        Map<String, Object> root = object(read(body), null, "body must be a JSON object");
        String event = text(root.get("event"), "event");
        if (event == null || event.isBlank()) {
            throw RequestRefused.badRequest("missing event", "event");
        }
        if (root.get("data") == null) {
            throw RequestRefused.badRequest("missing data", "data");
        }
        Map<String, Object> data = object(root.get("data"), "data", "data must be an object");
        return new DripWebhook(
                event.strip(),
                text(data.get("account_id"), "data.account_id"),
                optionalObject(data.get("subscriber"), "data.subscriber"),
                optionalObject(data.get("properties"), "data.properties"),
                text(root.get("occurred_at"), "occurred_at"),
                root);
    }

    /** Whether {@code data.account_id} is the configured account (mapping.md: it must be). */
    public boolean fromAccount(String expectedAccountId) {
        return accountId != null && expectedAccountId != null && accountId.equals(expectedAccountId.strip());
    }

    /** A subscriber field as text ({@code id}, {@code email}, {@code user_id}), {@code null} when absent or blank. */
    public String subscriberText(String field) {
        return scalarText(subscriber.get(field));
    }

    /** A {@code data.properties} field as text, {@code null} when absent or blank. */
    public String propertyText(String field) {
        return scalarText(properties.get(field));
    }

    /** Strings as they are; numbers as their plain decimal text; blank or anything else is {@code null}. */
    static String scalarText(Object value) {
        String text;
        if (value instanceof String string) {
            text = string;
        } else if (value instanceof BigDecimal decimal) {
            text = decimal.toPlainString();
        } else if (value instanceof Number || value instanceof Boolean) {
            text = value.toString();
        } else {
            return null;
        }
        return text.isBlank() ? null : text;
    }

    private static Object read(byte[] body) {
        if (body == null || body.length == 0) {
            throw RequestRefused.badRequest("empty body", null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw RequestRefused.tooLarge("body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (StreamConstraintsException e) {
            throw RequestRefused.badRequest("JSON exceeds parsing limits", null);
        } catch (JsonProcessingException e) {
            throw RequestRefused.badRequest("invalid JSON", null);
        } catch (IOException e) {
            throw RequestRefused.badRequest("unreadable body", null);
        }
    }

    /** A string, or a whole number read as its digits (Drip documents strings; its REST API has numeric ids). */
    private static String text(Object value, String field) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        throw RequestRefused.badRequest(field + " must be a string", field);
    }

    private static Map<String, Object> optionalObject(Object value, String field) {
        return value == null ? null : object(value, field, field + " must be an object");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field, String error) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw RequestRefused.badRequest(error, field);
    }
}
