package io.github.segmentdrip.segment;

import io.github.segmentdrip.mapping.CampaignResolver;
import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.mapping.TrackTransformer;
import io.github.segmentdrip.mapping.TraitsTransformer;
import io.github.segmentdrip.outbox.DripWork;

import java.util.Map;

/**
 * The steps the {@code route-by-type} router calls for each message: identify through the
 * {@link TraitsTransformer}, track through the {@link TrackTransformer} (which applies the
 * {@link ConversionValue}), everything else counted as skipped. Each step records its outcome on
 * the request's {@link io.github.segmentdrip.segment.Intake}; nothing is stored yet.
 */
public class DripWorkFactory {

    private static final System.Logger LOG = System.getLogger(DripWorkFactory.class.getName());

    private final TraitsTransformer traits;
    private final TrackTransformer track;
    private final String defaultCampaignId;

    public DripWorkFactory(TraitsTransformer traits, TrackTransformer track, String defaultCampaignId) {
        this.traits = traits;
        this.track = track;
        this.defaultCampaignId = defaultCampaignId;
    }

    public void subscriber(IntakeItem item) {
        Mapped mapped = traits.toSubscriber(item.getEvent());
        String email = (String) mapped.payload().get("email");
        String campaign = CampaignResolver.campaignFor(item.getEvent(), defaultCampaignId).orElse(null);
        report(item, mapped);
        item.getIntake().accept(new DripWork(DripWork.Kind.SUBSCRIBER, email, campaign, mapped.payload(), item.getEvent()));
    }

    /**
     * The Drip event of a track call; none when a Shopper Activity record stands in for it
     * ({@link IntakeItem#isCustomEventWanted}), so the router needs no filter of its own.
     */
    public void event(IntakeItem item) {
        if (!item.isCustomEventWanted()) {
            return;
        }
        Mapped mapped = track.toEvent(item.getEvent(), item.getIntake().getReceivedAt());
        String email = (String) mapped.payload().get("email");
        report(item, mapped);
        item.getIntake().accept(new DripWork(DripWork.Kind.EVENT, email, null, mapped.payload(), item.getEvent()));
    }

    /**
     * Sends any call (a page, a screen…) to Drip as an event with the given name, for routes that
     * extend the router: {@code method: "eventNamed(${body}, 'Viewed ${body.event[name]}')"}.
     */
    public void eventNamed(IntakeItem item, String eventName) {
        Map<String, Object> asTrack = new java.util.LinkedHashMap<>(item.getEvent());
        asTrack.put("type", "track");
        asTrack.put("event", eventName);
        Mapped mapped = track.toEvent(asTrack, item.getIntake().getReceivedAt());
        report(item, mapped);
        item.getIntake().accept(new DripWork(DripWork.Kind.EVENT, (String) mapped.payload().get("email"), null,
                mapped.payload(), item.getEvent()));
    }

    public void skip(IntakeItem item) {
        item.getIntake().skip(item);
    }

    /** A message the transformers refused: reported to the sender, and dead-lettered if the request is accepted. */
    public void reject(IntakeItem item, Exception cause) {
        if (cause instanceof MappingException refused) {
            item.getIntake().refuse(item, refused.error(), refused.field());
        } else {
            item.getIntake().refuse(item, "unprocessable event", null);
        }
    }

    private static void report(IntakeItem item, Mapped mapped) {
        for (String warning : mapped.warnings()) {
            item.getIntake().warn(item, warning);
            LOG.log(System.Logger.Level.DEBUG, () -> "message " + messageId(item.getEvent()) + ": " + warning);
        }
    }

    private static Object messageId(Map<String, Object> event) {
        return event.getOrDefault("messageId", "(no messageId)");
    }

}
