package io.github.segmentdrip.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Health, Prometheus metrics and the dead-letter admin API, over HTTP only, so {@link OperateIT}
 * runs it against the packaged jar. It shares one application with the other tests on
 * {@link SecuredEmulatorResource}: counters are compared before and after, dead letters found by a
 * reason only this class causes.
 */
@QuarkusTest
@WithTestResource(SecuredEmulatorResource.class)
class OperateTest {

    private static final String ADMIN = AdminApi.BEARER;
    /** In the reason of this class's dead letter only: other classes in the same application dead-letter 422s too. */
    private static final String REFUSAL = "range_error";

    @Test
    void healthCoversTheDatabaseDripAndCamel() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("drip-delivery"))
                .body("checks.find { it.name == 'drip-delivery' }.data.singleRequestsAvailable",
                        org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThan(3500))
                                .and(org.hamcrest.Matchers.lessThanOrEqualTo(3600)));
        assertThat(given().get("/q/health/ready").asString()).contains("Database connections health check");
        assertThat(given().get("/q/health/ready").asString()).containsIgnoringCase("camel");
    }

    @Test
    void metricsCountIntakeAndDeliveryInPrometheusFormat() {
        given().header("Authorization", writeKey()).contentType(ContentType.JSON)
                .body("{\"batch\":[{\"type\":\"track\",\"userId\":\"m@example.com\",\"event\":\"Counted\"},"
                        + "{\"type\":\"identify\",\"userId\":\"nobody\"},{\"type\":\"page\",\"userId\":\"m@example.com\"}]}")
                .post("/v1/batch").then().statusCode(200);
        await().until(() -> drip().events().stream().anyMatch(e -> e.get("action").asText().equals("Counted")));
        await().untilAsserted(() -> {
            String metrics = given().get("/q/metrics").asString();
            assertThat(metrics).contains("segment_events_received_total{endpoint=\"/v1/batch\"")
                    .contains("segment_events_accepted_total{type=\"track\"")
                    .contains("segment_events_rejected_total{reason=\"missing email\"")
                    .contains("segment_events_skipped_total{type=\"page\"")
                    .contains("drip_records_delivered_total{endpoint=\"events\"")
                    .contains("drip_responses_total{endpoint=\"events\",status=\"204\"")
                    .contains("outbox_depth").contains("outbox_oldest_age_seconds")
                    .contains("drip_budget_remaining{endpoint=\"single\"");
            for (String secret : SecuredEmulatorResource.secrets()) {
                assertThat(metrics).doesNotContain(secret);
            }
        });
    }

    @Test
    void refusalsAreCountedAtTheDoorThatRefusedThem() {
        double segmentBefore = refused("segment-intake", 401);
        double adminBefore = refused("admin", 401);
        double webhooksBefore = refused("drip-webhooks", 401);

        given().header("Authorization", "Bearer wrong").get("/admin/status").then().statusCode(401);
        // A wrong admin token is the admin door's refusal, not a refused Segment request.
        assertThat(refused("admin", 401)).isEqualTo(adminBefore + 1);
        assertThat(refused("segment-intake", 401)).isEqualTo(segmentBefore);

        given().contentType(ContentType.JSON).body("{\"userId\":\"door@example.com\",\"event\":\"No Key\"}")
                .post("/v1/track").then().statusCode(401);
        assertThat(refused("segment-intake", 401)).isEqualTo(segmentBefore + 1);
        given().contentType(ContentType.JSON).body("{}").post("/drip/webhooks/not-the-token").then().statusCode(401);
        assertThat(refused("drip-webhooks", 401)).isEqualTo(webhooksBefore + 1);
        assertThat(refused("admin", 401)).isEqualTo(adminBefore + 1);
    }

    /** {@code http_requests_refused_total{door=…,status=…}} as Prometheus reads it; 0 before the first one. */
    private static double refused(String door, int status) {
        String series = "http_requests_refused_total{door=\"" + door + "\",status=\"" + status + "\"} ";
        return given().get("/q/metrics").asString().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim())).findFirst().orElse(0);
    }

    @Test
    void deadLettersCanBeListedReadReplayedAndDeleted() {
        given().get("/admin/dead-letters").then().statusCode(401).contentType(ContentType.JSON)
                .body("error", equalTo("missing or invalid admin token"));
        given().header("Authorization", "Bearer wrong").get("/admin/dead-letters").then().statusCode(401);

        drip().failNext("/events$", 1, 422, "{\"errors\":[{\"code\":\"range_error\",\"message\":\"Value is invalid\"}]}");
        given().header("Authorization", writeKey()).contentType(ContentType.JSON)
                .body("{\"userId\":\"admin@example.com\",\"event\":\"Refused Once\"}").post("/v1/track").then().statusCode(200);
        await().until(() -> deadLetterCount(REFUSAL) > 0);

        JsonPath list = given().header("Authorization", ADMIN).queryParam("reason", REFUSAL).get("/admin/dead-letters")
                .then().statusCode(200).extract().jsonPath();
        assertThat(list.getInt("total")).isEqualTo(1);
        int id = list.getInt("items[0].id");
        given().header("Authorization", ADMIN).get("/admin/dead-letters/" + id).then().statusCode(200)
                .body("email", equalTo("admin@example.com")).body("status", equalTo(422))
                .body("event.event", equalTo("Refused Once"))
                .body("response.errors[0].code", equalTo("range_error"))
                // Drip's own words, not only its status: the admin API and the status page show this.
                .body("reason", containsString("range_error: Value is invalid"))
                .body("request", containsString("/events"));

        // Replayed: back in the outbox, delivered this time, the replay counted.
        given().header("Authorization", ADMIN).post("/admin/dead-letters/" + id + "/replay").then().statusCode(200)
                .body("replayed", equalTo(1));
        await().until(() -> drip().events().stream().anyMatch(e -> e.get("action").asText().equals("Refused Once")));
        given().header("Authorization", ADMIN).get("/admin/dead-letters/" + id).then().body("replayed", equalTo(1));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"reason\":\"" + REFUSAL + "\"}")
                .post("/admin/dead-letters/replay").then().statusCode(200).body("replayed", equalTo(1));

        given().header("Authorization", ADMIN).delete("/admin/dead-letters/" + id).then().statusCode(200);
        given().header("Authorization", ADMIN).get("/admin/dead-letters/" + id).then().statusCode(404);
        given().header("Authorization", ADMIN).get("/admin/dead-letters/nope").then().statusCode(400);

        given().header("Authorization", ADMIN).get("/admin/status").then().statusCode(200)
                .body("budget.single.limit", equalTo(3600)).body("delivery.ready", equalTo(true))
                // Records Drip accepted since start, by kind: the status page shows orders and carts sent.
                .body("deliveries.sinceStart.event", greaterThanOrEqualTo(1))
                .body("deliveries.sinceStart.order", equalTo(0)).body("deliveries.sinceStart.cart", equalTo(0));
    }

    private static String writeKey() {
        return "Basic " + Base64.getEncoder().encodeToString((SecuredEmulatorResource.WRITE_KEY + ":")
                .getBytes(StandardCharsets.UTF_8));
    }
}
