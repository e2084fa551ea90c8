package io.github.segmentdrip.segment;

import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.testing.ManualClock;
import io.github.segmentdrip.testing.Outboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The intake's commit step, on a real SQLite outbox. */
class IntakeCommitTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private Outboxes outboxes;

    @BeforeEach
    void open() {
        outboxes = Outboxes.sqlite(dir.resolve("outbox.db"), clock);
    }

    @AfterEach
    void close() {
        outboxes.close();
    }

    @Test
    void aSingleCallWithARefusedMessageIsA400AndStoresNothing() {
        Intake intake = new SegmentRequestParser(clock).trackingApi("identify",
                "{\"userId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        intake.reject(intake.getItems().get(0), "missing email", "traits.email");
        assertThatThrownBy(() -> outboxes.store(intake)).isInstanceOfSatisfying(RequestRefused.class, refused -> {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.getField()).isEqualTo("traits.email");
        }).hasMessage("missing email");
        assertThat(outboxes.drip.depth()).isZero();
        assertThat(outboxes.deadLetters.count()).isZero();
    }

    @Test
    void aBatchKeepsItsRefusedMessagesAsDeadLetters() {
        Intake intake = new SegmentRequestParser(clock).trackingApi("batch",
                "{\"batch\":[{\"type\":\"track\",\"userId\":\"x\"}]}".getBytes(StandardCharsets.UTF_8));
        intake.refuse(intake.getItems().get(0), "missing email", "properties.email");
        outboxes.store(intake);
        assertThat(outboxes.deadLetters.list(null, 10)).singleElement().satisfies(dead -> {
            assertThat(dead.kind()).isEqualTo("INTAKE");
            assertThat(dead.reason()).isEqualTo("missing email (batch[0].properties.email)");
            assertThat(dead.event()).contains("\"userId\":\"x\"");
        });
    }

    @Test
    void preparedRowsHoldTheRequestWhileItWaitsAndTheParsedMessagesAreLetGo() {
        Intake intake = new SegmentRequestParser(clock).trackingApi("batch", ("{\"batch\":["
                + "{\"type\":\"track\",\"messageId\":\"m-1\",\"event\":\"A\",\"properties\":{\"email\":\"a@example.com\"}},"
                + "{\"type\":\"track\",\"messageId\":\"m-2\",\"event\":\"B\",\"properties\":{\"email\":\"b@example.com\"}},"
                + "{\"type\":\"track\",\"event\":\"C\"}]}").getBytes(StandardCharsets.UTF_8));
        DripWorkFactory router = new DripWorkFactory(new io.github.segmentdrip.mapping.TraitsTransformer(),
                new io.github.segmentdrip.mapping.TrackTransformer(new io.github.segmentdrip.mapping.ConversionValue()), null);
        router.event(intake.getItems().get(0));
        router.event(intake.getItems().get(1));
        intake.refuse(intake.getItems().get(2), "missing email", "properties.email");

        outboxes.prepare(intake);
        assertThat(intake.getItems()).isEmpty();
        assertThat(intake.getReceived()).isEqualTo(3);
        assertThat(intake.getAccepted()).extracting(work -> work.record(), work -> work.event())
                .containsOnly(org.assertj.core.groups.Tuple.tuple(null, null));
        assertThat(intake.getRejected()).singleElement().satisfies(refused -> {
            assertThat(refused.event()).isNull();
            assertThat(refused.field()).isEqualTo("batch[2].properties.email");
        });

        outboxes.store(intake);
        assertThat(outboxes.drip.depth()).isEqualTo(2);
        assertThat(outboxes.deadLetters.list(null, 10)).singleElement()
                .satisfies(dead -> assertThat(dead.event()).contains("\"event\":\"C\""));
    }

    @Test
    void aPreparedRepeatIsDroppedByItsPosition() {
        byte[] body = ("{\"batch\":[{\"type\":\"track\",\"messageId\":\"m-1\",\"event\":\"A\","
                + "\"properties\":{\"email\":\"a@example.com\"}}]}").getBytes(StandardCharsets.UTF_8);
        DripWorkFactory router = new DripWorkFactory(new io.github.segmentdrip.mapping.TraitsTransformer(),
                new io.github.segmentdrip.mapping.TrackTransformer(new io.github.segmentdrip.mapping.ConversionValue()), null);
        Intake first = new SegmentRequestParser(clock).trackingApi("batch", body);
        router.event(first.getItems().get(0));
        outboxes.store(first);
        Intake again = new SegmentRequestParser(clock).trackingApi("batch", body);
        router.event(again.getItems().get(0));
        outboxes.prepare(again);
        outboxes.store(again);
        assertThat(again.getAccepted()).isEmpty();
        assertThat(again.getDeduplicated()).isEqualTo(1);
        assertThat(outboxes.drip.depth()).isEqualTo(1);
    }
}
