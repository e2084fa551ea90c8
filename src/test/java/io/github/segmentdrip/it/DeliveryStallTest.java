package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.LogCapture;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/**
 * Drip accepts the connection and never answers: delivery's one thread waits for the answer, the
 * next row is due, the budget has room. Readiness says so with the reason, the delivery threads'
 * stacks are logged once, and once the response timeout frees the thread and Drip answers again,
 * delivery resumes and readiness comes back by itself.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "drip.delivery.stall-after", value = "PT1S"),
        @ResourceArg(name = "drip.delivery.stall-check-interval", value = "100"),
        // Short, and still long enough for the stall to be seen before it frees the thread.
        @ResourceArg(name = "camel.component.http.response-timeout", value = "8000"),
        @ResourceArg(name = "camel.component.http.so-timeout", value = "8000") })
class DeliveryStallTest {

    private static final String DELIVERY = "checks.find { it.name == 'drip-delivery' }";

    @Inject
    CamelContext camel;

    @Test
    void everyWaitOfACallToDripHasABound() {
        HttpComponent https = camel.getComponent("https", HttpComponent.class);
        assertThat(https.getConnectionRequestTimeout()).isEqualTo(5000);
        assertThat(https.getConnectTimeout()).isEqualTo(5000);
        assertThat(https.getSoTimeout()).isEqualTo(30000);
        assertThat(https.getResponseTimeout()).isEqualTo(30000);
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        assertThat(http.getConnectionRequestTimeout()).isEqualTo(5000);
        assertThat(http.getResponseTimeout()).isEqualTo(8000);
    }

    @Test
    void aHungDripTurnsReadinessDownWithOneThreadDumpAndDeliveryResumesByItself() {
        LogCapture logs = LogCapture.install();
        int linesBefore = logs.lines().size();
        given().get("/q/health/ready").then().statusCode(200).body(DELIVERY + ".status", equalTo("UP"));

        drip().hang(true);
        track("first@example.com", "Sent Into The Hang");
        await().atMost(Duration.ofSeconds(30)).until(() -> drip().hungRequests() == 1);
        long hungAt = System.nanoTime();
        // Due behind the hung call: delivery's only thread is waiting for Drip's answer.
        track("second@example.com", "Waiting Behind It");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(DELIVERY + ".status", equalTo("DOWN"))
                .body(DELIVERY + ".data.reason", matchesPattern(
                        "no request sent to Drip for \\d+ s although 1 row is due and the budget has room")));
        long downAfter = millisSince(hungAt);
        await().until(() -> lines(logs, linesBefore, "Delivery to Drip stalled").size() == 1);
        String dump = lines(logs, linesBefore, "Delivery to Drip stalled").get(0);
        assertThat(dump).contains("although 1 row is due and the budget has room")
                .contains("timer://drip-delivery")
                .contains("org.apache.camel.component.http.HttpProducer")
                .contains("org.apache.hc.client5");
        for (String secret : List.of(DripEmulatorResource.TOKEN, base64(DripEmulatorResource.TOKEN + ":"))) {
            assertThat(dump).doesNotContain(secret);
        }

        drip().hang(false);
        long releasedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> drip().events().stream().map(e -> e.get("action").asText())
                .toList().containsAll(List.of("Sent Into The Hang", "Waiting Behind It")));
        long deliveredAfter = millisSince(releasedAt);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body(DELIVERY + ".status", equalTo("UP")).body(DELIVERY + ".data.reason", nullValue()));
        await().until(() -> lines(logs, linesBefore, "Delivery to Drip no longer stalled").size() == 1);
        assertThat(lines(logs, linesBefore, "Delivery to Drip no longer stalled").get(0)).contains("requests go to Drip again");
        assertThat(lines(logs, linesBefore, "Delivery to Drip stalled")).hasSize(1);
        System.out.printf("DeliveryStallTest: readiness DOWN %d ms after Drip hung; both events at Drip %d ms after it "
                + "answered again, %d ms after the hung call was sent%n", downAfter, deliveredAfter, millisSince(hungAt));
    }

    private static void track(String email, String event) {
        given().contentType(ContentType.JSON).body("{\"userId\":\"" + email + "\",\"event\":\"" + event + "\"}")
                .post("/v1/track").then().statusCode(200);
    }

    private static List<String> lines(LogCapture logs, int from, String containing) {
        List<String> lines = logs.lines();
        return lines.subList(from, lines.size()).stream().filter(line -> line.contains(containing)).toList();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
