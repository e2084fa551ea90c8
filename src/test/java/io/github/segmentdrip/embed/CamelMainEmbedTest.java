package io.github.segmentdrip.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.SegmentRequestParser;
import io.github.segmentdrip.testing.DripEmulator;
import io.github.segmentdrip.testing.LogCapture;
import io.github.segmentdrip.testing.RecordedRequest;
import io.github.segmentdrip.testing.Samples;
import io.github.segmentdrip.testing.SegmentEmulator;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service's route files and beans inside a plain Camel Main application, no Quarkus: the
 * top-level {@code routes/} (HTTP endpoints included, served by camel-platform-http-main),
 * {@code camel-main/drip-beans.camel.yaml} and {@code camel-main/drip.properties}, loaded as the
 * docs/embed.md tells a Camel user to. Segment payloads go in over HTTP, with a write key and a webhook
 * signature as Segment sends them; the assertions are on the requests the Drip emulator received
 * (and, for Drip's webhooks, the Segment emulator).
 */
class CamelMainEmbedTest {

    private static final String ACCOUNT = "1234567";
    private static final String TOKEN = "abcdefghij0123456789";
    private static final String WRITE_KEY = "wk_embed_5e6f7a8b";
    private static final String SHARED_SECRET = "embed-shared-secret-1234";
    private static final String ADMIN_TOKEN = "embed-admin-token-9a8b7c6d";
    private static final String WEBHOOK_TOKEN = "embed-webhook-token-0123456789abcdef0123456789abcdef";
    private static final String SEGMENT_WRITE_KEY = "embed-segment-source-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DripEmulator drip;
    private static SegmentEmulator segment;
    private static Main main;
    private static String service;
    private static LogCapture logs;
    private static int firstLogLine;

    @BeforeAll
    static void boot() throws Exception {
        drip = DripEmulator.start(ACCOUNT, TOKEN);
        segment = SegmentEmulator.start(SEGMENT_WRITE_KEY);
        logs = LogCapture.install();
        firstLogLine = logs.lines().size();
        int port = freePort();
        Path dataDir = Files.createTempDirectory("drip-camel-main");
        // What a Camel user writes: their own application.properties, listed before the packaged defaults.
        Path applicationProperties = dataDir.resolve("application.properties");
        Files.writeString(applicationProperties, String.join("\n",
                "camel.main.name=drip-on-camel-main",
                "camel.main.routes-include-pattern=file:routes/*.camel.yaml,classpath:camel-main/drip-beans.camel.yaml",
                "camel.server.enabled=true",
                "camel.server.host=127.0.0.1",
                "camel.server.port=" + port,
                "drip.base-url=" + drip.baseUrl(),
                "drip.account-id=" + ACCOUNT,
                "drip.api-token=" + TOKEN,
                "segment.write-keys=" + WRITE_KEY + ",wk_embed_other",
                "segment.shared-secret=" + SHARED_SECRET,
                "admin.token=" + ADMIN_TOKEN,
                "drip.webhook-token=" + WEBHOOK_TOKEN,
                "segment.tracking-api.write-key=" + SEGMENT_WRITE_KEY,
                "segment.api-url=" + segment.baseUrl(),
                "segment.delivery.poll-interval=50",
                "drip.data-dir=" + dataDir.resolve("data"),
                "drip.delivery.poll-interval=50",
                "drip.shopper-activity=orders",
                "drip.shopper-activity.provider=camel_main", ""));
        main = plainCamelMain();
        main.setPropertyPlaceholderLocations("file:" + applicationProperties + ",classpath:camel-main/drip.properties");
        main.start();
        service = "http://127.0.0.1:" + port;
    }

    /**
     * Camel Main as a Camel user has it. This test classpath also holds Camel Quarkus, whose
     * camel-microprofile-config would let Camel read the service's application.properties; turned
     * off, so every value must come from camel-main/drip.properties and the overrides.
     */
    static Main plainCamelMain() {
        return new Main() {
            @Override
            protected CamelContext createCamelContext() {
                CamelContext camel = super.createCamelContext();
                PropertiesComponent properties = new PropertiesComponent();
                properties.setAutoDiscoverPropertiesSources(false);
                camel.setPropertiesComponent(properties);
                return camel;
            }
        };
    }

    @AfterAll
    static void shutdown() {
        if (main != null) {
            main.stop();
        }
        if (drip != null) {
            drip.close();
        }
        if (segment != null) {
            segment.close();
        }
    }

    @BeforeEach
    void quiet() {
        drip.reset();
        segment.reset();
    }

    @Test
    void everyRouteFileRunsOnCamelMainWithEveryBeanItNames() throws IOException {
        CamelContext camel = main.getCamelContext();
        assertThat(camel.getClass().getName()).doesNotContain("quarkus");
        assertThat(camel.getName()).isEqualTo("drip-on-camel-main");
        // The user's file wins over the packaged defaults, which fill in the rest.
        assertThat(camel.resolvePropertyPlaceholders("{{drip.delivery.poll-interval}}")).isEqualTo("50");
        assertThat(camel.resolvePropertyPlaceholders("{{drip.delivery.lease}}")).isEqualTo("PT2M");
        assertThat(camel.getRoutes()).extracting(Route::getRouteId)
                .contains("segment-tracking-api", "segment-tracking-api-batch", "segment-tracking-api-parse",
                        "segment-webhook", "segment-webhook-parse", "segment-intake", "segment-intake-route",
                        "segment-intake-commit", "http-respond",
                        "route-by-type", "drip-delivery", "drip-deliver", "drip-call", "drip-dead-letter",
                        "admin-dead-letters-list", "status-sampler");
        // A bean a route file names but the beans file lacks would only fail on the first message
        // that reaches it; every name is checked here instead.
        assertThat(beansNamedInRoutes()).isNotEmpty()
                .allSatisfy(name -> assertThat(camel.getRegistry().lookupByName(name)).as("bean " + name).isNotNull());
    }

    @Test
    void identifyOverHttpBecomesTheExactSubscriberUpsert() throws Exception {
        HttpResponse<String> answer = postTrackingApi("/v1/identify", Samples.segment("identify-spec-complete.json"), WRITE_KEY);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body())).isEqualTo(json("{\"success\":true}"));

        RecordedRequest request = awaitRequests(1).get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/subscribers");
        assertThat(request.header("Authorization")).isEqualTo("Basic " + base64(TOKEN + ":"));
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("User-Agent")).startsWith("segment-drip-destination");
        assertThat(request.json()).isEqualTo(json("""
                {"subscribers":[{"email":"peter@example.com","user_id":"97980cfea0067",
                  "first_name":"Peter","last_name":"Gibbons","address1":"6th St","city":"San Francisco",
                  "state":"CA","zip":"94103","country":"USA","ip_address":"8.8.8.8",
                  "custom_fields":{"plan":"premium","logins":5}}]}"""));
    }

    @Test
    void signedTrackOverTheWebhookEndpointBecomesTheExactEvent() throws Exception {
        String event = Samples.segment("track-revenue.composed.json");
        HttpResponse<String> answer = postWebhook(event, signature(event));
        assertThat(answer.statusCode()).isEqualTo(200);

        // An order event: the custom event and, with drip.shopper-activity=orders, Drip's order record.
        List<RecordedRequest> requests = awaitRequests(2);
        RecordedRequest request = requests.stream().filter(r -> r.path().endsWith("/events")).findFirst().orElseThrow();
        RecordedRequest order = requests.stream().filter(r -> r.path().equals("/v3/" + ACCOUNT + "/shopper_activity/order"))
                .findFirst().orElseThrow();
        assertThat(order.json().get("provider").asText()).isEqualTo("camel_main");
        assertThat(order.json().get("order_id").asText()).isEqualTo("50314b8e9bcf000000000000");
        assertThat(request.json()).isEqualTo(json("""
                {"events":[{"email":"peter@example.com","action":"Order Completed",
                  "occurred_at":"2024-06-05T11:44:40.433Z",
                  "properties":{"order_id":"50314b8e9bcf000000000000","currency":"USD","coupon":"hasbros",
                    "shipping":3.0,"value":1999}}]}"""));
    }

    @Test
    void aDripEmailWebhookReachesSegmentAsItsEmailTrack() throws Exception {
        String webhook = Samples.dripWebhook("subscriber.opened_email.json")
                .replace("\"account_id\": \"9999999\"", "\"account_id\": \"" + ACCOUNT + "\"");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/drip/webhooks/" + WEBHOOK_TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(webhook))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);

        RecordedRequest request = await().atMost(Duration.ofSeconds(20)).until(() -> segment.accepted(), r -> !r.isEmpty()).get(0);
        assertThat(request.path()).isEqualTo("/v1/batch");
        assertThat(request.header("Authorization")).isEqualTo("Basic " + base64(SEGMENT_WRITE_KEY + ":"));
        JsonNode track = request.json().at("/batch/0");
        assertThat(track.get("type").asText()).isEqualTo("track");
        assertThat(track.get("event").asText()).isEqualTo("Email Opened");
        assertThat(track.get("userId").asText()).isEqualTo("123");
        assertThat(track.at("/context/traits/email").asText()).isEqualTo("john@acme.com");
    }

    @Test
    void aConsumerOfYourOwnCanFeedTheIntakeFlowDirectly() throws Exception {
        // What a route of yours does instead of the HTTP endpoints: parse, then direct:segment-intake.
        CamelContext camel = main.getCamelContext();
        SegmentRequestParser parser = camel.getRegistry().lookupByNameAndType("segmentRequests", SegmentRequestParser.class);
        Intake intake = parser.webhook("{\"type\":\"track\",\"userId\":\"direct@example.com\",\"event\":\"Fed Directly\"}"
                .getBytes(StandardCharsets.UTF_8));
        String answer = camel.createProducerTemplate().requestBody("direct:segment-intake", intake, String.class);
        assertThat(JSON.readTree(answer)).isEqualTo(json("{\"success\":true}"));

        RecordedRequest request = awaitRequests(1).get(0);
        assertThat(request.path()).isEqualTo("/v2/" + ACCOUNT + "/events");
        assertThat(request.json().at("/events/0/email").asText()).isEqualTo("direct@example.com");
        assertThat(request.json().at("/events/0/action").asText()).isEqualTo("Fed Directly");
    }

    @Test
    void refusalsAnswerAsInTheServiceAndStoreNothing() throws Exception {
        String track = "{\"userId\":\"refused@example.com\",\"event\":\"Refused\"}";
        assertThat(postTrackingApi("/v1/track", track, null).statusCode()).isEqualTo(401);
        assertThat(postTrackingApi("/v1/track", track, "wk_not_a_key").statusCode()).isEqualTo(401);
        assertThat(postWebhook("{\"type\":\"track\",\"userId\":\"refused@example.com\",\"event\":\"Refused\"}",
                "00".repeat(20)).statusCode()).isEqualTo(401);
        HttpResponse<String> noEmail = postTrackingApi("/v1/track", "{\"event\":\"No Email\"}", WRITE_KEY);
        assertThat(noEmail.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noEmail.body()).get("success").asBoolean()).isFalse();
        // A marker after them arrives alone: nothing refused reached the outbox.
        postTrackingApi("/v1/track", "{\"userId\":\"marker@example.com\",\"event\":\"Marker\"}", WRITE_KEY);
        assertThat(awaitRequests(1)).singleElement()
                .satisfies(request -> assertThat(request.body()).contains("marker@example.com"));
    }

    @Test
    void theAdminApiAnswersWithItsTokenOnly() throws Exception {
        HttpResponse<String> withToken = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/admin/dead-letters"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(withToken.body()).isObject()).isTrue();
        HttpResponse<String> without = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/admin/dead-letters"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(without.statusCode()).isEqualTo(401);
        // Counted at the admin door (the routes' group), as under Quarkus.
        MeterRegistry registry = main.getCamelContext().getRegistry().lookupByNameAndType("dripMeterRegistry",
                MeterRegistry.class);
        assertThat(registry.find("http.requests.refused").tags("door", "admin", "status", "401").counter())
                .isNotNull().satisfies(counter -> assertThat(counter.count()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void theOutboxIsTheServicesSqliteFileWithItsDurabilitySettings() throws Exception {
        DataSource outbox = main.getCamelContext().getRegistry().lookupByNameAndType("dripDataSource", DataSource.class);
        try (Connection connection = outbox.getConnection(); Statement statement = connection.createStatement()) {
            ResultSet journal = statement.executeQuery("PRAGMA journal_mode");
            journal.next();
            assertThat(journal.getString(1)).isEqualToIgnoringCase("wal");
            ResultSet tables = statement.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('outbox', 'dead_letter')");
            tables.next();
            assertThat(tables.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void noSecretAppearsInTheLog() throws Exception {
        // Traffic first, so the lines of intake and delivery are in the log too.
        postTrackingApi("/v1/track", "{\"userId\":\"logged@example.com\",\"event\":\"Logged\"}", WRITE_KEY);
        awaitRequests(1);
        List<String> lines = logs.lines().subList(firstLogLine, logs.lines().size());
        // Camel logs every property it resolved at start, secrets masked by name.
        assertThat(lines).anyMatch(line -> line.contains("drip.api-token") && line.contains("xxxxxx"));
        for (String secret : List.of(TOKEN, base64(TOKEN + ":"), WRITE_KEY, base64(WRITE_KEY + ":"), SHARED_SECRET,
                ADMIN_TOKEN, WEBHOOK_TOKEN, SEGMENT_WRITE_KEY, base64(SEGMENT_WRITE_KEY + ":"))) {
            assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
        }
    }

    private static Set<String> beansNamedInRoutes() throws IOException {
        Pattern reference = Pattern.compile("ref: (\\w+)|\\$\\{bean:(\\w+)");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher matcher = reference.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
                }
            }
        }
        return names;
    }

    private static HttpResponse<String> postTrackingApi(String path, String body, String writeKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (writeKey != null) {
            // How Segment's libraries send it: the write key as Basic user name, empty password.
            request.header("Authorization", "Basic " + base64(writeKey + ":"));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postWebhook(String body, String signature) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service + "/segment/webhook"))
                .header("Content-Type", "application/json")
                .header("X-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Segment's X-Signature: hex HMAC-SHA1 of the body, keyed with the shared secret. */
    private static String signature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SHARED_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<RecordedRequest> awaitRequests(int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> drip.accepted(), r -> r.size() >= count);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
