package io.github.segmentdrip.drip;

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
        return text(event, "traits", "email")
                .or(() -> text(event, "context", "traits", "email"))
                .or(() -> emailLikeUserId(event));
    }

    /** track: {@code properties.email}, else {@code context.traits.email}, else an email-like {@code userId}. */
    public static Optional<String> forTrack(Map<String, Object> event) {
        return text(event, "properties", "email")
                .or(() -> text(event, "context", "traits", "email"))
                .or(() -> emailLikeUserId(event));
    }

    /**
     * One {@code @}, no whitespace, a dot in the domain part, after trimming. Deliberately loose:
     * it only decides whether a {@code userId} is meant as an address; Drip validates the rest.
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
