package io.github.segmentdrip.config;

import io.github.segmentdrip.admin.AdminAuth;
import io.github.segmentdrip.admin.DeadLetterAdmin;
import io.github.segmentdrip.mapping.CampaignResolver;
import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DeliveryOutcomes;
import io.github.segmentdrip.drip.DeliveryThreads;
import io.github.segmentdrip.drip.DeliveryWatchdog;
import io.github.segmentdrip.drip.DripAccount;
import io.github.segmentdrip.drip.DripBudget;
import io.github.segmentdrip.drip.DripBudgetGate;
import io.github.segmentdrip.drip.DripDispatcher;
import io.github.segmentdrip.drip.DripFailure;
import io.github.segmentdrip.drip.DripRequest;
import io.github.segmentdrip.drip.DripResponses;
import io.github.segmentdrip.drip.DripSinkRequests;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.segment.DripWorkFactory;
import io.github.segmentdrip.mapping.EmailResolver;
import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.outbox.RetrySchedule;
import io.github.segmentdrip.mapping.SubscriberCoalescer;
import io.github.segmentdrip.mapping.TrackTransformer;
import io.github.segmentdrip.mapping.TraitsTransformer;
import io.github.segmentdrip.ecommerce.CartRecord;
import io.github.segmentdrip.ecommerce.CartState;
import io.github.segmentdrip.ecommerce.CartTransformer;
import io.github.segmentdrip.ecommerce.OrderTransformer;
import io.github.segmentdrip.ecommerce.ProductViewTransformer;
import io.github.segmentdrip.ecommerce.ShopperActivitySettings;
import io.github.segmentdrip.segment.ShopperActivityWork;
import io.github.segmentdrip.drip.DripEndpoints;
import io.github.segmentdrip.outbox.CartStore;
import io.github.segmentdrip.outbox.StoredCart;
import io.github.segmentdrip.operate.DestinationMetrics;
import io.github.segmentdrip.operate.StatusHistory;
import io.github.segmentdrip.outbox.DeadLetter;
import io.github.segmentdrip.outbox.StandaloneOutboxDatabase;
import io.github.segmentdrip.outbox.OutboxException;
import io.github.segmentdrip.outbox.DripOutboxRow;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.RateBudgetStore;
import io.github.segmentdrip.outbox.SegmentOutboxRow;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.LeasedQueue;
import io.github.segmentdrip.outbox.RequestRows;
import io.github.segmentdrip.outbox.SeenMessages;
import io.github.segmentdrip.outbox.Transactions;
import io.github.segmentdrip.segment.IntakeCommit;
import io.github.segmentdrip.reverse.DripWebhook;
import io.github.segmentdrip.reverse.DripWebhookIntake;
import io.github.segmentdrip.reverse.SegmentBatches;
import io.github.segmentdrip.reverse.SegmentDispatcher;
import io.github.segmentdrip.reverse.SegmentEmailEvents;
import io.github.segmentdrip.reverse.SegmentFailure;
import io.github.segmentdrip.reverse.SegmentGate;
import io.github.segmentdrip.reverse.SegmentOutcomes;
import io.github.segmentdrip.reverse.SegmentRequest;
import io.github.segmentdrip.reverse.SegmentResponses;
import io.github.segmentdrip.reverse.TrackingApiWriteKey;
import io.github.segmentdrip.reverse.WebhookItem;
import io.github.segmentdrip.segment.AnalyticsJsPaths;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.IntakeAuth;
import io.github.segmentdrip.segment.IntakeItem;
import io.github.segmentdrip.http.RefusalBodies;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.segment.IntakeResponses;
import io.github.segmentdrip.segment.Rejected;
import io.github.segmentdrip.segment.RequestBodies;
import io.github.segmentdrip.segment.SegmentRequestParser;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.mapping.SkipRules;
import io.github.segmentdrip.mapping.StrictJson;
import io.github.segmentdrip.mapping.Timestamps;
import io.github.segmentdrip.segment.WebhookSignature;
import io.github.segmentdrip.segment.IntakeWriteKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every class of the service's own packages, registered for reflection in the native image: the
 * YAML routes reach beans, message bodies ({@code ${body.type}}) and exception classes (named in
 * {@code onException}) by reflection. Listed here so the domain classes stay free of Quarkus and run
 * unchanged on plain Camel Main; src/test/native/check_native_sources.py fails the build when a
 * class is missing.
 */
@RegisterForReflection(targets = {
        AdminAuth.class,
        DeadLetterAdmin.class,
        CampaignResolver.class,
        ConversionValue.class,
        DeliveryGate.class,
        DeliveryOutcomes.class,
        DeliveryThreads.class,
        DeliveryWatchdog.class,
        DripAccount.class,
        DripBudget.class,
        DripBudgetGate.class,
        DripDispatcher.class,
        DripFailure.class,
        DripRequest.class,
        DripResponses.class,
        DripSinkRequests.class,
        DripWork.class,
        DripWorkFactory.class,
        EmailResolver.class,
        Mapped.class,
        MappingException.class,
        RetrySchedule.class,
        SubscriberCoalescer.class,
        TrackTransformer.class,
        TraitsTransformer.class,
        CartRecord.class,
        CartState.class,
        CartTransformer.class,
        OrderTransformer.class,
        ProductViewTransformer.class,
        ShopperActivitySettings.class,
        ShopperActivitySettings.Activity.class,
        ShopperActivityWork.class,
        DripEndpoints.class,
        CartStore.class,
        StoredCart.class,
        DestinationMetrics.class,
        StatusHistory.class,
        DeadLetter.class,
        StandaloneOutboxDatabase.class,
        OutboxException.class,
        DripOutboxRow.class,
        DripOutbox.class,
        RateBudgetStore.class,
        SegmentOutboxRow.class,
        SegmentOutbox.class,
        DeadLetterStore.class,
        GroupCommit.class,
        LeasedQueue.class,
        RequestRows.class,
        SeenMessages.class,
        Transactions.class,
        IntakeCommit.class,
        SqlDialect.class,
        DripWebhook.class,
        DripWebhookIntake.class,
        SegmentBatches.class,
        SegmentDispatcher.class,
        SegmentEmailEvents.class,
        SegmentFailure.class,
        SegmentGate.class,
        SegmentOutcomes.class,
        SegmentRequest.class,
        SegmentResponses.class,
        TrackingApiWriteKey.class,
        WebhookItem.class,
        AnalyticsJsPaths.class,
        Intake.class,
        IntakeAuth.class,
        IntakeItem.class,
        RequestRefused.class,
        RefusalBodies.class,
        IntakeResponses.class,
        Rejected.class,
        RequestBodies.class,
        SegmentRequestParser.class,
        SkipRules.class,
        SegmentLimits.class,
        StrictJson.class,
        Timestamps.class,
        WebhookSignature.class,
        IntakeWriteKeys.class,
        DripWork.Kind.class,
        DripFailure.Retryable.class,
        DripFailure.RateLimited.class,
        DripFailure.Paused.class,
        DripFailure.Unauthorized.class,
        DripFailure.Rejected.class,
        SegmentFailure.Retryable.class,
        SegmentFailure.Deferred.class,
        SegmentFailure.Paused.class,
        SegmentFailure.Unauthorized.class,
        SegmentFailure.Rejected.class },
        // Package-private helper of the ecommerce mappings: named, since it cannot be referenced here.
        classNames = { "io.github.segmentdrip.ecommerce.ShopperFields" })
public final class NativeReflection {
    private NativeReflection() {
    }
}
