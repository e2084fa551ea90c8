package io.github.segmentdrip.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.outbox.RetrySchedule;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.reverse.DripWebhookIntake;
import io.github.segmentdrip.reverse.SegmentBatches;
import io.github.segmentdrip.reverse.SegmentDispatcher;
import io.github.segmentdrip.reverse.SegmentEmailEvents;
import io.github.segmentdrip.reverse.SegmentGate;
import io.github.segmentdrip.reverse.SegmentOutcomes;
import io.github.segmentdrip.reverse.SegmentResponses;
import io.github.segmentdrip.reverse.TrackingApiWriteKey;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Quarkus wiring of the Drip → Segment path: the plain beans the {@code drip-webhooks} and
 * {@code segment-delivery} routes call by name, built from {@link SegmentSettings},
 * {@code drip.account-id} and {@code drip.webhook-token}.
 */
public class ReverseBeans {

    private static final Logger LOG = Logger.getLogger(ReverseBeans.class);

    /** The webhook URL is the only proof a request comes from Drip: shorter secrets are guessable. */
    static final int SHORTEST_SAFE_TOKEN = 32;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    @Produces
    @Singleton
    @Named("trackingApiWriteKey")
    TrackingApiWriteKey trackingApiWriteKey(SegmentSettings settings) {
        return new TrackingApiWriteKey(settings.trackingApi().writeKey().orElse(null));
    }

    @Produces
    @Singleton
    @Named("dripWebhooks")
    DripWebhookIntake dripWebhooks(DripSettings drip, SegmentOutbox outbox) {
        return new DripWebhookIntake(drip.webhookToken().orElse(null), drip.accountId().orElse(null),
                new SegmentEmailEvents(), outbox, json);
    }

    @Produces
    @Singleton
    @Named("segmentGate")
    SegmentGate segmentGate(TrackingApiWriteKey writeKey) {
        return new SegmentGate(writeKey);
    }

    @Produces
    @Singleton
    @Named("segmentDispatcher")
    SegmentDispatcher segmentDispatcher(SegmentOutbox outbox, SegmentGate gate, SegmentSettings settings) {
        SegmentSettings.Delivery delivery = settings.delivery();
        return new SegmentDispatcher(outbox, gate, new SegmentBatches(delivery.maxBatchEvents(), delivery.maxBatchBytes()),
                clock, instanceName(), delivery.lease());
    }

    @Produces
    @Singleton
    @Named("segmentResponses")
    SegmentResponses segmentResponses(SegmentSettings settings) {
        return new SegmentResponses(Duration.ofMillis(settings.redelivery().maximumDelay()), clock);
    }

    @Produces
    @Singleton
    @Named("segmentOutcomes")
    SegmentOutcomes segmentOutcomes(SegmentOutbox outbox, SegmentGate gate, SegmentSettings settings) {
        SegmentSettings.Retry retry = settings.retry();
        return new SegmentOutcomes(outbox, gate, clock, new RetrySchedule(retry.firstDelay(), retry.multiplier(),
                retry.maxDelay(), retry.maxAttempts(), retry.maxAge()));
    }

    @SuppressWarnings("deprecation")
    void announce(@Observes StartupEvent start, SegmentSettings settings, DripSettings drip, SegmentGate gate) {
        if (settings.writeKey().filter(key -> !key.isBlank()).isPresent()) {
            LOG.warn("segment.write-key (SEGMENT_WRITE_KEY) is deprecated: rename it segment.tracking-api.write-key "
                    + "(SEGMENT_TRACKING_API_WRITE_KEY), the write key this service sends Drip's events to Segment with");
        }
        String apiUrl = settings.apiUrl();
        if (!apiUrl.matches("https?://[^/?#]+(/[^?#]*[^/?#])?")) {
            // The route appends /v1/batch: a trailing slash would post to //v1/batch.
            throw new IllegalArgumentException("segment.api-url must be an http(s) URL without a trailing slash "
                    + "or query, e.g. https://api.segment.io: " + apiUrl);
        }
        Optional<String> token = drip.webhookToken().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            LOG.info("Drip webhooks off: set DRIP_WEBHOOK_TOKEN to receive them at POST /drip/webhooks/{token}");
            return;
        }
        if (token.get().length() < SHORTEST_SAFE_TOKEN) {
            LOG.warnf("drip.webhook-token has %d characters; use at least %d random ones (e.g. openssl rand -hex 32)",
                    token.get().length(), SHORTEST_SAFE_TOKEN);
        }
        if (drip.accountId().filter(id -> !id.isBlank()).isEmpty()) {
            LOG.warn("drip.webhook-token is set but drip.account-id is not: every Drip webhook is refused with 403");
        }
        if (!gate.isOpen()) {
            LOG.warn(gate.blockedReason());
        }
        LOG.infof("Drip webhooks on at POST /drip/webhooks/{token}; email events%s go to Segment at %s",
                settings.forwardAllDripEvents() ? " and every other Drip event" : "", apiUrl);
    }

    /**
     * On SIGTERM: let the delivery route finish the batches it is sending (graceful route stop),
     * then hand back what this instance claimed but did not send, so nothing waits for its lease.
     */
    void releaseClaims(@Observes ShutdownEvent stop, SegmentDispatcher dispatcher, CamelContext camel) throws Exception {
        if (camel.getRoute("segment-delivery") != null) {
            camel.getRouteController().stopRoute("segment-delivery");
        }
        int released = dispatcher.releaseClaims();
        if (released > 0) {
            LOG.infof("Released %d reverse outbox row(s) this instance had claimed but not sent", released);
        }
    }

    /** Names this instance's claims, so a claim's owner can be told apart in the database. */
    private static String instanceName() {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
