package io.github.segmentdrip.drip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.StringJoiner;

/**
 * Reads Drip's answer to a request (drip-api.md §8, §9) and turns every non-success into the
 * {@link DripFailure} that says what delivery must do.
 */
public class DripResponses {

    private static final int MAX_KEPT_BODY = 4000;
    private static final int MAX_REASON_MESSAGES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    public void check(DripRequest request, int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        String text = body == null ? "" : body.length() > MAX_KEPT_BODY ? body.substring(0, MAX_KEPT_BODY) : body;
        String what = "Drip answered " + status + " to POST " + request.path() + dripsOwnWords(text);
        if (status == 422 && DripEndpoints.isCampaignSubscription(request.path()) && text.contains("already subscribed")) {
            // mapping.md: a campaign subscription Drip already has is the outcome we wanted.
            return;
        }
        if (status == 401) {
            throw new DripFailure.Unauthorized(what + ": the API token was refused", status, text);
        }
        if (status == 429) {
            if (text.contains("same subscriber")) {
                throw new DripFailure.Retryable(what + ": concurrent change of one subscriber", status, text);
            }
            throw new DripFailure.RateLimited(what + ": rate limit exceeded", status, text);
        }
        if (status >= 500 || status == 408 || status == 409) {
            throw new DripFailure.Retryable(what, status, text);
        }
        throw new DripFailure.Rejected(what, status, text);
    }

    /**
     * Drip's own reason, so a dead letter says why and not only the status (drip-api.md §9):
     * {@code ": email_error: Email is invalid"} from the errors envelope, or the top-level
     * {@code message} of a 429. Empty when the body says nothing readable.
     */
    static String dripsOwnWords(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode answer = JSON.readTree(body);
            StringJoiner reasons = new StringJoiner("; ", ": ", "").setEmptyValue("");
            int kept = 0;
            for (JsonNode error : answer.path("errors")) {
                if (kept++ == MAX_REASON_MESSAGES) {
                    break;
                }
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                String reason = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
                if (!reason.isEmpty()) {
                    reasons.add(reason);
                }
            }
            if (answer.path("message").isTextual()) {
                reasons.add(answer.path("message").asText());
            }
            return reasons.toString();
        } catch (java.io.IOException notJson) {
            return "";
        }
    }
}
