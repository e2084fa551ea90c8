package io.github.segmentdrip.config;

import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DeliveryWatchdog;
import io.github.segmentdrip.drip.DripBudget;
import io.github.segmentdrip.outbox.DripOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Instant;

/**
 * Readiness of delivery to Drip: DOWN without credentials or after Drip refused them (401) or
 * refused access (403), and while delivery is stalled (rows due, budget room, no request to Drip for
 * drip.delivery.stall-after: {@link DeliveryWatchdog}), with the reason; the rate budget pausing
 * delivery is reported, not DOWN. The database has its own check (Agroal's), Camel its own
 * (camel-quarkus-microprofile-health). One MicroProfile check rather than a Camel
 * {@code AbstractHealthCheck}: every reason delivery is not ready stays under one name,
 * {@code drip-delivery}, with the data operators already read.
 */
@Readiness
@ApplicationScoped
public class DeliveryReadiness implements HealthCheck {

    @Inject
    DeliveryGate gate;

    @Inject
    DripBudget budget;

    @Inject
    DripOutbox outbox;

    @Inject
    DeliveryWatchdog watchdog;

    @Override
    public HealthCheckResponse call() {
        String reason = gate.notReadyReason();
        if (reason == null) {
            reason = watchdog.stallReason();
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("drip-delivery").status(reason == null);
        if (reason != null) {
            response.withData("reason", reason);
        }
        Instant stalledSince = watchdog.stalledSince();
        if (stalledSince != null) {
            response.withData("stalledSince", stalledSince.toString());
        }
        response.withData("outboxDepth", outbox.depth());
        int single = budget.available(false);
        int batch = budget.available(true);
        response.withData("singleRequestsAvailable", single).withData("batchRequestsAvailable", batch);
        if (single == 0 && batch == 0) {
            response.withData("pausedByRateBudgetUntil", Instant.ofEpochMilli(
                    Math.min(budget.nextAvailableAt(false), budget.nextAvailableAt(true))).toString());
        }
        return response.build();
    }
}
