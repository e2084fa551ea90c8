package io.github.segmentdrip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.segmentdrip.testing.DripContract.Rejection;

/**
 * An in-process stand-in for Drip's REST API v2 and its v3 Shopper Activity API (orders, carts,
 * products) that enforces the contract in {@code /work/shared/reference/drip-api.md}: Basic auth
 * with the API token, account-scoped paths, the request shapes, validation answered with Drip's
 * {@code errors} envelope, and the hourly rate limits (3,600 single, 50 batch requests per account)
 * with their headers and 429 body. Drip documents no separate v3 limit, so v3 single and batch
 * requests spend the same two budgets.
 *
 * <p>It records every request and every accepted record, counts the budget per window so a test can
 * prove the service never overspent it, and injects faults (errors, latency, same-subscriber
 * conflicts, outages). It uses the JDK's HTTP server only, so it needs no extra dependency, and it
 * also runs as a process for benchmarks ({@link #main(String[])}).
 *
 * <p>Order of checks, as a gateway in front of Drip would apply them: outage (503), credentials
 * (401), path and account (404), same-subscriber conflicts (429, not counted), hourly budget (429),
 * injected failures, then User-Agent, Content-Type and body (400, 422). Every request that reaches
 * the budget check and passes it counts against the hour, whatever its outcome.
 */
public final class DripEmulator implements AutoCloseable {

    public static final int DEFAULT_SINGLE_LIMIT = 3600;
    public static final int DEFAULT_BATCH_LIMIT = 50;
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    /** Drip docs, Rate Limiting: outside the {@code errors} envelope, the docs' spelling kept. */
    static final String RATE_LIMIT_BODY = "{\"message\":\"API rate limit exceeded. Please try again in an hour.\","
            + "\"documentation\":\"https://www.getdrip.com/docs/rest-api#rate-limting\"}";
    static final String SAME_SUBSCRIBER_BODY = "{\"errors\":[{\"code\":\"too_many_requests\","
            + "\"message\":\"Too many concurrent requests for the same subscriber\"}]}";
    static final String UNAUTHORIZED_BODY = "{\"errors\":[{\"code\":\"authorization_error\","
            + "\"message\":\"You are not authorized to access this resource\"}]}";
    static final String NOT_FOUND_BODY = "{\"errors\":[{\"code\":\"not_found_error\","
            + "\"message\":\"The resource you requested was not found\"}]}";
    static final String USER_BODY = "{\"users\":[{\"email\":\"owner@example.com\",\"name\":\"Owner\","
            + "\"time_zone\":\"Etc/UTC\"}]}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_BASE = "https://api.getdrip.com/v2/";

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, every response
        // with a body waits for the client's delayed ACK (~40 ms), which would cap the emulator at
        // ~25 sequential requests per second. Read once, when the first JDK HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String accountId;
    private final byte[] apiToken;
    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean recording;
    private final RateWindow singleBudget;
    private final RateWindow batchBudget;

    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> subscribers = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> orders = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> carts = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> products = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentMap<String, List<JsonNode>> campaignSubscriptions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<String>> campaignEmails = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> subscriberIds = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, ConcurrentMap<Integer, LongAdder>> statusCounts = new ConcurrentHashMap<>();
    /** Records accepted through single and through batch endpoints: how full the client's requests were. */
    private final ConcurrentMap<String, LongAdder> recordsByClass = new ConcurrentHashMap<>();
    /** Records accepted by the request this thread answers (one request per thread at a time). */
    private static final ThreadLocal<long[]> RECORDS_IN_THIS_REQUEST = ThreadLocal.withInitial(() -> new long[1]);
    private final LongAdder subscribersAccepted = new LongAdder();
    private final LongAdder eventsAccepted = new LongAdder();
    private final LongAdder campaignSubscriptionsAccepted = new LongAdder();
    private final LongAdder ordersAccepted = new LongAdder();
    private final LongAdder cartsAccepted = new LongAdder();
    private final LongAdder productsAccepted = new LongAdder();
    private final LongAdder sameSubscriberConflicts = new LongAdder();

    private final Queue<FailRule> failRules = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingConflicts = new AtomicInteger();
    private final Set<String> subscribersInFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean conflictOnConcurrentSameSubscriber;
    private volatile double failFraction;
    private volatile int failStatus = 500;
    private volatile Random random = new Random();
    private volatile long latencyNanos;
    private volatile boolean unavailable;
    private volatile boolean hang;
    private volatile CountDownLatch hungUntil = new CountDownLatch(1);
    private final AtomicInteger hungRequests = new AtomicInteger();

    private DripEmulator(Builder builder) {
        this.accountId = builder.accountId;
        this.apiToken = builder.apiToken.getBytes(UTF_8);
        this.recording = builder.record;
        this.singleBudget = new RateWindow(builder.ticker, builder.singleLimit, builder.window);
        this.batchBudget = new RateWindow(builder.ticker, builder.batchLimit, builder.window);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(builder.threads, runnable -> {
            Thread thread = new Thread(runnable, "drip-emulator-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 1024);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the Drip emulator to port " + builder.port, e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an emulator for one account and token, with Drip's default limits, on an ephemeral port. */
    public static DripEmulator start(String accountId, String apiToken) {
        return builder(accountId, apiToken).start();
    }

    public static Builder builder(String accountId, String apiToken) {
        return new Builder(accountId, apiToken);
    }

    /** {@code http://127.0.0.1:PORT}, what {@code drip.base-url} should be set to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String accountId() {
        return accountId;
    }

    @Override
    public void close() {
        releaseHung();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- rate limits

    /** Sets the length of a rate-limit window (for both classes) and restarts the rate accounting. */
    public DripEmulator windowLength(Duration window) {
        singleBudget.window(window);
        batchBudget.window(window);
        return this;
    }

    public Duration windowLength() {
        return singleBudget.window();
    }

    /** Requests per window for the single (non-batch) endpoints; Drip allows 3,600. */
    public DripEmulator singleLimit(int limit) {
        singleBudget.limit(limit);
        return this;
    }

    public int singleLimit() {
        return singleBudget.limit();
    }

    /** Requests per window for the {@code …/batches} (v2) and {@code …/batch} (v3) endpoints; Drip allows 50. */
    public DripEmulator batchLimit(int limit) {
        batchBudget.limit(limit);
        return this;
    }

    public int batchLimit() {
        return batchBudget.limit();
    }

    /** What {@code X-RateLimit-Remaining} would say now for that endpoint class. */
    public int remaining(boolean batch) {
        return budget(batch).remaining();
    }

    /** The most requests counted in one of the emulator's fixed windows; never above the limit. */
    public int maxRequestsInAnyWindow(boolean batch) {
        return budget(batch).maxInAnyWindow();
    }

    /**
     * The most requests counted in any interval of one window length, wherever it starts. A client
     * cannot know where Drip's windows start, so only this number proves it kept to the budget.
     */
    public int maxRequestsInAnySlidingWindow(boolean batch) {
        return budget(batch).maxInAnySlidingWindow();
    }

    /** Requests counted against the budget of that class (since start, reset or a new window length). */
    public int countedRequests(boolean batch) {
        return budget(batch).counted();
    }

    /** 429s sent because the hourly budget was exhausted (not injected failures, not conflicts). */
    public int rateLimited() {
        return singleBudget.rejected() + batchBudget.rejected();
    }

    /** 429 "Too many concurrent requests for the same subscriber" sent, injected or detected. */
    public int sameSubscriberConflicts() {
        return sameSubscriberConflicts.intValue();
    }

    /** No hourly 429 was sent and no interval of one window length held more requests than the limit. */
    public boolean budgetRespected() {
        return rateLimited() == 0
                && singleBudget.maxInAnySlidingWindow() <= singleBudget.limit()
                && batchBudget.maxInAnySlidingWindow() <= batchBudget.limit();
    }

    // ---------------------------------------------------------------- fault injection

    /** The next {@code count} authenticated requests get this status and body instead of being processed. */
    public DripEmulator failNext(int count, int status, String jsonBody) {
        return failNext("", count, status, jsonBody);
    }

    /**
     * As {@link #failNext(int, int, String)}, only for requests whose path contains a match of
     * {@code pathRegex} ({@code "/events$"} hits single events, not {@code /events/batches}).
     */
    public DripEmulator failNext(String pathRegex, int count, int status, String jsonBody) {
        failRules.add(new FailRule(Pattern.compile(pathRegex), new AtomicInteger(count), status, jsonBody));
        return this;
    }

    /** Fails a random {@code fraction} (0..1) of authenticated requests with {@code status}; 0 turns it off. */
    public DripEmulator failRate(double fraction, int status) {
        if (fraction < 0 || fraction > 1 || status < 400 || status > 599) {
            throw new IllegalArgumentException("fail rate needs 0..1 and a 4xx/5xx status: " + fraction + ", " + status);
        }
        this.failStatus = status;
        this.failFraction = fraction;
        return this;
    }

    /** Seeds the random source of {@link #failRate(double, int)}. */
    public DripEmulator seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /** Delay added before every response is sent. */
    public DripEmulator latency(Duration latency) {
        this.latencyNanos = latency.toNanos();
        return this;
    }

    /**
     * The next {@code count} requests to a single subscriber-scoped endpoint (subscribers, events,
     * campaign subscribe) get Drip's same-subscriber 429; like Drip, they do not count against the hour.
     */
    public DripEmulator sameSubscriberConflictNext(int count) {
        pendingConflicts.addAndGet(count);
        return this;
    }

    /**
     * Answers the same-subscriber 429 when a single request for an email arrives while another one for
     * the same email is still being answered (Drip docs, Subscribers). Pair it with {@link #latency}.
     */
    public DripEmulator conflictOnConcurrentSameSubscriber(boolean enabled) {
        this.conflictOnConcurrentSameSubscriber = enabled;
        return this;
    }

    /** While true, every request gets 503. */
    public DripEmulator unavailable(boolean unavailable) {
        this.unavailable = unavailable;
        return this;
    }

    /**
     * While true, Drip hangs: every request is read and never answered, as on a connection whose
     * peer went silent. Turned off, later requests are answered as usual; the ones held stay
     * unanswered (only the client's own timeout frees the client) until {@link #reset} or {@link #close}.
     */
    public DripEmulator hang(boolean hang) {
        this.hang = hang;
        return this;
    }

    /** Requests that arrived while Drip hung (never answered). */
    public int hungRequests() {
        return hungRequests.get();
    }

    /** Clears recorded requests and records, campaign memberships, counters and all faults; keeps limits. */
    public DripEmulator reset() {
        failRules.clear();
        pendingConflicts.set(0);
        conflictOnConcurrentSameSubscriber = false;
        failFraction = 0;
        latencyNanos = 0;
        unavailable = false;
        hang = false;
        releaseHung();
        hungRequests.set(0);
        requests.clear();
        subscribers.clear();
        events.clear();
        orders.clear();
        carts.clear();
        products.clear();
        campaignSubscriptions.clear();
        campaignEmails.clear();
        statusCounts.clear();
        recordsByClass.clear();
        subscribersAccepted.reset();
        eventsAccepted.reset();
        campaignSubscriptionsAccepted.reset();
        ordersAccepted.reset();
        cartsAccepted.reset();
        productsAccepted.reset();
        sameSubscriberConflicts.reset();
        singleBudget.restart();
        batchBudget.restart();
        return this;
    }

    // ---------------------------------------------------------------- recordings

    /** Every request in the order they were answered. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests answered with 2xx. */
    public List<RecordedRequest> accepted() {
        return requests().stream().filter(RecordedRequest::accepted).toList();
    }

    /** Every subscriber record accepted, single or batched, as sent. */
    public List<JsonNode> subscribers() {
        synchronized (subscribers) {
            return List.copyOf(subscribers);
        }
    }

    /** Every event record accepted, single or batched, as sent. */
    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Every Shopper Activity order record accepted, single or batched, as sent. */
    public List<JsonNode> orders() {
        synchronized (orders) {
            return List.copyOf(orders);
        }
    }

    /** Every Shopper Activity cart record accepted, single or batched, as sent. */
    public List<JsonNode> carts() {
        synchronized (carts) {
            return List.copyOf(carts);
        }
    }

    /** Every Shopper Activity product record accepted, single or batched, as sent. */
    public List<JsonNode> products() {
        synchronized (products) {
            return List.copyOf(products);
        }
    }

    /** The subscribe requests accepted for one campaign, as sent. */
    public List<JsonNode> campaignSubscriptions(String campaignId) {
        List<JsonNode> list = campaignSubscriptions.get(campaignId);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** The counters {@code GET /_emulator/stats} serves. */
    public ObjectNode stats() {
        ObjectNode stats = JSON.createObjectNode();
        ObjectNode byClass = stats.putObject("requests");
        for (String endpointClass : List.of("single", "batch")) {
            ObjectNode byStatus = byClass.putObject(endpointClass);
            statusCounts.getOrDefault(endpointClass, new ConcurrentHashMap<>()).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> byStatus.put(String.valueOf(e.getKey()), e.getValue().longValue()));
        }
        ObjectNode records = stats.putObject("records");
        records.put("subscribers", subscribersAccepted.longValue());
        records.put("events", eventsAccepted.longValue());
        records.put("campaign_subscriptions", campaignSubscriptionsAccepted.longValue());
        records.put("orders", ordersAccepted.longValue());
        records.put("carts", cartsAccepted.longValue());
        records.put("products", productsAccepted.longValue());
        ObjectNode byClassRecords = stats.putObject("records_by_class");
        for (String endpointClass : List.of("single", "batch")) {
            byClassRecords.put(endpointClass, recordsByClass.getOrDefault(endpointClass, new LongAdder()).longValue());
        }
        stats.put("rate_limited", rateLimited());
        stats.put("same_subscriber_conflicts", sameSubscriberConflicts());
        ObjectNode counted = stats.putObject("counted");
        counted.put("single", countedRequests(false));
        counted.put("batch", countedRequests(true));
        ObjectNode maxPerWindow = stats.putObject("max_per_window");
        maxPerWindow.put("single", maxRequestsInAnyWindow(false));
        maxPerWindow.put("batch", maxRequestsInAnyWindow(true));
        ObjectNode maxPerSlidingWindow = stats.putObject("max_per_sliding_window");
        maxPerSlidingWindow.put("single", maxRequestsInAnySlidingWindow(false));
        maxPerSlidingWindow.put("batch", maxRequestsInAnySlidingWindow(true));
        ObjectNode limits = stats.putObject("limits");
        limits.put("single", singleLimit());
        limits.put("batch", batchLimit());
        limits.put("window", windowLength().toString());
        stats.put("budget_respected", budgetRespected());
        return stats;
    }

    /**
     * What {@code GET /_emulator/requests} serves, so a test in another process (a browser test) can
     * check what reached Drip: every request in arrival order with its method, path, answered status
     * and JSON body. Headers are left out, as they carry the API token. Empty unless recording.
     */
    ObjectNode recordedRequests() {
        ObjectNode root = JSON.createObjectNode();
        root.put("recording", recording);
        var array = root.putArray("requests");
        for (RecordedRequest request : requests()) {
            ObjectNode node = array.addObject()
                    .put("method", request.method())
                    .put("path", request.path())
                    .put("status", request.status());
            node.set("body", request.json().isMissingNode() ? JSON.nullNode() : request.json());
        }
        return root;
    }

    // ---------------------------------------------------------------- HTTP handling

    private void handle(HttpExchange exchange) throws IOException {
        Instant time = Instant.now();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            if (path.startsWith("/_emulator/")) {
                control(exchange, method, path);
                return;
            }
            if (hang) {
                CountDownLatch until = hungUntil;
                hungRequests.incrementAndGet();
                awaitQuietly(until);
                return;
            }
            boolean batch = DripContract.isBatchPath(path);
            JsonNode json = parse(body);
            List<String> claimed = new ArrayList<>(1);
            try {
                Reply reply;
                RECORDS_IN_THIS_REQUEST.get()[0] = 0;
                try {
                    reply = respond(method, path, exchange.getRequestHeaders(), json, budget(batch), claimed);
                } catch (RuntimeException e) {
                    reply = new Reply(500, errors("internal_error", e.toString()), budget(batch).remaining());
                }
                statusCounts.computeIfAbsent(batch ? "batch" : "single", k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(reply.status, k -> new LongAdder()).increment();
                recordsByClass.computeIfAbsent(batch ? "batch" : "single", k -> new LongAdder())
                        .add(RECORDS_IN_THIS_REQUEST.get()[0]);
                if (recording) {
                    requests.add(new RecordedRequest(method, path, exchange.getRequestHeaders(), body, json,
                            reply.status, reply.body, time));
                }
                long latency = latencyNanos;
                if (latency > 0) {
                    TimeUnit.NANOSECONDS.sleep(latency);
                }
                Headers headers = exchange.getResponseHeaders();
                headers.set("X-RateLimit-Limit", String.valueOf(budget(batch).limit()));
                headers.set("X-RateLimit-Remaining", String.valueOf(Math.max(0, reply.remaining)));
                EmulatorHttp.send(exchange, reply.status, reply.body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                claimed.forEach(subscribersInFlight::remove);
            }
        }
    }

    private void releaseHung() {
        CountDownLatch held = hungUntil;
        hungUntil = new CountDownLatch(1);
        held.countDown();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply respond(String method, String path, Headers headers, JsonNode json, RateWindow budget,
            List<String> claimed) {
        if (unavailable) {
            return new Reply(503, errors("unavailable_error", "Service Unavailable"), budget.remaining());
        }
        if (!authorized(headers.getFirst("Authorization"))) {
            return new Reply(401, UNAUTHORIZED_BODY, budget.remaining());
        }
        Route route = Route.match(method, path);
        if (route == null || (route.account != null && !route.account.equals(accountId))) {
            return new Reply(404, NOT_FOUND_BODY, budget.remaining());
        }
        if (route.endpoint.subscriberScoped && EmulatorHttp.takeOne(pendingConflicts)) {
            sameSubscriberConflicts.increment();
            return new Reply(429, SAME_SUBSCRIBER_BODY, budget.remaining());
        }
        if (route.endpoint.subscriberScoped && conflictOnConcurrentSameSubscriber && !claim(json, claimed)) {
            sameSubscriberConflicts.increment();
            return new Reply(429, SAME_SUBSCRIBER_BODY, budget.remaining());
        }
        int remaining = budget.tryAcquire();
        if (remaining < 0) {
            return new Reply(429, RATE_LIMIT_BODY, 0);
        }
        Reply injected = injectedFailure(path, remaining);
        if (injected != null) {
            return injected;
        }
        try {
            checkTransport(method, headers, json);
            return process(route, json, remaining);
        } catch (Rejection rejection) {
            return new Reply(rejection.status, errors(rejection.errors), remaining);
        }
    }

    private Reply process(Route route, JsonNode json, int remaining) {
        switch (route.endpoint) {
            case USER:
                return new Reply(200, USER_BODY, remaining);
            case SUBSCRIBERS: {
                JsonNode subscriber = DripContract.singleRecord(json, "subscribers");
                List<DripContract.Error> errors = new ArrayList<>();
                DripContract.checkSubscriber(subscriber, null, errors);
                rejectIfAny(errors);
                accept(subscribers, subscribersAccepted, List.of(subscriber));
                return new Reply(200, subscribersResponse(subscriber), remaining);
            }
            case SUBSCRIBER_BATCHES: {
                List<JsonNode> batch = DripContract.batchRecords(json, "subscribers");
                List<DripContract.Error> errors = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    DripContract.checkSubscriber(batch.get(i), "subscribers[" + i + "]", errors);
                }
                rejectIfAny(errors);
                accept(subscribers, subscribersAccepted, batch);
                return new Reply(201, "{}", remaining);
            }
            case EVENTS: {
                JsonNode event = DripContract.singleRecord(json, "events");
                List<DripContract.Error> errors = new ArrayList<>();
                DripContract.checkEvent(event, null, errors);
                rejectIfAny(errors);
                accept(events, eventsAccepted, List.of(event));
                return new Reply(204, null, remaining);
            }
            case EVENT_BATCHES: {
                List<JsonNode> batch = DripContract.batchRecords(json, "events");
                List<DripContract.Error> errors = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    DripContract.checkEvent(batch.get(i), "events[" + i + "]", errors);
                }
                rejectIfAny(errors);
                accept(events, eventsAccepted, batch);
                return new Reply(201, "{}", remaining);
            }
            case CAMPAIGN_SUBSCRIBERS: {
                JsonNode subscriber = DripContract.singleRecord(json, "subscribers");
                List<DripContract.Error> errors = new ArrayList<>();
                DripContract.checkCampaignSubscriber(subscriber, errors);
                rejectIfAny(errors);
                Set<String> members = campaignEmails.computeIfAbsent(route.campaignId,
                        k -> ConcurrentHashMap.newKeySet());
                if (!members.add(DripContract.emailKey(subscriber))) {
                    throw new Rejection(422, List.of(
                            new DripContract.Error("uniqueness_error", "email", "Email is already subscribed")));
                }
                campaignSubscriptionsAccepted.increment();
                RECORDS_IN_THIS_REQUEST.get()[0]++;
                if (recording) {
                    campaignSubscriptions
                            .computeIfAbsent(route.campaignId, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(subscriber);
                }
                return new Reply(200, subscribersResponse(subscriber), remaining);
            }
            case SHOPPER_ORDER:
                return shopperSingle(json, DripContract::checkOrder, orders, ordersAccepted, remaining);
            case SHOPPER_ORDER_BATCH:
                return shopperBatch(json, "orders", DripContract::checkOrder, orders, ordersAccepted, remaining);
            case SHOPPER_CART:
                return shopperSingle(json, DripContract::checkCart, carts, cartsAccepted, remaining);
            case SHOPPER_CART_BATCH:
                return shopperBatch(json, "carts", DripContract::checkCart, carts, cartsAccepted, remaining);
            case SHOPPER_PRODUCT:
                return shopperSingle(json, DripContract::checkProduct, products, productsAccepted, remaining);
            case SHOPPER_PRODUCT_BATCH:
                return shopperBatch(json, "products", DripContract::checkProduct, products, productsAccepted,
                        remaining);
            default:
                throw new IllegalStateException("unhandled endpoint " + route.endpoint);
        }
    }

    /** Drip docs, Shopper Activity: one record as the body, answered {@code 202 {"request_id":…}}. */
    private Reply shopperSingle(JsonNode json, ShopperCheck check, List<JsonNode> store, LongAdder counter,
            int remaining) {
        JsonNode record = DripContract.shopperRecord(json);
        List<DripContract.Error> errors = new ArrayList<>();
        check.check(record, null, errors);
        rejectIfAny(errors);
        accept(store, counter, List.of(record));
        ObjectNode answer = JSON.createObjectNode().put("request_id", UUID.randomUUID().toString());
        return new Reply(202, write(answer), remaining);
    }

    /** {@code {"orders":[…]}} and the like, 1 to 1,000, answered {@code 202 {"request_ids":[…]}}. */
    private Reply shopperBatch(JsonNode json, String key, ShopperCheck check, List<JsonNode> store, LongAdder counter,
            int remaining) {
        List<JsonNode> batch = DripContract.shopperBatchRecords(json, key);
        List<DripContract.Error> errors = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            check.check(batch.get(i), key + "[" + i + "]", errors);
        }
        rejectIfAny(errors);
        accept(store, counter, batch);
        ObjectNode answer = JSON.createObjectNode();
        var ids = answer.putArray("request_ids");
        batch.forEach(record -> ids.add(UUID.randomUUID().toString()));
        return new Reply(202, write(answer), remaining);
    }

    @FunctionalInterface
    private interface ShopperCheck {
        void check(JsonNode record, String where, List<DripContract.Error> errors);
    }

    private void checkTransport(String method, Headers headers, JsonNode json) {
        String userAgent = headers.getFirst("User-Agent");
        if (userAgent == null || userAgent.isBlank()) {
            // Drip docs: "should" send "Your App Name (www.yourapp.com)"; the emulator insists.
            throw Rejection.malformed("A User-Agent header naming the application is required");
        }
        if (!"POST".equals(method)) {
            return;
        }
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.equals("application/vnd.api+json")) {
            throw Rejection.malformed("Content-Type must be application/json, got " + contentType);
        }
        if (json == null) {
            throw Rejection.malformed("The request body must be a JSON document");
        }
    }

    private void control(HttpExchange exchange, String method, String path) throws IOException {
        if ("GET".equals(method) && path.equals("/_emulator/stats")) {
            EmulatorHttp.send(exchange, 200, JSON.writeValueAsString(stats()));
        } else if ("GET".equals(method) && path.equals("/_emulator/requests")) {
            EmulatorHttp.send(exchange, 200, JSON.writeValueAsString(recordedRequests()));
        } else if ("POST".equals(method) && path.equals("/_emulator/reset")) {
            reset();
            EmulatorHttp.send(exchange, 204, null);
        } else {
            EmulatorHttp.send(exchange, 404, NOT_FOUND_BODY);
        }
    }


    /**
     * Drip docs, Authentication: the token is the Basic username with an empty password. Drip reads
     * only the username, so {@code base64(token)} without the colon works too (drip-nodejs, RudderStack).
     */
    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String value = header.trim();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        String username = colon >= 0 ? decoded.substring(0, colon) : decoded.strip();
        return MessageDigest.isEqual(username.getBytes(UTF_8), apiToken);
    }

    private boolean claim(JsonNode json, List<String> claimed) {
        JsonNode records = json == null ? null : json.path("subscribers").isArray() ? json.get("subscribers")
                : json.path("events").isArray() ? json.get("events") : null;
        if (records == null) {
            return true;
        }
        for (JsonNode record : records) {
            String email = DripContract.emailKey(record);
            if (email != null && !claimed.contains(email)) {
                if (!subscribersInFlight.add(email)) {
                    return false;
                }
                claimed.add(email);
            }
        }
        return true;
    }

    private Reply injectedFailure(String path, int remaining) {
        for (FailRule rule : failRules) {
            if (rule.path.matcher(path).find() && EmulatorHttp.takeOne(rule.remaining)) {
                if (rule.remaining.get() == 0) {
                    failRules.remove(rule);
                }
                return new Reply(rule.status, rule.body, remaining);
            }
        }
        double fraction = failFraction;
        if (fraction > 0 && random.nextDouble() < fraction) {
            int status = failStatus;
            return new Reply(status, errors("injected_error", "Injected failure (" + status + ")"), remaining);
        }
        return null;
    }

    private void accept(List<JsonNode> store, LongAdder counter, List<JsonNode> records) {
        counter.add(records.size());
        RECORDS_IN_THIS_REQUEST.get()[0] += records.size();
        if (recording) {
            store.addAll(records);
        }
    }

    private String subscribersResponse(JsonNode subscriber) {
        ObjectNode response = JSON.createObjectNode();
        response.putObject("links").put("subscribers.account", API_BASE + "accounts/{subscribers.account}");
        ObjectNode echo = subscriber.deepCopy();
        String id = subscriberIds.computeIfAbsent(DripContract.emailKey(subscriber), k -> randomId());
        echo.put("id", id);
        echo.put("href", API_BASE + accountId + "/subscribers/" + id);
        if (!echo.has("status")) {
            echo.put("status", "active");
        }
        echo.putObject("links").put("account", accountId);
        response.putArray("subscribers").add(echo);
        return write(response);
    }

    private RateWindow budget(boolean batch) {
        return batch ? batchBudget : singleBudget;
    }

    private static void rejectIfAny(List<DripContract.Error> errors) {
        if (!errors.isEmpty()) {
            throw new Rejection(422, errors);
        }
    }


    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String errors(String code, String message) {
        return errors(List.of(new DripContract.Error(code, null, message)));
    }

    private static String errors(List<DripContract.Error> errors) {
        ObjectNode root = JSON.createObjectNode();
        var array = root.putArray("errors");
        for (DripContract.Error error : errors) {
            ObjectNode node = array.addObject().put("code", error.code());
            if (error.attribute() != null) {
                node.put("attribute", error.attribute());
            }
            node.put("message", error.message());
        }
        return write(root);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        Random random = new Random();
        StringBuilder id = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private record Reply(int status, String body, int remaining) {
    }

    private record FailRule(Pattern path, AtomicInteger remaining, int status, String body) {
    }

    private enum Endpoint {
        USER("GET", "/v2/user", false),
        SUBSCRIBERS("POST", "/v2/([^/]+)/subscribers", true),
        SUBSCRIBER_BATCHES("POST", "/v2/([^/]+)/subscribers/batches", false),
        EVENTS("POST", "/v2/([^/]+)/events", true),
        EVENT_BATCHES("POST", "/v2/([^/]+)/events/batches", false),
        CAMPAIGN_SUBSCRIBERS("POST", "/v2/([^/]+)/campaigns/(\\d+)/subscribers", true),
        SHOPPER_ORDER("POST", "/v3/([^/]+)/shopper_activity/order", false),
        SHOPPER_ORDER_BATCH("POST", "/v3/([^/]+)/shopper_activity/order/batch", false),
        SHOPPER_CART("POST", "/v3/([^/]+)/shopper_activity/cart", false),
        SHOPPER_CART_BATCH("POST", "/v3/([^/]+)/shopper_activity/cart/batch", false),
        SHOPPER_PRODUCT("POST", "/v3/([^/]+)/shopper_activity/product", false),
        SHOPPER_PRODUCT_BATCH("POST", "/v3/([^/]+)/shopper_activity/product/batch", false);

        final String method;
        final Pattern path;
        /** Acts on one person, so Drip may answer the same-subscriber 429. */
        final boolean subscriberScoped;

        Endpoint(String method, String path, boolean subscriberScoped) {
            this.method = method;
            this.path = Pattern.compile(path);
            this.subscriberScoped = subscriberScoped;
        }
    }

    private record Route(Endpoint endpoint, String account, String campaignId) {
        static Route match(String method, String path) {
            for (Endpoint endpoint : Endpoint.values()) {
                Matcher matcher = endpoint.path.matcher(path);
                if (endpoint.method.equals(method) && matcher.matches()) {
                    return new Route(endpoint,
                            matcher.groupCount() >= 1 ? matcher.group(1) : null,
                            matcher.groupCount() >= 2 ? matcher.group(2) : null);
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- configuration and process mode

    /** Settings fixed at start; limits, window and faults can also change while running. */
    public static final class Builder {
        private final String accountId;
        private final String apiToken;
        private int port;
        private int threads = 16;
        private int singleLimit = DEFAULT_SINGLE_LIMIT;
        private int batchLimit = DEFAULT_BATCH_LIMIT;
        private Duration window = DEFAULT_WINDOW;
        private boolean record = true;
        private LongSupplier ticker = System::nanoTime;

        private Builder(String accountId, String apiToken) {
            if (accountId == null || accountId.isBlank() || apiToken == null || apiToken.isBlank()) {
                throw new IllegalArgumentException("account id and API token are required");
            }
            this.accountId = accountId;
            this.apiToken = apiToken;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder singleLimit(int singleLimit) {
            this.singleLimit = singleLimit;
            return this;
        }

        public Builder batchLimit(int batchLimit) {
            this.batchLimit = batchLimit;
            return this;
        }

        public Builder windowLength(Duration window) {
            this.window = window;
            return this;
        }

        /** Whether to keep requests and records in memory; counters are kept either way. */
        public Builder record(boolean record) {
            this.record = record;
            return this;
        }

        /** The nanosecond clock rate windows are measured with, for deterministic tests. */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = ticker;
            return this;
        }

        public DripEmulator start() {
            return new DripEmulator(this);
        }
    }

    /**
     * Starts an emulator from command-line options: {@code --port} (0), {@code --account} (9999999),
     * {@code --token} (abc123), {@code --window} (ISO-8601, PT1H), {@code --single-limit} (3600),
     * {@code --batch-limit} (50), {@code --fail-rate} (0), {@code --fail-status} (500),
     * {@code --latency-ms} (0), {@code --seed}, {@code --threads} (16), {@code --record}.
     * Options take {@code --name value} or {@code --name=value}.
     */
    public static DripEmulator fromArgs(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                options.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (arg.equals("--record")) {
                options.put("record", "true");
            } else if (i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + arg);
            }
        }
        Set<String> known = Set.of("port", "account", "token", "window", "single-limit", "batch-limit",
                "fail-rate", "fail-status", "latency-ms", "seed", "threads", "record");
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: " + known);
            }
        }
        DripEmulator emulator = builder(options.getOrDefault("account", "9999999"),
                options.getOrDefault("token", "abc123"))
                .port(Integer.parseInt(options.getOrDefault("port", "0")))
                .threads(Integer.parseInt(options.getOrDefault("threads", "16")))
                .windowLength(Duration.parse(options.getOrDefault("window", DEFAULT_WINDOW.toString())))
                .singleLimit(Integer.parseInt(options.getOrDefault("single-limit", String.valueOf(DEFAULT_SINGLE_LIMIT))))
                .batchLimit(Integer.parseInt(options.getOrDefault("batch-limit", String.valueOf(DEFAULT_BATCH_LIMIT))))
                .record(Boolean.parseBoolean(options.getOrDefault("record", "false")))
                .start();
        if (options.containsKey("seed")) {
            emulator.seed(Long.parseLong(options.get("seed")));
        }
        emulator.failRate(Double.parseDouble(options.getOrDefault("fail-rate", "0")),
                Integer.parseInt(options.getOrDefault("fail-status", "500")));
        emulator.latency(Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "0"))));
        return emulator;
    }

    /**
     * Serves until killed; prints one line with the base URL. {@code GET /_emulator/stats} reports
     * counters; with {@code --record}, {@code GET /_emulator/requests} lists what arrived.
     */
    public static void main(String[] args) throws InterruptedException {
        DripEmulator emulator = fromArgs(args);
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "drip-emulator-shutdown"));
        System.out.println("drip-emulator listening on " + emulator.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
