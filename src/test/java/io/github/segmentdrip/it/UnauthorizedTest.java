package io.github.segmentdrip.it;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.AdminApi.deliveryNotReadyReason;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token Drip refuses pauses delivery; the events wait in the outbox instead of being dead-lettered.
 * Black-box (the pause seen on the admin status and readiness), so {@link UnauthorizedIT} runs it
 * against the packaged jar.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class,
        initArgs = @ResourceArg(name = "drip.api-token", value = "wrongtoken0123456789"))
class UnauthorizedTest {

    @Test
    void aRefusedTokenPausesDeliveryAndKeepsEveryEvent() {
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON)
                    .body("{\"userId\":\"paused" + i + "@example.com\",\"event\":\"Waiting\"}")
                    .post("/v1/track").then().statusCode(200);
        }
        await().until(() -> deliveryNotReadyReason() != null);
        assertThat(deliveryNotReadyReason()).contains("Drip refused the API token (HTTP 401)");
        // One request found out; no other was sent after it, nothing was dead-lettered.
        assertThat(drip().requests()).hasSize(1);
        assertThat(drip().requests().get(0).status()).isEqualTo(401);
        assertThat(outboxDepth()).isEqualTo(3);
        assertThat(deadLetterCount()).isZero();
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'drip-delivery' }.data.reason",
                        org.hamcrest.Matchers.containsString("Drip refused the API token (HTTP 401)"));
    }
}
