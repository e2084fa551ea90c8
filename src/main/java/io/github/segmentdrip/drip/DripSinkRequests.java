package io.github.segmentdrip.drip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.segment.SegmentRequestParser;
import io.github.segmentdrip.segment.SkipRules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
    private final ObjectMapper json = SegmentRequestParser.boundedMapper();

    /**
     * @param accountId         the Drip account, as in {@code /v2/{account}/…}
     * @param defaultCampaignId the campaign every identified person joins; blank for none
     */
    public DripSinkRequests(String accountId, String defaultCampaignId) {
        this(new TraitsTransformer(), new TrackTransformer(new ConversionValue()), Clock.systemUTC(), accountId,
                defaultCampaignId);
    }

    public DripSinkRequests(TraitsTransformer traits, TrackTransformer track, Clock clock, String accountId,
            String defaultCampaignId) {
        if (accountId == null || accountId.isBlank()) {
            throw new IllegalArgumentException("the Drip account id is required");
        }
        this.traits = traits;
        this.track = track;
        this.clock = clock;
        this.accountId = accountId.strip();
        this.defaultCampaignId = defaultCampaignId == null || defaultCampaignId.isBlank() ? null : defaultCampaignId.strip();
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
        String base = "/v2/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8);
        if ("identify".equals(message.get("type"))) {
            Mapped subscriber = report(traits.toSubscriber(message));
            List<DripRequest> requests = new ArrayList<>();
            requests.add(request(base + "/subscribers", Map.of("subscribers", List.of(subscriber.payload()))));
            CampaignResolver.campaignFor(message, defaultCampaignId).ifPresent(campaign -> {
                // mapping.md: the campaign call carries the email, and the user id when known.
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("email", subscriber.payload().get("email"));
                if (subscriber.payload().get("user_id") != null) {
                    record.put("user_id", subscriber.payload().get("user_id"));
                }
                requests.add(request(base + "/campaigns/" + URLEncoder.encode(campaign, StandardCharsets.UTF_8)
                        + "/subscribers", Map.of("subscribers", List.of(record))));
            });
            return requests;
        }
        Mapped dripEvent = report(track.toEvent(message, clock.instant()));
        return List.of(request(base + "/events", Map.of("events", List.of(dripEvent.payload()))));
    }

    private DripRequest request(String path, Map<String, Object> body) {
        try {
            return new DripRequest(path, json.writeValueAsString(body), List.of(), false, 1);
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
