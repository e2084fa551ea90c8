package io.github.segmentdrip.embed;

import io.github.segmentdrip.http.RefusalBodies;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.operate.DestinationMetrics;
import io.github.segmentdrip.outbox.OutboxException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/http-errors.camel.yaml on plain Camel: the one answer of every HTTP door to a refused
 * request and to an unavailable outbox, counted under the door (the route group) that refused it.
 */
class HttpErrorsRouteTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch workerBusy = new CountDownLatch(1);
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        PropertiesComponent properties = new PropertiesComponent();
        properties.setAutoDiscoverPropertiesSources(false);
        camel.setPropertiesComponent(properties);
        camel.getRegistry().bind("destinationMetrics", new DestinationMetrics(registry));
        camel.getRegistry().bind("refusalBodies", new RefusalBodies());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveMandatoryResource(camel, "file:routes/http-errors.camel.yaml"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // Two doors, as the route files declare them: a route group and the shared configuration.
                from("direct:admin").routeId("test-admin").group("admin").routeConfigurationId("http-errors")
                        .process(exchange -> {
                            throw new RequestRefused(401, "missing or invalid admin token", "Authorization");
                        });
                from("direct:intake").routeId("test-intake").group("segment-intake").routeConfigurationId("http-errors")
                        .process(exchange -> {
                            throw new OutboxException(new SQLException("database is locked"));
                        });
                // A door whose one worker is busy with another request, as segment-intake.camel.yaml hands batches over.
                from("direct:batch").routeId("test-batch").group("segment-intake").routeConfigurationId("http-errors")
                        .to("seda:test-workers?waitForTaskToComplete=Always&timeout=100");
                from("seda:test-workers?concurrentConsumers=1").routeId("test-workers")
                        .process(exchange -> workerBusy.await());
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        workerBusy.countDown();
        camel.stop();
    }

    @Test
    void aRefusalIsAnsweredAsJsonAndCountedAtItsDoor() {
        Exchange answer = camel.createProducerTemplate().request("direct:admin",
                exchange -> exchange.getMessage().setHeader("Authorization", "Bearer wrong"));
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(401);
        assertThat(answer.getMessage().getBody(String.class))
                .isEqualTo("{\"success\":false,\"error\":\"missing or invalid admin token\",\"field\":\"Authorization\"}");
        // The request's headers do not echo back.
        assertThat(answer.getMessage().getHeaders()).doesNotContainKey("Authorization")
                .containsEntry("Content-Type", "application/json");
        assertThat(registry.find("http.requests.refused").tags("door", "admin", "status", "401").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("http.requests.refused").tags("door", "segment-intake").counter()).isNull();
    }

    @Test
    void anUnavailableOutboxIsA503TheSenderRetries() {
        Exchange answer = camel.createProducerTemplate().request("direct:intake", exchange -> { });
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(answer.getMessage().getBody(String.class))
                .isEqualTo("{\"success\":false,\"error\":\"outbox unavailable, retry later\"}");
    }

    @Test
    void aRequestNoWorkerTakesInTimeIsA503TheSenderRetries() {
        // The one worker is taken by the first request, so the second waits past the queue timeout.
        camel.createProducerTemplate().asyncSend("direct:batch", exchange -> { });
        Exchange answer = camel.createProducerTemplate().request("direct:batch", exchange -> { });
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("{\"success\":false,\"error\":\"busy, retry later\"}");
    }
}
