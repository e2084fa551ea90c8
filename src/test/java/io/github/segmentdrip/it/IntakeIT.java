package io.github.segmentdrip.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link IntakeTest}'s assertions against the packaged jar. */
@QuarkusIntegrationTest
class IntakeIT extends IntakeTest {
}
