package io.github.segmentdrip.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape of a refusal at every HTTP door, {@code {"success":false,"error":…,"field":…}}: what
 * Segment's libraries read from the Tracking API, and what Drip, an operator's script or a curl user
 * then reads from the other doors too.
 */
public class RefusalBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body of a refused request ({@code http-errors}). */
    public String refused(RequestRefused refusal) {
        return error(refusal.getError(), refusal.getField());
    }

    /** The body of a 503: the outbox database did not answer, nothing was stored, the sender retries. */
    public String unavailable() {
        return error("outbox unavailable, retry later", null);
    }

    /** The body of a 503: no intake worker took the request in time, nothing was stored, the sender retries. */
    public String busy() {
        return error("busy, retry later", null);
    }

    /** {@code {"success":false,"error":…}}, with {@code field} when there is one. */
    public static String error(String error, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
