package io.github.segmentdrip.drip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.ecommerce.OrderTransformer;
import io.github.segmentdrip.ecommerce.ProductViewTransformer;
import io.github.segmentdrip.ecommerce.ShopperActivitySettings;
import io.github.segmentdrip.mapping.CampaignResolver;
import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.mapping.SkipRules;
import io.github.segmentdrip.mapping.StrictJson;
import io.github.segmentdrip.mapping.TrackTransformer;
import io.github.segmentdrip.mapping.TraitsTransformer;
import io.github.segmentdrip.outbox.DripWork;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Segment event → the Drip calls that deliver it, for the {@code drip-sink} Kamelet: the
 * same mapping as the service ({@link TraitsTransformer}, {@link TrackTransformer} with
 * {@link ConversionValue}, {@link CampaignResolver}), without the outbox. identify is an upsert,
 * then the campaign subscription when a campaign applies (mapping.md); track is one event; every
 * other type, and events that came from Drip, need no call (an empty list).
 */
public class DripSinkRequests {

    private static final System.Logger LOG = System.getLogger(DripSinkRequests.class.getName());
    private static final TypeReference<LinkedHashMap<String, Object>> EVENT = new TypeReference<>() {
    };

    private final TraitsTransformer traits;
    private final TrackTransformer track;
    private final Clock clock;
    private final String accountId;
    private final String defaultCampaignId;
    private final ShopperActivitySettings shopperActivity;
    private final OrderTransformer orders;
    private final ProductViewTransformer productViews = new ProductViewTransformer();
    private final ObjectMapper json = StrictJson.mapper();

    /**
     * @param accountId         the Drip account, as in {@link DripEndpoints}' paths
     * @param defaultCampaignId the campaign every identified person joins; blank for none
     */
    public DripSinkRequests(String accountId, String defaultCampaignId) {
        this(accountId, defaultCampaignId, null, null, null);
    }

    /**
     * With Shopper Activity: {@code shopperActivity} lists {@code orders} and / or
     * {@code product-views} as {@code drip.shopper-activity} does. Carts are not offered: a cart
     * record needs the cart's kept items, which only the service (with its database) has.
     *
     * @throws IllegalArgumentException a bad value, or {@code carts}, naming the Kamelet property
     */
    public DripSinkRequests(String accountId, String defaultCampaignId, String shopperActivity, String provider,
            String keepEvents) {
        this(new TraitsTransformer(), new TrackTransformer(new ConversionValue()), Clock.systemUTC(), accountId,
                defaultCampaignId, sinkSettings(shopperActivity, provider, keepEvents));
    }

    public DripSinkRequests(TraitsTransformer traits, TrackTransformer track, Clock clock, String accountId,
            String defaultCampaignId, ShopperActivitySettings shopperActivity) {
        if (accountId == null || accountId.isBlank()) {
            throw new IllegalArgumentException("the Drip account id is required");
        }
        this.traits = traits;
        this.track = track;
        this.clock = clock;
        this.accountId = accountId.strip();
        this.defaultCampaignId = defaultCampaignId == null || defaultCampaignId.isBlank() ? null : defaultCampaignId.strip();
        this.shopperActivity = shopperActivity;
        this.orders = new OrderTransformer(shopperActivity);
    }

    private static ShopperActivitySettings sinkSettings(String activities, String provider, String keepEvents) {
        ShopperActivitySettings settings;
        try {
            settings = ShopperActivitySettings.parse(activities, provider, keepEvents, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("drip-sink Kamelet: " + e.getMessage()
                    .replace(ShopperActivitySettings.ACTIVITIES_PROPERTY, "shopperActivity"), e);
        }
        if (settings.carts()) {
            throw new IllegalArgumentException("drip-sink Kamelet: shopperActivity cannot list carts: a cart record "
                    + "carries the whole cart, which only the service keeps; use orders and product-views");
        }
        return settings;
    }

    /**
     * @param event a Segment event: a JSON object as text, bytes or stream, or already a map
     * @return the requests to send in order; empty when Drip has no call for the event
     * @throws MappingException when the event cannot become a Drip call (no email, no event name)
     */
    public List<DripRequest> requestsFor(Object event) {
        Map<String, Object> message = read(event);
        Optional<String> skipped = SkipRules.skipReason(message);
        if (skipped.isPresent()) {
            LOG.log(System.Logger.Level.DEBUG, "Segment event not sent to Drip: {0}", skipped.get());
            return List.of();
        }
        String account = URLEncoder.encode(accountId, StandardCharsets.UTF_8);
        if ("identify".equals(SkipRules.typeOf(message))) {
            Mapped subscriber = report(traits.toSubscriber(message));
            List<DripRequest> requests = new ArrayList<>();
            requests.add(request(DripWork.Kind.SUBSCRIBER, DripEndpoints.single(DripWork.Kind.SUBSCRIBER, account),
                    subscriber.payload()));
            CampaignResolver.campaignFor(message, defaultCampaignId).ifPresent(campaign -> {
                // mapping.md: the campaign call carries the email, and the user id when known.
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("email", subscriber.payload().get("email"));
                if (subscriber.payload().get("user_id") != null) {
                    record.put("user_id", subscriber.payload().get("user_id"));
                }
                requests.add(request(DripWork.Kind.CAMPAIGN, DripEndpoints.campaignSubscribers(account,
                        URLEncoder.encode(campaign, StandardCharsets.UTF_8)), record));
            });
            return requests;
        }
        Instant now = clock.instant();
        String eventName = message.get("event") instanceof String name ? name.strip() : "";
        List<DripRequest> requests = new ArrayList<>();
        Optional<String> action = shopperActivity.orders() ? OrderTransformer.defaultAction(eventName) : Optional.empty();
        if (action.isPresent()) {
            try {
                Mapped order = report(orders.toOrder(message, action.get(), now));
                requests.add(request(DripWork.Kind.ORDER, DripEndpoints.single(DripWork.Kind.ORDER, account),
                        order.payload()));
            } catch (MappingException refused) {
                if (!shopperActivity.keepEvents()) {
                    throw refused;
                }
                LOG.log(System.Logger.Level.WARNING, "no order record for Drip: {0} ({1}); the event is still sent",
                        refused.error(), refused.field());
            }
        }
        if (shopperActivity.productViews() && ProductViewTransformer.SEGMENT_EVENT.equals(eventName)) {
            Mapped view = report(productViews.toEvent(message, now));
            requests.add(request(DripWork.Kind.EVENT, DripEndpoints.single(DripWork.Kind.EVENT, account), view.payload()));
        }
        if (requests.isEmpty() || shopperActivity.keepEvents()) {
            Mapped dripEvent = report(track.toEvent(message, now));
            requests.add(0, request(DripWork.Kind.EVENT, DripEndpoints.single(DripWork.Kind.EVENT, account),
                    dripEvent.payload()));
        }
        return requests;
    }

    /** One record of {@code kind}, wrapped as its endpoint takes it ({@link DripEndpoints#singleBody}). */
    private DripRequest request(DripWork.Kind kind, String path, Map<String, Object> record) {
        try {
            String body = DripEndpoints.singleBody(kind, json.writeValueAsString(record));
            return new DripRequest(path, body, List.of(), false, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> read(Object event) {
        if (event instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(String.valueOf(key), value));
            return copy;
        }
        try {
            if (event instanceof byte[] bytes) {
                return json.readValue(bytes, EVENT);
            }
            if (event instanceof InputStream stream) {
                return json.readValue(stream, EVENT);
            }
            if (event instanceof CharSequence text) {
                return json.readValue(text.toString(), EVENT);
            }
        } catch (JsonProcessingException e) {
            throw new MappingException("not a JSON object: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new MappingException("not a Segment event: " + (event == null ? "empty body" : event.getClass().getName()),
                null);
    }

    private static Mapped report(Mapped mapped) {
        mapped.warnings().forEach(warning -> LOG.log(System.Logger.Level.DEBUG, warning));
        return mapped;
    }
}
