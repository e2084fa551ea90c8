package io.github.segmentdrip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The contract {@link DripEmulator} enforces, per {@code drip-api.md}, exercised over real HTTP. */
class DripEmulatorTest {

    private static final String ACCOUNT = "9999999";
    private static final String TOKEN = "abc123";
    /** Drip docs, Authentication: token {@code abc123} → {@code Basic YWJjMTIzOg==}. */
    private static final String AUTH = "Basic YWJjMTIzOg==";
    private static final String USER_AGENT = "Segment Drip Destination (github.com/segmentdrip)";
    private static final String SUBSCRIBER = "{\"subscribers\":[{\"email\":\"john@acme.com\",\"user_id\":\"123\","
            + "\"first_name\":\"John\",\"tags\":[\"Customer\"],\"custom_fields\":{\"shirt_size\":\"Medium\"}}]}";
    private static final String EVENT = "{\"events\":[{\"email\":\"john@acme.com\",\"action\":\"Order Completed\","
            + "\"occurred_at\":\"2024-06-05T11:44:40Z\",\"properties\":{\"order_id\":\"5031\",\"value\":1999}}]}";
    private static final String SUBSCRIBER_BATCH = "{\"batches\":[{\"subscribers\":[{\"email\":\"john@acme.com\","
            + "\"tags\":[\"Customer\"]},{\"email\":\"joe@acme.com\"}]}]}";
    private static final String EVENT_BATCH = "{\"batches\":[{\"events\":[{\"email\":\"john@acme.com\","
            + "\"action\":\"Opened a door\"},{\"email\":\"joe@acme.com\",\"action\":\"Closed a door\"}]}]}";
    private static final String CAMPAIGN = "{\"subscribers\":[{\"email\":\"john@acme.com\",\"user_id\":\"123\"}]}";
    /** drip-api.md §3, verbatim. */
    private static final String ORDER = "{\"provider\":\"my_store\",\"email\":\"john@acme.com\",\"action\":\"placed\","
            + "\"order_id\":\"4567\",\"grand_total\":54.00,\"currency\":\"USD\","
            + "\"items\":[{\"name\":\"Boots\",\"price\":54.00}]}";
    /** Drip docs, Cart Activity example, shortened. */
    private static final String CART = "{\"provider\":\"my_custom_platform\",\"email\":\"user@gmail.com\","
            + "\"action\":\"created\",\"cart_id\":\"456445746\",\"occurred_at\":\"2019-01-17T20:50:00Z\","
            + "\"grand_total\":16.99,\"total_discounts\":5.34,\"currency\":\"USD\","
            + "\"cart_url\":\"https://mysuperstore.com/cart/456445746\",\"items\":[{\"product_id\":\"B01J4SWO1G\","
            + "\"product_variant_id\":\"B01J4SWO1G-CW-BOTT\",\"sku\":\"XHB-1234\",\"name\":\"The Coolest Water Bottle\","
            + "\"categories\":[\"Accessories\"],\"price\":11.16,\"quantity\":2,\"discounts\":5.34,\"total\":16.99}]}";
    /** Drip docs, Product Activity example. */
    private static final String PRODUCT = "{\"provider\":\"my_custom_platform\",\"action\":\"created\","
            + "\"occurred_at\":\"2019-01-28T12:15:23Z\",\"product_id\":\"B01J4SWO1G\","
            + "\"product_variant_id\":\"B01J4SWO1G-CW-BOTT\",\"sku\":\"XHB-1234\",\"name\":\"The Coolest Water Bottle\","
            + "\"brand\":\"Drip\",\"categories\":[\"Accessories\"],\"currency\":\"USD\",\"price\":11.16,\"inventory\":42,"
            + "\"product_url\":\"https://mysuperstore.com/dp/B01J4SWO1G\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private DripEmulator drip;

    @BeforeEach
    void startEmulator() {
        drip = DripEmulator.start(ACCOUNT, TOKEN);
    }

    @AfterEach
    void stopEmulator() {
        drip.close();
    }

    // ---------------------------------------------------------------- endpoints

    @Test
    void identifyUpsertsOneSubscriberAndEchoesIt() throws Exception {
        HttpResponse<String> response = post("/v2/9999999/subscribers", SUBSCRIBER);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("links")).isTrue();
        assertThat(body.path("subscribers").get(0).path("email").asText()).isEqualTo("john@acme.com");
        assertThat(body.path("subscribers").get(0).path("id").asText()).isNotBlank();
        assertThat(drip.subscribers()).singleElement()
                .satisfies(s -> assertThat(s.path("custom_fields").path("shirt_size").asText()).isEqualTo("Medium"));
        RecordedRequest recorded = drip.requests().get(0);
        assertThat(recorded.header("user-agent")).isEqualTo(USER_AGENT);
        assertThat(recorded.header("AUTHORIZATION")).isEqualTo(AUTH);
        assertThat(recorded.json().path("subscribers").get(0).path("user_id").asText()).isEqualTo("123");
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(drip.accepted()).containsExactly(recorded);
    }

    @Test
    void subscriberBatchIsAcceptedWith201AndEmptyObject() {
        HttpResponse<String> response = post("/v2/9999999/subscribers/batches", SUBSCRIBER_BATCH);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{}");
        assertThat(drip.subscribers()).extracting(s -> s.path("email").asText())
                .containsExactly("john@acme.com", "joe@acme.com");
    }

    @Test
    void trackRecordsOneEventWith204() {
        HttpResponse<String> response = post("/v2/9999999/events", EVENT);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(drip.events()).singleElement()
                .satisfies(e -> assertThat(e.path("properties").path("value").asInt()).isEqualTo(1999));
    }

    @Test
    void eventBatchIsAcceptedWith201() {
        HttpResponse<String> response = post("/v2/9999999/events/batches", EVENT_BATCH);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{}");
        assertThat(drip.events()).extracting(e -> e.path("action").asText())
                .containsExactly("Opened a door", "Closed a door");
    }

    @Test
    void campaignSubscribeAnswers422UniquenessForAnEmailAlreadySubscribed() throws Exception {
        HttpResponse<String> first = post("/v2/9999999/campaigns/8888888/subscribers", CAMPAIGN);
        HttpResponse<String> again = post("/v2/9999999/campaigns/8888888/subscribers",
                "{\"subscribers\":[{\"email\":\"John@Acme.com\"}]}");
        HttpResponse<String> otherCampaign = post("/v2/9999999/campaigns/7777777/subscribers", CAMPAIGN);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("subscribers").get(0).path("email").asText())
                .isEqualTo("john@acme.com");
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(
                "{\"errors\":[{\"code\":\"uniqueness_error\",\"attribute\":\"email\","
                        + "\"message\":\"Email is already subscribed\"}]}"));
        assertThat(otherCampaign.statusCode()).isEqualTo(200);
        assertThat(drip.campaignSubscriptions("8888888")).hasSize(1);
        assertThat(drip.campaignSubscriptions("7777777")).hasSize(1);
        assertThat(drip.campaignSubscriptions("1")).isEmpty();
    }

    @Test
    void userEndpointProvesTheToken() throws Exception {
        HttpResponse<String> response = send(request("/v2/user").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("users").get(0).path("time_zone").asText())
                .isEqualTo("Etc/UTC");
    }

    // ---------------------------------------------------------------- authentication and paths

    @ParameterizedTest
    @ValueSource(strings = { "abc123:", "abc123", "abc123:\n" })
    void acceptsTheTokenAsBasicUsernameWithOrWithoutTheColon(String credentials) {
        String header = "Basic " + base64(credentials);

        HttpResponse<String> response = send(request("/v2/9999999/events")
                .header("Authorization", header)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)));

        assertThat(response.statusCode()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Basic " + "d3Jvbmc6" /* wrong: */, "Bearer abc123", "Basic !!!",
        "Basic OmFiYzEyMw==" /* :abc123 */ })
    void refusesMissingOrWrongCredentialsWith401(String header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(drip.baseUrl() + "/v2/9999999/events"))
                .header("User-Agent", USER_AGENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT));
        if (!header.isEmpty()) {
            request.header("Authorization", header);
        }

        HttpResponse<String> response = send(request);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"errors\":[{\"code\":\"authorization_error\","
                        + "\"message\":\"You are not authorized to access this resource\"}]}"));
        assertThat(drip.events()).isEmpty();
        assertThat(drip.countedRequests(false)).isZero();
    }

    @Test
    void anotherAccountIdIsNotFound() throws Exception {
        HttpResponse<String> response = post("/v2/1234567/subscribers", SUBSCRIBER);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("code").asText())
                .isEqualTo("not_found_error");
        assertThat(drip.subscribers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v2/9999999/people", "/v1/9999999/subscribers", "/v2/9999999/campaigns/abc/subscribers",
        "/v2/9999999/subscribers/batches/1" })
    void unknownPathsAreNotFound(String path) {
        assertThat(post(path, SUBSCRIBER).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnsupportedMethodIsNotFound() {
        assertThat(send(request("/v2/9999999/events").GET()).statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- transport and validation

    @Test
    void acceptsTheVndApiJsonContentTypeDripRubySends() {
        HttpResponse<String> response = send(request("/v2/9999999/events")
                .header("Content-Type", "application/vnd.api+json")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)));

        assertThat(response.statusCode()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded" })
    void refusesOtherContentTypesWith400(String contentType) throws Exception {
        HttpResponse<String> response = send(request("/v2/9999999/events")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("code").asText())
                .isEqualTo("format_error");
    }

    @Test
    void refusesAPostWithoutContentTypeWith400() {
        HttpResponse<String> response = send(request("/v2/9999999/events")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)));

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "User-Agent:   \r\n" })
    void refusesARequestWithoutUserAgentWith400(String userAgentLine) {
        String response = raw("POST /v2/9999999/events HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + AUTH + "\r\n"
                + "Content-Type: application/json\r\n"
                + userAgentLine
                + "Content-Length: " + EVENT.getBytes(UTF_8).length + "\r\n"
                + "Connection: close\r\n\r\n"
                + EVENT);

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(drip.events()).isEmpty();
    }

    static Stream<Arguments> invalidBodies() {
        String subscribers = "/v2/9999999/subscribers";
        String subscriberBatches = "/v2/9999999/subscribers/batches";
        String events = "/v2/9999999/events";
        String eventBatches = "/v2/9999999/events/batches";
        String campaign = "/v2/9999999/campaigns/8888888/subscribers";
        return Stream.of(
                Arguments.of(subscribers, "not json", 400, "format_error"),
                Arguments.of(subscribers, "[]", 400, "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":{\"email\":\"a@b.co\"}}", 400, "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[]}", 400, "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\"},{\"email\":\"c@d.co\"}]}", 400,
                        "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[\"a@b.co\"]}", 400, "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"first_name\":\"John\"}]}", 422, "presence_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"  \"}]}", 422, "presence_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"john\"}]}", 422, "email_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"custom_fields\":{\"a\":{\"b\":1}}}]}",
                        422, "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"custom_fields\":[\"x\"]}]}", 422,
                        "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"custom_fields\":{\"a\":[1]}}]}",
                        422, "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"tags\":\"a,b\"}]}", 422,
                        "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"tags\":[1]}]}", 422,
                        "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"remove_tags\":[{}]}]}", 422,
                        "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"lifetime_value\":19.99}]}", 422,
                        "format_error"),
                Arguments.of(subscribers, "{\"subscribers\":[{\"email\":\"a@b.co\",\"prospect\":\"yes\"}]}", 422,
                        "format_error"),
                Arguments.of(subscriberBatches, "{\"batches\":[]}", 422, "length_error"),
                Arguments.of(subscriberBatches, "{\"batches\":[{\"subscribers\":[{\"email\":\"a@b.co\"}]},"
                        + "{\"subscribers\":[{\"email\":\"c@d.co\"}]}]}", 422, "length_error"),
                Arguments.of(subscriberBatches, "{\"batches\":[{\"subscribers\":[]}]}", 422, "length_error"),
                Arguments.of(subscriberBatches, subscriberBatch(1001), 422, "length_error"),
                Arguments.of(subscriberBatches, "{\"batches\":[{\"subscribers\":[{\"email\":\"a@b.co\"},{}]}]}", 422,
                        "presence_error"),
                Arguments.of(subscriberBatches, "{\"subscribers\":[{\"email\":\"a@b.co\"}]}", 400, "format_error"),
                Arguments.of(events, "{\"events\":[{\"action\":\"Signed Up\"}]}", 422, "presence_error"),
                Arguments.of(events, "{\"events\":[{\"email\":\"a@b.co\"}]}", 422, "presence_error"),
                Arguments.of(events, "{\"events\":[{\"email\":\"a@b.co\",\"action\":\" \"}]}", 422, "presence_error"),
                Arguments.of(events, event("2147483647"), 422, "range_error"),
                Arguments.of(events, event("-1"), 422, "range_error"),
                Arguments.of(events, event("19.99"), 422, "range_error"),
                Arguments.of(events, event("\"1999\""), 422, "range_error"),
                Arguments.of(events, "{\"events\":[{\"email\":\"a@b.co\",\"action\":\"x\",\"properties\":[]}]}", 422,
                        "format_error"),
                Arguments.of(events, "{\"events\":[{\"email\":\"a@b.co\",\"action\":\"x\",\"occurred_at\":\"yesterday\"}]}",
                        422, "time_error"),
                Arguments.of(eventBatches, eventBatch(1001), 422, "length_error"),
                Arguments.of(eventBatches, "{\"batches\":[{\"events\":[{\"email\":\"a@b.co\",\"action\":\"x\","
                        + "\"properties\":{\"value\":-5}}]}]}", 422, "range_error"),
                Arguments.of(campaign, "{\"subscribers\":[{\"user_id\":\"123\"}]}", 422, "presence_error"),
                Arguments.of(campaign, "{\"subscribers\":[{\"email\":\"a@b.co\",\"tags\":\"x\"}]}", 422,
                        "format_error"));
    }

    @ParameterizedTest(name = "{2} {3}: {0} {1}")
    @MethodSource("invalidBodies")
    void refusesBodiesOutsideTheContract(String path, String body, int status, String code) throws Exception {
        HttpResponse<String> response = post(path, body);

        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode errors = JSON.readTree(response.body()).path("errors");
        assertThat(errors).isNotEmpty();
        assertThat(errors).extracting(e -> e.path("code").asText()).contains(code);
        assertThat(drip.subscribers()).isEmpty();
        assertThat(drip.events()).isEmpty();
        assertThat(drip.campaignSubscriptions("8888888")).isEmpty();
    }

    @Test
    void presenceErrorUsesDripsWording() throws Exception {
        HttpResponse<String> response = post("/v2/9999999/subscribers", "{\"subscribers\":[{\"user_id\":\"1\"}]}");

        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"errors\":[{\"code\":\"presence_error\",\"attribute\":\"email\",\"message\":\"Email is required\"}]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "2147483646", "null" })
    void acceptsConversionValuesInDripsRange(String value) {
        assertThat(post("/v2/9999999/events", event(value)).statusCode()).isEqualTo(204);
    }

    @Test
    void acceptsAFullBatchOf1000() {
        assertThat(post("/v2/9999999/subscribers/batches", subscriberBatch(1000)).statusCode()).isEqualTo(201);
        assertThat(post("/v2/9999999/events/batches", eventBatch(1000)).statusCode()).isEqualTo(201);

        assertThat(drip.subscribers()).hasSize(1000);
        assertThat(drip.events()).hasSize(1000);
    }

    // ---------------------------------------------------------------- shopper activity (v3)

    @Test
    void anOrderIsAcceptedWith202AndARequestId() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/order", ORDER);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("request_id").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(drip.orders()).singleElement()
                .satisfies(o -> assertThat(o.path("grand_total").decimalValue()).isEqualByComparingTo("54.00"));
        assertThat(drip.requests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.batch()).isFalse();
            assertThat(r.json().path("order_id").asText()).isEqualTo("4567");
        });
    }

    @Test
    void anOrderBatchIsAcceptedWith202AndOneRequestIdPerOrder() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/order/batch",
                "{\"orders\":[" + ORDER + "," + ORDER.replace("4567", "4568") + "]}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode ids = JSON.readTree(response.body()).path("request_ids");
        assertThat(ids).hasSize(2);
        assertThat(ids.get(0).asText()).isNotEqualTo(ids.get(1).asText());
        assertThat(drip.orders()).extracting(o -> o.path("order_id").asText()).containsExactly("4567", "4568");
        assertThat(drip.requests()).singleElement().satisfies(r -> assertThat(r.batch()).isTrue());
    }

    @Test
    void aCartIsAcceptedWith202AndARequestId() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/cart", CART);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("request_id").asText()).isNotBlank();
        assertThat(drip.carts()).singleElement()
                .satisfies(c -> assertThat(c.path("cart_url").asText()).isEqualTo("https://mysuperstore.com/cart/456445746"));
        assertThat(drip.orders()).isEmpty();
    }

    @Test
    void aCartBatchIsAcceptedWith202() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/cart/batch", "{\"carts\":[" + CART + "]}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("request_ids")).hasSize(1);
        assertThat(drip.carts()).hasSize(1);
    }

    @Test
    void aProductIsAcceptedWithoutAPersonWith202() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/product", PRODUCT);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("request_id").asText()).isNotBlank();
        assertThat(drip.products()).singleElement()
                .satisfies(p -> assertThat(p.path("inventory").asInt()).isEqualTo(42));
    }

    @Test
    void aProductBatchIsAcceptedWith202() throws Exception {
        // drip-api.md §3, verbatim.
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/product/batch",
                "{\"products\":[{\"provider\":\"my_store\",\"action\":\"updated\",\"product_id\":\"B01\","
                        + "\"product_variant_id\":\"B01\",\"name\":\"Boots\",\"price\":49.00}]}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("request_ids")).hasSize(1);
        assertThat(drip.products()).hasSize(1);
    }

    @Test
    void anOrderMayNameThePersonByPersonIdInsteadOfEmail() {
        assertThat(post("/v3/9999999/shopper_activity/order",
                "{\"provider\":\"my_store\",\"person_id\":\"z1togz2hcjrkpp5treip\",\"action\":\"paid\",\"order_id\":\"1\"}")
                .statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = { "placed", "updated", "paid", "fulfilled", "refunded", "canceled" })
    void everyDocumentedOrderActionIsAccepted(String action) {
        assertThat(post("/v3/9999999/shopper_activity/order", ORDER.replace("\"placed\"", "\"" + action + "\""))
                .statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v3/9999999/shopper_activity/order", "/v3/9999999/shopper_activity/cart",
        "/v3/9999999/shopper_activity/product", "/v3/9999999/shopper_activity/order/batch" })
    void shopperActivityNeedsTheTokenAsForV2(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(drip.baseUrl() + path))
                .header("User-Agent", USER_AGENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)));
        HttpResponse<String> withoutColon = send(request("/v3/9999999/shopper_activity/order")
                .setHeader("Authorization", "Basic " + base64(TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("code").asText())
                .isEqualTo("authorization_error");
        assertThat(withoutColon.statusCode()).isEqualTo(202);
        assertThat(drip.orders()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v3/1234567/shopper_activity/order", "/v3/1234567/shopper_activity/cart/batch",
        "/v3/9999999/shopper_activity/person", "/v3/9999999/shopper_activity/order/batches",
        "/v2/9999999/shopper_activity/order", "/v3/9999999/shopper_activity/order/1" })
    void anotherAccountOrAnUnknownShopperActivityPathIsNotFound(String path) throws Exception {
        HttpResponse<String> response = post(path, ORDER);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("code").asText())
                .isEqualTo("not_found_error");
        assertThat(drip.orders()).isEmpty();
    }

    @Test
    void singleShopperActivityCountsOnTheSingleBudgetAndBatchesOnTheBatchBudget() {
        HttpResponse<String> order = post("/v3/9999999/shopper_activity/order", ORDER);
        HttpResponse<String> cart = post("/v3/9999999/shopper_activity/cart", CART);
        HttpResponse<String> batch = post("/v3/9999999/shopper_activity/order/batch", "{\"orders\":[" + ORDER + "]}");

        assertThat(order.headers().firstValue("X-RateLimit-Limit")).hasValue("3600");
        assertThat(cart.headers().firstValue("X-RateLimit-Remaining")).hasValue("3598");
        assertThat(batch.headers().firstValue("X-RateLimit-Limit")).hasValue("50");
        assertThat(batch.headers().firstValue("X-RateLimit-Remaining")).hasValue("49");
        assertThat(drip.countedRequests(false)).isEqualTo(2);
        assertThat(drip.countedRequests(true)).isEqualTo(1);
    }

    @Test
    void aShopperActivityBatchIsRefusedWith429OnceTheBatchBudgetIsSpent() {
        drip.batchLimit(1);

        assertThat(post("/v3/9999999/shopper_activity/cart/batch", "{\"carts\":[" + CART + "]}").statusCode())
                .isEqualTo(202);
        HttpResponse<String> limited = post("/v3/9999999/shopper_activity/product/batch", "{\"products\":[" + PRODUCT + "]}");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("API rate limit exceeded");
        assertThat(post("/v3/9999999/shopper_activity/product", PRODUCT).statusCode()).isEqualTo(202);
        assertThat(drip.rateLimited()).isEqualTo(1);
    }

    static Stream<Arguments> invalidShopperActivity() {
        String order = "/v3/9999999/shopper_activity/order";
        String orders = "/v3/9999999/shopper_activity/order/batch";
        String cart = "/v3/9999999/shopper_activity/cart";
        String carts = "/v3/9999999/shopper_activity/cart/batch";
        String product = "/v3/9999999/shopper_activity/product";
        String products = "/v3/9999999/shopper_activity/product/batch";
        return Stream.of(
                // shapes
                Arguments.of(order, "not json", 400, "format_error"),
                Arguments.of(order, "[" + ORDER + "]", 400, "format_error"),
                Arguments.of(order, "{\"orders\":[" + ORDER + "]}", 422, "presence_error"),
                Arguments.of(orders, ORDER, 400, "format_error"),
                Arguments.of(orders, "{\"batches\":[{\"orders\":[" + ORDER + "]}]}", 400, "format_error"),
                Arguments.of(orders, "{\"orders\":{}}", 400, "format_error"),
                Arguments.of(orders, "{\"orders\":[1]}", 400, "format_error"),
                Arguments.of(orders, "{\"orders\":[]}", 422, "length_error"),
                Arguments.of(orders, orderBatch(1001), 422, "length_error"),
                Arguments.of(carts, "{\"orders\":[" + CART + "]}", 400, "format_error"),
                Arguments.of(products, "{\"products\":[]}", 422, "length_error"),
                // provider, on every kind
                Arguments.of(order, without(ORDER, "provider"), 422, "presence_error"),
                Arguments.of(order, with(ORDER, "provider", "\"My Store\""), 422, "format_error"),
                Arguments.of(order, with(ORDER, "provider", "\"my-store\""), 422, "format_error"),
                Arguments.of(cart, without(CART, "provider"), 422, "presence_error"),
                Arguments.of(product, without(PRODUCT, "provider"), 422, "presence_error"),
                Arguments.of(products, "{\"products\":[" + with(PRODUCT, "provider", "\"Shopify\"") + "]}", 422,
                        "format_error"),
                // actions
                Arguments.of(order, without(ORDER, "action"), 422, "presence_error"),
                Arguments.of(order, with(ORDER, "action", "\"shipped\""), 422, "format_error"),
                Arguments.of(order, with(ORDER, "action", "\"cancelled\""), 422, "format_error"),
                Arguments.of(cart, with(CART, "action", "\"placed\""), 422, "format_error"),
                Arguments.of(product, with(PRODUCT, "action", "\"viewed\""), 422, "format_error"),
                // required fields per kind
                Arguments.of(order, without(ORDER, "order_id"), 422, "presence_error"),
                Arguments.of(order, with(ORDER, "order_id", "\" \""), 422, "presence_error"),
                Arguments.of(order, without(ORDER, "email"), 422, "presence_error"),
                Arguments.of(order, with(ORDER, "email", "\"john\""), 422, "email_error"),
                Arguments.of(order, with(ORDER, "items", "[{\"price\":54.00}]"), 422, "presence_error"),
                Arguments.of(order, with(ORDER, "items", "{\"name\":\"Boots\"}"), 422, "format_error"),
                Arguments.of(cart, without(CART, "cart_id"), 422, "presence_error"),
                Arguments.of(cart, without(CART, "cart_url"), 422, "presence_error"),
                Arguments.of(cart, without(CART, "email"), 422, "presence_error"),
                Arguments.of(cart, with(CART, "items", "[{\"product_id\":\"B01\",\"name\":\"Boots\",\"price\":1}]"),
                        422, "presence_error"),
                Arguments.of(cart, with(CART, "items", "[{\"product_id\":\"B01\",\"product_variant_id\":\"B01\","
                        + "\"name\":\"Boots\"}]"), 422, "presence_error"),
                Arguments.of(cart, with(CART, "items", "[{\"product_variant_id\":\"B01\",\"name\":\"Boots\","
                        + "\"price\":1}]"), 422, "presence_error"),
                Arguments.of(product, without(PRODUCT, "product_id"), 422, "presence_error"),
                Arguments.of(product, without(PRODUCT, "product_variant_id"), 422, "presence_error"),
                Arguments.of(product, without(PRODUCT, "name"), 422, "presence_error"),
                Arguments.of(product, without(PRODUCT, "price"), 422, "presence_error"),
                // amounts are numbers, not strings
                Arguments.of(order, with(ORDER, "grand_total", "\"54.00\""), 422, "format_error"),
                Arguments.of(order, with(ORDER, "refund_amount", "\"5\""), 422, "format_error"),
                Arguments.of(order, with(ORDER, "items", "[{\"name\":\"Boots\",\"price\":\"54.00\"}]"), 422,
                        "format_error"),
                Arguments.of(order, with(ORDER, "items", "[{\"name\":\"Boots\",\"quantity\":\"2\"}]"), 422,
                        "format_error"),
                Arguments.of(cart, with(CART, "grand_total", "\"16.99\""), 422, "format_error"),
                Arguments.of(product, with(PRODUCT, "price", "\"11.16\""), 422, "format_error"),
                Arguments.of(product, with(PRODUCT, "inventory", "4.5"), 422, "format_error"),
                // the rest of the record
                Arguments.of(order, with(ORDER, "occurred_at", "\"yesterday\""), 422, "time_error"),
                Arguments.of(product, with(PRODUCT, "categories", "\"Accessories\""), 422, "format_error"),
                Arguments.of(orders, "{\"orders\":[" + ORDER + "," + without(ORDER, "order_id") + "]}",
                        422, "presence_error"));
    }

    @ParameterizedTest(name = "{2} {3}: {0} {1}")
    @MethodSource("invalidShopperActivity")
    void refusesShopperActivityOutsideTheContract(String path, String body, int status, String code) throws Exception {
        HttpResponse<String> response = post(path, body);

        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode errors = JSON.readTree(response.body()).path("errors");
        assertThat(errors).isNotEmpty();
        assertThat(errors).extracting(e -> e.path("code").asText()).contains(code);
        assertThat(drip.orders()).isEmpty();
        assertThat(drip.carts()).isEmpty();
        assertThat(drip.products()).isEmpty();
    }

    @Test
    void aBatchWithOneBadRecordIsRefusedWholeAndTheErrorSaysWhich() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/cart/batch",
                "{\"carts\":[" + CART + "," + without(CART, "cart_url") + "]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"errors\":[{\"code\":\"presence_error\",\"attribute\":\"cart_url\","
                        + "\"message\":\"carts[1]: Cart url is required\"}]}"));
        assertThat(drip.carts()).isEmpty();
    }

    @Test
    void anItemErrorNamesTheItem() throws Exception {
        HttpResponse<String> response = post("/v3/9999999/shopper_activity/order",
                with(ORDER, "items", "[{\"name\":\"Boots\"},{\"price\":1}]"));

        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"errors\":[{\"code\":\"presence_error\",\"attribute\":\"name\","
                        + "\"message\":\"items[1]: Name is required\"}]}"));
    }

    @Test
    void acceptsAFullShopperActivityBatchOf1000() {
        assertThat(post("/v3/9999999/shopper_activity/order/batch", orderBatch(1000)).statusCode()).isEqualTo(202);

        assertThat(drip.orders()).hasSize(1000);
    }

    @Test
    void statsAndResetCoverShopperActivity() throws Exception {
        post("/v3/9999999/shopper_activity/order", ORDER);
        post("/v3/9999999/shopper_activity/cart/batch", "{\"carts\":[" + CART + "," + CART + "]}");
        post("/v3/9999999/shopper_activity/product", PRODUCT);
        post("/v3/9999999/shopper_activity/product", without(PRODUCT, "price"));

        JsonNode stats = drip.stats();

        assertThat(stats.at("/records/orders").asInt()).isEqualTo(1);
        assertThat(stats.at("/records/carts").asInt()).isEqualTo(2);
        assertThat(stats.at("/records/products").asInt()).isEqualTo(1);
        assertThat(stats.at("/requests/single/202").asInt()).isEqualTo(2);
        assertThat(stats.at("/requests/single/422").asInt()).isEqualTo(1);
        assertThat(stats.at("/requests/batch/202").asInt()).isEqualTo(1);

        drip.reset();

        assertThat(drip.orders()).isEmpty();
        assertThat(drip.carts()).isEmpty();
        assertThat(drip.products()).isEmpty();
        assertThat(drip.stats().at("/records/carts").asInt()).isZero();
    }

    // ---------------------------------------------------------------- rate limits

    @Test
    void everyResponseCarriesTheRateLimitHeadersOfItsEndpointClass() {
        HttpResponse<String> single = post("/v2/9999999/events", EVENT);
        HttpResponse<String> batch = post("/v2/9999999/events/batches", EVENT_BATCH);
        HttpResponse<String> unauthorized = send(HttpRequest.newBuilder(URI.create(drip.baseUrl() + "/v2/user"))
                .header("User-Agent", USER_AGENT).GET());

        assertThat(single.headers().firstValue("X-RateLimit-Limit")).hasValue("3600");
        assertThat(single.headers().firstValue("X-RateLimit-Remaining")).hasValue("3599");
        assertThat(batch.headers().firstValue("X-RateLimit-Limit")).hasValue("50");
        assertThat(batch.headers().firstValue("X-RateLimit-Remaining")).hasValue("49");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("X-RateLimit-Remaining")).hasValue("3599");
    }

    @Test
    void answers429OnceTheWindowIsSpentAndRecoversInTheNextWindow() throws Exception {
        AtomicLong clock = new AtomicLong();
        drip.close();
        drip = DripEmulator.builder(ACCOUNT, TOKEN).ticker(clock::get).singleLimit(3).start();

        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = post("/v2/9999999/events", EVENT);
            assertThat(response.statusCode()).isEqualTo(204);
            remaining.add(response.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        }
        clock.addAndGet(Duration.ofMinutes(59).toNanos());
        HttpResponse<String> limited = post("/v2/9999999/events", EVENT);
        HttpResponse<String> batchMeanwhile = post("/v2/9999999/events/batches", EVENT_BATCH);
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        HttpResponse<String> nextHour = post("/v2/9999999/events", EVENT);

        assertThat(remaining).containsExactly("2", "1", "0");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(limited.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(JSON.readTree(limited.body())).isEqualTo(JSON.readTree(
                "{\"message\":\"API rate limit exceeded. Please try again in an hour.\","
                        + "\"documentation\":\"https://www.getdrip.com/docs/rest-api#rate-limting\"}"));
        assertThat(batchMeanwhile.statusCode()).isEqualTo(201);
        assertThat(nextHour.statusCode()).isEqualTo(204);
        assertThat(nextHour.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
        assertThat(drip.events()).hasSize(3 + 2 + 1);
        assertThat(drip.rateLimited()).isEqualTo(1);
        assertThat(drip.maxRequestsInAnyWindow(false)).isEqualTo(3);
        assertThat(drip.countedRequests(false)).isEqualTo(4);
        assertThat(drip.budgetRespected()).isFalse();
    }

    @Test
    void compressedWindowRecoversInRealTime() {
        drip.windowLength(Duration.ofMillis(500)).batchLimit(2);

        int status;
        int sent = 0;
        do {
            status = post("/v2/9999999/subscribers/batches", SUBSCRIBER_BATCH).statusCode();
            sent++;
        } while (status == 201 && sent < 1000);

        assertThat(status).isEqualTo(429);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> post("/v2/9999999/subscribers/batches", SUBSCRIBER_BATCH).statusCode() == 201);
        assertThat(drip.maxRequestsInAnyWindow(true)).isEqualTo(2);
        assertThat(drip.rateLimited()).isPositive();
        assertThat(drip.requests()).filteredOn(r -> r.status() == 429)
                .allSatisfy(r -> assertThat(r.responseBody()).contains("API rate limit exceeded"));
    }

    @Test
    void slidingCheckCatchesABurstAcrossAWindowBoundary() {
        AtomicLong clock = new AtomicLong();
        drip.close();
        drip = DripEmulator.builder(ACCOUNT, TOKEN).ticker(clock::get)
                .windowLength(Duration.ofSeconds(10)).singleLimit(2).start();

        post("/v2/9999999/events", EVENT);
        clock.set(Duration.ofSeconds(9).toNanos());
        post("/v2/9999999/events", EVENT);
        clock.set(Duration.ofSeconds(10).toNanos());
        post("/v2/9999999/events", EVENT);
        post("/v2/9999999/events", EVENT);

        assertThat(drip.rateLimited()).isZero();
        assertThat(drip.maxRequestsInAnyWindow(false)).isEqualTo(2);
        assertThat(drip.maxRequestsInAnySlidingWindow(false)).isEqualTo(3);
        assertThat(drip.budgetRespected()).isFalse();
    }

    @Test
    void evenlySpacedRequestsRespectTheBudget() {
        AtomicLong clock = new AtomicLong();
        drip.close();
        drip = DripEmulator.builder(ACCOUNT, TOKEN).ticker(clock::get)
                .windowLength(Duration.ofSeconds(10)).singleLimit(2).start();

        for (int i = 0; i < 6; i++) {
            clock.set(Duration.ofSeconds(5L * i).toNanos());
            assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(204);
        }

        assertThat(drip.maxRequestsInAnySlidingWindow(false)).isEqualTo(2);
        assertThat(drip.budgetRespected()).isTrue();
    }

    @Test
    void takesConcurrentLoad() {
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 400)
                .mapToObj(i -> http.sendAsync(request("/v2/9999999/events")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event(String.valueOf(i)))).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .collect(Collectors.toList());

        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(204));
        assertThat(drip.events()).hasSize(400);
        assertThat(drip.requests()).hasSize(400);
        assertThat(drip.maxRequestsInAnyWindow(false)).isEqualTo(400);
        assertThat(drip.remaining(false)).isEqualTo(3600 - 400);
        assertThat(drip.budgetRespected()).isTrue();
    }

    // ---------------------------------------------------------------- fault injection

    @Test
    void failNextAnswersTheGivenStatusAndBodyThenRecovers() {
        String body = "{\"errors\":[{\"code\":\"server_error\",\"message\":\"boom\"}]}";
        drip.failNext(2, 500, body);

        HttpResponse<String> first = post("/v2/9999999/events", EVENT);
        HttpResponse<String> second = post("/v2/9999999/subscribers", SUBSCRIBER);
        HttpResponse<String> third = post("/v2/9999999/events", EVENT);

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.body()).isEqualTo(body);
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(third.statusCode()).isEqualTo(204);
        assertThat(drip.events()).hasSize(1);
        assertThat(drip.subscribers()).isEmpty();
        assertThat(drip.accepted()).hasSize(1);
    }

    @Test
    void failNextCanTargetOnePath() {
        drip.failNext("/events$", 1, 502, "{\"errors\":[{\"code\":\"bad_gateway\"}]}");

        assertThat(post("/v2/9999999/subscribers", SUBSCRIBER).statusCode()).isEqualTo(200);
        assertThat(post("/v2/9999999/events/batches", EVENT_BATCH).statusCode()).isEqualTo(201);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(502);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(204);
    }

    @Test
    void failRateIsSeedableAndRepeatable() {
        List<Integer> firstRun = eventStatuses(42, 100);
        drip.reset();
        List<Integer> secondRun = eventStatuses(42, 100);

        assertThat(firstRun).containsOnly(204, 503);
        assertThat(firstRun.stream().filter(s -> s == 503).count()).isBetween(25L, 75L);
        assertThat(secondRun).isEqualTo(firstRun);
    }

    @Test
    void failRateOfOneFailsEverythingAndZeroNothing() {
        drip.failRate(1.0, 500);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(500);
        drip.failRate(0, 500);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(204);
    }

    @Test
    void latencyDelaysEveryResponse() {
        drip.latency(Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> response = post("/v2/9999999/events", EVENT);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void sameSubscriberConflictIs429AndDoesNotCountAgainstTheHour() throws Exception {
        drip.sameSubscriberConflictNext(1);

        HttpResponse<String> batch = post("/v2/9999999/events/batches", EVENT_BATCH);
        HttpResponse<String> conflict = post("/v2/9999999/events", EVENT);
        HttpResponse<String> retry = post("/v2/9999999/events", EVENT);

        assertThat(batch.statusCode()).isEqualTo(201);
        assertThat(conflict.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(conflict.body())).isEqualTo(JSON.readTree(
                "{\"errors\":[{\"code\":\"too_many_requests\","
                        + "\"message\":\"Too many concurrent requests for the same subscriber\"}]}"));
        assertThat(conflict.headers().firstValue("X-RateLimit-Remaining")).hasValue("3600");
        assertThat(retry.statusCode()).isEqualTo(204);
        assertThat(drip.sameSubscriberConflicts()).isEqualTo(1);
        assertThat(drip.rateLimited()).isZero();
        assertThat(drip.countedRequests(false)).isEqualTo(1);
        assertThat(drip.budgetRespected()).isTrue();
    }

    @Test
    void detectsConcurrentRequestsForTheSameSubscriber() {
        drip.latency(Duration.ofMillis(500)).conflictOnConcurrentSameSubscriber(true);

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request("/v2/9999999/events")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EVENT)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> drip.requests().size() == 1);
        HttpResponse<String> concurrent = post("/v2/9999999/subscribers", SUBSCRIBER);
        HttpResponse<String> otherPerson = post("/v2/9999999/events",
                "{\"events\":[{\"email\":\"joe@acme.com\",\"action\":\"x\"}]}");

        assertThat(concurrent.statusCode()).isEqualTo(429);
        assertThat(otherPerson.statusCode()).isEqualTo(204);
        assertThat(slow.join().statusCode()).isEqualTo(204);
        assertThat(post("/v2/9999999/subscribers", SUBSCRIBER).statusCode()).isEqualTo(200);
    }

    @Test
    void unavailableAnswers503UntilSwitchedOff() {
        drip.unavailable(true);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(503);
        assertThat(send(request("/v2/user").GET()).statusCode()).isEqualTo(503);
        drip.unavailable(false);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(204);
        assertThat(drip.countedRequests(false)).isEqualTo(1);
    }

    @Test
    void resetClearsRecordingsCountersAndFaults() {
        post("/v2/9999999/subscribers", SUBSCRIBER);
        post("/v2/9999999/campaigns/8888888/subscribers", CAMPAIGN);
        drip.failNext(5, 500, "{}").unavailable(true).sameSubscriberConflictNext(3);
        drip.singleLimit(10);

        drip.reset();

        assertThat(drip.requests()).isEmpty();
        assertThat(drip.subscribers()).isEmpty();
        assertThat(drip.campaignSubscriptions("8888888")).isEmpty();
        assertThat(drip.countedRequests(false)).isZero();
        assertThat(drip.singleLimit()).isEqualTo(10);
        assertThat(post("/v2/9999999/campaigns/8888888/subscribers", CAMPAIGN).statusCode()).isEqualTo(200);
        assertThat(post("/v2/9999999/events", EVENT).statusCode()).isEqualTo(204);
    }

    // ---------------------------------------------------------------- process mode

    @Test
    void statsEndpointNeedsNoAuthAndCountsByClassAndStatus() throws Exception {
        post("/v2/9999999/subscribers", SUBSCRIBER);
        post("/v2/9999999/events/batches", EVENT_BATCH);
        post("/v2/9999999/events", "{\"events\":[{\"email\":\"a@b.co\"}]}");

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(drip.baseUrl() + "/_emulator/stats")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode stats = JSON.readTree(response.body());
        assertThat(stats.at("/requests/single/200").asInt()).isEqualTo(1);
        assertThat(stats.at("/requests/single/422").asInt()).isEqualTo(1);
        assertThat(stats.at("/requests/batch/201").asInt()).isEqualTo(1);
        assertThat(stats.at("/records/subscribers").asInt()).isEqualTo(1);
        assertThat(stats.at("/records/events").asInt()).isEqualTo(2);
        assertThat(stats.at("/rate_limited").asInt()).isZero();
        assertThat(stats.at("/max_per_window/single").asInt()).isEqualTo(2);
        assertThat(stats.at("/max_per_window/batch").asInt()).isEqualTo(1);
        assertThat(stats.at("/limits/window").asText()).isEqualTo("PT1H");
        assertThat(stats.at("/budget_respected").asBoolean()).isTrue();
        assertThat(drip.requests()).hasSize(3);
    }

    @Test
    void requestsEndpointListsWhatArrivedWithoutHeaders() throws Exception {
        post("/v2/9999999/subscribers", SUBSCRIBER);
        post("/v2/9999999/events", "{\"events\":[{\"email\":\"a@b.co\"}]}");

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(drip.baseUrl() + "/_emulator/requests")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode root = JSON.readTree(response.body());
        assertThat(root.path("recording").asBoolean()).isTrue();
        assertThat(root.path("requests")).hasSize(2);
        assertThat(root.at("/requests/0/method").asText()).isEqualTo("POST");
        assertThat(root.at("/requests/0/path").asText()).isEqualTo("/v2/9999999/subscribers");
        assertThat(root.at("/requests/0/status").asInt()).isEqualTo(200);
        assertThat(root.at("/requests/0/body")).isEqualTo(JSON.readTree(SUBSCRIBER));
        assertThat(root.at("/requests/1/status").asInt()).isEqualTo(422);
        assertThat(response.body()).doesNotContain(TOKEN);
    }

    @Test
    void startsFromCommandLineOptions() throws Exception {
        try (DripEmulator process = DripEmulator.fromArgs("--port", "0", "--account", "1234567", "--token",
                "t0k3n", "--window", "PT2S", "--fail-rate", "0", "--latency-ms=0", "--batch-limit", "5")) {
            HttpResponse<String> user = http.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + "/v2/user"))
                    .header("Authorization", "Basic " + base64("t0k3n:"))
                    .header("User-Agent", USER_AGENT).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(process.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(process.accountId()).isEqualTo("1234567");
            assertThat(process.windowLength()).isEqualTo(Duration.ofSeconds(2));
            assertThat(process.batchLimit()).isEqualTo(5);
            assertThat(user.statusCode()).isEqualTo(200);
            assertThat(user.headers().firstValue("X-RateLimit-Limit")).hasValue("3600");
            assertThat(process.requests()).as("process mode keeps counters, not bodies").isEmpty();
            assertThat(process.stats().at("/requests/single/200").asInt()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    private List<Integer> eventStatuses(long seed, int count) {
        drip.seed(seed).failRate(0.5, 503);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(post("/v2/9999999/events", EVENT).statusCode());
        }
        return statuses;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(drip.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", AUTH)
                .header("User-Agent", USER_AGENT);
    }

    private HttpResponse<String> post(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A hand-written request, for what HttpClient will not send (no User-Agent). Returns the raw response. */
    private String raw(String request) {
        try (Socket socket = new Socket("127.0.0.1", drip.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String event(String value) {
        return "{\"events\":[{\"email\":\"a@b.co\",\"action\":\"Order Completed\",\"properties\":{\"value\":"
                + value + "}}]}";
    }

    private static String subscriberBatch(int size) {
        return "{\"batches\":[{\"subscribers\":["
                + IntStream.range(0, size).mapToObj(i -> "{\"email\":\"p" + i + "@acme.com\"}")
                        .collect(Collectors.joining(","))
                + "]}]}";
    }

    private static String eventBatch(int size) {
        return "{\"batches\":[{\"events\":["
                + IntStream.range(0, size).mapToObj(i -> "{\"email\":\"p" + i + "@acme.com\",\"action\":\"x\"}")
                        .collect(Collectors.joining(","))
                + "]}]}";
    }

    private static String orderBatch(int size) {
        return "{\"orders\":["
                + IntStream.range(0, size).mapToObj(i -> ORDER.replace("4567", "o" + i))
                        .collect(Collectors.joining(","))
                + "]}";
    }

    /** The record with one field removed. */
    private static String without(String record, String field) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(record);
            node.remove(field);
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record with one field set to a JSON value. */
    private static String with(String record, String field, String json) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(record);
            node.set(field, JSON.readTree(json));
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }
}
