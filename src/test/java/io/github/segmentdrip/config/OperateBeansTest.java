package io.github.segmentdrip.config;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OperateBeansTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aGaugeRegisteredAgainReadsTheNewApplicationsState() {
        AtomicInteger earlierApplication = new AtomicInteger(1);
        AtomicInteger thisApplication = new AtomicInteger(2);

        OperateBeans.gauge(registry, "outbox.depth", "Records waiting for Drip", Tags.empty(), earlierApplication, AtomicInteger::get);
        OperateBeans.gauge(registry, "outbox.depth", "Records waiting for Drip", Tags.empty(), thisApplication, AtomicInteger::get);

        assertThat(registry.find("outbox.depth").gauges()).hasSize(1);
        assertThat(registry.get("outbox.depth").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void gaugesOfTheSameNameWithOtherTagsStay() {
        AtomicInteger single = new AtomicInteger(3600);
        AtomicInteger batch = new AtomicInteger(50);

        OperateBeans.gauge(registry, "drip.budget.remaining", "budget", Tags.of("endpoint", "single"), single, AtomicInteger::get);
        OperateBeans.gauge(registry, "drip.budget.remaining", "budget", Tags.of("endpoint", "batch"), batch, AtomicInteger::get);

        assertThat(registry.get("drip.budget.remaining").tag("endpoint", "single").gauge().value()).isEqualTo(3600.0);
        assertThat(registry.get("drip.budget.remaining").tag("endpoint", "batch").gauge().value()).isEqualTo(50.0);
    }
}
