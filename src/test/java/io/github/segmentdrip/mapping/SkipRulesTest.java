package io.github.segmentdrip.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class SkipRulesTest {

    private static final Path SAMPLES = Path.of("../shared/reference/samples/segment-in");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "page-unsupported.spec.json,          unsupported type page",
            "screen-unsupported.spec.json,        unsupported type screen",
            "group-unsupported.spec.json,         unsupported type group",
            "alias-unsupported.spec.json,         unsupported type alias",
            "delete-unsupported.webhooks-doc.json, unsupported type delete",
    })
    void skipsEveryTypeDripHasNoCallFor(String sample, String reason) throws IOException {
        assertThat(SkipRules.skipReason(sample(sample))).contains(reason);
    }

    @Test
    void skipsUnknownAndMissingTypes() {
        assertThat(SkipRules.skipReason(Map.of("type", "experiment_viewed"))).contains("unsupported type experiment_viewed");
        assertThat(SkipRules.skipReason(Map.of("event", "Signed Up"))).contains("unsupported type (missing)");
        assertThat(SkipRules.skipReason(Map.of("type", 3))).contains("unsupported type 3");
    }

    @Test
    void deliversIdentifyAndTrack() throws IOException {
        for (String sample : List.of("identify-plain.webhooks-doc.json", "identify-spec-complete.json",
                "identify-address-engage-audience.composed.json", "track-revenue.composed.json",
                "track-common-fields.spec.json", "track-without-email.spec.json")) {
            assertThat(SkipRules.skipReason(sample(sample))).as(sample).isEmpty();
        }
    }

    @Test
    void readsTheTypeAsTheIntakeRoutesIt() {
        // One rule for the service's router and the Kamelet: trimmed, any case.
        assertThat(SkipRules.skipReason(Map.of("type", "Track"))).isEmpty();
        assertThat(SkipRules.skipReason(Map.of("type", " IDENTIFY "))).isEmpty();
        assertThat(SkipRules.typeOf(Map.of("type", " Identify"))).isEqualTo("identify");
        assertThat(SkipRules.typeOf(Map.of("type", 3))).isEmpty();
    }

    @Test
    void skipsWhatCameFromDripSoTheReversePathCannotLoop() {
        for (String name : List.of("drip", "Drip", " DRIP ")) {
            Map<String, Object> event = Map.of("type", "track", "event", "Email Opened",
                    "context", Map.of("integration", Map.of("name", name, "version", "1.0.0")));
            assertThat(SkipRules.skipReason(event)).as(name).contains("came from Drip");
        }
    }

    @Test
    void otherCloudSourcesAreDelivered() {
        Map<String, Object> fromStripe = Map.of("type", "identify",
                "context", Map.of("integration", Map.of("name", "stripe")));
        assertThat(SkipRules.skipReason(fromStripe)).isEmpty();

        Map<String, Object> oddShapes = new HashMap<>();
        oddShapes.put("type", "track");
        oddShapes.put("context", Map.of("integration", "drip"));
        assertThat(SkipRules.skipReason(oddShapes)).isEmpty();
        oddShapes.put("context", null);
        assertThat(SkipRules.skipReason(oddShapes)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sample(String name) throws IOException {
        return new ObjectMapper().readValue(SAMPLES.resolve(name).toFile(), LinkedHashMap.class);
    }
}
