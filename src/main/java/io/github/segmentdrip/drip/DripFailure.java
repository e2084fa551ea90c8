package io.github.segmentdrip.drip;

/**
 * Drip did not accept a request. The subclass says what delivery does about it; the route's
 * {@code onException} clauses choose by type, so the policy reads in {@code routes/}.
 */
public abstract class DripFailure extends RuntimeException {

    private final int status;
    private final String responseBody;

    protected DripFailure(String message, int status, String responseBody) {
        super(message, null, false, false);
        this.status = status;
        this.responseBody = responseBody;
    }

    /** Drip's HTTP status, or 0 when no answer came. */
    public int getStatus() {
        return status;
    }

    public String getResponseBody() {
        return responseBody;
    }

    /** 5xx, 408, 409, a same-subscriber 429: worth trying again with back-off. */
    public static class Retryable extends DripFailure {
        public Retryable(String message, int status, String responseBody) {
            super(message, status, responseBody);
        }
    }

    /** The account's hourly budget is spent: pause delivery, spend no attempts. */
    public static class RateLimited extends DripFailure {
        public RateLimited(String message, int status, String responseBody) {
            super(message, status, responseBody);
        }
    }

    /** Delivery is paused (no credentials, or a refused token found out by an earlier request). */
    public static class Paused extends DripFailure {
        public Paused(String message) {
            super(message, 0, null);
        }
    }

    /** The API token was refused: pause everything, since every row would fail the same way. */
    public static class Unauthorized extends DripFailure {
        public Unauthorized(String message, int status, String responseBody) {
            super(message, status, responseBody);
        }
    }

    /** Drip refused this record for good (400, 403, 404, 422): dead letter. */
    public static class Rejected extends DripFailure {
        public Rejected(String message, int status, String responseBody) {
            super(message, status, responseBody);
        }
    }
}
