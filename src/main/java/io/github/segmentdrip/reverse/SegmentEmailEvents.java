package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.segmentdrip.mapping.SkipRules;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Drip webhook → Segment track call, the element of {@code {"batch":[…]}} sent to Segment's
 * {@code POST /v1/batch}. Rules: mapping.md "Drip → Segment (the reverse path)"; names are the
 * Segment Email spec events Segment's own Drip source emits (segment.md §5).
 */
public class SegmentEmailEvents {

    /** The Drip email webhooks forwarded by default, and the Segment event each becomes (mapping.md). */
    public static final Map<String, String> EMAIL_EVENTS = orderedMap(
            "subscriber.received_email", "Email Delivered",
            "subscriber.opened_email", "Email Opened",
            "subscriber.clicked_email", "Email Link Clicked",
            "subscriber.bounced", "Email Bounced",
            "subscriber.complained", "Email Marked as Spam",
            "subscriber.unsubscribed_all", "Email Unsubscribed");

    /** First word of the other Drip events' names when forwarding everything. */
    public static final String FORWARDED_PREFIX = "Drip";

    static final String CLICKED_EMAIL = "subscriber.clicked_email";
    static final String UNSUBSCRIBED_ALL = "subscriber.unsubscribed_all";

    /** Copied from {@code data.properties} for the email events; Drip's webhooks carry no campaign. */
    private static final List<String> EMAIL_PROPERTIES = List.of("email_id", "email_subject", "delivery_id");
    private static final String SUBSCRIBER_PREFIX = "subscriber.";
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The Segment track call for this webhook, or empty when it is not forwarded: an event outside
     * {@link #EMAIL_EVENTS} while {@code forwardAll} is off, or a subscriber with neither
     * {@code user_id} nor {@code email} (Segment would drop it silently, segment.md §3).
     * {@link #skipReason} says which.
     *
     * @return a fresh, ordered map the caller owns
     */
    public Optional<Map<String, Object>> toTrack(DripWebhook webhook, boolean forwardAll) {
        if (skipReason(webhook, forwardAll).isPresent()) {
            return Optional.empty();
        }
        String dripEvent = webhook.eventName();
        Map<String, Object> track = new LinkedHashMap<>();
        track.put("type", "track");
        track.put("event", segmentEventName(dripEvent, true).orElseThrow());
        String userId = webhook.subscriberText("user_id");
        if (userId != null) {
            track.put("userId", userId);
        } else {
            track.put("anonymousId", webhook.subscriberText("email"));
        }
        track.put("messageId", messageId(webhook));
        if (webhook.occurredAt() != null) {
            track.put("timestamp", webhook.occurredAt());
        }
        track.put("properties", properties(webhook));
        track.put("context", context(webhook));
        Map<String, Object> integrations = new LinkedHashMap<>();
        // Segment must not send the event back to a Drip destination: that would loop.
        integrations.put("Drip", false);
        track.put("integrations", integrations);
        return Optional.of(track);
    }

    /** Why {@link #toTrack} gives nothing for this webhook; empty when it gives a track call. */
    public Optional<String> skipReason(DripWebhook webhook, boolean forwardAll) {
        if (!forwardAll && !isEmailEvent(webhook.eventName())) {
            return Optional.of("not an email event: " + webhook.eventName());
        }
        if (webhook.subscriberText("user_id") == null && webhook.subscriberText("email") == null) {
            return Optional.of("subscriber has neither user_id nor email");
        }
        return Optional.empty();
    }

    /** Whether the Drip event is one of the six email events forwarded by default. */
    public static boolean isEmailEvent(String dripEvent) {
        return dripEvent != null && EMAIL_EVENTS.containsKey(dripEvent);
    }

    /** The Segment event name of one of the six email events; empty for any other Drip event. */
    public static Optional<String> segmentEventName(String dripEvent) {
        return segmentEventName(dripEvent, false);
    }

    /**
     * The Segment event name: from {@link #EMAIL_EVENTS}, else, when {@code forwardAll}, the
     * {@link #forwardedEventName}; empty otherwise.
     */
    public static Optional<String> segmentEventName(String dripEvent, boolean forwardAll) {
        if (isEmailEvent(dripEvent)) {
            return Optional.of(EMAIL_EVENTS.get(dripEvent));
        }
        return forwardAll && dripEvent != null ? Optional.of(forwardedEventName(dripEvent)) : Optional.empty();
    }

    /**
     * The name of an event outside the table: "Drip " and the event without {@code subscriber.},
     * words split on {@code _} and {@code .}, each capitalised
     * ({@code subscriber.applied_tag} → {@code Drip Applied Tag}).
     */
    public static String forwardedEventName(String dripEvent) {
        String rest = dripEvent.strip();
        if (rest.startsWith(SUBSCRIBER_PREFIX)) {
            rest = rest.substring(SUBSCRIBER_PREFIX.length());
        }
        StringBuilder name = new StringBuilder(FORWARDED_PREFIX);
        for (String word : rest.split("[_.\\s]+")) {
            if (!word.isEmpty()) {
                name.append(' ').append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return name.toString();
    }

    /**
     * {@code drip-} and the first 40 hex characters of SHA-256 over
     * {@code event|account_id|subscriber.id|occurred_at|delivery_id|url} (UTF-8, a missing part is
     * the empty string). Drip has no event id and re-sends for days; a deterministic id lets
     * Segment deduplicate the re-sends (mapping.md).
     */
    public static String messageId(DripWebhook webhook) {
        String input = String.join("|",
                orEmpty(webhook.eventName()),
                orEmpty(webhook.accountId()),
                orEmpty(webhook.subscriberText("id")),
                orEmpty(webhook.occurredAt()),
                orEmpty(webhook.propertyText("delivery_id")),
                orEmpty(webhook.propertyText("url")));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(UTF_8));
            return "drip-" + HEX.formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * The email events carry the email's id, subject and delivery (and the link for a click); an
     * unsubscribe carries nothing. Forwarded events carry Drip's properties as they are.
     */
    private static Map<String, Object> properties(DripWebhook webhook) {
        String dripEvent = webhook.eventName();
        if (!isEmailEvent(dripEvent)) {
            return new LinkedHashMap<>(webhook.properties());
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        if (UNSUBSCRIBED_ALL.equals(dripEvent)) {
            return properties;
        }
        for (String name : EMAIL_PROPERTIES) {
            putIfPresent(properties, name, webhook.properties().get(name));
        }
        if (CLICKED_EMAIL.equals(dripEvent)) {
            putIfPresent(properties, "link_url", webhook.properties().get("url"));
        }
        return properties;
    }

    private static Map<String, Object> context(DripWebhook webhook) {
        Map<String, Object> context = new LinkedHashMap<>();
        Map<String, Object> integration = new LinkedHashMap<>();
        // The mark the intake and the Kamelet read to skip Drip's own events (SkipRules.cameFromDrip).
        integration.put("name", SkipRules.DRIP_INTEGRATION);
        context.put("integration", integration);
        String email = webhook.subscriberText("email");
        if (email != null) {
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("email", email);
            context.put("traits", traits);
        }
        if (CLICKED_EMAIL.equals(webhook.eventName())) {
            // The click's own IP and browser, from data.properties; data.subscriber holds the
            // ones Drip saw when the subscriber was created.
            putIfPresent(context, "ip", webhook.properties().get("ip_address"));
            putIfPresent(context, "userAgent", webhook.properties().get("user_agent"));
        }
        return context;
    }

    private static void putIfPresent(Map<String, Object> target, String name, Object value) {
        if (value != null) {
            target.put(name, value);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
