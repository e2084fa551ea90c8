package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A generated corpus of malformed, oversized, mistyped and hostile requests on every intake
 * endpoint, with and without credentials: every answer is a 4xx (or a 2xx skip) with a JSON body,
 * never a 5xx; nothing reaches Drip or the outbox; the service works normally afterwards.
 * Black-box (the outbox seen through the admin API).
 */
@QuarkusTest
@WithTestResource(SecuredEmulatorResource.class)
class HostileInputTest {

    private static final String[] ENDPOINTS = {"/v1/identify", "/v1/track", "/v1/page", "/v1/group", "/v1/alias",
            "/v1/batch", "/v1/import", "/v1/t", "/v1/b", "/segment/webhook", "/v1/nonsense",
            "/drip/webhooks/" + SecuredEmulatorResource.DRIP_WEBHOOK_TOKEN, "/drip/webhooks/guessed-token"};

    private static final String[] AUTH = {"none", "wrong", "valid", "valid"};
    private static final String[] CONTENT_TYPES = {"application/json", "text/plain", "application/json",
            "application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=xyz",
            "application/xml", "application/json; charset=utf-8"};
    /** A declared encoding the body does not have, or one the service does not decode. */
    private static final String[] ENCODINGS = {null, null, "gzip", null, "br", null, "deflate", "gzip, zstd", null};
    /** Bodies really compressed: sent with their own encoding. */
    private static final Map<String, String> COMPRESSED = new LinkedHashMap<>();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @Test
    void noHostileRequestCausesA5xxOrReachesDrip() throws IOException, InterruptedException {
        int port = root.getPort();
        await().until(() -> outboxDepth() == 0);
        drip().reset();
        long outboxBefore = outboxDepth();
        Map<String, byte[]> bodies = bodies();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        HttpClient client = HttpClient.newHttpClient();
        for (String endpoint : ENDPOINTS) {
            for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
                // Credentials and content types rotate, so each body meets the endpoints in many guises.
                String auth = AUTH[sent % AUTH.length];
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + endpoint))
                        .header("Content-Type", CONTENT_TYPES[sent % CONTENT_TYPES.length])
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.getValue()));
                String encoding = COMPRESSED.getOrDefault(body.getKey(), ENCODINGS[sent % ENCODINGS.length]);
                if (encoding != null) {
                    request.header("Content-Encoding", encoding);
                }
                credentials(auth).ifPresent(value -> request.header("Authorization", value));
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                sent++;
                String what = endpoint + " " + body.getKey() + " auth=" + auth + " -> " + response.statusCode();
                JsonNode json = parse(response.body());
                if (response.statusCode() >= 500 || response.statusCode() < 200) {
                    failures.add(what);
                } else if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                        || json == null || !json.has("success")) {
                    failures.add(what + " without a JSON body: " + response.body());
                } else if (response.statusCode() >= 400 && !json.hasNonNull("error")) {
                    failures.add(what + " without an error: " + response.body());
                }
            }
        }
        assertThat(sent).isGreaterThanOrEqualTo(500);
        assertThat(failures).isEmpty();
        assertThat(outboxDepth()).isEqualTo(outboxBefore);
        assertThat(drip().requests()).isEmpty();

        // Still working: a proper call is accepted and delivered.
        given().header("Authorization", credentials("valid").orElseThrow()).contentType("application/json")
                .body("{\"userId\":\"after@example.com\",\"event\":\"Still Fine\"}").post("/v1/track").then().statusCode(200);
        await().until(() -> drip().events().size() == 1);
    }

    private static Optional<String> credentials(String auth) {
        return switch (auth) {
            case "valid" -> Optional.of(basic(SecuredEmulatorResource.WRITE_KEY + ":"));
            case "wrong" -> Optional.of(basic("wk_guess:"));
            default -> Optional.empty();
        };
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** Bodies no endpoint may store: malformed, oversized, mistyped, hostile, or without an email. */
    private static Map<String, byte[]> bodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        text(bodies, "empty", "");
        text(bodies, "null", "null");
        text(bodies, "number", "42");
        text(bodies, "string", "\"track\"");
        text(bodies, "truncated", "{\"type\":\"track\",\"event\":");
        text(bodies, "trailing-comma", "{\"type\":\"track\",}");
        text(bodies, "single-quotes", "{'type':'track'}");
        text(bodies, "comment", "/* x */ {\"type\":\"track\"}");
        text(bodies, "nan", "{\"type\":\"track\",\"event\":\"E\",\"properties\":{\"revenue\":NaN}}");
        text(bodies, "duplicate-keys", "{\"type\":\"track\",\"type\":\"identify\"}");
        text(bodies, "deep-arrays", "[".repeat(5000) + "]".repeat(5000));
        text(bodies, "deep-objects", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        text(bodies, "long-number", "{\"type\":\"track\",\"event\":\"E\",\"properties\":{\"revenue\":1" + "0".repeat(5000) + "}}");
        text(bodies, "huge-exponent", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"x\",\"properties\":{\"revenue\":1e400}}");
        text(bodies, "oversized", "{\"type\":\"track\",\"event\":\"" + "x".repeat(600 * 1024) + "\"}");
        text(bodies, "escaped-nul", "{\"type\":\"track\",\"event\":\"a\\u0000b\",\"userId\":\"n@example.com\"}");
        bytes(bodies, "raw-nul", "{\"type\":\"track\",\"event\":\"a\u0000b\",\"userId\":\"n@example.com\"}".getBytes(StandardCharsets.UTF_8));
        bytes(bodies, "invalid-utf8", concat("{\"type\":\"track\",\"event\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, "\",\"userId\":\"u@example.com\"}".getBytes(StandardCharsets.UTF_8)));
        text(bodies, "xml", "<event type=\"track\"/>");
        text(bodies, "form", "type=track&event=E&userId=u%40example.com");
        text(bodies, "type-number", "{\"type\":7}");
        text(bodies, "type-object", "{\"type\":{\"is\":\"track\"}}");
        text(bodies, "no-email-identify", "{\"type\":\"identify\",\"userId\":\"not-an-email\",\"traits\":{\"name\":\"X\"}}");
        text(bodies, "email-wrong-type", "{\"type\":\"identify\",\"traits\":{\"email\":[\"a@example.com\"]}}");
        text(bodies, "no-email-track", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"nobody\",\"properties\":{\"revenue\":\"$1,000\"}}");
        text(bodies, "event-object", "{\"type\":\"track\",\"event\":{\"name\":\"E\"},\"userId\":\"nobody\"}");
        text(bodies, "batch-not-array", "{\"batch\":{\"type\":\"track\"}}");
        text(bodies, "batch-of-scalars", "{\"batch\":[1,\"two\",null,true]}");
        text(bodies, "batch-no-email", "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"userId\":\"nobody\"},"
                + "{\"type\":\"identify\",\"userId\":\"nobody\"}]}");
        StringBuilder tooMany = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 2600; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{}");
        }
        text(bodies, "batch-too-many", tooMany.append("]}").toString());
        text(bodies, "weird-timestamps", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"nobody\","
                + "\"timestamp\":\"2024-13-45T99:99:99Z\",\"originalTimestamp\":1e30}");
        text(bodies, "traits-array", "{\"type\":\"identify\",\"traits\":[\"email\",\"a@example.com\"]}");
        // Issue 9: bad input refused up front.
        text(bodies, "trailing-garbage", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"t@example.com\"} trailing");
        text(bodies, "two-values", "{\"batch\":[]} {\"batch\":[]}");
        text(bodies, "invalid-traits-email", "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\"jane@@x.com\"}}");
        text(bodies, "invalid-properties-email", "{\"type\":\"track\",\"event\":\"E\",\"properties\":{\"email\":\"jane example.com\"}}");
        text(bodies, "invalid-context-email", "{\"type\":\"track\",\"event\":\"E\",\"context\":{\"traits\":{\"email\":\"12324adfgs\"}}}");
        text(bodies, "batch-invalid-emails", "{\"batch\":[{\"type\":\"identify\",\"traits\":{\"email\":\"a@@b.c\"}},"
                + "{\"type\":\"track\",\"event\":\"E\",\"properties\":{\"email\":\"no-at\"}}]}");
        compressed(bodies, "gzip-bomb", gzip(("{\"batch\":[],\"x\":\"" + " ".repeat(8 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8)), "gzip");
        compressed(bodies, "gzip-invalid-json", gzip("{\"type\":\"track\",".getBytes(StandardCharsets.UTF_8)), "gzip");
        compressed(bodies, "gzip-truncated", java.util.Arrays.copyOf(gzip(("{\"type\":\"track\",\"event\":\"E\","
                + "\"userId\":\"z@example.com\"}").getBytes(StandardCharsets.UTF_8)), 20), "gzip");
        compressed(bodies, "gzip-no-email", gzip("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"nobody\"}"
                .getBytes(StandardCharsets.UTF_8)), "gzip");
        compressed(bodies, "gzip-twice-declared-once", gzip(gzip("{\"type\":\"track\"}".getBytes(StandardCharsets.UTF_8))),
                "gzip");
        compressed(bodies, "deflate-garbage", new byte[] {0x78, (byte) 0x9c, 1, 2, 3, 4, 5}, "deflate");
        return bodies;
    }

    private static void text(Map<String, byte[]> bodies, String name, String body) {
        bodies.put(name, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void compressed(Map<String, byte[]> bodies, String name, byte[] body, String encoding) {
        bodies.put(name, body);
        COMPRESSED.put(name, encoding);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void bytes(Map<String, byte[]> bodies, String name, byte[] body) {
        bodies.put(name, body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
