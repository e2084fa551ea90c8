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
}
