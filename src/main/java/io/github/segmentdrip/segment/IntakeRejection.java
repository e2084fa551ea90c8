package io.github.segmentdrip.segment;

/**
 * A request that cannot be accepted as a whole. Carries the HTTP status Segment's senders act on:
 * 4xx is discarded by Segment, so only permanent problems end here.
 */
public class IntakeRejection extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public IntakeRejection(int status, String error, String field) {
        super(error, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static IntakeRejection badRequest(String error, String field) {
        return new IntakeRejection(400, error, field);
    }

    public static IntakeRejection tooLarge(String error) {
        return new IntakeRejection(413, error, null);
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
