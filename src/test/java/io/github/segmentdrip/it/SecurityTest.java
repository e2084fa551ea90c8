package io.github.segmentdrip.it;

import io.github.segmentdrip.testing.Samples;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import static io.github.segmentdrip.it.AdminApi.outboxDepth;
import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Who may send: write keys on the Tracking API, X-Signature on the webhook, CORS for analytics.js.
 * Black-box, so {@link SecurityIT} runs it against the packaged jar.
 */
@QuarkusTest
@WithTestResource(value = DripEmulatorResource.class, initArgs = {
        @ResourceArg(name = "segment.write-keys", value = "wk_live_one, wk_live_two"),
        @ResourceArg(name = "segment.shared-secret", value = "my-shared-secret"),
        @ResourceArg(name = "segment.cors-origins", value = "https://shop.example.com") })
class SecurityTest {

    private static final String TRACK = "{\"userId\":\"sec@example.com\",\"event\":\"Secured\"}";

    @Test
    void trackingApiNeedsAWriteKey() {
        long before = outboxDepth() + drip().events().size();
        given().contentType(ContentType.JSON).body(TRACK).post("/v1/track")
                .then().statusCode(401).body("success", equalTo(false)).body("error", equalTo("missing or invalid write key"));
        given().auth().preemptive().basic("wk_wrong", "").contentType(ContentType.JSON).body(TRACK).post("/v1/track")
                .then().statusCode(401);
        assertThat(outboxDepth() + drip().events().size()).isEqualTo(before);

        // As Segment's libraries send it: Basic with the key as user and an empty password.
        given().header("Authorization", basic("wk_live_two:")).contentType(ContentType.JSON).body(TRACK)
                .post("/v1/track").then().statusCode(200);
        // As analytics-java's /v1/import sends it: writeKey in the body.
        given().contentType(ContentType.JSON)
                .body("{\"writeKey\":\"wk_live_one\",\"batch\":[{\"type\":\"track\",\"userId\":\"imp@example.com\",\"event\":\"Imported\"}]}")
                .post("/v1/import/").then().statusCode(200);
    }

    @Test
    void analyticsJsShortPathsWithTextPlainBodiesAndCors() {
        String body = "{\"type\":\"track\",\"event\":\"Browsed\",\"userId\":\"browser@example.com\",\"writeKey\":\"wk_live_one\","
                + "\"context\":{\"library\":{\"name\":\"analytics.js\"}},\"sentAt\":\"2024-06-05T11:44:40.184Z\"}";
        given().header("Origin", "https://shop.example.com").contentType("text/plain").body(body).post("/v1/t")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "https://shop.example.com");
        String batch = "{\"writeKey\":\"wk_live_one\",\"sentAt\":\"2024-06-05T11:44:41Z\",\"batch\":["
                + "{\"type\":\"identify\",\"userId\":\"u9\",\"traits\":{\"email\":\"browser@example.com\"}},"
                + "{\"type\":\"page\",\"userId\":\"u9\",\"name\":\"Home\"}]}";
        given().header("Origin", "https://shop.example.com").contentType("text/plain").body(batch).post("/v1/b")
                .then().statusCode(200);
        await().until(() -> drip().events().stream().anyMatch(e -> e.get("action").asText().equals("Browsed"))
                && drip().subscribers().stream().anyMatch(s -> s.get("email").asText().equals("browser@example.com")));

        // Another site's page gets no CORS grant, so the browser refuses to hand it the answer.
        given().header("Origin", "https://evil.example.net").contentType("text/plain").body(body).post("/v1/t")
                .then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").options("/v1/t")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "https://shop.example.com");
        // analytics-next's retry of a failed call adds X-Retry-Count; its preflight must allow it.
        String allowed = given().header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-retry-count").options("/v1/t")
                .then().statusCode(200).extract().header("Access-Control-Allow-Headers");
        assertThat(allowed.toLowerCase(Locale.ROOT).split("\\s*,\\s*"))
                .contains("authorization", "content-type", "x-retry-count");
        // analytics-next posts its own telemetry to /m every 30 s, without credentials: acknowledged, nothing kept.
        given().header("Origin", "https://shop.example.com").contentType("text/plain")
                .body("{\"series\":[{\"type\":\"Counter\",\"metric\":\"analytics_js.invoke\",\"value\":1}]}")
                .post("/v1/m").then().statusCode(200).body("success", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void webhookNeedsTheSignatureOfTheRawBytes() {
        String single = Samples.signature("single-event.body.json");
        given().contentType(ContentType.JSON).body(single).post("/segment/webhook")
                .then().statusCode(401).body("error", equalTo("missing X-Signature"));
        given().header("X-Signature", "6e807c808290d1119077e03f37201c67ec8cd390").contentType(ContentType.JSON)
                .body(single).post("/segment/webhook").then().statusCode(401).body("error", equalTo("invalid X-Signature"));
        given().header("X-Signature", "358bfb7d0eca3f3ef0762ab52015740cd4c8fa53").contentType(ContentType.JSON)
                .body(single.getBytes(StandardCharsets.UTF_8)).post("/segment/webhook").then().statusCode(200);
        // An array is signed on its first element only.
        String batch = Samples.signature("batch.body.json");
        given().header("X-Signature", "11ee957511920275e4181bbd1740765d7c01bcfb").contentType(ContentType.JSON)
                .body(batch.getBytes(StandardCharsets.UTF_8)).post("/segment/webhook").then().statusCode(401);
        given().header("X-Signature", "177949e885d17e123b22f55eb21b527af1e8518f").contentType(ContentType.JSON)
                .body(batch.getBytes(StandardCharsets.UTF_8)).post("/segment/webhook").then().statusCode(200);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
