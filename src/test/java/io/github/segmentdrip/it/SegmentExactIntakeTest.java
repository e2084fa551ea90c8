package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The intake as Segment's real senders use it (mapping.md "Request bodies", "Which email", "Each
 * message once"): compressed uploads, retried messages, and bad input refused up front with a
 * JSON reason. Every assertion on Drip is on what the Drip emulator received over HTTP, and the
 * outbox and dead letters are seen through the admin API, so {@link SegmentExactIntakeIT} runs it
 * against the packaged jar.
 */
@QuarkusTest
@WithTestResource(SecuredEmulatorResource.class)
class SegmentExactIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String WRITE_KEY = "Basic " + Base64.getEncoder()
            .encodeToString((SecuredEmulatorResource.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));

    @TestHTTPResource("/")
    URI root;

    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0);
        drip().reset();
    }

    // --- Compressed bodies -----------------------------------------------------------------------

    @Test
    void aMobileLibraryUploadGzippedWithBasicWriteKeyIsDelivered() throws Exception {
        // As analytics-kotlin / analytics-swift upload: POST {apiHost}/b, text/plain, gzip, chunked.
        String email = unique("mobile");
        String batch = """
                {"batch":[
                  {"type":"identify","messageId":"%1$s-i","userId":"u-mobile","traits":{"email":"%2$s","plan":"pro"},
                   "context":{"library":{"name":"analytics-kotlin","version":"1.19.1"}}},
                  {"type":"track","messageId":"%1$s-t","userId":"u-mobile","event":"Level Completed",
                   "properties":{"email":"%2$s","level":3}}],
                 "sentAt":"2026-12-01T10:00:00.000Z","writeKey":"%3$s"}"""
                .formatted(UUID.randomUUID(), email, SecuredEmulatorResource.WRITE_KEY);
        byte[] zipped = gzip(batch);
        HttpResponse<String> answer = send(request("/v1/b").header("Content-Type", "text/plain")
                .header("Content-Encoding", "gzip").header("Authorization", WRITE_KEY)
                .header("User-Agent", "analytics-kotlin/1.19.1")
                // An input stream has no known length: sent chunked, as the library's streaming mode does.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(zipped))));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body())).isEqualTo(json("{\"success\":true}"));
        awaitDelivered();
        assertThat(drip().subscribers()).singleElement()
                .satisfies(s -> assertThat(s.get("email").asText()).isEqualTo(email));
        assertThat(drip().events()).singleElement()
                .satisfies(e -> assertThat(e.get("action").asText()).isEqualTo("Level Completed"));
    }

    @Test
    void aDeflatedTrackCallIsDecodedZlibOrRaw() throws Exception {
        for (boolean raw : new boolean[] {false, true}) {
            String body = track(unique("deflate"), "Deflated " + raw, null);
            HttpResponse<String> answer = send(request("/v1/track").header("Authorization", WRITE_KEY)
                    .header("Content-Type", "application/json").header("Content-Encoding", "deflate")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(deflate(body, raw))));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        awaitDelivered();
        assertThat(drip().events()).extracting(e -> e.get("action").asText())
                .containsExactlyInAnyOrder("Deflated false", "Deflated true");
    }

    @Test
    void aGzippedWebhookIsVerifiedOnTheBytesSegmentSigned() throws Exception {
        String body = "{\"type\":\"track\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"u\","
                + "\"event\":\"Signed And Zipped\",\"properties\":{\"email\":\"" + unique("signed") + "\"}}";
        HttpResponse<String> wrong = send(request("/segment/webhook").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").header("X-Signature", sign(gzip(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))));
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> right = send(request("/segment/webhook").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").header("X-Signature", sign(body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        awaitDelivered();
        assertThat(drip().events()).extracting(e -> e.get("action").asText()).containsExactly("Signed And Zipped");
    }

    @Test
    void aGzipBombIsRefusedWith413WhileInflating() throws Exception {
        // 20 MB of spaces inside a JSON string compress to about 20 KB.
        byte[] bomb = gzip("{\"batch\":[],\"x\":\"" + " ".repeat(20 * 1024 * 1024) + "\"}");
        assertThat(bomb.length).isLessThan(64 * 1024);
        HttpResponse<String> answer = send(request("/v1/batch").header("Authorization", WRITE_KEY)
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)));
        assertRefused(answer, 413, "body larger than 512000 bytes once decoded");
    }

    @Test
    void aSingleCallThatInflatesPastItsOwnLimitIs413Too() throws Exception {
        String big = track(unique("big"), "Big", "\"pad\":\"" + "x".repeat(40 * 1024) + "\"");
        HttpResponse<String> answer = send(request("/v1/track").header("Authorization", WRITE_KEY)
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzip(big))));
        assertRefused(answer, 413, "body larger than 32768 bytes");
    }

    @Test
    void aBodyThatDoesNotDecodeIs400AndAnUnknownEncodingIs415() throws Exception {
        byte[] plain = track(unique("enc"), "Not Zipped", null).getBytes(StandardCharsets.UTF_8);
        assertRefused(send(request("/v1/track").header("Authorization", WRITE_KEY).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(plain))), 400, "body is not valid gzip data");
        byte[] truncated = gzip(new String(plain, StandardCharsets.UTF_8));
        truncated = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        assertRefused(send(request("/v1/track").header("Authorization", WRITE_KEY).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(truncated))), 400, "body is not valid gzip data");
        HttpResponse<String> brotli = send(request("/segment/webhook").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofByteArray(plain)));
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(json(brotli.body()).get("error").asText()).startsWith("unsupported content encoding 'br'");
        assertThat(outboxDepth()).isZero();
        assertThat(drip().requests()).isEmpty();
    }

    // --- Strict parsing ----------------------------------------------------------------------------

    @Test
    void contentAfterTheJsonValueIs400() throws Exception {
        String body = track(unique("trailing"), "Trailing", null) + " {\"type\":\"identify\"}";
        assertRefused(send(request("/v1/track").header("Authorization", WRITE_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))),
                400, "invalid JSON");
        assertRefused(send(request("/v1/batch").header("Authorization", WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[]}garbage"))), 400, "invalid JSON");
        assertThat(outboxDepth()).isZero();
    }

    @Test
    void aTypeThatDeclaresAnotherFormatIs415() throws Exception {
        String body = track(unique("types"), "Typed", null);
        for (String type : List.of("application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=xyz", "text/html")) {
            HttpResponse<String> answer = send(request("/v1/track").header("Authorization", WRITE_KEY)
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(answer.statusCode()).as(type).isEqualTo(415);
            assertThat(json(answer.body()).get("field").asText()).isEqualTo("Content-Type");
        }
        for (String type : List.of("application/json; charset=utf-8", "text/plain;charset=UTF-8")) {
            assertThat(send(request("/v1/track").header("Authorization", WRITE_KEY).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(track(unique("ok"), "Typed", null)))).statusCode())
                    .as(type).isEqualTo(200);
        }
    }

    @Test
    void anInvalidEmailIsRefusedNamingTheFieldAndNeverReachesDrip() throws Exception {
        for (String invalid : List.of("jane@@x.com", "jane example.com", "12324adfgs")) {
            String identify = "{\"userId\":\"u1\",\"traits\":{\"email\":\"" + invalid + "\"}}";
            HttpResponse<String> answer = send(request("/v1/identify").header("Authorization", WRITE_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(identify)));
            assertRefused(answer, 400, "invalid email");
            assertThat(json(answer.body()).get("field").asText()).isEqualTo("traits.email");
        }
        String batch = "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"userId\":\"a@example.com\","
                + "\"properties\":{\"email\":\"jane@@x.com\"}},{\"type\":\"track\",\"event\":\"Kept\","
                + "\"properties\":{\"email\":\"" + unique("kept") + "\"}}]}";
        HttpResponse<String> answer = send(request("/v1/batch").header("Authorization", WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(batch)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).get("rejected")).isEqualTo(json(
                "[{\"index\":0,\"error\":\"invalid email\",\"field\":\"batch[0].properties.email\"}]"));
        awaitDelivered();
        assertThat(drip().events()).extracting(e -> e.get("action").asText()).containsExactly("Kept");
    }

    @Test
    void refusalsFromTheHttpLayerAreJsonToo() throws Exception {
        HttpResponse<String> wrongMethod = send(request("/v1/track").GET());
        assertRefused(wrongMethod, 405, "method GET not allowed here");
        HttpResponse<String> nowhere = send(request("/v2/nowhere").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertRefused(nowhere, 404, "no such endpoint: POST /v2/nowhere");
        // Over the HTTP server's own bound (1 MB), refused before any route runs.
        HttpResponse<String> huge = send(request("/v1/batch").header("Authorization", WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json(huge.body()).get("success").asBoolean()).isFalse();
    }

    // --- Each message once -------------------------------------------------------------------------

    @Test
    void aRetriedSingleCallReachesDripOnce() throws Exception {
        String body = track(unique("retry"), "Order Completed", "\"revenue\":19.99");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = send(request("/v1/track").header("Authorization", WRITE_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(json(answer.body())).isEqualTo(json("{\"success\":true}"));
        }
        awaitDelivered();
        assertThat(drip().requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).endsWith("/events");
            assertThat(request.json().at("/events/0/properties/value").asInt()).isEqualTo(1999);
        });
    }

    @Test
    void aDuplicateInsideOneBatchAndAcrossBothEndpointsReachesDripOnce() throws Exception {
        String email = unique("dupes");
        String id = UUID.randomUUID().toString();
        String event = "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"event\":\"Once\",\"properties\":{\"email\":\""
                + email + "\"}}";
        String other = "{\"type\":\"track\",\"messageId\":\"" + id + "-2\",\"event\":\"Twice\",\"properties\":{\"email\":\""
                + email + "\"}}";
        assertThat(send(request("/v1/batch").header("Authorization", WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[" + event + "," + event + "," + other + "]}")))
                .statusCode()).isEqualTo(200);
        // Segment's Webhooks destination delivering the same message again.
        HttpResponse<String> webhook = send(request("/segment/webhook").header("Content-Type", "application/json")
                .header("X-Signature", sign(event.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(json(webhook.body())).isEqualTo(json("{\"success\":true}"));
        awaitDelivered();
        assertThat(drip().events()).extracting(e -> e.get("action").asText()).containsExactly("Once", "Twice");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("segment_events_deduplicated_total\\{endpoint=\"/v1/batch\"[^}]*} [1-9]")
                .containsPattern("segment_events_deduplicated_total\\{endpoint=\"/segment/webhook\"[^}]*} [1-9]");
    }

    @Test
    void messagesWithoutMessageIdAreNeverTakenForDuplicates() throws Exception {
        String body = "{\"userId\":\"u\",\"event\":\"No Id\",\"properties\":{\"email\":\"" + unique("noid") + "\"}}";
        for (int i = 0; i < 2; i++) {
            assertThat(send(request("/v1/track").header("Authorization", WRITE_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(200);
        }
        awaitDelivered();
        assertThat(drip().events()).hasSize(2);
    }

    @Test
    void aDeadLetterCarriesDripsOwnReason() throws Exception {
        drip().failNext("/events$", 1, 422,
                "{\"errors\":[{\"code\":\"email_error\",\"attribute\":\"email\",\"message\":\"Email is invalid\"}]}");
        send(request("/v1/track").header("Authorization", WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(track(unique("dead"), "Refused By Drip", null))));
        await().until(() -> deadLetterCount("Refused By Drip") + deadLetterCount("email_error") > 0);
        String reason = given().header("Authorization", AdminApi.BEARER)
                .queryParam("reason", "email_error").get("/admin/dead-letters").then().statusCode(200)
                .extract().jsonPath().getString("items[0].reason");
        assertThat(reason).contains("Drip answered 422").endsWith(": email_error: Email is invalid");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void awaitDelivered() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxDepth() == 0);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(root.resolve(path));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String error) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").asText()).isEqualTo(error);
    }

    private static String track(String email, String event, String extraProperties) {
        return "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"u\",\"event\":\"" + event
                + "\",\"properties\":{\"email\":\"" + email + "\"" + (extraProperties == null ? "" : "," + extraProperties)
                + "}}";
    }

    private static String unique(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] deflate(String text, boolean raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String sign(byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SecuredEmulatorResource.SHARED_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
