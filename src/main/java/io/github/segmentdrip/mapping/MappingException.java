package io.github.segmentdrip.mapping;

/**
 * A Segment message that cannot become a Drip call, for a reason no retry will fix (no email, no
 * event name). The caller answers it as a permanent failure (4xx) and never sends it to Drip.
 */
public class MappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final String field;

    /**
     * @param error short description of the problem, e.g. {@code missing email}
     * @param field the Segment field the mapping looked for, e.g. {@code traits.email}
     */
    public MappingException(String error, String field) {
        super(error);
        this.error = error;
        this.field = field;
    }

    /** Short description of the problem, e.g. {@code missing email}; also {@link #getMessage()}. */
    public String error() {
        return error;
    }

    /** The Segment field the mapping looked for, e.g. {@code traits.email}. */
    public String field() {
        return field;
    }
}
