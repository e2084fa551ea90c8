package io.github.segmentdrip.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged service refuses to start on a bad e-commerce setting, and says which property. */
class BadSettingsStopTheStartIT {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource({
            "drip.shopper-activity, wishlists",
            "drip.shopper-activity.provider, My Store",
            "drip.shopper-activity.keep-events, maybe",
            "drip.shopper-activity.cart-url, https://shop.example.com/cart" })
    void aBadShopperActivitySettingStopsTheStartNamingTheProperty(String property, String value) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(Map.of("quarkus.http.host", "127.0.0.1",
                "drip.data-dir", dataDir.toString(), "drip.shopper-activity", "orders"));
        config.put(property, value);
        ServiceProcess service = new ServiceProcess(config);
        int exit = service.startExpectingExit(Duration.ofSeconds(60));
        assertThat(exit).isNotZero();
        assertThat(service.log()).contains(property);
    }
}
