package io.github.segmentdrip.ecommerce;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The opt-in settings of mapping.md "E-commerce → Drip Shopper Activity": which activities are on,
 * the {@code provider} every record carries, whether the custom event is still sent, and the cart
 * URL template. Built from the raw property values, so Quarkus, Camel Main and Spring can all pass
 * them in as strings; a bad value fails at startup with the property's name in the message.
 */
public final class ShopperActivitySettings {

    public static final String ACTIVITIES_PROPERTY = "drip.shopper-activity";
    public static final String PROVIDER_PROPERTY = "drip.shopper-activity.provider";
    public static final String KEEP_EVENTS_PROPERTY = "drip.shopper-activity.keep-events";
    public static final String CART_URL_PROPERTY = "drip.shopper-activity.cart-url";

    public static final String DEFAULT_PROVIDER = "segment";
    public static final String CART_ID_PLACEHOLDER = "{cart_id}";

    /**
     * Drip docs (Order, Cart and Product Activity): "the identifier for the provider … in lower
     * snake cased form", e.g. {@code my_custom_platform}.
     */
    private static final Pattern LOWER_SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    /** What {@code drip.shopper-activity} can list. */
    public enum Activity {
        ORDERS("orders"),
        CARTS("carts"),
        PRODUCT_VIEWS("product-views");

        private final String propertyValue;

        Activity(String propertyValue) {
            this.propertyValue = propertyValue;
        }

        /** The spelling in {@code drip.shopper-activity}. */
        public String propertyValue() {
            return propertyValue;
        }

        static Optional<Activity> of(String value) {
            for (Activity activity : values()) {
                if (activity.propertyValue.equals(value)) {
                    return Optional.of(activity);
                }
            }
            return Optional.empty();
        }
    }

    private final Set<Activity> activities;
    private final String provider;
    private final boolean keepEvents;
    private final String cartUrlTemplate;

    private ShopperActivitySettings(Set<Activity> activities, String provider, boolean keepEvents,
            String cartUrlTemplate) {
        this.activities = activities;
        this.provider = provider;
        this.keepEvents = keepEvents;
        this.cartUrlTemplate = cartUrlTemplate;
    }

    /** Everything off: a classic setup. */
    public static ShopperActivitySettings off() {
        return parse(null, null, null, null);
    }

    /**
     * @param activities  {@code drip.shopper-activity}: comma list of {@code orders}, {@code carts},
     *                    {@code product-views}; null or blank turns Shopper Activity off
     * @param provider    {@code drip.shopper-activity.provider}; null or blank means {@code segment}
     * @param keepEvents  {@code drip.shopper-activity.keep-events}: {@code true} or {@code false};
     *                    null or blank means true
     * @param cartUrl     {@code drip.shopper-activity.cart-url}: an http(s) URL containing
     *                    {@code {cart_id}}; null or blank means none
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public static ShopperActivitySettings parse(String activities, String provider, String keepEvents,
            String cartUrl) {
        return new ShopperActivitySettings(activities(activities), provider(provider), keepEvents(keepEvents),
                cartUrlTemplate(cartUrl));
    }

    public boolean orders() {
        return activities.contains(Activity.ORDERS);
    }

    public boolean carts() {
        return activities.contains(Activity.CARTS);
    }

    public boolean productViews() {
        return activities.contains(Activity.PRODUCT_VIEWS);
    }

    /** Whether any Shopper Activity is on. */
    public boolean enabled() {
        return !activities.isEmpty();
    }

    public Set<Activity> activities() {
        return activities.isEmpty() ? Set.of() : Set.copyOf(activities);
    }

    /** Lower snake case, never from the event: Drip keys an order by provider + order_id. */
    public String provider() {
        return provider;
    }

    /**
     * Whether the custom Drip event for the same track call is still sent, so workflows triggered
     * by "Order Completed" keep working.
     */
    public boolean keepEvents() {
        return keepEvents;
    }

    public Optional<String> cartUrlTemplate() {
        return Optional.ofNullable(cartUrlTemplate);
    }

    /**
     * The template with {@code {cart_id}} replaced by the id, percent-encoded (an email used as
     * the cart key has an {@code @}; {@code %20} for spaces works in a path and in a query).
     * Empty without a template.
     */
    public Optional<String> cartUrl(String cartId) {
        Objects.requireNonNull(cartId, "cartId");
        if (cartUrlTemplate == null) {
            return Optional.empty();
        }
        String encoded = URLEncoder.encode(cartId, StandardCharsets.UTF_8).replace("+", "%20");
        return Optional.of(cartUrlTemplate.replace(CART_ID_PLACEHOLDER, encoded));
    }

    @Override
    public String toString() {
        return "ShopperActivitySettings[activities=" + activities + ", provider=" + provider
                + ", keepEvents=" + keepEvents + ", cartUrl=" + cartUrlTemplate + "]";
    }

    private static Set<Activity> activities(String value) {
        Set<Activity> activities = EnumSet.noneOf(Activity.class);
        if (value == null || value.isBlank()) {
            return activities;
        }
        for (String part : value.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            activities.add(Activity.of(name).orElseThrow(() -> new IllegalArgumentException(
                    ACTIVITIES_PROPERTY + ": unknown value '" + part.strip()
                            + "'; use a comma list of orders, carts, product-views, or leave it empty")));
        }
        return activities;
    }

    private static String provider(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PROVIDER;
        }
        String provider = value.strip();
        if (!LOWER_SNAKE_CASE.matcher(provider).matches()) {
            throw new IllegalArgumentException(PROVIDER_PROPERTY + " must be lower snake case (like my_store), got '"
                    + provider + "'");
        }
        return provider;
    }

    private static boolean keepEvents(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String flag = value.strip().toLowerCase(Locale.ROOT);
        if (flag.equals("true")) {
            return true;
        }
        if (flag.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException(KEEP_EVENTS_PROPERTY + " must be true or false, got '" + value.strip() + "'");
    }

    private static String cartUrlTemplate(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String template = value.strip();
        if (!template.contains(CART_ID_PLACEHOLDER)) {
            throw new IllegalArgumentException(CART_URL_PROPERTY + " must contain " + CART_ID_PLACEHOLDER
                    + " (for example https://shop.example.com/cart/{cart_id}), got '" + template + "'");
        }
        try {
            URI uri = new URI(template.replace(CART_ID_PLACEHOLDER, "x"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(CART_URL_PROPERTY
                        + " must be an absolute http or https URL (Drip links shoppers back to their cart), got '"
                        + template + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(CART_URL_PROPERTY + " is not a valid URL: '" + template + "'", e);
        }
        return template;
    }
}
