package io.github.segmentdrip.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignResolverTest {

    @Test
    void theCallsOwnCampaignIdWins() {
        Map<String, Object> event = Map.of("integrations", Map.of("Drip", Map.of("campaignId", "1234")));
        assertThat(CampaignResolver.campaignFor(event, "9999")).contains("1234");
    }

    @Test
    void numbersAreRenderedWithoutFraction() {
        assertThat(CampaignResolver.campaignFor(drip(Map.of("campaignId", 1234)), null)).contains("1234");
        assertThat(CampaignResolver.campaignFor(drip(Map.of("campaignId", 1234.0)), null)).contains("1234");
        assertThat(CampaignResolver.campaignFor(drip(Map.of("campaignId", 9876543210L)), null)).contains("9876543210");
    }

    @Test
    void stringsAreTrimmed() {
        assertThat(CampaignResolver.campaignFor(drip(Map.of("campaignId", " 1234 ")), null)).contains("1234");
    }

    @Test
    void fallsBackToTheSetting() {
        assertThat(CampaignResolver.campaignFor(Map.of(), "9999")).contains("9999");
        assertThat(CampaignResolver.campaignFor(drip(Map.of("campaignId", "  ")), "9999")).contains("9999");
        assertThat(CampaignResolver.campaignFor(drip(Map.of("campaignId", true)), "9999")).contains("9999");
        assertThat(CampaignResolver.campaignFor(drip(Map.of()), "9999")).contains("9999");
        assertThat(CampaignResolver.campaignFor(Map.of("integrations", Map.of("All", true)), " 9999 ")).contains("9999");
    }

    @Test
    void aBooleanDripFlagIsOnlyRoutingAndIgnored() {
        assertThat(CampaignResolver.campaignFor(Map.of("integrations", Map.of("Drip", true)), "9999")).contains("9999");
        assertThat(CampaignResolver.campaignFor(Map.of("integrations", Map.of("Drip", false)), null)).isEmpty();
        assertThat(CampaignResolver.campaignFor(Map.of("integrations", "Drip"), null)).isEmpty();
    }

    @Test
    void noCampaignAtAll() {
        assertThat(CampaignResolver.campaignFor(Map.of(), null)).isEmpty();
        assertThat(CampaignResolver.campaignFor(Map.of(), "")).isEmpty();
        assertThat(CampaignResolver.campaignFor(Map.of(), "   ")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void samplesWithoutDripOptionsUseTheSetting() throws IOException {
        Map<String, Object> engage = new ObjectMapper().readValue(
                Path.of("../shared/reference/samples/segment-in/identify-address-engage-audience.composed.json").toFile(),
                LinkedHashMap.class);
        assertThat(CampaignResolver.campaignFor(engage, "9999")).contains("9999");
        assertThat(CampaignResolver.campaignFor(engage, null)).isEmpty();
    }

    private static Map<String, Object> drip(Map<String, Object> options) {
        return Map.of("integrations", Map.of("All", true, "Drip", options));
    }
}
