package io.github.segmentdrip.mapping;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Which Drip campaign an identified person is subscribed to: the call's own
 * {@code integrations.Drip.campaignId} (how Segment's classic Drip destination let one call pick
 * a campaign), else the {@code drip.campaign-id} setting. No campaign → no campaign call.
 */
public final class CampaignResolver {

    private CampaignResolver() {
    }

    public static Optional<String> campaignFor(Map<String, Object> event, String defaultCampaignId) {
        return campaignOnTheCall(event).or(() -> nonBlank(defaultCampaignId));
    }

    private static Optional<String> campaignOnTheCall(Map<String, Object> event) {
        // integrations.Drip is usually a boolean routing flag ({"Drip": true}); only an object
        // carries options.
        if (event.get("integrations") instanceof Map<?, ?> integrations
                && integrations.get("Drip") instanceof Map<?, ?> drip) {
            Object campaignId = drip.get("campaignId");
            if (campaignId instanceof String text) {
                return nonBlank(text);
            }
            if (campaignId instanceof Number number) {
                return Optional.of(withoutTrailingZeros(number));
            }
        }
        return Optional.empty();
    }

    /** JSON numbers may arrive as doubles; a campaign id 1234.0 means campaign "1234". */
    private static String withoutTrailingZeros(Number number) {
        try {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException notFinite) {
            return number.toString();
        }
    }

    private static Optional<String> nonBlank(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }
}
