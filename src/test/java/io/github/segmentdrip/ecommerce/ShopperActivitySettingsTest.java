package io.github.segmentdrip.ecommerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.segmentdrip.ecommerce.ShopperActivitySettings.Activity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ShopperActivitySettingsTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "  ", ",", " , " })
    void anEmptyListTurnsShopperActivityOff(String activities) {
        ShopperActivitySettings settings = ShopperActivitySettings.parse(activities, null, null, null);

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.orders()).isFalse();
        assertThat(settings.carts()).isFalse();
        assertThat(settings.productViews()).isFalse();
        assertThat(settings.activities()).isEmpty();
    }

    @Test
    void offByDefaultWithProviderSegmentKeepingEventsAndNoCartUrl() {
        ShopperActivitySettings settings = ShopperActivitySettings.off();

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.provider()).isEqualTo("segment");
        assertThat(settings.keepEvents()).isTrue();
        assertThat(settings.cartUrlTemplate()).isEmpty();
        assertThat(settings.cartUrl("c1")).isEmpty();
    }

    @Test
    void eachListedActivityIsOnAndOnlyThose() {
        assertThat(ShopperActivitySettings.parse("orders", null, null, null).activities())
                .containsExactly(Activity.ORDERS);
        ShopperActivitySettings two = ShopperActivitySettings.parse(" carts , product-views ", null, null, null);

        assertThat(two.carts()).isTrue();
        assertThat(two.productViews()).isTrue();
        assertThat(two.orders()).isFalse();
        assertThat(two.enabled()).isTrue();
        assertThat(ShopperActivitySettings.parse("orders,carts,product-views,orders", null, null, null).activities())
                .containsExactlyInAnyOrder(Activity.ORDERS, Activity.CARTS, Activity.PRODUCT_VIEWS);
    }

    @ParameterizedTest
    @ValueSource(strings = { "order", "orders,refunds", "product_views", "all" })
    void anUnknownActivityIsRefusedNamingTheProperty(String activities) {
        assertThatThrownBy(() -> ShopperActivitySettings.parse(activities, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("drip.shopper-activity:")
                .hasMessageContaining("orders, carts, product-views");
    }

    @ParameterizedTest
    @ValueSource(strings = { "my_store", "shopify", "store2", "my_custom_platform" })
    void aLowerSnakeCaseProviderIsTaken(String provider) {
        assertThat(ShopperActivitySettings.parse("orders", " " + provider + " ", null, null).provider())
                .isEqualTo(provider);
    }

    @ParameterizedTest
    @ValueSource(strings = { "My Store", "MyStore", "my-store", "_store", "store_", "my__store", "2store", "sêgment" })
    void aProviderThatIsNotLowerSnakeCaseIsRefusedNamingTheProperty(String provider) {
        assertThatThrownBy(() -> ShopperActivitySettings.parse("orders", provider, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("drip.shopper-activity.provider must be lower snake case");
    }

    @Test
    void keepEventsReadsTrueOrFalse() {
        assertThat(ShopperActivitySettings.parse("orders", null, "false", null).keepEvents()).isFalse();
        assertThat(ShopperActivitySettings.parse("orders", null, " FALSE ", null).keepEvents()).isFalse();
        assertThat(ShopperActivitySettings.parse("orders", null, "true", null).keepEvents()).isTrue();
        assertThat(ShopperActivitySettings.parse("orders", null, "", null).keepEvents()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "no", "0", "yes please" })
    void keepEventsOtherThanTrueOrFalseIsRefusedNamingTheProperty(String keepEvents) {
        assertThatThrownBy(() -> ShopperActivitySettings.parse("orders", null, keepEvents, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("drip.shopper-activity.keep-events must be true or false");
    }

    @Test
    void theCartUrlTemplateGetsTheCartIdPercentEncoded() {
        ShopperActivitySettings settings = ShopperActivitySettings.parse("carts", null, null,
                "https://shop.example.com/cart/{cart_id}?utm_source=drip");

        assertThat(settings.cartUrlTemplate()).hasValue("https://shop.example.com/cart/{cart_id}?utm_source=drip");
        assertThat(settings.cartUrl("c-123")).hasValue("https://shop.example.com/cart/c-123?utm_source=drip");
        assertThat(settings.cartUrl("ann@example.com")).hasValue("https://shop.example.com/cart/ann%40example.com?utm_source=drip");
        assertThat(settings.cartUrl("a b/c")).hasValue("https://shop.example.com/cart/a%20b%2Fc?utm_source=drip");
    }

    @Test
    void aCartUrlWithoutThePlaceholderIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> ShopperActivitySettings.parse("carts", null, null, "https://shop.example.com/cart"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("drip.shopper-activity.cart-url must contain {cart_id}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/cart/{cart_id}", "ftp://shop.example.com/{cart_id}", "shop.example.com/{cart_id}",
        "https://shop example.com/{cart_id}" })
    void aCartUrlThatIsNotAnAbsoluteHttpUrlIsRefusedNamingTheProperty(String cartUrl) {
        assertThatThrownBy(() -> ShopperActivitySettings.parse("carts", null, null, cartUrl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("drip.shopper-activity.cart-url");
    }
}
