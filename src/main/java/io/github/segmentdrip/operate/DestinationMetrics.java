package io.github.segmentdrip.operate;

import io.github.segmentdrip.drip.DripRequest;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.Rejected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's counters, named for Prometheus ({@code /q/metrics}): what the intake received,
 * accepted, rejected and skipped, and what delivery sent, retried and dead-lettered. Tags hold
 * bounded values only (types, endpoints, statuses, reasons without payloads), never a secret.
 */
public class DestinationMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final ConcurrentMap<DripWork.Kind, AtomicLong> deliveredByKind = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();

    public DestinationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One intake request after its commit. */
    public void intake(Intake intake) {
        count("segment.events.received", intake.getReceived(), "endpoint", intake.getEndpoint());
        for (DripWork work : intake.getAccepted()) {
            count("segment.events.accepted", 1, "type", acceptedAs(work.kind()));
        }
        for (Rejected refused : intake.getRejected()) {
            count("segment.events.rejected", 1, "reason", refused.error());
        }
        if (intake.getDeduplicated() > 0) {
            count("segment.events.deduplicated", intake.getDeduplicated(), "endpoint", intake.getEndpoint());
        }
        for (String type : intake.getSkippedTypes()) {
            count("segment.events.skipped", 1, "type", type);
        }
    }

    /**
     * A whole request refused at one of the HTTP doors (bad JSON, size, a wrong write key, webhook
     * token or admin token, a single message without email…), by door and HTTP status. The door is
     * the route group of the routes behind it: {@code segment-intake}, {@code drip-webhooks},
     * {@code admin}.
     */
    public void refused(String door, int status) {
        count("http.requests.refused", 1, "door", door == null || door.isBlank() ? "unknown" : door,
                "status", String.valueOf(status));
    }

    public void dripResponse(DripRequest request, int status) {
        count("drip.responses", 1, "endpoint", endpoint(request), "status", String.valueOf(status));
        if (status < 200 || status >= 300) {
            failed.incrementAndGet();
        }
    }

    public void delivered(DripRequest request) {
        count("drip.records.delivered", request.records(), "endpoint", endpoint(request));
        delivered.addAndGet(request.records());
        deliveredByKind.computeIfAbsent(request.rows().get(0).kind(), kind -> new AtomicLong()).addAndGet(request.records());
    }

    /** Records Drip accepted since start, by kind (subscriber, event, campaign, order, cart), for the status page. */
    public java.util.Map<String, Long> deliveredByKind() {
        java.util.Map<String, Long> byKind = new java.util.LinkedHashMap<>();
        for (DripWork.Kind kind : DripWork.Kind.values()) {
            AtomicLong count = deliveredByKind.get(kind);
            byKind.put(kind.name().toLowerCase(java.util.Locale.ROOT), count == null ? 0 : count.get());
        }
        return byKind;
    }

    public void retried(DripRequest request) {
        count("drip.retries", 1, "endpoint", endpoint(request));
    }

    public void deadLettered(DripRequest request, Exception cause) {
        String status = cause instanceof io.github.segmentdrip.drip.DripFailure failure && failure.getStatus() > 0
                ? String.valueOf(failure.getStatus()) : "none";
        count("drip.dead.lettered", request.rows().size(), "endpoint", endpoint(request), "status", status);
    }

    /** A Drip webhook after its commit: forwarded to Segment or skipped, by Drip event. */
    public void dripWebhook(io.github.segmentdrip.reverse.WebhookItem item) {
        String event = item.getEventName();
        // Only Drip's own event names become tags; anything else a token holder sends is "other".
        String tag = event != null && event.matches("subscriber\\.[a-z_]{1,40}") ? event : "other";
        count("drip.webhooks.received", 1, "event", tag, "outcome", item.getTrack() != null ? "forwarded" : "skipped");
    }

    public void segmentResponse(int status) {
        count("segment.responses", 1, "status", String.valueOf(status));
    }

    public void segmentDelivered(io.github.segmentdrip.reverse.SegmentRequest request) {
        count("segment.events.delivered", request.size());
    }

    public void segmentDeadLettered(io.github.segmentdrip.reverse.SegmentRequest request) {
        count("segment.events.dead.lettered", request.size());
    }

    /** Records delivered since start, for the status page's per-minute chart. */
    public long deliveredTotal() {
        return delivered.get();
    }

    /** Drip answers other than 2xx since start. */
    public long failedTotal() {
        return failed.get();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code /v2/1234567/events/batches} → {@code events/batches}: the account id stays out of metrics. */
    static String endpoint(DripRequest request) {
        return io.github.segmentdrip.drip.DripEndpoints.name(request.path());
    }

    /** What a message became: identify and track as before, and the Shopper Activity records. */
    private static String acceptedAs(DripWork.Kind kind) {
        return switch (kind) {
            case EVENT -> "track";
            case SUBSCRIBER, CAMPAIGN -> "identify";
            case ORDER -> "order";
            case CART -> "cart";
        };
    }

    private void count(String name, double amount, String... tags) {
        String key = name + String.join("|", tags);
        counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry)).increment(amount);
    }
}
