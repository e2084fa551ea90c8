package io.github.segmentdrip.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DeliveryOutcomes;
import io.github.segmentdrip.drip.DeliveryWatchdog;
import io.github.segmentdrip.drip.DripAccount;
import io.github.segmentdrip.drip.DripBudget;
import io.github.segmentdrip.drip.DripBudgetGate;
import io.github.segmentdrip.drip.DripDispatcher;
import io.github.segmentdrip.drip.DripResponses;
import io.github.segmentdrip.ecommerce.ShopperActivitySettings;
import io.github.segmentdrip.http.RefusalBodies;
import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.mapping.TrackTransformer;
import io.github.segmentdrip.mapping.TraitsTransformer;
import io.github.segmentdrip.outbox.CartStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.RateBudgetStore;
import io.github.segmentdrip.outbox.RetrySchedule;
import io.github.segmentdrip.outbox.SeenMessages;
import io.github.segmentdrip.segment.DripWorkFactory;
import io.github.segmentdrip.segment.IntakeAuth;
import io.github.segmentdrip.segment.IntakeCommit;
import io.github.segmentdrip.segment.IntakeResponses;
import io.github.segmentdrip.segment.IntakeWorkerFailures;
import io.github.segmentdrip.segment.IntakeWriteKeys;
import io.github.segmentdrip.segment.RequestBodies;
import io.github.segmentdrip.segment.SegmentRequestParser;
import io.github.segmentdrip.segment.SegmentRouteHeader;
import io.github.segmentdrip.segment.ShopperActivityWork;
import io.github.segmentdrip.segment.WebhookSignature;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Quarkus wiring of the plain beans the routes call by name. Everything here is construction from
 * configuration; the same beans are declared in YAML when the routes run on plain Camel Main.
 */
public class DestinationBeans {

    private static final Logger LOG = Logger.getLogger(DestinationBeans.class);

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    @Produces
    @Singleton
    @Named("dripAccount")
    DripAccount dripAccount(DripSettings settings) {
        return new DripAccount(settings.accountId().orElse(null), settings.apiToken().orElse(null));
    }

    @Produces
    @Singleton
    @Named("segmentRequests")
    SegmentRequestParser segmentRequests() {
        return new SegmentRequestParser(clock);
    }

    @Produces
    @Singleton
    @Named("requestBodies")
    RequestBodies requestBodies() {
        return new RequestBodies();
    }

    @Produces
    @Singleton
    @Named("intakeAuth")
    IntakeAuth intakeAuth(@ConfigProperty(name = "segment.write-keys") Optional<String> writeKeys,
            @ConfigProperty(name = "segment.shared-secret") Optional<String> sharedSecret) {
        return new IntakeAuth(new IntakeWriteKeys(writeKeys.orElse(null)), new WebhookSignature(sharedSecret.orElse(null)));
    }

    @Produces
    @Singleton
    @Named("intakeResponses")
    IntakeResponses intakeResponses() {
        return new IntakeResponses();
    }

    @Produces
    @Singleton
    @Named("refusalBodies")
    RefusalBodies refusalBodies() {
        return new RefusalBodies();
    }

    @Produces
    @Singleton
    @Named("dripWork")
    DripWorkFactory dripWork(DripSettings settings) {
        return new DripWorkFactory(new TraitsTransformer(), new TrackTransformer(new ConversionValue()),
                settings.campaignId().orElse(null));
    }

    @Produces
    @Singleton
    @Named("intakeWorkerFailures")
    IntakeWorkerFailures intakeWorkerFailures() {
        return new IntakeWorkerFailures();
    }

    @Produces
    @Singleton
    @Named("segmentRouteHeader")
    SegmentRouteHeader segmentRouteHeader() {
        return new SegmentRouteHeader();
    }

    @Produces
    @Singleton
    @Named("intakeCommit")
    IntakeCommit intakeCommit(GroupCommit groupCommit) {
        return new IntakeCommit(groupCommit, json);
    }

    @Produces
    @Singleton
    @Named("shopperActivitySettings")
    ShopperActivitySettings shopperActivitySettings(DripSettings settings) {
        DripSettings.ShopperActivity shop = settings.shopperActivity();
        return ShopperActivitySettings.parse(shop.activities().orElse(null), shop.provider(), shop.keepEvents(),
                shop.cartUrl().orElse(null));
    }

    @Produces
    @Singleton
    @Named("shopperActivity")
    ShopperActivityWork shopperActivity(ShopperActivitySettings settings, CartStore carts, SeenMessages seenMessages) {
        return new ShopperActivityWork(settings, carts, seenMessages);
    }

    @Produces
    @Singleton
    DripBudget dripBudget(DripSettings settings, RateBudgetStore store) {
        return new DripBudget(clock, store,
                settings.rateLimit().singleRequests(), settings.rateLimit().batchRequests(), settings.rateLimit().window());
    }

    @Produces
    @Singleton
    @Named("dripBudgetGate")
    DripBudgetGate dripBudgetGate(DripBudget budget) {
        return new DripBudgetGate(budget);
    }

    @Produces
    @Singleton
    @Named("deliveryGate")
    DeliveryGate deliveryGate(DripAccount account) {
        return new DeliveryGate(account);
    }

    @Produces
    @Singleton
    @Named("dripDispatcher")
    DripDispatcher dripDispatcher(DripOutbox outbox, DripBudget budget, DeliveryGate gate, DripAccount account,
            DripSettings settings) {
        return new DripDispatcher(outbox, budget, gate, account, json, clock, instanceName(),
                settings.delivery().lease(), settings.delivery().maxRequestsPerPoll());
    }

    @Produces
    @Singleton
    @Named("deliveryWatchdog")
    DeliveryWatchdog deliveryWatchdog(DripOutbox outbox, DripBudget budget, DeliveryGate gate, DripSettings settings) {
        return new DeliveryWatchdog(outbox, budget, gate, clock, settings.delivery().stallAfter());
    }

    @Produces
    @Singleton
    @Named("dripResponses")
    DripResponses dripResponses() {
        return new DripResponses();
    }

    @Produces
    @Singleton
    @Named("dripOutcomes")
    DeliveryOutcomes dripOutcomes(DripOutbox outbox, DripBudget budget, DeliveryGate gate, DripSettings settings) {
        DripSettings.Retry retry = settings.retry();
        return new DeliveryOutcomes(outbox, budget, gate, clock, new RetrySchedule(retry.firstDelay(),
                retry.multiplier(), retry.maxDelay(), retry.maxAttempts(), retry.maxAge()));
    }

    /** Injecting the settings here makes a bad drip.shopper-activity* value stop the start, naming the property. */
    void announce(@Observes StartupEvent start, DripAccount account, DripSettings settings, IntakeAuth auth,
            ShopperActivitySettings shopperActivity) {
        if (shopperActivity.enabled()) {
            LOG.infof("Shopper Activity on: %s", shopperActivity);
        }
        if (auth.isOpen()) {
            LOG.warn("Intake is open: neither segment.write-keys nor segment.shared-secret is set, so anyone who can "
                    + "reach this service can send events (see docs/security.md)");
        }
        if (!account.isConfigured()) {
            LOG.warn("Drip credentials not set: events are accepted and stored, delivery is paused until "
                    + "DRIP_ACCOUNT_ID and DRIP_API_TOKEN are set");
        } else if (account.tokenLooksUnusual()) {
            LOG.warn("drip.api-token does not look like Drip's documented 20 alphanumerics; using it anyway");
        }
        LOG.infof("Delivering to Drip at %s as %s", settings.baseUrl(), account);
    }

    /**
     * On SIGTERM: let the delivery route finish the requests it is sending (graceful route stop),
     * then hand back what this instance claimed but did not send, so nothing waits for its lease.
     */
    void releaseClaims(@Observes ShutdownEvent stop, DripDispatcher dispatcher, CamelContext camel) throws Exception {
        if (camel.getRoute("drip-delivery") != null) {
            camel.getRouteController().stopRoute("drip-delivery");
        }
        int released = dispatcher.releaseClaims();
        if (released > 0) {
            LOG.infof("Released %d outbox row(s) this instance had claimed but not sent", released);
        }
    }

    /** Names this instance's outbox claims, so a claim's owner can be told apart in the database. */
    private static String instanceName() {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
