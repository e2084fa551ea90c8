package io.github.segmentdrip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process stand-in for Segment's HTTP Tracking API ({@code segment.md} §3), the receiving end
 * of the Drip → Segment path: {@code POST /v1/batch} (and {@code /v1/import}, {@code /v1/track},
 * {@code /v1/identify}, {@code /v1/page}, {@code /v1/screen}, {@code /v1/group}, {@code /v1/alias}).
 *
 * <p>Checks, in order: path (404) and method (405); Basic auth with the write key as user name and
 * an empty password (401); injected failures; {@code Content-Type: application/json} (400); size,
 * 32 KB per call and per event, 500 KB and 2,500 events per batch (400, as Segment answers
 * oversize bodies); JSON (400); then the shape of every message (400). Success is
 * {@code 200 {"success":true}}.
 *
 * <p>Stricter than Segment on purpose: Segment answers 200 and silently drops a batch over 2,500
 * events, a message without {@code userId}/{@code anonymousId} and a track without {@code event};
 * here they are 400, so a test sees the mistake instead of a missing event. Also checked:
 * {@code type} on every batch item and {@code messageId} at most 100 characters. A request is
 * accepted or refused as a whole; {@link #events()} holds only events of accepted requests, with
 * batch-level {@code context} and {@code integrations} merged into each, as Segment does.
 *
 * <p>Thread-safe. Uses the JDK's HTTP server only, like {@link DripEmulator}.
 */
public final class SegmentEmulator implements AutoCloseable {

    public static final int MAX_EVENT_BYTES = 32 * 1024;
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    public static final int MAX_BATCH_EVENTS = 2500;
    public static final int MAX_MESSAGE_ID_LENGTH = 100;

    /** Observed, not documented (segment.md §3): clients must rely on the status only. */
    static final String SUCCESS_BODY = "{\"success\":true}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SINGLE_CALLS = Set.of("identify", "track", "page", "screen", "group", "alias");
    private static final Set<String> BATCH_CALLS = Set.of("batch", "import");
    private static final String PATH_PREFIX = "/v1/";

    static {
        // Same reason as DripEmulator: without TCP_NODELAY every response with a body waits for the
        // client's delayed ACK (~40 ms). Read once, when the first JDK HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String writeKey;
    private final byte[] expectedCredentials;
    private final HttpServer server;
    private final ExecutorService executor;

    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private final Queue<FailRule> failRules = new ConcurrentLinkedQueue<>();
    private volatile long latencyNanos;

    private SegmentEmulator(String writeKey, int port) {
        if (writeKey == null || writeKey.isBlank()) {
            throw new IllegalArgumentException("write key is required");
        }
        this.writeKey = writeKey;
        this.expectedCredentials = (writeKey + ":").getBytes(UTF_8);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "segment-emulator-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the Segment emulator to port " + port, e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an emulator for one write key on an ephemeral port. */
    public static SegmentEmulator start(String writeKey) {
        return new SegmentEmulator(writeKey, 0);
    }

    public static SegmentEmulator start(String writeKey, int port) {
        return new SegmentEmulator(writeKey, port);
    }

    /** {@code http://127.0.0.1:PORT}, what {@code segment.api-url} should be set to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String writeKey() {
        return writeKey;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- fault injection

    /** The next {@code count} authenticated requests get this status and body instead of being processed. */
    public SegmentEmulator failNext(int count, int status, String jsonBody) {
        return failNext(count, status, jsonBody, null);
    }

    /**
     * As {@link #failNext(int, int, String)}, with a {@code Retry-After} header in seconds when
     * {@code retryAfterSeconds} is not null (Segment's 429, segment.md §3).
     */
    public SegmentEmulator failNext(int count, int status, String jsonBody, Integer retryAfterSeconds) {
        if (count < 1 || status < 100 || status > 599) {
            throw new IllegalArgumentException("failNext needs a positive count and an HTTP status: " + count
                    + ", " + status);
        }
        failRules.add(new FailRule(new AtomicInteger(count), status, jsonBody, retryAfterSeconds));
        return this;
    }

    /** Delay added before every response is sent. */
    public SegmentEmulator latency(Duration latency) {
        this.latencyNanos = latency.toNanos();
        return this;
    }

    /** Clears recorded requests and events, pending failures and latency. */
    public SegmentEmulator reset() {
        failRules.clear();
        latencyNanos = 0;
        requests.clear();
        events.clear();
        return this;
    }

    // ---------------------------------------------------------------- recordings

    /** Every request in the order they were answered; the body is the decompressed UTF-8 text. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests answered with 2xx. */
    public List<RecordedRequest> accepted() {
        return requests().stream().filter(RecordedRequest::accepted).toList();
    }

    /** Every event of an accepted request, in order, as Segment would ingest it. */
    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The {@code messageId} of each accepted event, in order, duplicates kept (Segment would drop them). */
    public List<String> messageIds() {
        return events().stream().map(e -> e.path("messageId").asText(null)).toList();
    }

    // ---------------------------------------------------------------- HTTP handling

    private void handle(HttpExchange exchange) throws IOException {
        Instant time = Instant.now();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Headers headers = exchange.getRequestHeaders();
            Reply reply;
            String bodyText = new String(raw, UTF_8);
            JsonNode json = null;
            List<ObjectNode> accepted = List.of();
            try {
                Request request = respond(method, path, headers, raw);
                reply = request.reply;
                bodyText = request.bodyText == null ? bodyText : request.bodyText;
                json = request.json != null ? request.json : parseQuietly(bodyText);
                accepted = request.events;
            } catch (RuntimeException e) {
                reply = new Reply(500, error("internal_error", e.toString()), null);
            }
            synchronized (requests) {
                // One lock for both lists, so events() never shows a batch whose request is missing.
                requests.add(new RecordedRequest(method, path, headers, bodyText, json, reply.status, reply.body, time));
                events.addAll(accepted);
            }
            long latency = latencyNanos;
            if (latency > 0) {
                TimeUnit.NANOSECONDS.sleep(latency);
            }
            Headers responseHeaders = exchange.getResponseHeaders();
            if (reply.retryAfterSeconds != null) {
                responseHeaders.set("Retry-After", String.valueOf(reply.retryAfterSeconds));
            }
            EmulatorHttp.send(exchange, reply.status, reply.body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Request respond(String method, String path, Headers headers, byte[] raw) {
        String call = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : null;
        boolean batch = call != null && BATCH_CALLS.contains(call);
        if (call == null || !(batch || SINGLE_CALLS.contains(call))) {
            return Request.refused(404, error("not_found", "no such endpoint: " + path));
        }
        if (!"POST".equals(method)) {
            return Request.refused(405, error("method_not_allowed", "use POST"));
        }
        if (!authorized(headers.getFirst("Authorization"))) {
            return Request.refused(401, error("unauthorized", "invalid or missing write key"));
        }
        Reply injected = injectedFailure();
        if (injected != null) {
            return new Request(injected, null, null, List.of());
        }
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return Request.refused(400, error("bad_request", "Content-Type must be application/json, got "
                    + contentType));
        }
        int limit = batch ? MAX_BATCH_BYTES : MAX_EVENT_BYTES;
        byte[] body;
        try {
            body = decode(headers.getFirst("Content-Encoding"), raw, limit);
        } catch (IOException e) {
            return Request.refused(400, error("bad_request", "unreadable body: " + e.getMessage()));
        }
        String text = new String(body, UTF_8);
        if (body.length > limit) {
            return new Request(new Reply(400, error("too_large", "body larger than " + limit + " bytes"), null),
                    text, null, List.of());
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return new Request(new Reply(400, error("invalid_json", "body is not JSON"), null), text, null, List.of());
        }
        List<ObjectNode> accepted = new ArrayList<>();
        String problem = batch ? checkBatch(json, accepted) : checkSingle(call, json, accepted);
        if (problem != null) {
            return new Request(new Reply(400, error("bad_request", problem), null), text, json, List.of());
        }
        return new Request(new Reply(200, SUCCESS_BODY, null), text, json, accepted);
    }

    private static String checkBatch(JsonNode json, List<ObjectNode> accepted) {
        if (json == null || !json.isObject()) {
            return "body must be a JSON object";
        }
        JsonNode batch = json.get("batch");
        if (batch == null || !batch.isArray()) {
            return "batch must be an array";
        }
        if (batch.size() > MAX_BATCH_EVENTS) {
            return "batch of " + batch.size() + " events, at most " + MAX_BATCH_EVENTS;
        }
        JsonNode context = json.get("context");
        JsonNode integrations = json.get("integrations");
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = batch.get(i);
            String where = "batch[" + i + "]";
            if (!item.isObject()) {
                return where + " must be an object";
            }
            if (!(item.path("type").isTextual() && SINGLE_CALLS.contains(item.get("type").asText()))) {
                return where + ".type must be one of " + SINGLE_CALLS;
            }
            String problem = checkMessage((ObjectNode) item, where);
            if (problem != null) {
                return problem;
            }
            ObjectNode event = item.deepCopy();
            merge(event, "context", context);
            merge(event, "integrations", integrations);
            accepted.add(event);
        }
        return null;
    }

    private static String checkSingle(String call, JsonNode json, List<ObjectNode> accepted) {
        if (json == null || !json.isObject()) {
            return "body must be a JSON object";
        }
        ObjectNode event = json.deepCopy();
        // The path names the call; Segment's libraries set "type" as well, curl users may not.
        event.put("type", call);
        String problem = checkMessage(event, "body");
        if (problem == null) {
            accepted.add(event);
        }
        return problem;
    }

    private static String checkMessage(ObjectNode message, String where) {
        if (!hasId(message.get("userId")) && !hasId(message.get("anonymousId"))) {
            return where + " needs userId or anonymousId";
        }
        JsonNode messageId = message.get("messageId");
        if (messageId != null && !messageId.isNull()
                && (!messageId.isTextual() || messageId.asText().length() > MAX_MESSAGE_ID_LENGTH)) {
            return where + ".messageId must be a string of at most " + MAX_MESSAGE_ID_LENGTH + " characters";
        }
        if ("track".equals(message.path("type").asText()) && message.path("event").asText("").isBlank()) {
            return where + ".event is required for track";
        }
        if (size(message) > MAX_EVENT_BYTES) {
            return where + " larger than " + MAX_EVENT_BYTES + " bytes";
        }
        return null;
    }

    private static boolean hasId(JsonNode id) {
        return id != null && (id.isNumber() || (id.isTextual() && !id.asText().isBlank()));
    }

    /** Batch-level context and integrations apply to every message; the message's own keys win. */
    private static void merge(ObjectNode event, String key, JsonNode batchLevel) {
        if (batchLevel == null || !batchLevel.isObject() || batchLevel.isEmpty()) {
            return;
        }
        ObjectNode merged = batchLevel.deepCopy();
        JsonNode own = event.get(key);
        if (own != null && own.isObject()) {
            merged.setAll((ObjectNode) own);
        }
        event.set(key, merged);
    }

    /** For the recording only: the body as JSON when it is JSON. */
    private static JsonNode parseQuietly(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static int size(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Segment's libraries may gzip; the limits apply to what the body holds. */
    private static byte[] decode(String contentEncoding, byte[] raw, int limit) throws IOException {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return raw;
        }
        if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
            throw new IOException("unsupported Content-Encoding " + contentEncoding);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            // At most one byte over the limit: enough to refuse it, and a small gzip bomb costs nothing.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while (out.size() <= limit && (read = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - out.size()))) > 0) {
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        }
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String value = header.trim();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(decoded, expectedCredentials);
    }

    private Reply injectedFailure() {
        for (FailRule rule : failRules) {
            if (EmulatorHttp.takeOne(rule.remaining)) {
                if (rule.remaining.get() == 0) {
                    failRules.remove(rule);
                }
                return new Reply(rule.status, rule.body, rule.retryAfterSeconds);
            }
        }
        return null;
    }



    /** The emulator's own error body; Segment's is undocumented, and clients act on the status only. */
    private static String error(String code, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("success", false);
        node.put("code", code);
        node.put("message", message);
        return node.toString();
    }

    private record Reply(int status, String body, Integer retryAfterSeconds) {
    }

    /** What one request came to: the reply, the body as read, and the events to record if accepted. */
    private record Request(Reply reply, String bodyText, JsonNode json, List<ObjectNode> events) {
        static Request refused(int status, String body) {
            return new Request(new Reply(status, body, null), null, null, List.of());
        }
    }

    private record FailRule(AtomicInteger remaining, int status, String body, Integer retryAfterSeconds) {
    }
}
