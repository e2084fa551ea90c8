package io.github.segmentdrip.it;

import io.github.segmentdrip.ecommerce.OrderTransformer;
import io.github.segmentdrip.ecommerce.ShopperActivitySettings;
import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.mapping.TrackTransformer;
import io.github.segmentdrip.mapping.TraitsTransformer;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.testing.Outboxes;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a service that comes back to a backlog of 20,000 mixed records for 2,000 people (per
 * person two identifies, five tracks and three orders, interleaved as they would arrive), mapped by
 * the service's own transformers and stored before the application starts. With the resource
 * argument {@code test.backlog=events}: 20,000 track events of 20,000 people instead; with
 * {@code test.backlog=repeated-identifies}: 6,000 people identified three times each, one person's
 * identifies next to each other (18,000 upserts, 6,000 records once merged).
 */
public class MixedBacklogResource extends DripEmulatorResource {

    public static final int PEOPLE = 2000;
    public static final int IDENTIFIES = 2;
    public static final int TRACKS = 5;
    public static final int ORDERS = 3;
    public static final int EVENTS_ONLY = 20_000;
    public static final int IDENTIFIED_PEOPLE = 6000;
    public static final int IDENTIFIES_EACH = 3;

    private String backlog;

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(initArgs);
        backlog = initArgs.getOrDefault("test.backlog", "mixed");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try (Outboxes outbox = Outboxes.sqlite(Path.of(config.get("drip.data-dir")).resolve("outbox.db"),
                Clock.systemUTC())) {
            store(outbox);
        }
        return config;
    }

    private void store(Outboxes outbox) {
        TraitsTransformer traits = new TraitsTransformer();
        TrackTransformer tracks = new TrackTransformer(new ConversionValue());
        OrderTransformer orders = new OrderTransformer(ShopperActivitySettings.parse("orders", "my_store", null, null));
        Instant now = Instant.now();
        if (backlog.equals("repeated-identifies")) {
            Intake intake = new Intake("/v1/batch", false, now);
            for (int person = 0; person < IDENTIFIED_PEOPLE; person++) {
                String email = "regular" + person + "@example.com";
                for (int visit = 0; visit < IDENTIFIES_EACH; visit++) {
                    Map<String, Object> message = new LinkedHashMap<>(Map.of("type", "identify", "userId", "u" + person,
                            "traits", Map.of("email", email, "visits", visit)));
                    intake.accept(new DripWork(DripWork.Kind.SUBSCRIBER, email, null,
                            traits.toSubscriber(message).payload(), message));
                }
            }
            outbox.store(intake);
            return;
        }
        if (backlog.equals("events")) {
            Intake intake = new Intake("/v1/batch", false, now);
            for (int n = 0; n < EVENTS_ONLY; n++) {
                String email = "b" + n + "@example.com";
                Map<String, Object> message = new LinkedHashMap<>(Map.of("type", "track", "event", "Backlog",
                        "userId", email, "properties", Map.of("n", n)));
                intake.accept(new DripWork(DripWork.Kind.EVENT, email, null, tracks.toEvent(message, now).payload(),
                        message));
            }
            outbox.store(intake);
            return;
        }
        for (int step = 0; step < IDENTIFIES + TRACKS + ORDERS; step++) {
            Intake intake = new Intake("/v1/batch", false, now);
            for (int person = 0; person < PEOPLE; person++) {
                String email = "shopper" + person + "@example.com";
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("userId", "u" + person);
                if (step < IDENTIFIES) {
                    message.put("type", "identify");
                    message.put("traits", Map.of("email", email, "visits", step));
                    intake.accept(new DripWork(DripWork.Kind.SUBSCRIBER, email, null,
                            traits.toSubscriber(message).payload(), message));
                } else if (step < IDENTIFIES + TRACKS) {
                    message.put("type", "track");
                    message.put("event", "Viewed Page " + step);
                    message.put("properties", Map.of("email", email));
                    intake.accept(new DripWork(DripWork.Kind.EVENT, email, null, tracks.toEvent(message, now).payload(),
                            message));
                } else {
                    message.put("type", "track");
                    message.put("event", "Order Completed");
                    message.put("properties", Map.of("email", email, "order_id", "o-" + person + "-" + step,
                            "total", 20 + step, "products", List.of(Map.of("name", "Boots", "price", 20 + step))));
                    intake.accept(new DripWork(DripWork.Kind.ORDER, email, null,
                            orders.toOrder(message, "placed", now).payload(), message));
                }
            }
            outbox.store(intake);
        }
    }
}
