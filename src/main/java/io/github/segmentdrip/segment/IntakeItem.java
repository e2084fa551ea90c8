package io.github.segmentdrip.segment;

import io.github.segmentdrip.mapping.SkipRules;

import java.util.Map;

/**
 * One Segment message of a request, on its way through the content-based router. The router's
 * branches record what became of it: Drip work, a skip, or a rejection.
 */
public final class IntakeItem {

    private final int index;
    private final Map<String, Object> event;
    private final Intake intake;
    private boolean rejected;
    private boolean duplicate;
    private boolean customEventReplaced;

    IntakeItem(int index, Map<String, Object> event, Intake intake) {
        this.index = index;
        this.event = event;
        this.intake = intake;
    }

    public int getIndex() {
        return index;
    }

    public Map<String, Object> getEvent() {
        return event;
    }

    public boolean isRejected() {
        return rejected;
    }

    void markRejected() {
        rejected = true;
    }

    public boolean isDuplicate() {
        return duplicate;
    }

    void markDuplicate() {
        duplicate = true;
    }

    /** Segment's messageId, the deduplication key; null when absent (never a duplicate then). */
    public String getMessageId() {
        return messageIdOf(event);
    }

    /** Segment's messageId of a message; null when absent or blank. */
    public static String messageIdOf(Map<String, Object> event) {
        Object id = event.get("messageId");
        if (id instanceof String text) {
            return text.isBlank() ? null : text;
        }
        return id instanceof Number number ? number.toString() : null;
    }

    /** The track call's event name, trimmed; empty for other calls. The e-commerce choice reads it. */
    public String getEventName() {
        return event.get("event") instanceof String name ? name.strip() : "";
    }

    /**
     * A Shopper Activity record stands in for the custom event ({@code drip.shopper-activity.keep-events=false}):
     * the router then sends no Drip event for this message.
     */
    public void replaceCustomEvent() {
        customEventReplaced = true;
    }

    /** Whether the router still sends this track call as a Drip event. */
    public boolean isCustomEventWanted() {
        return !rejected && !customEventReplaced && !duplicate;
    }

    public Intake getIntake() {
        return intake;
    }

    /** The Segment call type, trimmed and lower case ({@link SkipRules#typeOf}); the router's choice reads it. */
    public String getType() {
        return SkipRules.typeOf(event);
    }

    /**
     * What the router branches on: the call type ({@link #getType}), or {@code from-drip} for a
     * message that came back from Drip ({@link #isFromDrip}). Read once per message into a header,
     * so the choice compares strings instead of calling the bean once per branch.
     */
    public String getRoute() {
        return isFromDrip() ? FROM_DRIP : getType();
    }

    /** The route of Drip's own email events coming back through Segment: never sent back to Drip. */
    public static final String FROM_DRIP = "from-drip";

    /**
     * Whether the message came back from Drip through Segment ({@link SkipRules#cameFromDrip}):
     * the router skips it, so that connecting both directions to one Segment source cannot loop.
     */
    public boolean isFromDrip() {
        return SkipRules.cameFromDrip(event);
    }
}
