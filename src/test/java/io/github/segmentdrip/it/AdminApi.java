package io.github.segmentdrip.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The service's state as an operator sees it, over HTTP only: the admin API ({@code /admin/status},
 * {@code /admin/dead-letters}, Bearer {@link DripEmulatorResource#ADMIN_TOKEN}). Tests that observe
 * the outbox and the dead letters through it instead of injecting beans run unchanged against the
 * packaged jar ({@code …IT extends …Test}).
 */
final class AdminApi {

    static final String BEARER = "Bearer " + DripEmulatorResource.ADMIN_TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminApi() {
    }

    /** {@code GET /admin/status}. */
    static JsonPath status() {
        return given().header("Authorization", BEARER).get("/admin/status")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Rows waiting in the Drip outbox. */
    static long outboxDepth() {
        return status().getLong("outbox.depth");
    }

    /** Why delivery is paused or readiness is DOWN, null when neither. */
    static String deliveryNotReadyReason() {
        return status().getString("delivery.reason");
    }

    /** All dead letters. */
    static long deadLetterCount() {
        return deadLetterCount(null);
    }

    /** Dead letters whose reason contains {@code reasonContains} (all when null). */
    static long deadLetterCount(String reasonContains) {
        return list(reasonContains, 1).getLong("total");
    }

    /** The newest dead letters first, as {@code GET /admin/dead-letters} lists them (without bodies). */
    static List<DeadLetterView> deadLetters(String reasonContains, int size) {
        List<Map<String, Object>> items = list(reasonContains, size).getList("items");
        return items.stream().map(DeadLetterView::of).toList();
    }

    /** One dead letter in full: {@code GET /admin/dead-letters/{id}}, with event, record, request and response. */
    static JsonNode deadLetter(long id) {
        String body = given().header("Authorization", BEARER).get("/admin/dead-letters/" + id)
                .then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the admin API answered no JSON: " + body, e);
        }
    }

    private static JsonPath list(String reasonContains, int size) {
        var request = given().header("Authorization", BEARER).queryParam("size", size);
        if (reasonContains != null) {
            request.queryParam("reason", reasonContains);
        }
        return request.get("/admin/dead-letters").then().statusCode(200).extract().jsonPath();
    }

    /** A dead letter as the admin API lists it. */
    record DeadLetterView(long id, String kind, String email, String reason, Integer status, int attempts) {

        static DeadLetterView of(Map<String, Object> item) {
            return new DeadLetterView(((Number) item.get("id")).longValue(), (String) item.get("kind"),
                    (String) item.get("email"), (String) item.get("reason"),
                    item.get("status") == null ? null : ((Number) item.get("status")).intValue(),
                    ((Number) item.get("attempts")).intValue());
        }
    }
}
