package io.github.segmentdrip.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the packaged service on one PostgreSQL: every event is delivered exactly once
 * and the two together stay within one Drip budget (10 single + 2 batch requests per 3 s).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = true)
class TwoInstancesOnPostgresIT {

    private Process second;

    @AfterEach
    void stopSecond() {
        if (second != null) {
            second.destroy();
        }
    }

    @Test
    void everyEventIsDeliveredOnceAndTheBudgetIsShared() throws IOException {
        int port = freePort();
        second = startSecondInstance(port);
        await().atMost(Duration.ofSeconds(60)).until(() -> listening(port));

        int perInstance = 1500;
        post(given(), perInstance, "first");
        post(given().port(port), perInstance, "second");

        await().atMost(Duration.ofSeconds(90)).until(() -> drip().events().size() >= 2 * perInstance);
        List<String> emails = drip().events().stream().map(e -> e.get("email").asText()).toList();
        assertThat(emails).hasSize(2 * perInstance).doesNotHaveDuplicates();
        // Both instances took work from the shared outbox.
        assertThat(drip().requests().stream().map(r -> r.header("User-Agent")).distinct())
                .anyMatch(agent -> agent.equals("second-instance"))
                .anyMatch(agent -> agent.startsWith("segment-drip-destination/"));
        assertThat(drip().rateLimited()).isZero();
        assertThat(drip().budgetRespected()).isTrue();
        assertThat(drip().maxRequestsInAnySlidingWindow(true)).isLessThanOrEqualTo(2);
        assertThat(drip().maxRequestsInAnySlidingWindow(false)).isLessThanOrEqualTo(10);
    }

    private static void post(io.restassured.specification.RequestSpecification spec, int count, String instance) {
        for (int start = 0; start < count; start += 100) {
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            for (int i = start; i < start + 100; i++) {
                batch.append(i == start ? "" : ",").append("{\"type\":\"track\",\"event\":\"Shared\",\"userId\":\"")
                        .append(instance).append(i).append("@example.com\"}");
            }
            spec.contentType(ContentType.JSON).body(batch.append("]}").toString()).post("/v1/batch")
                    .then().statusCode(200);
        }
    }

    private static Process startSecondInstance(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (Map.Entry<String, String> setting : PostgresResource.config().entrySet()) {
            command.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        command.add("-Dquarkus.http.port=" + port);
        // Tells the two apart in the emulator's records.
        command.add("-Ddrip.user-agent=second-instance");
        command.add("-jar");
        command.add("target/quarkus-app/quarkus-run.jar");
        File log = Files.createTempFile("second-instance", ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
