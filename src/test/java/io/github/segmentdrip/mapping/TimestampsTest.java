package io.github.segmentdrip.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            // Spec: ISO-8601 UTC with milliseconds
            "2012-12-02T00:30:08.276Z       | 2012-12-02T00:30:08.276Z",
            // Engage: nanoseconds
            "2024-05-03T19:42:50.066179717Z | 2024-05-03T19:42:50.066179717Z",
            // HTTP API docs' batch example: single-digit month
            "2015-2-02T00:30:08.276Z        | 2015-02-02T00:30:08.276Z",
            "2015-2-2T0:30:8Z               | 2015-02-02T00:30:08Z",
            // offsets, in every form
            "2024-06-05T13:44:40+02:00      | 2024-06-05T11:44:40Z",
            "2024-06-05T13:44:40.5+0200     | 2024-06-05T11:44:40.500Z",
            "2024-06-05T06:44:40-05         | 2024-06-05T11:44:40Z",
            // no zone: UTC
            "2024-06-05T11:44:40            | 2024-06-05T11:44:40Z",
            "2024-06-05T11:44:40.123        | 2024-06-05T11:44:40.123Z",
            "2024-06-05 11:44:40            | 2024-06-05T11:44:40Z",
            "2024-06-05T11:44               | 2024-06-05T11:44:00Z",
            "2024-06-05                     | 2024-06-05T00:00:00Z",
            "'  2024-06-05T11:44:40Z  '     | 2024-06-05T11:44:40Z",
            // more than nine fraction digits: cut, not refused
            "2024-06-05T11:44:40.1234567891Z | 2024-06-05T11:44:40.123456789Z",
            // region ids and RFC 1123
            "2024-06-05T13:44:40+02:00[Europe/Paris] | 2024-06-05T11:44:40Z",
            "'Wed, 5 Jun 2024 11:44:40 GMT' | 2024-06-05T11:44:40Z",
    })
    void parsesTheShapesSegmentMessagesCarry(String text, String expected) {
        assertThat(Timestamps.parse(text)).contains(Instant.parse(expected));
    }

    @Test
    void readsNumbersAsEpochMilliseconds() {
        Instant expected = Instant.parse("2024-06-05T11:44:40.184Z");
        assertThat(Timestamps.parse(1717587880184L)).contains(expected);
        assertThat(Timestamps.parse(1717587880184.0)).contains(expected);
        assertThat(Timestamps.parse(new BigDecimal("1717587880184"))).contains(expected);
        assertThat(Timestamps.parse(0)).contains(Instant.EPOCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "yesterday", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
            "2024-06-05T25:00:00Z", "2024-06-05T11:44:40+25:00", "2024/06/05 11:44", "1717587880184",
            "2024-06-05T11:44:40Z trailing"})
    void unreadableTextIsEmptyNeverAnException(String text) {
        assertThat(Timestamps.parse(text)).isEmpty();
    }

    @Test
    void otherTypesAreEmpty() {
        assertThat(Timestamps.parse(null)).isEmpty();
        assertThat(Timestamps.parse(true)).isEmpty();
        assertThat(Timestamps.parse(Map.of("at", "2024-06-05"))).isEmpty();
        assertThat(Timestamps.parse(List.of("2024-06-05"))).isEmpty();
        assertThat(Timestamps.parse(Double.NaN)).isEmpty();
        assertThat(Timestamps.parse(Long.MAX_VALUE)).isEmpty();
        assertThat(Timestamps.parse(253402300800000L)).as("year 10000").isEmpty();
        assertThat(Timestamps.parse(253402300799999L)).contains(Instant.parse("9999-12-31T23:59:59.999Z"));
    }

    @Test
    void formatsAsUtcWithMillisecondsOnlyWhenThereAreSome() {
        assertThat(Timestamps.format(Instant.parse("2024-06-05T11:44:40Z"))).isEqualTo("2024-06-05T11:44:40Z");
        assertThat(Timestamps.format(Instant.parse("2024-06-05T11:44:40.123Z"))).isEqualTo("2024-06-05T11:44:40.123Z");
        assertThat(Timestamps.format(Instant.parse("2024-06-05T11:44:40.100Z"))).isEqualTo("2024-06-05T11:44:40.100Z");
        assertThat(Timestamps.format(Instant.parse("2024-05-03T19:42:50.066179717Z")))
                .isEqualTo("2024-05-03T19:42:50.066Z");
        assertThat(Timestamps.format(Instant.parse("2024-05-03T19:42:50.000999Z"))).isEqualTo("2024-05-03T19:42:50Z");
    }
}
