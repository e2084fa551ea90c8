package io.github.segmentdrip.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.reverse.DripWebhook;
import io.github.segmentdrip.reverse.SegmentBatches;
import io.github.segmentdrip.reverse.SegmentEmailEvents;
import io.github.segmentdrip.reverse.TrackingApiWriteKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/** The contract {@link SegmentEmulator} enforces, per {@code segment.md} §3, exercised over real HTTP. */
class SegmentEmulatorTest {

    private static final String WRITE_KEY = "abc123";
    /** Segment HTTP API docs: write key {@code abc123} → {@code Basic YWJjMTIzOg==}. */
    private static final String AUTH = "Basic YWJjMTIzOg==";
    private static final String TRACK = "{\"type\":\"track\",\"event\":\"Email Opened\",\"userId\":\"123\","
            + "\"messageId\":\"drip-1\",\"properties\":{\"email_id\":\"88888\"}}";
    private static final String IDENTIFY = "{\"type\":\"identify\",\"anonymousId\":\"a-1\",\"traits\":{\"x\":1}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private SegmentEmulator segment;

    @BeforeEach
    void startEmulator() {
        segment = SegmentEmulator.start(WRITE_KEY);
    }

    @AfterEach
    void stopEmulator() {
        segment.close();
    }

    // ---------------------------------------------------------------- success

    @Test
    void batchIsAcceptedAndEveryEventRecordedInOrder() throws Exception {
        HttpResponse<String> response = post("/v1/batch", batch(TRACK, IDENTIFY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"success\":true}"));
        assertThat(segment.events()).extracting(e -> e.path("type").asText()).containsExactly("track", "identify");
        assertThat(segment.events().get(0)).isEqualTo(JSON.readTree(TRACK));
        assertThat(segment.messageIds()).containsExactly("drip-1", null);
        RecordedRequest recorded = segment.requests().get(0);
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/v1/batch");
        assertThat(recorded.header("authorization")).isEqualTo(AUTH);
        assertThat(recorded.body()).isEqualTo(batch(TRACK, IDENTIFY));
        assertThat(recorded.json().path("batch")).hasSize(2);
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(segment.accepted()).containsExactly(recorded);
    }

    @Test
    void singleCallsTakeTheirTypeFromThePath() {
        HttpResponse<String> track = post("/v1/track", "{\"event\":\"Signed Up\",\"userId\":\"u1\"}");
        HttpResponse<String> identify = post("/v1/identify", IDENTIFY);

        assertThat(track.statusCode()).isEqualTo(200);
        assertThat(identify.statusCode()).isEqualTo(200);
        assertThat(segment.events()).extracting(e -> e.path("type").asText()).containsExactly("track", "identify");
    }

    @Test
    void batchLevelContextAndIntegrationsAreMergedIntoEachEvent() {
        String body = "{\"batch\":[" + TRACK + ",{\"type\":\"track\",\"event\":\"B\",\"userId\":\"2\","
                + "\"context\":{\"ip\":\"1.2.3.4\"}}],\"context\":{\"ip\":\"9.9.9.9\",\"locale\":\"en\"},"
                + "\"integrations\":{\"Drip\":false}}";

        assertThat(post("/v1/batch", body).statusCode()).isEqualTo(200);

        List<JsonNode> events = segment.events();
        assertThat(events.get(0).path("context").path("ip").asText()).isEqualTo("9.9.9.9");
        assertThat(events.get(1).path("context").path("ip").asText()).isEqualTo("1.2.3.4");
        assertThat(events.get(1).path("context").path("locale").asText()).isEqualTo("en");
        assertThat(events.get(1).path("integrations").path("Drip").asBoolean(true)).isFalse();
    }

    @Test
    void gzipBodiesAreAccepted() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(batch(TRACK).getBytes(UTF_8));
        }

        HttpResponse<String> response = send(request("/v1/batch")
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(segment.events()).hasSize(1);
        assertThat(segment.requests().get(0).body()).isEqualTo(batch(TRACK));
    }

    /** The reverse path's own pieces, end to end: Drip samples → track calls → batch bodies → Segment. */
    @Test
    void acceptsWhatTheReversePathBuildsFromEveryDripSample() throws Exception {
        SegmentEmailEvents mapping = new SegmentEmailEvents();
        List<String> tracks = new ArrayList<>();
        for (String sample : List.of("subscriber.received_email.json", "subscriber.opened_email.json",
                "subscriber.clicked_email.json", "subscriber.bounced.json", "subscriber.complained.json",
                "subscriber.unsubscribed_all.json", "subscriber.applied_tag.json", "subscriber.created.json")) {
            DripWebhook webhook = DripWebhook.parse(Samples.dripWebhook(sample).getBytes(UTF_8));
            tracks.add(JSON.writeValueAsString(mapping.toTrack(webhook, true).orElseThrow()));
        }
        SegmentBatches batches = new SegmentBatches(3, SegmentLimits.MAX_BATCH_BYTES);

        for (List<String> batch : batches.split(tracks)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(segment.baseUrl() + "/v1/batch"))
                    .header(TrackingApiWriteKey.HEADER, new TrackingApiWriteKey(WRITE_KEY).authorization())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(SegmentBatches.body(batch, Instant.now()))));
            assertThat(response.statusCode()).isEqualTo(200);
        }

        assertThat(segment.requests()).hasSize(3);
        assertThat(segment.events()).extracting(e -> e.path("event").asText()).containsExactly(
                "Email Delivered", "Email Opened", "Email Link Clicked", "Email Bounced", "Email Marked as Spam",
                "Email Unsubscribed", "Drip Applied Tag", "Drip Created");
        assertThat(segment.messageIds()).doesNotHaveDuplicates().allMatch(id -> id.startsWith("drip-"));
    }

    // ---------------------------------------------------------------- authentication, path, transport

    @ParameterizedTest
    @ValueSource(strings = { "", "Basic YWJjMTIz" /* abc123, no colon */, "Basic YWJjMTIzOng=" /* abc123:x */,
        "Basic d3Jvbmc6" /* wrong: */, "Bearer abc123", "Basic !!!" })
    void refusesMissingOrWrongCredentialsWith401(String header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(segment.baseUrl() + "/v1/batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch(TRACK)));
        if (!header.isEmpty()) {
            request.header("Authorization", header);
        }

        HttpResponse<String> response = send(request);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("success").asBoolean(true)).isFalse();
        assertThat(segment.events()).isEmpty();
        assertThat(segment.requests()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() {
        assertThat(post("/v1/unknown", batch(TRACK)).statusCode()).isEqualTo(404);
        assertThat(post("/v2/batch", batch(TRACK)).statusCode()).isEqualTo(404);
        assertThat(send(request("/v1/batch").GET()).statusCode()).isEqualTo(405);
        assertThat(segment.events()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded" })
    void requiresJsonContentType(String contentType) {
        HttpResponse<String> response = send(request("/v1/batch")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(batch(TRACK))));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(segment.events()).isEmpty();
    }

    @Test
    void acceptsJsonWithACharset() {
        HttpResponse<String> response = send(request("/v1/batch")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(batch(TRACK))));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- limits and shape

    @Test
    void aBatchBodyOver500KilobytesIs400() {
        String big = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"properties\":{\"p\":\""
                + "x".repeat(30_000) + "\"}}";
        List<String> events = Collections.nCopies(18, big);
        String body = batch(events.toArray(String[]::new));
        assertThat(body.length()).isGreaterThan(SegmentEmulator.MAX_BATCH_BYTES);

        assertThat(post("/v1/batch", body).statusCode()).isEqualTo(400);
        assertThat(segment.events()).isEmpty();

        String fits = batch(events.subList(0, 16).toArray(String[]::new));
        assertThat(fits.length()).isLessThan(SegmentEmulator.MAX_BATCH_BYTES);
        assertThat(post("/v1/batch", fits).statusCode()).isEqualTo(200);
        assertThat(segment.events()).hasSize(16);
    }

    @Test
    void moreThan2500EventsIs400() {
        String small = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}";

        assertThat(post("/v1/batch", batch(Collections.nCopies(2501, small).toArray(String[]::new))).statusCode())
                .isEqualTo(400);
        assertThat(post("/v1/batch", batch(Collections.nCopies(2500, small).toArray(String[]::new))).statusCode())
                .isEqualTo(200);
        assertThat(segment.events()).hasSize(2500);
    }

    @Test
    void anEventOver32KilobytesIs400() {
        String big = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"properties\":{\"p\":\""
                + "x".repeat(33_000) + "\"}}";

        assertThat(post("/v1/batch", batch(TRACK, big)).statusCode()).isEqualTo(400);
        assertThat(post("/v1/track", big).statusCode()).isEqualTo(400);
        assertThat(segment.events()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{}",
        "{\"batch\":{}}",
        "{\"batch\":[1]}",
        "{\"batch\":[{\"event\":\"E\",\"userId\":\"u\"}]}",
        "{\"batch\":[{\"type\":\"delete\",\"userId\":\"u\"}]}",
        "{\"batch\":[{\"type\":\"track\",\"event\":\"E\"}]}",
        "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"userId\":\"\"}]}",
        "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\"}]}",
        "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"messageId\":5}]}" })
    void malformedBatchesAre400(String body) {
        HttpResponse<String> response = post("/v1/batch", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(segment.events()).isEmpty();
    }

    @Test
    void messageIdsOver100CharactersAre400() {
        String ok = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"messageId\":\"" + "m".repeat(100) + "\"}";
        String tooLong = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"messageId\":\"" + "m".repeat(101)
                + "\"}";

        assertThat(post("/v1/batch", batch(tooLong)).statusCode()).isEqualTo(400);
        assertThat(post("/v1/batch", batch(ok)).statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- faults

    @Test
    void failNextAnswersTheGivenStatusWithRetryAfterThenRecovers() {
        segment.failNext(2, 429, "{\"success\":false}", 7);

        HttpResponse<String> first = post("/v1/batch", batch(TRACK));
        HttpResponse<String> second = post("/v1/batch", batch(TRACK));
        HttpResponse<String> third = post("/v1/batch", batch(TRACK));

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("7");
        assertThat(first.body()).isEqualTo("{\"success\":false}");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(segment.events()).hasSize(1);
        assertThat(segment.requests()).extracting(RecordedRequest::status).containsExactly(429, 429, 200);
    }

    @Test
    void failNextWithoutRetryAfterSendsNoHeaderAndSkipsUnauthenticatedRequests() {
        segment.failNext(1, 503, "{\"success\":false}");

        HttpResponse<String> unauthenticated = send(HttpRequest.newBuilder(URI.create(segment.baseUrl() + "/v1/batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch(TRACK))));
        HttpResponse<String> failed = post("/v1/batch", batch(TRACK));
        HttpResponse<String> next = post("/v1/batch", batch(TRACK));

        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).isEmpty();
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void latencyDelaysEveryResponse() {
        segment.latency(Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> response = post("/v1/batch", batch(TRACK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void resetClearsRecordingsFaultsAndLatency() {
        post("/v1/batch", batch(TRACK));
        segment.failNext(5, 500, "{}").latency(Duration.ofSeconds(5));

        segment.reset();

        assertThat(segment.requests()).isEmpty();
        assertThat(segment.events()).isEmpty();
        long start = System.nanoTime();
        assertThat(post("/v1/batch", batch(TRACK)).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void concurrentRequestsAreAllRecorded() {
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 40)
                .mapToObj(i -> http.sendAsync(request("/v1/batch")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch(
                                "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u" + i + "\",\"messageId\":\"m" + i
                                        + "a\"}",
                                "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u" + i + "\",\"messageId\":\"m" + i
                                        + "b\"}")))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();

        assertThat(responses).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(segment.requests()).hasSize(40);
        assertThat(segment.events()).hasSize(80);
        assertThat(segment.messageIds()).doesNotHaveDuplicates();
        // Each request's events stay together, in order.
        List<String> ids = segment.messageIds();
        for (int i = 0; i < ids.size(); i += 2) {
            assertThat(ids.get(i + 1)).isEqualTo(ids.get(i).replace("a", "b"));
        }
    }

    @Test
    void anEmulatorWithoutWriteKeyCannotStart() {
        assertThatThrownBy(() -> SegmentEmulator.start(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- helpers

    private static String batch(String... events) {
        return "{\"batch\":[" + String.join(",", events) + "]}";
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(segment.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", AUTH);
    }

    private HttpResponse<String> post(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
