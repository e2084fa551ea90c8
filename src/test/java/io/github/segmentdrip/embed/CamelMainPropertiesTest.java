package io.github.segmentdrip.embed;

import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** camel-main/drip.properties as a Camel user's own properties override it. */
class CamelMainPropertiesTest {

    @Test
    void theOutboundWriteKeysOldNameStillWorks() throws Exception {
        assertThat(resolve("segment.write-key", "old-name-key", "segment.tracking-api.write-key")).isEqualTo("old-name-key");
        assertThat(resolve("segment.tracking-api.write-key", "new-name-key", "segment.tracking-api.write-key"))
                .isEqualTo("new-name-key");
        // The intake's keys are another property, untouched by either.
        assertThat(resolve("segment.write-key", "old-name-key", "segment.write-keys")).isEmpty();
    }

    /** {@code wanted} with the packaged defaults and one property of the user's, as Camel Main resolves it. */
    private static String resolve(String userKey, String userValue, String wanted) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            // As in CamelMainEmbedTest: the service's application.properties (MicroProfile Config) stays out.
            PropertiesComponent properties = new PropertiesComponent();
            properties.setAutoDiscoverPropertiesSources(false);
            properties.setLocation("classpath:camel-main/drip.properties");
            Properties user = new Properties();
            user.setProperty(userKey, userValue);
            properties.setOverrideProperties(user);
            camel.setPropertiesComponent(properties);
            return camel.resolvePropertyPlaceholders("{{" + wanted + "}}");
        }
    }
}
