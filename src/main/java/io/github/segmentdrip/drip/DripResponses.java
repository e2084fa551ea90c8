package io.github.segmentdrip.drip;

/**
 * Reads Drip's answer to a request (drip-api.md §8, §9) and turns every non-success into the
 * {@link DripFailure} that says what delivery must do.
 */
public class DripResponses {

    private static final int MAX_KEPT_BODY = 4000;

    public void check(DripRequest request, int status, String body) {
        if (status >= 200 && status < 300) {
            return;
        }
        String text = body == null ? "" : body.length() > MAX_KEPT_BODY ? body.substring(0, MAX_KEPT_BODY) : body;
        String what = "Drip answered " + status + " to POST " + request.path();
        if (status == 422 && request.path().contains("/campaigns/") && text.contains("already subscribed")) {
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
}
