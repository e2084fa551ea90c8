package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.LogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A request refused on an intake worker (a batch, a webhook delivery) is answered by its door and
 * counted there; the worker queue does not log it again, so a sender posting bad batches cannot fill
 * the log. In-process, since the log is read here.
 */
@QuarkusTest
@WithTestResource(SharedEmulatorResource.class)
class IntakeWorkerRefusalsTest {

    @Test
    void aRefusedBatchOrWebhookIsAnsweredAndNotLoggedByTheWorkerQueue() {
        LogCapture logs = LogCapture.install();
        int before = logs.lines().size();

        given().contentType(ContentType.JSON).body("{\"batch\":").post("/v1/batch")
                .then().statusCode(400).body("success", equalTo(false)).body("error", equalTo("invalid JSON"));
        given().contentType(ContentType.JSON).body("not json").post("/segment/webhook")
                .then().statusCode(400).body("success", equalTo(false)).body("error", equalTo("invalid JSON"));

        // The seda consumer would log after the door has answered, so absence is watched for a while.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> workerQueueLines(logs, before).isEmpty());
        assertThat(workerQueueLines(logs, before)).isEmpty();
    }

    private static List<String> workerQueueLines(LogCapture logs, int from) {
        List<String> lines = logs.lines();
        return lines.subList(from, lines.size()).stream().filter(line -> line.contains("SedaConsumer")
                || line.contains("Error processing exchange")).toList();
    }
}
