package io.github.segmentdrip.segment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Segment's {@code X-Signature} header (segment.md §2.1): hex HMAC-SHA1, keyed with the
 * shared secret, of the JSON text Segment produced with {@code JSON.stringify}. For an array body
 * Segment signs only the first element ({@code JSON.stringify(body[0])}, Webhooks docs and
 * action-destinations {@code webhook/index.ts}).
 *
 * <p>The check runs on the raw request bytes, never on re-serialised JSON: number formats,
 * escapes and key order would change and no signature would match. For an array, the signed bytes
 * are the first element's span in the raw body, located with Jackson's streaming parser.
 */
public final class WebhookSignature {

    private static final String HMAC_SHA1 = "HmacSHA1";
    private static final int SHA1_BYTES = 20;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final SecretKeySpec key;

    /** The shared secret set in Segment's destination settings; null or blank: no signature required. */
    public WebhookSignature(String sharedSecret) {
        this.key = sharedSecret == null || sharedSecret.isBlank()
                ? null
                : new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1);
    }

    /** True when a shared secret is configured and requests must carry a valid signature. */
    public boolean isRequired() {
        return key != null;
    }

    /**
     * True when {@code xSignatureHeader} is the HMAC of the signed part of {@code rawBody}: the
     * whole body for a JSON object, the first element for a JSON array. Hex digits in either case
     * are accepted. False when there is no secret, no header, or a body that is not a well-formed
     * JSON object or non-empty array of objects.
     */
    public boolean verify(byte[] rawBody, String xSignatureHeader) {
        if (key == null || rawBody == null || xSignatureHeader == null) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(xSignatureHeader.strip());
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        if (claimed.length != SHA1_BYTES) {
            return false;
        }
        byte[] signed = signedBytes(rawBody);
        if (signed == null) {
            return false;
        }
        return MessageDigest.isEqual(hmac(signed), claimed);
    }

    /** The bytes Segment signed, or null when the body is not JSON this check understands. */
    private static byte[] signedBytes(byte[] rawBody) {
        try (JsonParser parser = JSON.createParser(rawBody)) {
            JsonToken root = parser.nextToken();
            byte[] signed;
            if (root == JsonToken.START_OBJECT) {
                parser.skipChildren();
                signed = rawBody;
            } else if (root == JsonToken.START_ARRAY) {
                signed = firstElement(parser, rawBody);
                if (signed == null) {
                    return null;
                }
                // The rest of the array must be well-formed too.
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    if (next == null) {
                        return null;
                    }
                    parser.skipChildren();
                }
            } else {
                return null;
            }
            // Exactly one root value: trailing content makes the body malformed.
            return parser.nextToken() == null ? signed : null;
        } catch (IOException malformed) {
            // JsonParseException, or the end of input inside a value.
            return null;
        }
    }

    private static byte[] firstElement(JsonParser parser, byte[] rawBody) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            // Empty array or a scalar: not a Segment event, nothing Segment would have signed.
            return null;
        }
        long start = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        // After the closing bracket, the current location is the byte just past it.
        long end = parser.currentLocation().getByteOffset();
        if (start < 0 || end <= start || end > rawBody.length) {
            return null;
        }
        return Arrays.copyOfRange(rawBody, (int) start, (int) end);
    }

    private byte[] hmac(byte[] message) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException unavailable) {
            // HmacSHA1 is required of every Java platform; this cannot happen.
            throw new IllegalStateException("HmacSHA1 is not available", unavailable);
        }
    }

    @Override
    public String toString() {
        return isRequired() ? "WebhookSignature[required]" : "WebhookSignature[not required]";
    }
}
