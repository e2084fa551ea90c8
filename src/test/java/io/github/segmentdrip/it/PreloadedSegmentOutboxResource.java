package io.github.segmentdrip.it;

import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.Transactions;
import io.github.segmentdrip.testing.Outboxes;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Plays a service that stopped with Drip webhooks not yet sent to Segment: before the application
 * starts, its reverse outbox already holds three track calls, the first claimed by an instance
 * that died.
 */
public class PreloadedSegmentOutboxResource extends ReverseEmulatorsResource {

    public static String track(int i) {
        return "{\"type\":\"track\",\"event\":\"Email Opened\",\"userId\":\"left-" + i + "\",\"messageId\":\"drip-left-"
                + i + "\",\"timestamp\":\"2013-06-21T10:31:5" + i + "Z\",\"properties\":{},\"context\":{\"integration\":"
                + "{\"name\":\"drip\"}},\"integrations\":{\"Drip\":false}}";
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Path dataDir = Path.of(config.get("drip.data-dir"));
        SegmentOutbox outbox = new SegmentOutbox(new Transactions(Outboxes.migrated(
                Outboxes.sqliteFile(dataDir.resolve("outbox.db")), SqlDialect.SQLITE), SqlDialect.SQLITE), Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            outbox.enqueue("drip-left-" + i, "left" + i + "@example.com", track(i), "{\"event\":\"subscriber.opened_email\"}");
        }
        // The crashed instance's claim on the first row ran out a moment ago.
        outbox.claim(1, "crashed-instance", Duration.ofMillis(1));
        return config;
    }
}
