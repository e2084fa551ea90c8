package io.github.segmentdrip.segment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyticsJsPathsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            // analytics-next segmentio/index.ts: `${remote}/${ctx.event.type.charAt(0)}`
            "t,  track",
            "i,  identify",
            "p,  page",
            "s,  screen",
            "g,  group",
            "a,  alias",
            // batched-dispatcher.ts: `https://${apiHost}/b`
            "b,  batch",
            "/t, track",
            "/b, batch",
    })
    void mapsEachShortPathToItsTrackingApiCall(String path, String call) {
        assertThat(AnalyticsJsPaths.callFor(path)).contains(call);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "/", "T", "x", "d", "track", "tr", "v1/t", "/v1/t", "t/", "//t"})
    void knowsNothingElse(String path) {
        assertThat(AnalyticsJsPaths.callFor(path)).isEmpty();
    }
}
