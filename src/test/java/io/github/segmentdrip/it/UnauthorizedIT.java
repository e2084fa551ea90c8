package io.github.segmentdrip.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UnauthorizedTest}'s assertions against the packaged jar. */
@QuarkusIntegrationTest
class UnauthorizedIT extends UnauthorizedTest {
}
