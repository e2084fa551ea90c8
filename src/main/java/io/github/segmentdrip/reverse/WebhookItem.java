package io.github.segmentdrip.reverse;

import java.util.Map;

/**
 * One Drip webhook on its way through the {@code drip-webhooks} route. The route's choice reads
 * {@link #getEventName()}; its branches record what the webhook became: a Segment track call, or a
 * skip with the reason.
 */
public final class WebhookItem {

    private final DripWebhook webhook;
    private final String body;
    private Map<String, Object> track;
    private String trackJson;
    private String skipReason;

    public WebhookItem(DripWebhook webhook, String body) {
        this.webhook = webhook;
        this.body = body;
    }

    /** Drip's {@code event}, e.g. {@code subscriber.opened_email}; the route's choice reads it. */
    public String getEventName() {
        return webhook.eventName();
    }

    /** Whether it is one of Drip's six email events ({@link SegmentEmailEvents#EMAIL_EVENTS}); the route's choice reads it. */
    public boolean isEmailEvent() {
        return SegmentEmailEvents.isEmailEvent(webhook.eventName());
    }

    public DripWebhook getWebhook() {
        return webhook;
    }

    /** The webhook as received, kept with the track call so a dead letter shows what Drip sent. */
    public String getBody() {
        return body;
    }

    /** The Segment track call, or {@code null} when skipped. */
    public Map<String, Object> getTrack() {
        return track;
    }

    /** {@link #getTrack()} as the JSON text sent to Segment, or {@code null} when skipped. */
    public String getTrackJson() {
        return trackJson;
    }

    public String getMessageId() {
        return track == null ? null : (String) track.get("messageId");
    }

    /** The subscriber's email, for the dead letters. */
    public String getEmail() {
        return webhook.subscriberText("email");
    }

    public boolean isSkipped() {
        return skipReason != null;
    }

    public String getSkipReason() {
        return skipReason;
    }

    /** Whether a branch already decided (a track call or a skip). */
    public boolean isDecided() {
        return track != null || skipReason != null;
    }

    void becomes(Map<String, Object> track, String trackJson) {
        this.track = track;
        this.trackJson = trackJson;
        this.skipReason = null;
    }

    void skipped(String reason) {
        this.track = null;
        this.trackJson = null;
        this.skipReason = reason;
    }
}
