package io.github.segmentdrip.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rows left in the outbox by an earlier run (even claimed by a dead instance) are delivered after a restart. */
@QuarkusTest
@WithTestResource(PreloadedOutboxResource.class)
class RestartDeliveryTest {

    @Test
    void undeliveredRowsFromTheLastRunReachDripInOrder() {
        await().until(() -> drip().events().size() == 3);
        assertThat(drip().events()).extracting(e -> e.get("email").asText())
                .containsExactly("left0@example.com", "left1@example.com", "left2@example.com");
    }
}
