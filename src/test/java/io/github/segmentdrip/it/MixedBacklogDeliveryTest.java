package io.github.segmentdrip.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.github.segmentdrip.it.AdminApi.deadLetterCount;
import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.github.segmentdrip.it.MixedBacklogResource.IDENTIFIES;
import static io.github.segmentdrip.it.MixedBacklogResource.ORDERS;
import static io.github.segmentdrip.it.MixedBacklogResource.PEOPLE;
import static io.github.segmentdrip.it.MixedBacklogResource.TRACKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog of 20,000 mixed records (identifies, events, Shopper Activity orders) drains through
 * Drip's batch endpoints within both budgets, with full batches, in a compressed hour of 4 s.
 */
@QuarkusTest
@WithTestResource(value = MixedBacklogResource.class, initArgs = {
        @ResourceArg(name = "drip.shopper-activity", value = "orders"),
        @ResourceArg(name = "drip.rate-limit.single-requests", value = "20"),
        @ResourceArg(name = "drip.rate-limit.batch-requests", value = "4"),
        @ResourceArg(name = "drip.rate-limit.window", value = "PT4S") })
class MixedBacklogDeliveryTest {

    @Test
    void twentyThousandMixedRecordsDrainInFullBatchesWithNo429() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> outboxDepth() == 0);

        assertThat(drip().events()).hasSize(PEOPLE * TRACKS);
        assertThat(drip().orders()).hasSize(PEOPLE * ORDERS);
        Set<String> people = drip().subscribers().stream().map(s -> s.get("email").asText()).collect(Collectors.toSet());
        assertThat(people).hasSize(PEOPLE);
        // Repeated identifies of one person in one batch are merged into one record.
        assertThat(drip().subscribers().size()).isBetween(PEOPLE, PEOPLE * IDENTIFIES);
        assertThat(deadLetterCount()).isZero();

        assertThat(drip().rateLimited()).isZero();
        assertThat(drip().budgetRespected()).isTrue();
        assertThat(drip().maxRequestsInAnySlidingWindow(true)).isLessThanOrEqualTo(4);

        // Full batches: every event and order batch but the last of its kind carries 1,000 records.
        assertFull(batchSizes("/events/batches", "/batches/0/events"));
        assertFull(batchSizes("/shopper_activity/order/batch", "/orders"));
        int batched = batchSizes("/events/batches", "/batches/0/events").stream().mapToInt(Integer::intValue).sum()
                + batchSizes("/shopper_activity/order/batch", "/orders").stream().mapToInt(Integer::intValue).sum();
        assertThat(batched).isGreaterThanOrEqualTo((PEOPLE * (TRACKS + ORDERS)) * 95 / 100);
    }

    private static List<Integer> batchSizes(String pathSuffix, String recordsPointer) {
        return drip().accepted().stream().filter(RecordedRequest::batch).filter(r -> r.path().endsWith(pathSuffix))
                .map(r -> r.json().at(recordsPointer)).map(JsonNode::size).toList();
    }

    private static void assertFull(List<Integer> sizes) {
        assertThat(sizes).isNotEmpty();
        assertThat(sizes.subList(0, sizes.size() - 1)).allSatisfy(size -> assertThat(size).isEqualTo(1000));
    }
}
