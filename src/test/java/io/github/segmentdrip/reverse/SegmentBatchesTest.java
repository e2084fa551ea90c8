package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SegmentBatchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SENT_AT = Instant.parse("2024-06-05T11:44:40Z");
    private static final int LIMIT = 500 * 1024;

    private final SegmentBatches batches = new SegmentBatches();

    @Test
    void bodyJoinsTheEventsAsTheyAre() throws Exception {
        String body = SegmentBatches.body(List.of("{\"type\":\"track\",\"event\":\"A\"}", "{\"type\":\"track\"}"),
                SENT_AT);

        assertThat(body).isEqualTo("{\"batch\":[{\"type\":\"track\",\"event\":\"A\"},{\"type\":\"track\"}],"
                + "\"sentAt\":\"2024-06-05T11:44:40.000Z\"}");
        JsonNode parsed = JSON.readTree(body);
        assertThat(parsed.path("batch")).hasSize(2);
    }

    @Test
    void theEnvelopeHasAFixedSize() {
        assertThat(SegmentBatches.ENVELOPE_BYTES).isEqualTo(48);
        assertThat(SegmentBatches.body(List.of(), Instant.parse("2024-06-05T11:44:40.123456789Z")))
                .isEqualTo("{\"batch\":[],\"sentAt\":\"2024-06-05T11:44:40.123Z\"}")
                .hasSize(SegmentBatches.ENVELOPE_BYTES);
    }

    @Test
    void noEventsNoBatches() {
        assertThat(batches.plan(List.of())).isEmpty();
    }

    @Test
    void atMost2500EventsPerBatch() {
        List<String> events = Collections.nCopies(5001, "{\"type\":\"track\"}");

        List<List<Integer>> plan = batches.plan(events);

        assertThat(plan).extracting(List::size).containsExactly(2500, 2500, 1);
        assertThat(plan.get(1).get(0)).isEqualTo(2500);
        assertThat(plan.get(2)).containsExactly(5000);
    }

    @Test
    void atMost500KilobytesPerBodyEnvelopeIncluded() {
        // 1,000-byte events: 48 + 1,000n + (n − 1) commas ≤ 512,000 → n = 511.
        List<String> events = Collections.nCopies(1200, event(1000));

        List<List<String>> split = batches.split(events);

        assertThat(split).extracting(List::size).containsExactly(511, 511, 178);
        for (List<String> batch : split) {
            assertThat(bytes(batch)).isLessThanOrEqualTo(LIMIT).isEqualTo(SegmentBatches.bodyBytes(batch));
        }
        List<String> oneMore = new ArrayList<>(split.get(0));
        oneMore.add(event(1000));
        assertThat(bytes(oneMore)).isGreaterThan(LIMIT);
    }

    @Test
    void aBodyOfExactly500KilobytesFits() {
        // Two events filling the body to the byte: 48 + a + 1 + b = 512,000.
        String first = event(256_000);
        String second = event(LIMIT - SegmentBatches.ENVELOPE_BYTES - 1 - 256_000);

        assertThat(batches.plan(List.of(first, second))).containsExactly(List.of(0, 1));
        assertThat(bytes(List.of(first, second))).isEqualTo(LIMIT);

        String oneByteMore = event(LIMIT - SegmentBatches.ENVELOPE_BYTES - 256_000);
        assertThat(batches.plan(List.of(first, oneByteMore))).containsExactly(List.of(0), List.of(1));
    }

    @Test
    void anOversizeEventGoesAloneAndHoldsNothingBack() {
        String small = event(100);
        String huge = event(LIMIT + 10);

        assertThat(batches.plan(List.of(small, small, huge, small, small)))
                .containsExactly(List.of(0, 1), List.of(2), List.of(3, 4));
        assertThat(batches.plan(List.of(huge, huge))).containsExactly(List.of(0), List.of(1));
        assertThat(SegmentBatches.tooLarge(huge)).isTrue();
        assertThat(SegmentBatches.tooLarge(event(32 * 1024))).isFalse();
        assertThat(SegmentBatches.tooLarge(event(32 * 1024 + 1))).isTrue();
    }

    @Test
    void sizesAreCountedInUtf8Bytes() {
        // "é" is 2 bytes, "€" 3, "😀" 4 (a surrogate pair): 1,000 characters can be 4,000 bytes.
        String text = "{\"e\":\"" + "😀".repeat(1000) + "é€\"}";

        assertThat(SegmentBatches.utf8Length(text)).isEqualTo(text.getBytes(UTF_8).length);
        List<String> events = Collections.nCopies(200, text);
        for (List<String> batch : batches.split(events)) {
            assertThat(bytes(batch)).isLessThanOrEqualTo(LIMIT);
        }
        assertThat(batches.plan(events)).hasSizeGreaterThan(1);
    }

    @Test
    void randomSizesAlwaysFitAndKeepTheirOrder() {
        Random random = new Random(42);
        List<String> events = IntStream.range(0, 3000)
                .mapToObj(i -> "{\"i\":" + i + ",\"p\":\"" + "x".repeat(random.nextInt(2000)) + "\"}")
                .toList();

        List<List<Integer>> plan = batches.plan(events);

        assertThat(plan.stream().flatMap(List::stream).toList())
                .isEqualTo(IntStream.range(0, 3000).boxed().toList());
        for (List<Integer> batch : plan) {
            List<String> chosen = batch.stream().map(events::get).toList();
            assertThat(bytes(chosen)).isLessThanOrEqualTo(LIMIT);
            assertThat(chosen).hasSizeLessThanOrEqualTo(2500);
        }
    }

    @Test
    void smallerLimitsCanBeConfiguredButNotLargerOnes() {
        SegmentBatches small = new SegmentBatches(2, 1000);

        assertThat(small.plan(Collections.nCopies(5, "{}"))).extracting(List::size).containsExactly(2, 2, 1);
        assertThatThrownBy(() -> new SegmentBatches(2501, LIMIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentBatches(10, LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentBatches(0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentBatches(10, SegmentBatches.ENVELOPE_BYTES))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A JSON object of exactly {@code size} bytes. */
    private static String event(int size) {
        String prefix = "{\"p\":\"";
        String suffix = "\"}";
        return prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
    }

    private static int bytes(List<String> batch) {
        return SegmentBatches.body(batch, SENT_AT).getBytes(UTF_8).length;
    }
}
