package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.github.segmentdrip.it.MixedBacklogResource.IDENTIFIED_PEOPLE;
import static io.github.segmentdrip.it.MixedBacklogResource.IDENTIFIES_EACH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog of repeated identifies (6,000 people, three upserts each, next to each other): the
 * upserts of one person merge into one record, and subscriber batches still carry 1,000 people, not
 * 1,000 rows, with each person's latest traits winning.
 */
@QuarkusTest
@WithTestResource(value = MixedBacklogResource.class, initArgs = {
        @ResourceArg(name = "test.backlog", value = "repeated-identifies"),
        @ResourceArg(name = "drip.rate-limit.single-requests", value = "20"),
        @ResourceArg(name = "drip.rate-limit.batch-requests", value = "4"),
        @ResourceArg(name = "drip.rate-limit.window", value = "PT4S") })
class RepeatedIdentifiesDeliveryTest {

    @Test
    void subscriberBatchesCarryAThousandPeopleWhenTheirUpsertsRepeat() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> outboxDepth() == 0);

        List<JsonNode> batches = drip().accepted().stream().filter(RecordedRequest::batch)
                .filter(r -> r.path().endsWith("/subscribers/batches")).map(r -> r.json().at("/batches/0/subscribers"))
                .toList();
        List<Integer> sizes = batches.stream().map(JsonNode::size).toList();
        assertThat(sizes).isNotEmpty();
        assertThat(sizes.subList(0, sizes.size() - 1)).as("records per subscriber batch").containsOnly(1000);
        batches.forEach(batch -> assertThat(emails(batch)).doesNotHaveDuplicates());

        // Every person reached Drip, and the last record of each carries their latest identify.
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        drip().subscribers().forEach(subscriber -> latest.put(subscriber.get("email").asText(), subscriber));
        assertThat(latest).hasSize(IDENTIFIED_PEOPLE);
        assertThat(latest.values()).allSatisfy(subscriber ->
                assertThat(subscriber.at("/custom_fields/visits").asInt()).isEqualTo(IDENTIFIES_EACH - 1));
        assertThat(deadLetterCount()).isZero();
        assertThat(drip().rateLimited()).isZero();
        assertThat(drip().budgetRespected()).isTrue();
    }

    private static List<String> emails(JsonNode batch) {
        return java.util.stream.StreamSupport.stream(batch.spliterator(), false).map(s -> s.get("email").asText()).toList();
    }
}
