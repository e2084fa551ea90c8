package io.github.segmentdrip.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SecurityTest}'s assertions against the packaged jar. */
@QuarkusIntegrationTest
class SecurityIT extends SecurityTest {
}
