package io.github.segmentdrip.it;

import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.github.segmentdrip.it.DripWebhooksTest.fromOurAccount;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Without {@code drip.webhook-token} the webhook endpoint does not exist: 404, whatever the token. */
@QuarkusTest
@WithTestResource(value = ReverseEmulatorsResource.class, initArgs = {
        @ResourceArg(name = "drip.webhook-token", value = "") })
class DripWebhooksOffTest {

    @Inject
    SegmentOutbox segmentOutbox;

    @Test
    void theEndpointAnswers404AndStoresNothing() {
        String body = fromOurAccount(Samples.dripWebhook("subscriber.opened_email.json"));
        for (String token : new String[] {ReverseEmulatorsResource.WEBHOOK_TOKEN, "anything", "null"}) {
            given().contentType(ContentType.JSON).body(body).post("/drip/webhooks/" + token).then().statusCode(404)
                    .contentType(ContentType.JSON)
                    .body("success", equalTo(false)).body("error", equalTo("not found"));
        }
        assertThat(segmentOutbox.depth()).isZero();
        assertThat(ReverseEmulatorsResource.segment().requests()).isEmpty();
    }
}
