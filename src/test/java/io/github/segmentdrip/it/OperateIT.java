package io.github.segmentdrip.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OperateTest}'s assertions against the packaged jar: health, metrics and the admin API as shipped. */
@QuarkusIntegrationTest
class OperateIT extends OperateTest {
}
