package io.github.segmentdrip.reverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrackingApiWriteKeyTest {

    @Test
    void basicAuthWithTheKeyAsUserAndAnEmptyPassword() {
        // Segment HTTP API docs: abc123 → Basic YWJjMTIzOg==
        assertThat(new TrackingApiWriteKey("abc123").authorization()).isEqualTo("Basic YWJjMTIzOg==");
        assertThat(new TrackingApiWriteKey(" abc123\n").authorization()).isEqualTo("Basic YWJjMTIzOg==");
    }

    @Test
    void neverShowsTheKey() {
        TrackingApiWriteKey key = new TrackingApiWriteKey("s3cr3t-write-key");

        assertThat(key.toString()).doesNotContain("s3cr3t").isEqualTo("TrackingApiWriteKey[****]");
        assertThat(String.valueOf(key)).doesNotContain("s3cr3t");
    }

    @Test
    void aMissingKeyIsAllowedUntilUsed() {
        TrackingApiWriteKey key = new TrackingApiWriteKey("  ");

        assertThat(key.isPresent()).isFalse();
        assertThat(new TrackingApiWriteKey(null).isPresent()).isFalse();
        assertThat(key.toString()).isEqualTo("TrackingApiWriteKey[not set]");
        assertThatThrownBy(key::authorization).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segment.tracking-api.write-key");
    }
}
