package io.github.segmentdrip.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SegmentToDripTest}'s assertions against the packaged jar. */
@QuarkusIntegrationTest
class SegmentToDripIT extends SegmentToDripTest {
}
