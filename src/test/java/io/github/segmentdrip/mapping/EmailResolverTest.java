package io.github.segmentdrip.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailResolverTest {

    private static final Path SAMPLES = Path.of("../shared/reference/samples/segment-in");

    @Nested
    class Identify {

        @Test
        void prefersTraitsEmail() {
            Map<String, Object> event = Map.of(
                    "userId", "user@example.com",
                    "traits", Map.of("email", "traits@example.com"),
                    "context", Map.of("traits", Map.of("email", "context@example.com")));
            assertThat(EmailResolver.forIdentify(event)).contains("traits@example.com");
        }

        @Test
        void thenContextTraitsEmail() {
            Map<String, Object> event = Map.of(
                    "userId", "user@example.com",
                    "traits", Map.of("email", "   "),
                    "context", Map.of("traits", Map.of("email", "context@example.com")));
            assertThat(EmailResolver.forIdentify(event)).contains("context@example.com");
        }

        @Test
        void thenAnEmailLikeUserId() {
            assertThat(EmailResolver.forIdentify(Map.of("userId", " user@example.com ", "traits", Map.of())))
                    .contains("user@example.com");
            assertThat(EmailResolver.forIdentify(Map.of("userId", "97980cfea0067"))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"jane@@x.com", "jane example.com", "12324adfgs"})
        void refusesAnInvalidTraitsEmailNamingTheField(String invalid) {
            Map<String, Object> event = Map.of("userId", "user@example.com", "traits", Map.of("email", invalid));
            assertThatThrownBy(() -> EmailResolver.forIdentify(event)).isInstanceOfSatisfying(MappingException.class,
                    refused -> {
                        assertThat(refused.error()).isEqualTo("invalid email");
                        assertThat(refused.field()).isEqualTo("traits.email");
                    });
        }

        @Test
        void refusesAnInvalidContextTraitsEmailWhenItIsTheOneChosen() {
            Map<String, Object> event = Map.of("context", Map.of("traits", Map.of("email", "nope")));
            assertThatThrownBy(() -> EmailResolver.forIdentify(event)).isInstanceOfSatisfying(MappingException.class,
                    refused -> assertThat(refused.field()).isEqualTo("context.traits.email"));
        }

        @Test
        void ignoresPropertiesEmail() {
            assertThat(EmailResolver.forIdentify(Map.of("properties", Map.of("email", "p@example.com")))).isEmpty();
        }

        @Test
        void trimsAndSkipsNonStrings() {
            assertThat(EmailResolver.forIdentify(Map.of("traits", Map.of("email", "  peter@example.com\n"))))
                    .contains("peter@example.com");
            assertThat(EmailResolver.forIdentify(Map.of("traits", Map.of("email", 42),
                    "context", Map.of("traits", "peter@example.com")))).isEmpty();
        }

        @Test
        void samples() throws IOException {
            assertThat(EmailResolver.forIdentify(sample("identify-plain.webhooks-doc.json")))
                    .contains("achilles@segment.com");
            assertThat(EmailResolver.forIdentify(sample("identify-spec-complete.json")))
                    .contains("peter@example.com");
            assertThat(EmailResolver.forIdentify(sample("identify-engage-audience.realworld-public.json")))
                    .contains("dpease+test@drift.com");
            assertThat(EmailResolver.forIdentify(sample("identify-engage-audience.docs.json"))).isEmpty();
            assertThat(EmailResolver.forIdentify(sample("identify-engage-journey-string-true.docs.json"))).isEmpty();
        }
    }

    @Nested
    class Track {

        @Test
        void prefersPropertiesEmail() {
            Map<String, Object> event = Map.of(
                    "userId", "user@example.com",
                    "properties", Map.of("email", "props@example.com"),
                    "context", Map.of("traits", Map.of("email", "context@example.com")));
            assertThat(EmailResolver.forTrack(event)).contains("props@example.com");
        }

        @Test
        void thenContextTraitsEmail() {
            Map<String, Object> event = Map.of(
                    "userId", "user@example.com",
                    "properties", Map.of("title", "x"),
                    "context", Map.of("traits", Map.of("email", "context@example.com")));
            assertThat(EmailResolver.forTrack(event)).contains("context@example.com");
        }

        @Test
        void thenAnEmailLikeUserId() {
            assertThat(EmailResolver.forTrack(Map.of("userId", "user@example.com"))).contains("user@example.com");
        }

        @Test
        void refusesAnInvalidPropertiesEmailEvenWithAGoodOneElsewhere() {
            Map<String, Object> event = Map.of("userId", "user@example.com", "properties", Map.of("email", "jane@@x.com"),
                    "context", Map.of("traits", Map.of("email", "context@example.com")));
            assertThatThrownBy(() -> EmailResolver.forTrack(event)).isInstanceOfSatisfying(MappingException.class,
                    refused -> {
                        assertThat(refused.error()).isEqualTo("invalid email");
                        assertThat(refused.field()).isEqualTo("properties.email");
                    });
        }

        @Test
        void aUserIdThatIsNoEmailIsMissingNotInvalid() {
            assertThat(EmailResolver.forTrack(Map.of("userId", "jane@@x.com"))).isEmpty();
        }

        @Test
        void ignoresTopLevelTraits() {
            assertThat(EmailResolver.forTrack(Map.of("traits", Map.of("email", "t@example.com")))).isEmpty();
        }

        @Test
        void samples() throws IOException {
            assertThat(EmailResolver.forTrack(sample("track-email-in-properties.integration-drip.json")))
                    .contains("jd@example.com");
            assertThat(EmailResolver.forTrack(sample("track-revenue.composed.json"))).contains("peter@example.com");
            assertThat(EmailResolver.forTrack(sample("track-without-email.spec.json"))).isEmpty();
            assertThat(EmailResolver.forTrack(sample("track-common-fields.spec.json"))).isEmpty();
        }
    }

    @Nested
    class LooksLikeEmail {

        @ParameterizedTest
        @ValueSource(strings = {"a@b.co", "peter@example.com", "dpease+test@drift.com", "  padded@example.com  ",
                "first.last@sub.example.org"})
        void accepts(String candidate) {
            assertThat(EmailResolver.looksLikeEmail(candidate)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "97980cfea0067", "no-at.example.com", "two@@example.com", "a@b@example.com",
                "with space@example.com", "tab\t@example.com", "user@localhost", "@example.com", "user@",
                "user@.com", "user@example."})
        void rejects(String candidate) {
            assertThat(EmailResolver.looksLikeEmail(candidate)).isFalse();
        }

        @Test
        void rejectsNull() {
            assertThat(EmailResolver.looksLikeEmail(null)).isFalse();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sample(String name) throws IOException {
        return new ObjectMapper().readValue(SAMPLES.resolve(name).toFile(), LinkedHashMap.class);
    }
}
