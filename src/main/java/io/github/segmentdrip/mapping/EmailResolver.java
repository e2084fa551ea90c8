package io.github.segmentdrip.mapping;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the address that identifies the person in Drip, in the order {@code mapping.md} "Which
 * email" gives. Drip's subscriber and event endpoints both key people by email; without one
 * there is nothing to send.
 */
public final class EmailResolver {

    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private EmailResolver() {
    }

    /** identify: {@code traits.email}, else {@code context.traits.email}, else an email-like {@code userId}. */
    public static Optional<String> forIdentify(Map<String, Object> event) {
        return chosen(event, IDENTIFY_FIELDS);
    }

    /** track: {@code properties.email}, else {@code context.traits.email}, else an email-like {@code userId}. */
    public static Optional<String> forTrack(Map<String, Object> event) {
        return chosen(event, TRACK_FIELDS);
    }

    private static final String[][] IDENTIFY_FIELDS = {{"traits", "email"}, {"context", "traits", "email"}};
    private static final String[][] TRACK_FIELDS = {{"properties", "email"}, {"context", "traits", "email"}};

    /**
     * The first email field present wins and must look like an email: Drip would refuse it with
     * 422 {@code email_error} long after the sender heard 200, so it is refused here instead.
     *
     * @throws MappingException {@code invalid email} naming the field that held it
     */
    private static Optional<String> chosen(Map<String, Object> event, String[][] fields) {
        for (String[] path : fields) {
            Optional<String> email = text(event, path);
            if (email.isPresent()) {
                if (!looksLikeEmail(email.get())) {
                    throw new MappingException("invalid email", String.join(".", path));
                }
                return email;
            }
        }
        return emailLikeUserId(event);
    }

    /**
     * One {@code @}, no whitespace, a dot in the domain part, after trimming (mapping.md "Which
     * email"). Deliberately loose: it catches what is plainly not an address; Drip validates the rest.
     */
    public static boolean looksLikeEmail(String candidate) {
        if (candidate == null) {
            return false;
        }
        String email = candidate.strip();
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || WHITESPACE.matcher(email).find()) {
            return false;
        }
        String domain = email.substring(at + 1);
        int dot = domain.indexOf('.');
        // "a@.com" and "a@com." have a dot but no domain around it.
        return dot > 0 && domain.lastIndexOf('.') < domain.length() - 1;
    }

    private static Optional<String> emailLikeUserId(Map<String, Object> event) {
        return text(event, "userId").filter(EmailResolver::looksLikeEmail);
    }

    /** The trimmed, non-blank string at the path; anything else (missing, number, object) is absent. */
    private static Optional<String> text(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            node = map.get(key);
        }
        return node instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
    }
}
