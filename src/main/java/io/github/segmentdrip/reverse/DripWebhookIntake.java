package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.outbox.SegmentOutbox;

import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steps of the {@code drip-webhooks} route: who may post, what the webhook is, what it becomes
 * (the route's choice picks the branch), the commit to the reverse outbox, and the answer.
 *
 * <p>Drip signs nothing (segment.md §6): the webhook URL carries a long secret, compared in
 * constant time, and {@code data.account_id} must be the configured Drip account (mapping.md).
 */
public class DripWebhookIntake {

    private static final System.Logger LOG = System.getLogger(DripWebhookIntake.class.getName());

    private final byte[] tokenDigest;
    private final String accountId;
    private final SegmentEmailEvents mapping;
    private final SegmentOutbox outbox;
    private final ObjectMapper json;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param webhookToken the secret in the webhook URL; {@code null} or blank turns the endpoint off (404)
     * @param accountId    the Drip account webhooks must come from; {@code null} refuses every webhook (403)
     */
    public DripWebhookIntake(String webhookToken, String accountId, SegmentEmailEvents mapping,
            SegmentOutbox outbox, ObjectMapper json) {
        this.tokenDigest = webhookToken == null || webhookToken.isBlank() ? null : sha256(webhookToken.strip());
        this.accountId = accountId == null || accountId.isBlank() ? null : accountId.strip();
        this.mapping = mapping;
        this.outbox = outbox;
        this.json = json;
    }

    /** Whether a webhook token is configured, i.e. the endpoint exists. */
    public boolean isEnabled() {
        return tokenDigest != null;
    }

    /**
     * The URL's token. Both sides are hashed first, so the comparison takes the same time whatever
     * the presented token's length and content.
     *
     * @throws RequestRefused 404 when no token is configured (the endpoint does not exist), 401 when it differs
     */
    public void authenticate(String presentedToken) {
        if (tokenDigest == null) {
            throw new RequestRefused(404, "not found", null);
        }
        byte[] presented = sha256(presentedToken == null ? "" : presentedToken);
        if (!MessageDigest.isEqual(presented, tokenDigest)) {
            throw new RequestRefused(401, "invalid webhook token", null);
        }
    }

    /** @throws RequestRefused 400 or 413 for a body that is no Drip webhook ({@link DripWebhook#parse}) */
    public WebhookItem parse(byte[] body) {
        DripWebhook webhook = DripWebhook.parse(body);
        received.incrementAndGet();
        return new WebhookItem(webhook, new String(body, UTF_8));
    }

    /** @throws RequestRefused 403 when {@code data.account_id} is not the configured Drip account */
    public void checkAccount(WebhookItem item) {
        if (accountId == null) {
            throw new RequestRefused(403, "drip.account-id is not configured, so no webhook can be verified",
                    "data.account_id");
        }
        if (!item.getWebhook().fromAccount(accountId)) {
            throw new RequestRefused(403, "webhook is not from the configured Drip account", "data.account_id");
        }
    }

    /**
     * The route's branch for a mapped event: the track call mapping.md specifies, named
     * {@code segmentEvent}. Skipped when the subscriber has neither user id nor email (Segment would
     * drop the call silently).
     */
    public void track(WebhookItem item, String segmentEvent) {
        DripWebhook webhook = item.getWebhook();
        Optional<String> reason = mapping.skipReason(webhook, true);
        if (reason.isPresent()) {
            skip(item, reason.get());
            return;
        }
        Map<String, Object> track = mapping.toTrack(webhook, true).orElseThrow();
        if (segmentEvent != null && !segmentEvent.isBlank()) {
            // The name in the route wins, so a user renames or adds a mapping by editing the route.
            Map<String, Object> renamed = new LinkedHashMap<>();
            track.forEach((key, value) -> renamed.put(key, "event".equals(key) ? segmentEvent.strip() : value));
            track = renamed;
        }
        item.becomes(track, write(track));
    }

    /**
     * The route's branch for Drip's six email events: the Segment Email event
     * {@link SegmentEmailEvents#EMAIL_EVENTS} names, the one home of those names.
     */
    public void trackEmailEvent(WebhookItem item) {
        track(item, SegmentEmailEvents.segmentEventName(item.getEventName()).orElseThrow(
                () -> new IllegalArgumentException("not one of Drip's email events: " + item.getEventName())));
    }

    /** The route's branch for any other Drip event when forwarding everything: {@code Drip <Event Name>}. */
    public void forward(WebhookItem item) {
        track(item, SegmentEmailEvents.forwardedEventName(item.getEventName()));
    }

    /** The route's branch for the events not forwarded: acknowledged, counted, nothing stored. */
    public void skip(WebhookItem item) {
        skip(item, "not forwarded: " + item.getEventName());
    }

    /**
     * Commits the track call to the reverse outbox; a skipped webhook stores nothing. A call over
     * Segment's 32 KB per event could never be sent: it goes to the dead letters at once, and Drip
     * still hears 2xx, since re-sending cannot make it smaller.
     */
    public void store(WebhookItem item) {
        if (!item.isDecided()) {
            skip(item, "no branch of the route handled " + item.getEventName());
        }
        if (item.isSkipped()) {
            return;
        }
        if (SegmentBatches.tooLarge(item.getTrackJson())) {
            outbox.deadLetterNow(item.getEmail(), item.getTrackJson(), item.getBody(),
                    "track call larger than Segment's " + SegmentLimits.MAX_EVENT_BYTES + " bytes per event");
            return;
        }
        outbox.enqueue(item.getMessageId(), item.getEmail(), item.getTrackJson(), item.getBody());
        stored.incrementAndGet();
    }

    /** The 2xx body: {@code {"success":true}}, with the reason when the webhook was skipped. */
    public String accepted(WebhookItem item) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        if (item.isSkipped()) {
            body.put("skipped", item.getSkipReason());
        }
        return write(body);
    }

    /** Webhooks that passed the token check and parsed. */
    public long received() {
        return received.get();
    }

    /** Webhooks committed to the reverse outbox. */
    public long stored() {
        return stored.get();
    }

    /** Webhooks acknowledged without a track call (not forwarded, or no identity). */
    public long skipped() {
        return skipped.get();
    }

    private void skip(WebhookItem item, String reason) {
        item.skipped(reason);
        skipped.incrementAndGet();
        LOG.log(System.Logger.Level.DEBUG, () -> "Drip webhook skipped: " + reason);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
