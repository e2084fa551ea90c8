package io.github.segmentdrip.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignatureTest {

    private static final Path SIGNATURES = Path.of("../shared/reference/samples/signatures");
    private static final String SECRET = "my-shared-secret";

    private static JsonNode vectors;
    private static byte[] single;
    private static byte[] batch;

    private final WebhookSignature signature = new WebhookSignature(SECRET);

    @BeforeAll
    static void readVectors() throws IOException {
        vectors = new ObjectMapper().readTree(SIGNATURES.resolve("x-signature-vectors.json").toFile());
        assertThat(vectors.path("sharedSecret").asText()).isEqualTo(SECRET);
        single = Files.readAllBytes(SIGNATURES.resolve(vectors.path("single").path("bodyFile").asText()));
        batch = Files.readAllBytes(SIGNATURES.resolve(vectors.path("batch").path("bodyFile").asText()));
    }

    // --- the project's vectors (samples/signatures/x-signature-vectors.json) ---

    @Test
    void singleEventVector() {
        String expected = vectors.path("single").path("expected").asText();
        assertThat(signature.verify(single, expected)).isTrue();
    }

    @Test
    void batchVectorSignsOnlyTheFirstElement() {
        JsonNode vector = vectors.path("batch");
        String expected = vector.path("expected").asText();
        assertThat(signature.verify(batch, expected)).isTrue();
        // The vector's signed message is the first element, byte for byte.
        assertThat(hmac(SECRET, vector.path("signedMessage").asText().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(expected);
    }

    @Test
    void batchVectorWholeBodyHmacMustNotMatch() {
        String wholeBody = vectors.path("batch").path("hmacOfWholeBodyWhichMustNOTMatch").asText();
        assertThat(hmac(SECRET, batch)).isEqualTo(wholeBody);
        assertThat(signature.verify(batch, wholeBody)).isFalse();
    }

    @Test
    void negativeVectorTamperedSecret() {
        JsonNode vector = vectors.path("negative");
        byte[] body = bytesOf(vector.path("bodyFile").asText());
        String tamperedSecret = vector.path("tamperedSecret").asText();
        String withTampered = vector.path("expectedWithTamperedSecret").asText();
        String genuine = vectors.path("single").path("expected").asText();

        assertThat(signature.verify(body, withTampered)).isFalse();
        assertThat(new WebhookSignature(tamperedSecret).verify(body, genuine)).isFalse();
        assertThat(new WebhookSignature(tamperedSecret).verify(body, withTampered)).isTrue();
    }

    // --- header forms ---

    @Test
    void acceptsUpperCaseHexAndSurroundingSpaces() {
        String expected = vectors.path("single").path("expected").asText();
        assertThat(signature.verify(single, expected.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(signature.verify(single, " " + expected + " ")).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "not-hex", "358bfb7d0eca3f3ef0762ab52015740cd4c8fa5",
            "358bfb7d0eca3f3ef0762ab52015740cd4c8fa5300", "sha1=358bfb7d0eca3f3ef0762ab52015740cd4c8fa53",
            "358bfb7d0eca3f3ef0762ab52015740cd4c8fa5g", "358bfb7d0eca3f3e f0762ab52015740cd4c8fa53"})
    void refusesMissingOrMalformedHeaders(String header) {
        // segment.md §2.1 documents bare hex only: no "sha1=" prefix.
        assertThat(signature.verify(single, header)).isFalse();
    }

    // --- bodies ---

    @Test
    void tamperedBodyFails() {
        String expected = vectors.path("single").path("expected").asText();
        byte[] tampered = new String(single, StandardCharsets.UTF_8)
                .replace("achilles@segment.com", "attacker@segment.com").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(tampered, expected)).isFalse();

        byte[] extraSpace = (new String(single, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(extraSpace, expected)).isFalse();
    }

    @Test
    void tamperedFirstElementOfABatchFails() {
        String expected = vectors.path("batch").path("expected").asText();
        byte[] tampered = new String(batch, StandardCharsets.UTF_8)
                .replace("jake@yahoo.com", "evil@yahoo.com").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(tampered, expected)).isFalse();
    }

    @Test
    void laterElementsAreNotSignedBySegment() {
        // Segment signs JSON.stringify(body[0]) only (segment.md §2.1): later elements are unprotected.
        String expected = vectors.path("batch").path("expected").asText();
        byte[] changed = new String(batch, StandardCharsets.UTF_8)
                .replace("Song Played", "Song Skipped").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(changed, expected)).isTrue();
    }

    @Test
    void wrongSecretFails() {
        String expected = vectors.path("single").path("expected").asText();
        assertThat(new WebhookSignature("another-secret").verify(single, expected)).isFalse();
        assertThat(new WebhookSignature("another-secret").verify(batch, vectors.path("batch").path("expected").asText()))
                .isFalse();
    }

    @Test
    void prettyPrintedArrayWithWhitespaceBetweenElements() {
        String first = "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"a@example.com\"}}";
        String second = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\"}";
        byte[] body = ("\n[\n  " + first + " ,\n\t" + second + "\r\n]\n").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(body, hmac(SECRET, first))).isTrue();
        assertThat(signature.verify(body, hmac(SECRET, body))).isFalse();
    }

    @Test
    void firstElementIsVerifiedOnItsRawBytesNeverReSerialised() {
        String pretty = "{\n  \"type\": \"identify\",\n  \"userId\": \"u1\",\n  \"traits\": { \"age\": 2.50 }\n}";
        byte[] body = ("[" + pretty + "]").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(body, hmac(SECRET, pretty))).isTrue();
        String compact = "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"age\":2.5}}";
        assertThat(signature.verify(body, hmac(SECRET, compact))).isFalse();
    }

    @Test
    void nestedArraysAndBracketsInStringsInsideTheFirstElement() {
        String first = "{\"type\":\"track\",\"event\":\"Order ]Completed[\",\"properties\":{\"products\":"
                + "[{\"sku\":\"a\",\"tags\":[\"x\",\"}]\"]},[1,[2,[3]]],[]],\"note\":\"\\\"},{\\\"\"}}";
        String second = "{\"type\":\"track\",\"event\":\"Other\"}";
        byte[] body = ("[" + first + "," + second + "]").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(body, hmac(SECRET, first))).isTrue();
        assertThat(signature.verify(body, hmac(SECRET, second))).isFalse();
    }

    @Test
    void firstElementMayItselfBeAnArray() {
        String first = "[{\"type\":\"track\"},[1,2]]";
        byte[] body = ("[" + first + ",{}]").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(body, hmac(SECRET, first))).isTrue();
    }

    @Test
    void unicodeEscapesAreSignedAsWritten() {
        // JSON.stringify keeps non-ASCII as is, but a sender that escapes signs the escapes.
        String escaped = "{\"type\":\"identify\",\"traits\":{\"name\":\"Caf\\u00e9 \\ud83d\\ude00\",\"q\":\"\\\"\\\\\\/\"}}";
        byte[] body = escaped.getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(body, hmac(SECRET, escaped))).isTrue();
        String unescaped = "{\"type\":\"identify\",\"traits\":{\"name\":\"Café 😀\",\"q\":\"\\\"\\\\/\"}}";
        assertThat(signature.verify(body, hmac(SECRET, unescaped))).isFalse();

        byte[] array = ("[" + escaped + ",{\"type\":\"track\"}]").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(array, hmac(SECRET, escaped))).isTrue();
    }

    @Test
    void spansAreCountedInBytesNotCharacters() {
        // Multi-byte UTF-8 before and inside the first element: offsets must be byte offsets.
        String first = "{\"type\":\"identify\",\"traits\":{\"name\":\"Zoë Ångström 😀 日本\"}}";
        String second = "{\"type\":\"track\",\"event\":\"Café\"}";
        byte[] body = ("[ " + first + " , " + second + " ]").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify(body, hmac(SECRET, first))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{", "{\"type\":\"identify\"", "[", "[]", "[ ]",
            "[1,2]", "[\"identify\"]", "[null]", "\"text\"", "42", "null", "[{\"a\":1}", "[{\"a\":1},",
            "[{\"a\":1},{]", "{}{}", "{} x", "[{}] []", "{\"a\":1,}", "{'a':1}"})
    void malformedOrUnsignableBodiesFail(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        // Whatever a signer would have computed over these bytes, they are refused.
        assertThat(signature.verify(body, hmac(SECRET, body))).isFalse();
        if (text.startsWith("[{\"a\":1}")) {
            assertThat(signature.verify(body, hmac(SECRET, "{\"a\":1}"))).isFalse();
        }
    }

    @Test
    void emptyObjectAndSingleElementArrayAreFine() {
        assertThat(signature.verify("{}".getBytes(StandardCharsets.UTF_8), hmac(SECRET, "{}"))).isTrue();
        assertThat(signature.verify("[{}]".getBytes(StandardCharsets.UTF_8), hmac(SECRET, "{}"))).isTrue();
    }

    @Test
    void nullBodyFails() {
        assertThat(signature.verify(null, vectors.path("single").path("expected").asText())).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void noSecretMeansNotRequiredAndNothingVerifies(String secret) {
        WebhookSignature none = new WebhookSignature(secret);
        assertThat(none.isRequired()).isFalse();
        assertThat(none.verify(single, vectors.path("single").path("expected").asText())).isFalse();
        assertThat(signature.isRequired()).isTrue();
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(signature.toString()).doesNotContain(SECRET);
    }

    private static byte[] bytesOf(String file) {
        try {
            return Files.readAllBytes(SIGNATURES.resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String secret, String message) {
        return hmac(secret, message.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
