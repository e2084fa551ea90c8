package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog of 20,000 track events (stored before the start, so the figures do not depend on how
 * fast this machine's intake is) drains under a compressed Drip budget (20 single and 4 batch
 * requests per 4 s "hour"), with the emulator enforcing the same limits: batching takes over and the
 * budget is never exceeded.
 */
@QuarkusTest
@WithTestResource(value = MixedBacklogResource.class, initArgs = {
        @ResourceArg(name = "test.backlog", value = "events"),
        @ResourceArg(name = "drip.rate-limit.single-requests", value = "20"),
        @ResourceArg(name = "drip.rate-limit.batch-requests", value = "4"),
        @ResourceArg(name = "drip.rate-limit.window", value = "PT4S") })
class EventBacklogDeliveryTest {

    @Test
    void aTwentyThousandRecordBacklogDrainsThroughBatchesWithinTheBudget() {
        await().atMost(Duration.ofSeconds(90)).until(() -> drip().events().size() >= 20_000);

        assertThat(drip().events()).hasSize(20_000);
        assertThat(drip().events().stream().map(e -> e.get("properties").get("n").asInt()).distinct().count())
                .isEqualTo(20_000);
        assertThat(drip().rateLimited()).isZero();
        assertThat(drip().budgetRespected()).isTrue();
        assertThat(drip().maxRequestsInAnySlidingWindow(true)).isLessThanOrEqualTo(4);
        assertThat(drip().maxRequestsInAnySlidingWindow(false)).isLessThanOrEqualTo(20);
        List<RecordedRequest> batches = drip().accepted().stream().filter(RecordedRequest::batch).toList();
        // The batch budget was spent in full windows, on full batches.
        assertThat(drip().maxRequestsInAnyWindow(true)).isEqualTo(4);
        int batchedRecords = batches.stream().mapToInt(r -> r.json().get("batches").get(0).get("events").size()).sum();
        assertThat(batchedRecords).isGreaterThanOrEqualTo(19_000);
        assertThat(batchedRecords / batches.size()).isGreaterThanOrEqualTo(900);
        await().until(() -> outboxDepth() == 0);
    }
}
