package io.github.segmentdrip.testing;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One request as {@link DripEmulator} saw it, with the status it answered.
 *
 * @param method       HTTP method
 * @param path         request path without the query string
 * @param headers      request headers; the map looks names up case-insensitively
 * @param body         request body as UTF-8 text, empty when there was none
 * @param json         the body parsed as JSON, {@link MissingNode} when it was empty or not JSON
 * @param status       the status the emulator answered
 * @param responseBody the body the emulator answered, empty for 204
 * @param time         when the request arrived
 */
public record RecordedRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        String body,
        JsonNode json,
        int status,
        String responseBody,
        Instant time) {

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        json = json == null ? MissingNode.getInstance() : json;
        body = body == null ? "" : body;
        responseBody = responseBody == null ? "" : responseBody;
    }

    /** The first value of a header, looked up case-insensitively, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Whether the path is one of Drip's batch endpoints (v2 {@code …/batches}, v3 {@code …/batch}),
     * which have their own rate limit.
     */
    public boolean batch() {
        return DripContract.isBatchPath(path);
    }

    /** 2xx: Drip accepted the request. */
    public boolean accepted() {
        return status >= 200 && status < 300;
    }
}
