package io.github.segmentdrip.http;

/**
 * A request one of the service's HTTP doors does not accept as a whole: the Segment intake, Drip's
 * webhooks or the admin API. Carries the HTTP status its sender acts on (4xx: a permanent problem,
 * not sent again) and what to tell it; the {@code http-errors} route configuration answers it the
 * same way at every door.
 */
public class RequestRefused extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public RequestRefused(int status, String error, String field) {
        super(error, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static RequestRefused badRequest(String error, String field) {
        return new RequestRefused(400, error, field);
    }

    public static RequestRefused tooLarge(String error) {
        return new RequestRefused(413, error, null);
    }

    public int getStatus() {
        return status;
    }

    public String getError() {
        return error;
    }

    public String getField() {
        return field;
    }
}
