package io.github.segmentdrip.segment;

import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.mapping.SegmentLimits;
import org.apache.camel.Body;
import org.apache.camel.Header;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * What an intake request body must be before it is parsed (mapping.md "Request bodies"): JSON
 * or text (analytics.js posts {@code text/plain}), and, when compressed, gzip or deflate. Segment's
 * iOS and Android libraries gzip every upload, so decoding is part of being a Tracking API.
 *
 * <p>The size limit is enforced on the decoded bytes while inflating: a small body that would
 * inflate to gigabytes is refused after {@link #MAX_DECODED_BYTES} bytes, at no further cost.
 *
 * <p>The parameters say which headers a route's {@code bean} step binds (Camel's {@code @Header}):
 * bound by annotation once, not by a Simple expression parsed again on every request.
 */
public class RequestBodies {

    /** The largest body any intake call accepts (a batch), so more decoded bytes are never needed. */
    public static final int MAX_DECODED_BYTES = SegmentLimits.MAX_BATCH_BYTES;

    private static final int CHUNK = 8192;

    /**
     * The body as the sender meant it: checked for a JSON or text content type, then decoded.
     *
     * @param contentType     the request's {@code Content-Type}, may be null
     * @param contentEncoding the request's {@code Content-Encoding}, may be null
     * @throws RequestRefused 415 for another content type or encoding, 400 for a body that does not
     *                         decode, 413 for a body that decodes past the limit
     */
    public byte[] decode(@Header("Content-Type") String contentType, @Header("Content-Encoding") String contentEncoding,
            @Body byte[] body) {
        requireJsonOrText(contentType);
        if (contentEncoding == null || contentEncoding.isBlank() || body == null) {
            return body;
        }
        // Encodings apply in the order listed, so they are undone from the last one.
        String[] codings = contentEncoding.split(",");
        byte[] decoded = body;
        for (int i = codings.length - 1; i >= 0; i--) {
            decoded = decodeOne(codings[i].strip().toLowerCase(Locale.ROOT), decoded);
        }
        return decoded;
    }

    private static void requireJsonOrText(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json") || mediaType.equals("text/plain") || mediaType.endsWith("+json")) {
            return;
        }
        throw new RequestRefused(415, "unsupported content type " + printable(mediaType)
                + ": send application/json (or text/plain, as analytics.js does)", "Content-Type");
    }

    private static byte[] decodeOne(String coding, byte[] body) {
        switch (coding) {
            case "", "identity":
                return body;
            case "gzip", "x-gzip":
                try {
                    return inflate(new GZIPInputStream(new ByteArrayInputStream(body), CHUNK));
                } catch (IOException e) {
                    throw undecodable(coding);
                }
            case "deflate":
                return inflateDeflate(body);
            default:
                throw new RequestRefused(415, "unsupported content encoding " + printable(coding)
                        + ": send gzip, deflate or an uncompressed body", "Content-Encoding");
        }
    }

    /**
     * HTTP's {@code deflate} is zlib-wrapped (RFC 9110 §8.4.1.2), but some senders send a raw
     * deflate stream: the zlib header tells which one arrived.
     */
    private static byte[] inflateDeflate(byte[] body) {
        boolean zlib = body.length >= 2 && (body[0] & 0x0F) == 8 && ((body[0] & 0xFF) << 8 | (body[1] & 0xFF)) % 31 == 0;
        Inflater inflater = new Inflater(!zlib);
        try {
            return inflate(new InflaterInputStream(new ByteArrayInputStream(body), inflater, CHUNK));
        } catch (IOException e) {
            throw undecodable("deflate");
        } finally {
            inflater.end();
        }
    }

    /** Truncated or corrupt data surfaces as an IOException, which the callers answer with 400. */
    private static byte[] inflate(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
            byte[] chunk = new byte[CHUNK];
            int read;
            while ((read = in.read(chunk)) != -1) {
                if (out.size() + read > MAX_DECODED_BYTES) {
                    throw RequestRefused.tooLarge("body larger than " + MAX_DECODED_BYTES + " bytes once decoded");
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        }
    }

    private static RequestRefused undecodable(String coding) {
        return RequestRefused.badRequest("body is not valid " + coding + " data", "Content-Encoding");
    }

    /** Header values are echoed in errors: bounded and printable only. */
    private static String printable(String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}
