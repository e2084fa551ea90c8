package io.github.segmentdrip.ecommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Test helpers: Segment messages written as JSON, and Drip records compared as the JSON they
 * become on the wire, so {@code 54.0} and {@code 54.00} are the same amount but {@code "54.00"}
 * (a string, which Drip refuses) is not.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A Segment message as the intake parses it: a mutable map of maps, lists and numbers. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> message(String json) {
        try {
            return MAPPER.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The record as JSON equals the expected JSON (field order aside). */
    static void assertJson(Object actual, String expectedJson) {
        try {
            JsonNode wire = MAPPER.readTree(MAPPER.writeValueAsString(actual));
            assertThat(wire).isEqualTo(MAPPER.readTree(expectedJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The record as the JSON text Jackson writes, for checks on the text itself. */
    static String write(Object actual) {
        try {
            return MAPPER.writeValueAsString(actual);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
