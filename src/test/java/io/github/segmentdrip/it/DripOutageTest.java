package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drip answers 503 for a whole (compressed, 3 s) hour: the backlog is kept, retried with back-off,
 * delivered by itself once Drip is back, and nothing is dead-lettered for a mere outage.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "drip.rate-limit.window", value = "PT3S"),
        @ResourceArg(name = "drip.retry.max-attempts", value = "0"),
        @ResourceArg(name = "drip.retry.max-age", value = "PT5M") })
class DripOutageTest {

    @Test
    void anHourLongOutageCostsOnlyTime() {
        drip().unavailable(true);
        Instant outageStart = Instant.now();
        for (int i = 0; i < 30; i++) {
            given().contentType(ContentType.JSON).body("{\"userId\":\"outage" + i + "@example.com\",\"event\":\"During Outage\"}")
                    .post("/v1/track").then().statusCode(200);
        }
        // Delivery keeps trying through the whole window, not just at its start.
        Instant hourLater = outageStart.plus(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> drip().requests().stream()
                .anyMatch(r -> r.status() == 503 && r.time().isAfter(hourLater)));
        assertThat(deadLetterCount()).isZero();
        assertThat(outboxDepth()).isEqualTo(30);

        drip().unavailable(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> drip().events().size() == 30);
        assertThat(deadLetterCount()).isZero();
        await().until(() -> outboxDepth() == 0);
        assertThat(drip().requests().stream().filter(r -> r.status() == 503).map(RecordedRequest::path).distinct())
                .containsExactly("/v2/" + DripEmulatorResource.ACCOUNT + "/events");
    }
}
