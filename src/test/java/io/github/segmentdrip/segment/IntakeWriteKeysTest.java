package io.github.segmentdrip.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntakeWriteKeysTest {

    private final IntakeWriteKeys keys = new IntakeWriteKeys("abc123, second-key ,");

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", " , ,"})
    void noKeysMeansOpenIntake(String configured) {
        IntakeWriteKeys open = new IntakeWriteKeys(configured);
        assertThat(open.isOpen()).isTrue();
        assertThat(open.allows(null, null)).isTrue();
        assertThat(open.allows("Basic garbage", "anything")).isTrue();
    }

    @Test
    void configuredKeysCloseIntake() {
        assertThat(keys.isOpen()).isFalse();
        assertThat(keys.allows(null, null)).isFalse();
    }

    @Test
    void acceptsTheHttpApiDocsExample() {
        // segment.md §3: abc123 → Basic YWJjMTIzOg==
        assertThat(keys.allows("Basic YWJjMTIzOg==", null)).isTrue();
    }

    @Test
    void acceptsEveryConfiguredKeyWithBlanksAroundThem() {
        assertThat(keys.allows(basic("second-key:"), null)).isTrue();
        assertThat(keys.allows(null, "second-key")).isTrue();
    }

    @Test
    void toleratesAKeyWithoutTheColon() {
        assertThat(keys.allows(basic("abc123"), null)).isTrue();
    }

    @Test
    void toleratesSchemeCaseMissingPaddingAndSurroundingSpaces() {
        assertThat(keys.allows("basic YWJjMTIzOg==", null)).isTrue();
        assertThat(keys.allows("BASIC YWJjMTIzOg==", null)).isTrue();
        assertThat(keys.allows("Basic YWJjMTIzOg", null)).isTrue();
        assertThat(keys.allows("  Basic   YWJjMTIzOg==  ", null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "wrong:", "abc12:", "abc1234:", "ABC123:", "abc123:password", "abc123::", ":abc123", ":", "",
            " abc123:", "abc123 :"})
    void refusesOtherCredentials(String userColonPassword) {
        assertThat(keys.allows(basic(userColonPassword), null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc123", "Bearer YWJjMTIzOg==", "Basic", "Basic ", "Basic not*base64!",
            "YWJjMTIzOg==", "abc123", "BasicYWJjMTIzOg=="})
    void refusesOtherHeaders(String header) {
        assertThat(keys.allows(header, null)).isFalse();
    }

    @Test
    void acceptsTheWriteKeyInTheBodyAsAnalyticsJsSendsIt() {
        assertThat(keys.allows(null, "abc123")).isTrue();
        assertThat(keys.allows(null, "abc12")).isFalse();
        assertThat(keys.allows(null, "")).isFalse();
        assertThat(keys.allows(null, " abc123")).isFalse();
    }

    @Test
    void eitherSourceIsEnough() {
        assertThat(keys.allows(basic("wrong:"), "abc123")).isTrue();
        assertThat(keys.allows(basic("abc123:"), "wrong")).isTrue();
        assertThat(keys.allows(basic("wrong:"), "wrong")).isFalse();
    }

    @Test
    void comparesUtf8Keys() {
        IntakeWriteKeys unicode = new IntakeWriteKeys("clé-ünïcode");
        assertThat(unicode.allows(basic("clé-ünïcode:"), null)).isTrue();
        assertThat(unicode.allows(null, "clé-ünïcode")).isTrue();
        assertThat(unicode.allows(null, "cle-unicode")).isFalse();
    }

    @Test
    void neverShowsAKey() {
        assertThat(keys.toString()).doesNotContain("abc123").doesNotContain("second-key").contains("2");
        assertThat(new IntakeWriteKeys(null).toString()).contains("open");
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }
}
