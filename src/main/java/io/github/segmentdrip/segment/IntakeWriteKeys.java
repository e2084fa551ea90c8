package io.github.segmentdrip.segment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The Segment write keys senders must bring to the intake ({@code segment.write-keys}, inbound),
 * accepted the way Segment's Tracking API accepts them (segment.md §3): HTTP Basic with the write key
 * as user name and an empty password ({@code abc123} → {@code Basic YWJjMTIzOg==}), or a
 * {@code "writeKey"} in the body, which is how analytics.js sends it (segment.md §7). No keys
 * configured means open intake.
 *
 * <p>Keys are compared in constant time, against every configured key without stopping at the
 * first match, so response times tell nothing about a key or about which key matched. Keys never
 * appear in messages or in {@link #toString()}.
 */
public final class IntakeWriteKeys {

    private static final String BASIC = "basic ";

    private final List<byte[]> keys;

    /** Comma-separated keys, blanks around them ignored; null or blank means open intake. */
    public IntakeWriteKeys(String commaSeparatedKeys) {
        this.keys = commaSeparatedKeys == null
                ? List.of()
                : Arrays.stream(commaSeparatedKeys.split(","))
                        .map(String::strip)
                        .filter(key -> !key.isEmpty())
                        .map(key -> key.getBytes(StandardCharsets.UTF_8))
                        .toList();
    }

    /** True when no key is configured: every request is allowed. */
    public boolean isOpen() {
        return keys.isEmpty();
    }

    /**
     * True when intake is open, when the {@code Authorization} header is HTTP Basic with a known
     * key as user name and an empty password (a bare base64 key without the colon is tolerated),
     * or when the body's {@code writeKey} is a known key. Either source is enough; both may be null.
     */
    public boolean allows(String authorizationHeader, String writeKeyInBody) {
        if (isOpen()) {
            return true;
        }
        byte[] fromHeader = keyFromBasic(authorizationHeader);
        byte[] fromBody = writeKeyInBody == null ? null : writeKeyInBody.getBytes(StandardCharsets.UTF_8);
        // Non-short-circuit '|': both candidates are always checked against every key.
        return known(fromHeader) | known(fromBody);
    }

    private boolean known(byte[] candidate) {
        if (candidate == null || candidate.length == 0) {
            return false;
        }
        boolean match = false;
        for (byte[] key : keys) {
            // isEqual's time depends on the first argument's length only: the caller's input.
            match |= MessageDigest.isEqual(candidate, key);
        }
        return match;
    }

    /** The user name of a Basic header whose password is empty; null when there is none. */
    private static byte[] keyFromBasic(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() <= BASIC.length() || !value.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(BASIC.length()).strip());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon < 0) {
            // base64(key) without ":": some hand-written clients leave the colon out.
            return decoded;
        }
        if (colon != decoded.length - 1) {
            // A password: Segment libraries never send one, so this is not a write key.
            return null;
        }
        return Arrays.copyOf(decoded, colon);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return isOpen() ? "IntakeWriteKeys[open]" : "IntakeWriteKeys[" + keys.size() + " key(s)]";
    }
}
