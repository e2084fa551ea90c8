package io.github.segmentdrip.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How every body from outside is read (mapping.md "Request bodies"), without Camel: the refusals the
 * intake turns into "invalid JSON" answers, each checked on the mapper itself.
 */
class StrictJsonTest {

    private static final ObjectMapper JSON = StrictJson.mapper();

    @Test
    void oneObjectWithSurroundingWhitespaceIsRead() throws JsonProcessingException {
        JsonNode node = JSON.readTree("  {\"type\":\"track\",\"event\":\"E\",\"properties\":{\"revenue\":19.99}}\n");
        assertThat(node.get("event").asText()).isEqualTo("E");
        assertThat(node.at("/properties/revenue").decimalValue()).isEqualByComparingTo("19.99");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"track\"} trailing",
            "{\"batch\":[]} {\"batch\":[]}",
            "{\"type\":\"track\",\"type\":\"identify\"}",
            "{\"type\":\"track\",\"properties\":{\"revenue\":NaN}}",
            "{'type':'track'}",
            "{\"type\":\"track\",}",
            "/* x */ {\"type\":\"track\"}"})
    void whatLenientParsersAcceptIsRefused(String body) {
        assertThatThrownBy(() -> JSON.readTree(body)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void deepNestingIsRefusedAndShallowNestingRead() throws JsonProcessingException {
        assertThat(JSON.readTree("[".repeat(64) + "]".repeat(64))).isNotNull();
        assertThatThrownBy(() -> JSON.readTree("[".repeat(65) + "]".repeat(65)))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JSON.readTree("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void overlongNumbersAreRefused() {
        assertThatThrownBy(() -> JSON.readTree("{\"revenue\":1" + "0".repeat(5000) + "}"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
