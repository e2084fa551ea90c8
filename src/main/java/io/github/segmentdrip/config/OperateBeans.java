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
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** Quarkus wiring of what operators use: metrics, the status history, the admin API. */
public class OperateBeans {

    private final Clock clock = Clock.systemUTC();

    @Produces
    @Singleton
    @Named("destinationMetrics")
    DestinationMetrics destinationMetrics(MeterRegistry registry, DripOutbox outbox, SegmentOutbox segmentOutbox,
            DripBudget budget, DeliveryGate gate) {
        gauge(registry, "segment.outbox.depth", "Drip webhooks waiting for Segment", Tags.empty(), segmentOutbox,
                SegmentOutbox::depth);
        // Read when Prometheus scrapes: the outbox and the budget live in the database.
        gauge(registry, "outbox.depth", "Records waiting for Drip", Tags.empty(), outbox, DripOutbox::depth);
        gauge(registry, "outbox.oldest.age.seconds", "Age of the oldest record waiting for Drip", Tags.empty(), outbox,
                store -> store.oldestCreatedAt().stream().mapToDouble(t -> (clock.millis() - t) / 1000.0).findFirst().orElse(0.0));
        gauge(registry, "drip.budget.remaining", "Requests Drip's budget allows now", Tags.of("endpoint", "single"), budget,
                b -> b.available(false));
        gauge(registry, "drip.budget.remaining", "Requests Drip's budget allows now", Tags.of("endpoint", "batch"), budget,
                b -> b.available(true));
        gauge(registry, "drip.delivery.blocked", "1 while delivery is paused (no credentials or a refused token)",
                Tags.empty(), gate, g -> g.blockedReason() == null ? 0 : 1);
        return new DestinationMetrics(registry);
    }

    /**
     * A gauge of this application's {@code state}. Quarkus registers meters in Micrometer's global
     * registry, which outlives an application restarted in the same JVM (as Quarkus's tests do): a
     * gauge of the same name and tags left there would be returned instead of a new one, and would
     * read the earlier application's objects, then nothing once they are collected (its reference
     * is weak). So a gauge of the same id is removed first.
     */
    static <T> Gauge gauge(MeterRegistry registry, String name, String description, Tags tags, T state,
            ToDoubleFunction<T> value) {
        registry.find(name).tags(tags).gauges().forEach(registry::remove);
        return Gauge.builder(name, state, value).description(description).tags(tags).register(registry);
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
