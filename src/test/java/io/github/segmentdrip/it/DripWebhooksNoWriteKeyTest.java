package io.github.segmentdrip.it;

import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.reverse.SegmentDispatcher;
import io.github.segmentdrip.reverse.SegmentGate;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.DripWebhooksTest.fromOurAccount;
import static io.github.segmentdrip.it.DripWebhooksTest.postWebhook;
import static io.github.segmentdrip.it.ReverseEmulatorsResource.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Webhooks on, no Segment write key yet: Drip's webhooks are acknowledged and kept; nothing is sent. */
@QuarkusTest
@WithTestResource(value = ReverseEmulatorsResource.class, initArgs = {
        @ResourceArg(name = "segment.tracking-api.write-key", value = "") })
class DripWebhooksNoWriteKeyTest {

    @Inject
    SegmentOutbox segmentOutbox;

    @Inject
    SegmentGate gate;

    @Inject
    SegmentDispatcher dispatcher;

    @Test
    void webhooksAreStoredAndWait() {
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.clicked_email.json"))).statusCode(200);
        // Drip re-sending a webhook adds nothing while the first copy waits.
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.clicked_email.json"))).statusCode(200);
        assertThat(segmentOutbox.depth()).isEqualTo(2);
        assertThat(gate.blockedReason()).contains("SEGMENT_TRACKING_API_WRITE_KEY");
        long polls = dispatcher.polls();
        await().until(() -> dispatcher.polls() >= polls + 5);
        assertThat(segment().requests()).isEmpty();
        assertThat(segmentOutbox.depth()).isEqualTo(2);
    }
}
