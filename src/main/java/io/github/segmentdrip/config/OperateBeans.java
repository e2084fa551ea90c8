package io.github.segmentdrip.config;

import io.github.segmentdrip.admin.AdminAuth;
import io.github.segmentdrip.admin.DeadLetterAdmin;
import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DripBudget;
import io.github.segmentdrip.operate.DestinationMetrics;
import io.github.segmentdrip.operate.StatusHistory;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.Optional;

/** Quarkus wiring of what operators use: metrics, the status history, the admin API. */
public class OperateBeans {

    private final Clock clock = Clock.systemUTC();

    @Produces
    @Singleton
    @Named("destinationMetrics")
    DestinationMetrics destinationMetrics(MeterRegistry registry, DripOutbox outbox, SegmentOutbox segmentOutbox,
            DripBudget budget, DeliveryGate gate) {
        Gauge.builder("segment.outbox.depth", segmentOutbox, SegmentOutbox::depth)
                .description("Drip webhooks waiting for Segment").register(registry);
        // Read when Prometheus scrapes: the outbox and the budget live in the database.
        Gauge.builder("outbox.depth", outbox, DripOutbox::depth).description("Records waiting for Drip").register(registry);
        Gauge.builder("outbox.oldest.age.seconds", outbox,
                store -> store.oldestCreatedAt().stream().mapToDouble(t -> (clock.millis() - t) / 1000.0).findFirst().orElse(0.0))
                .description("Age of the oldest record waiting for Drip").register(registry);
        Gauge.builder("drip.budget.remaining", budget, b -> b.available(false)).tag("endpoint", "single").register(registry);
        Gauge.builder("drip.budget.remaining", budget, b -> b.available(true)).tag("endpoint", "batch").register(registry);
        Gauge.builder("drip.delivery.blocked", gate, g -> g.blockedReason() == null ? 0 : 1)
                .description("1 while delivery is paused (no credentials or a refused token)").register(registry);
        return new DestinationMetrics(registry);
    }

    @Produces
    @Singleton
    @Named("statusHistory")
    StatusHistory statusHistory(DripOutbox outbox, DestinationMetrics metrics) {
        return new StatusHistory(outbox, metrics, clock);
    }

    @Produces
    @Singleton
    @Named("adminAuth")
    AdminAuth adminAuth(@ConfigProperty(name = "admin.token") Optional<String> token) {
        return new AdminAuth(token.orElse(null));
    }

    @Produces
    @Singleton
    @Named("deadLetterAdmin")
    DeadLetterAdmin deadLetterAdmin(DripOutbox outbox, DeadLetterStore deadLetters, SegmentOutbox segmentOutbox,
            DripBudget budget, DeliveryGate gate, StatusHistory history) {
        return new DeadLetterAdmin(outbox, deadLetters, segmentOutbox, budget, gate, history, clock);
    }
}
