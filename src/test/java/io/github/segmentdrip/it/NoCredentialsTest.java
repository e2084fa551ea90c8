package io.github.segmentdrip.it;

import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DripDispatcher;
import io.github.segmentdrip.outbox.DripOutbox;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The README's first command: no Drip credentials. Events are accepted and kept; nothing is sent. */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "drip.account-id", value = ""),
        @ResourceArg(name = "drip.api-token", value = ""),
        @ResourceArg(name = "admin.token", value = "") })
class NoCredentialsTest {

    @Inject
    DripOutbox outbox;

    @Inject
    DeliveryGate gate;

    @Inject
    DripDispatcher dispatcher;

    @Test
    void startsAcceptsAndStoresButDeliversNothing() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"stored@example.com\",\"event\":\"Kept\"}")
                .post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"traits\":{\"email\":\"stored@example.com\"}}")
                .post("/v1/identify").then().statusCode(200);
        assertThat(outbox.depth()).isEqualTo(2);
        assertThat(gate.blockedReason()).contains("DRIP_ACCOUNT_ID and DRIP_API_TOKEN");
        // Several delivery polls pass; the gate keeps every one of them from claiming.
        long polls = dispatcher.polls();
        await().until(() -> dispatcher.polls() >= polls + 5);
        assertThat(drip().requests()).isEmpty();
        assertThat(outbox.depth()).isEqualTo(2);
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'drip-delivery' }.data.reason",
                        org.hamcrest.Matchers.containsString("DRIP_ACCOUNT_ID and DRIP_API_TOKEN"));
        // Without an admin token the admin API does not exist.
        given().get("/admin/dead-letters").then().statusCode(404).body("success", equalTo(false));
    }
}
