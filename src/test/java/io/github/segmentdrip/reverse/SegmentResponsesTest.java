package io.github.segmentdrip.reverse;

import io.github.segmentdrip.outbox.SegmentOutboxRow;
import io.github.segmentdrip.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** segment.md §3: what each answer of Segment's {@code /v1/batch} makes delivery do. */
class SegmentResponsesTest {

    private final ManualClock clock = new ManualClock();
    private final SegmentResponses responses = new SegmentResponses(Duration.ofSeconds(5), clock);
    private final SegmentRequest request = new SegmentRequest(List.of(
            new SegmentOutboxRow(1, "drip-1", "a@example.com", "{}", "{}", 0, 0, false)));

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204})
    void twoHundredsAreSuccess(int status) {
        assertThatCode(() -> responses.check(request, status, null, "{\"success\":true}")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504, 408})
    void rateLimitsServerErrorsAndTimeoutsAreRetried(int status) {
        assertThatThrownBy(() -> responses.check(request, status, null, "oops"))
                .isInstanceOf(SegmentFailure.Retryable.class)
                .hasMessage("Segment answered " + status + " to POST /v1/batch of 1 event")
                .extracting(e -> ((SegmentFailure) e).getResponseBody()).isEqualTo("oops");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 413, 422, 501})
    void otherStatusesAreFinal(int status) {
        assertThatThrownBy(() -> responses.check(request, status, null, ""))
                .isInstanceOf(SegmentFailure.Rejected.class);
    }

    @Test
    void aRefusedWriteKeyPauses() {
        assertThatThrownBy(() -> responses.check(request, 401, null, ""))
                .isInstanceOf(SegmentFailure.Unauthorized.class);
    }

    @Test
    void retryAfterIsWaitedInRouteUpToTheLongestRedeliveryDelayThenDurably() {
        assertThat(responses.redeliveryDelay(429, "2")).isEqualTo(2000L);
        assertThat(responses.redeliveryDelay(503, "5")).isEqualTo(5000L);
        assertThat(responses.redeliveryDelay(429, "6")).isNull();
        assertThat(responses.redeliveryDelay(429, null)).isNull();
        assertThat(responses.redeliveryDelay(400, "2")).isNull();
        assertThat(responses.redeliveryDelay(200, "2")).isNull();

        assertThatThrownBy(() -> responses.check(request, 429, "2", ""))
                .isInstanceOf(SegmentFailure.Retryable.class)
                .extracting(e -> ((SegmentFailure) e).getRetryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> responses.check(request, 429, "60", ""))
                .isInstanceOf(SegmentFailure.Deferred.class)
                .hasMessageEndingWith("retry after 60s")
                .extracting(e -> ((SegmentFailure) e).getRetryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(SegmentResponses.retryAfter("1", clock.instant())).isEqualTo(Duration.ofSeconds(1));
        assertThat(SegmentResponses.retryAfter(" 0 ", clock.instant())).isEqualTo(Duration.ZERO);
        assertThat(SegmentResponses.retryAfter("-3", clock.instant())).isEqualTo(Duration.ZERO);
        // ManualClock: 2024-06-05T12:00:00Z
        assertThat(SegmentResponses.retryAfter("Wed, 05 Jun 2024 12:00:30 GMT", clock.instant()))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(SegmentResponses.retryAfter("Wed, 05 Jun 2024 11:00:00 GMT", clock.instant())).isEqualTo(Duration.ZERO);
        assertThat(SegmentResponses.retryAfter("soon", clock.instant())).isNull();
        assertThat(SegmentResponses.retryAfter("", clock.instant())).isNull();
        assertThat(SegmentResponses.retryAfter("99999999999", clock.instant())).isEqualTo(Duration.ofDays(1));
    }
}
