package io.github.segmentdrip.it;

import io.github.segmentdrip.reverse.SegmentGate;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.github.segmentdrip.it.DripWebhooksTest.fromOurAccount;
import static io.github.segmentdrip.it.DripWebhooksTest.postWebhook;
import static io.github.segmentdrip.it.ReverseEmulatorsResource.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbound write key under its old name, segment.write-key (SEGMENT_WRITE_KEY), still sends
 * Drip's events to Segment: application.properties makes it segment.tracking-api.write-key's default.
 */
@QuarkusTest
@WithTestResource(value = ReverseEmulatorsResource.class, initArgs = {
        @ResourceArg(name = "test.old-write-key-name", value = "true") })
class DripWebhooksOldWriteKeyNameTest {

    @Inject
    SegmentGate gate;

    @Test
    void theOldNameStillReachesSegment() {
        assertThat(gate.blockedReason()).isNull();
        postWebhook(fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"))).statusCode(200);
        await().until(() -> segment().requests().size() == 1);
        assertThat(segment().requests().get(0).header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((ReverseEmulatorsResource.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)));
    }
}
