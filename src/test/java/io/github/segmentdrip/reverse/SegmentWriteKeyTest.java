package io.github.segmentdrip.reverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentWriteKeyTest {

    @Test
    void basicAuthWithTheKeyAsUserAndAnEmptyPassword() {
        // Segment HTTP API docs: abc123 → Basic YWJjMTIzOg==
        assertThat(new SegmentWriteKey("abc123").authorization()).isEqualTo("Basic YWJjMTIzOg==");
        assertThat(new SegmentWriteKey(" abc123\n").authorization()).isEqualTo("Basic YWJjMTIzOg==");
    }

    @Test
    void neverShowsTheKey() {
        SegmentWriteKey key = new SegmentWriteKey("s3cr3t-write-key");

        assertThat(key.toString()).doesNotContain("s3cr3t").isEqualTo("SegmentWriteKey[****]");
        assertThat(String.valueOf(key)).doesNotContain("s3cr3t");
    }

    @Test
    void aMissingKeyIsAllowedUntilUsed() {
        SegmentWriteKey key = new SegmentWriteKey("  ");

        assertThat(key.isPresent()).isFalse();
        assertThat(new SegmentWriteKey(null).isPresent()).isFalse();
        assertThat(key.toString()).isEqualTo("SegmentWriteKey[not set]");
        assertThatThrownBy(key::authorization).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segment.write-key");
    }
}
