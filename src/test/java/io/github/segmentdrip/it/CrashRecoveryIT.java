package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.segmentdrip.testing.DripEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 20,000 events sent while the service is killed with {@code kill -9} twice at random moments and
 * restarted, with Drip failing 10% of requests with 503 and answering slowly. Every event the
 * client got 200 for ends up in Drip or in the dead-letter store; duplicates are counted and
 * reported. Then SIGTERM: the service stops cleanly and leaves no claimed row behind.
 */
class CrashRecoveryIT {

    private static final int EVENTS = 20_000;
    private static final Pattern EVENT_ID = Pattern.compile("crash-(\\d+)@example\\.com");

    private final AtomicInteger retries = new AtomicInteger();
    private DripEmulator drip;
    private ServiceProcess service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.kill();
        }
        if (drip != null) {
            drip.close();
        }
    }

    @Test
    void everyAcceptedEventSurvivesTwoKillsAndAFlakyDrip() throws Exception {
        drip = DripEmulator.start(DripEmulatorResource.ACCOUNT, DripEmulatorResource.TOKEN)
                .failRate(0.10, 503).latency(Duration.ofMillis(20)).seed(42);
        Path dataDir = Files.createTempDirectory("crash-data");
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("drip.base-url", drip.baseUrl());
        config.put("drip.account-id", DripEmulatorResource.ACCOUNT);
        config.put("drip.api-token", DripEmulatorResource.TOKEN);
        config.put("drip.data-dir", dataDir.toString());
        config.put("drip.delivery.lease", "PT5S");
        config.put("drip.redelivery.delay", "50");
        config.put("drip.retry.first-delay", "PT0.5S");
        config.put("drip.retry.max-delay", "PT2S");
        service = new ServiceProcess(config).start();

        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        Random random = new Random(7);
        int firstKill = 3000 + random.nextInt(5000);
        int secondKill = 11000 + random.nextInt(5000);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            senders.submit(() -> {
                int id;
                while ((id = next.getAndIncrement()) < EVENTS) {
                    send(client, id, accepted);
                }
                return null;
            });
        }
        for (int kill : new int[] {firstKill, secondKill}) {
            await().atMost(Duration.ofMinutes(2)).until(() -> next.get() >= kill);
            service.kill();
            service.start();
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();

        SQLiteDataSource database = new SQLiteDataSource();
        database.setUrl("jdbc:sqlite:" + dataDir.resolve("outbox.db"));
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> count(database, "outbox") == 0);

        Map<Integer, Integer> deliveries = new HashMap<>();
        for (JsonNode event : drip.events()) {
            Matcher id = EVENT_ID.matcher(event.get("email").asText());
            if (id.matches()) {
                deliveries.merge(Integer.parseInt(id.group(1)), 1, Integer::sum);
            }
        }
        Set<Integer> deadLettered = deadLetteredIds(database);
        Set<Integer> missing = new HashSet<>(accepted);
        missing.removeAll(deliveries.keySet());
        missing.removeAll(deadLettered);
        long duplicates = deliveries.values().stream().filter(n -> n > 1).mapToInt(n -> n - 1).sum();
        System.out.printf("crash test: sent %d, accepted %d, delivered %d distinct (%d duplicates), dead-lettered %d, "
                + "missing %d; kills after %d and %d sends; client resent %d times; Drip answered 503 to %d requests%n",
                EVENTS, accepted.size(), deliveries.size(), duplicates, deadLettered.size(), missing.size(), firstKill,
                secondKill, retries.get(),
                drip.requests().stream().filter(r -> r.status() == 503).count());

        assertThat(accepted).hasSize(EVENTS);
        assertThat(missing).isEmpty();

        // Graceful stop: SIGTERM ends the process normally and leaves no row claimed.
        assertThat(service.terminate()).isIn(0, 143);
        assertThat(count(database, "outbox WHERE claimed_by IS NOT NULL")).isZero();
        service = null;
    }

    /** Like Segment's libraries: a request the service did not answer is sent again, until it is. */
    private void send(HttpClient client, int id, Set<Integer> accepted) throws InterruptedException {
        for (int attempt = 0; attempt < 600 && !accepted.contains(id); attempt++) {
            if (attempt > 0) {
                retries.incrementAndGet();
                Thread.sleep(50);
            }
            sendOnce(client, id, accepted);
        }
    }

    private void sendOnce(HttpClient client, int id, Set<Integer> accepted) {
        String body = "{\"userId\":\"crash-" + id + "@example.com\",\"event\":\"Crash Test\",\"properties\":{\"n\":" + id + "}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/v1/track"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                accepted.add(id);
            }
        } catch (IOException e) {
            // The service was killed under this request: not acknowledged, so not promised.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long count(SQLiteDataSource database, String from) throws SQLException {
        try (Connection connection = database.getConnection();
                ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<Integer> deadLetteredIds(SQLiteDataSource database) throws SQLException {
        Set<Integer> ids = new HashSet<>();
        try (Connection connection = database.getConnection();
                ResultSet rs = connection.createStatement().executeQuery("SELECT email FROM dead_letter")) {
            while (rs.next()) {
                Matcher id = EVENT_ID.matcher(String.valueOf(rs.getString(1)));
                if (id.matches()) {
                    ids.add(Integer.parseInt(id.group(1)));
                }
            }
        }
        return ids;
    }
}
