package io.github.segmentdrip.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.DripWebhooksTest.json;
import static io.github.segmentdrip.it.ReverseEmulatorsResource.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Track calls left in the reverse outbox by an earlier run (one claimed by a dead instance) reach Segment after a restart. */
@QuarkusTest
@WithTestResource(PreloadedSegmentOutboxResource.class)
class DripWebhooksRestartTest {

    @Test
    void undeliveredTrackCallsFromTheLastRunReachSegmentOnce() {
        await().until(() -> segment().events().size() == 3);
        assertThat(segment().messageIds()).containsExactly("drip-left-0", "drip-left-1", "drip-left-2");
        for (int i = 0; i < 3; i++) {
            assertThat(segment().events().get(i)).isEqualTo(json(PreloadedSegmentOutboxResource.track(i)));
        }
        assertThat(segment().requests()).allMatch(r -> r.accepted());
    }
}
