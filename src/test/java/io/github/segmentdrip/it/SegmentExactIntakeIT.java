package io.github.segmentdrip.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SegmentExactIntakeTest}'s assertions against the packaged jar: body decoding and parsing as shipped. */
@QuarkusIntegrationTest
class SegmentExactIntakeIT extends SegmentExactIntakeTest {
}
