package io.github.segmentdrip.segment;

import io.github.segmentdrip.http.RequestRefused;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Who may send: the write keys for the Tracking API, the shared secret for Segment's Webhooks
 * destination. Either left unset leaves that door open (the service warns at start). The routes bind
 * the request headers named on the parameters.
 */
public class IntakeAuth {

    private final IntakeWriteKeys writeKeys;
    private final WebhookSignature signature;

    public IntakeAuth(IntakeWriteKeys writeKeys, WebhookSignature signature) {
        this.writeKeys = writeKeys;
        this.signature = signature;
    }

    /** Basic auth with a write key as user (as Segment's libraries send it), or {@code writeKey} in the body. */
    public void requireWriteKey(@Header("Authorization") String authorization, @Body Intake intake) {
        if (!writeKeys.isOpen() && !intake.isTelemetry() && !writeKeys.allows(authorization, intake.getWriteKey())) {
            throw new RequestRefused(401, "missing or invalid write key", null);
        }
    }

    /** {@code X-Signature}: HMAC-SHA1 of the raw bytes (of the first element for an array), checked before parsing. */
    public void requireSignature(@Body byte[] body, @Header("X-Signature") String xSignature) {
        if (signature.isRequired() && !signature.verify(body, xSignature)) {
            throw new RequestRefused(401, xSignature == null ? "missing X-Signature" : "invalid X-Signature", "X-Signature");
        }
    }

    /** Neither a write key nor a shared secret: anyone who can reach the service can send. */
    public boolean isOpen() {
        return writeKeys.isOpen() && !signature.isRequired();
    }
}
