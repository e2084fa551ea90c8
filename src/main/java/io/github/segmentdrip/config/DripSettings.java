package io.github.segmentdrip.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Optional;

/** Typed view of the {@code drip.*} properties in application.properties (documented in docs/configuration.md). */
@ConfigMapping(prefix = "drip")
public interface DripSettings {

    Optional<String> accountId();

    Optional<String> apiToken();

    Optional<String> campaignId();

    /** The secret in the URL Drip posts its webhooks to (the reverse path); unset turns that endpoint off. */
    Optional<String> webhookToken();

    String baseUrl();

    String userAgent();

    /** Read by the routes: where the route files are loaded from. */
    String routesDir();

    /** Read by the routes: the dead-letter channel's endpoint. */
    String deadLetterUri();

    String dataDir();

    Database database();

    Delivery delivery();

    Redelivery redelivery();

    Retry retry();

    RateLimit rateLimit();

    ShopperActivity shopperActivity();

    interface Database {
        /** A {@code jdbc:postgresql:} URL switches the outbox from the embedded SQLite file to PostgreSQL. */
        Optional<String> url();

        Optional<String> username();

        Optional<String> password();

        /** Read by the SQLite JDBC URL: how long a writer waits for another writer's lock, in milliseconds. */
        long busyTimeout();

        /** Read by both datasources: how long a caller waits for a pooled connection. */
        Duration acquisitionTimeout();
    }

    interface Delivery {
        /** Read by the routes: the outbox polling period in milliseconds. */
        long pollInterval();

        int maxRequestsPerPoll();

        Duration lease();

        /** Rows due, room in the budget, no pause, and no request to Drip for this long: a stall (DeliveryWatchdog). */
        Duration stallAfter();

        /** Read by the routes: how often the watchdog looks, in milliseconds. */
        long stallCheckInterval();
    }

    /** Read by the routes: the in-process redelivery policy of calls to Drip. */
    interface Redelivery {
        int maximumRedeliveries();

        long delay();

        double multiplier();

        long maximumDelay();
    }

    interface Retry {
        Duration firstDelay();

        double multiplier();

        Duration maxDelay();

        int maxAttempts();

        Duration maxAge();
    }

    interface RateLimit {
        @WithDefault("3600")
        int singleRequests();

        @WithDefault("50")
        int batchRequests();

        @WithDefault("PT1H")
        Duration window();
    }

    /** mapping.md "E-commerce → Drip Shopper Activity"; validated by ShopperActivitySettings at start. */
    interface ShopperActivity {
        /** {@code drip.shopper-activity} itself: orders, carts, product-views, comma-separated; empty: off. */
        @WithParentName
        Optional<String> activities();

        @WithDefault("segment")
        String provider();

        /** Kept as text so a wrong value is refused by ShopperActivitySettings with the property's name. */
        @WithDefault("true")
        String keepEvents();

        Optional<String> cartUrl();

        /** How long a cart nobody touches is kept. */
        @WithDefault("P30D")
        Duration cartExpiry();
    }
}
