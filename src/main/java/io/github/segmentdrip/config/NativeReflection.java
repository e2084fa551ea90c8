package io.github.segmentdrip.config;

import io.github.segmentdrip.admin.AdminAuth;
import io.github.segmentdrip.admin.DeadLetterAdmin;
import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DeliveryOutcomes;
import io.github.segmentdrip.drip.DeliveryThreads;
import io.github.segmentdrip.drip.DeliveryWatchdog;
import io.github.segmentdrip.drip.DripAccount;
import io.github.segmentdrip.drip.DripBudget;
import io.github.segmentdrip.drip.DripBudgetGate;
import io.github.segmentdrip.drip.DripDispatcher;
import io.github.segmentdrip.drip.DripEndpoints;
import io.github.segmentdrip.drip.DripFailure;
import io.github.segmentdrip.drip.DripRequest;
import io.github.segmentdrip.drip.DripResponses;
import io.github.segmentdrip.drip.DripSinkRequests;
import io.github.segmentdrip.ecommerce.CartRecord;
import io.github.segmentdrip.ecommerce.CartState;
import io.github.segmentdrip.ecommerce.CartTransformer;
import io.github.segmentdrip.ecommerce.OrderTransformer;
import io.github.segmentdrip.ecommerce.ProductViewTransformer;
import io.github.segmentdrip.ecommerce.ShopperActivitySettings;
import io.github.segmentdrip.http.RefusalBodies;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.mapping.CampaignResolver;
import io.github.segmentdrip.mapping.ConversionValue;
import io.github.segmentdrip.mapping.EmailResolver;
import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.mapping.SegmentLimits;
import io.github.segmentdrip.mapping.SkipRules;
import io.github.segmentdrip.mapping.StrictJson;
import io.github.segmentdrip.mapping.SubscriberCoalescer;
import io.github.segmentdrip.mapping.Timestamps;
import io.github.segmentdrip.mapping.TrackTransformer;
import io.github.segmentdrip.mapping.TraitsTransformer;
import io.github.segmentdrip.operate.DestinationMetrics;
import io.github.segmentdrip.operate.StatusHistory;
import io.github.segmentdrip.outbox.CartStore;
import io.github.segmentdrip.outbox.DeadLetter;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.DripOutboxRow;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.LeasedQueue;
import io.github.segmentdrip.outbox.OutboxException;
import io.github.segmentdrip.outbox.RateBudgetStore;
import io.github.segmentdrip.outbox.RequestRows;
import io.github.segmentdrip.outbox.RetrySchedule;
import io.github.segmentdrip.outbox.SeenMessages;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SegmentOutboxRow;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.StandaloneOutboxDatabase;
import io.github.segmentdrip.outbox.StoredCart;
import io.github.segmentdrip.outbox.Transactions;
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
import io.github.segmentdrip.segment.DripWorkFactory;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.IntakeAuth;
import io.github.segmentdrip.segment.IntakeCommit;
import io.github.segmentdrip.segment.IntakeItem;
import io.github.segmentdrip.segment.IntakeResponses;
import io.github.segmentdrip.segment.IntakeWorkerFailures;
import io.github.segmentdrip.segment.IntakeWriteKeys;
import io.github.segmentdrip.segment.Rejected;
import io.github.segmentdrip.segment.RequestBodies;
import io.github.segmentdrip.segment.SegmentRequestParser;
import io.github.segmentdrip.segment.SegmentRouteHeader;
import io.github.segmentdrip.segment.ShopperActivityWork;
import io.github.segmentdrip.segment.WebhookSignature;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every class of the service's own packages, registered for reflection in the native image: the
 * YAML routes reach beans, message bodies ({@code ${body.type}}) and exception classes (named in
 * {@code onException}) by reflection. Listed here so the domain classes stay free of Quarkus and run
 * unchanged on plain Camel Main; src/test/native/check_native_sources.py fails the build when a
 * class is missing.
 */
@RegisterForReflection(targets = {
        // admin
        AdminAuth.class,
        DeadLetterAdmin.class,
        // drip
        DeliveryGate.class,
        DeliveryOutcomes.class,
        DeliveryThreads.class,
        DeliveryWatchdog.class,
        DripAccount.class,
        DripBudget.class,
        DripBudgetGate.class,
        DripDispatcher.class,
        DripEndpoints.class,
        DripFailure.class,
        DripFailure.Paused.class,
        DripFailure.RateLimited.class,
        DripFailure.Rejected.class,
        DripFailure.Retryable.class,
        DripFailure.Unauthorized.class,
        DripRequest.class,
        DripResponses.class,
        DripSinkRequests.class,
        // ecommerce
        CartRecord.class,
        CartState.class,
        CartTransformer.class,
        OrderTransformer.class,
        ProductViewTransformer.class,
        ShopperActivitySettings.class,
        ShopperActivitySettings.Activity.class,
        // http
        RefusalBodies.class,
        RequestRefused.class,
        // mapping
        CampaignResolver.class,
        ConversionValue.class,
        EmailResolver.class,
        Mapped.class,
        MappingException.class,
        SegmentLimits.class,
        SkipRules.class,
        StrictJson.class,
        SubscriberCoalescer.class,
        Timestamps.class,
        TrackTransformer.class,
        TraitsTransformer.class,
        // operate
        DestinationMetrics.class,
        StatusHistory.class,
        // outbox
        CartStore.class,
        DeadLetter.class,
        DeadLetterStore.class,
        DripOutbox.class,
        DripOutboxRow.class,
        DripWork.class,
        DripWork.Kind.class,
        GroupCommit.class,
        LeasedQueue.class,
        OutboxException.class,
        RateBudgetStore.class,
        RequestRows.class,
        RetrySchedule.class,
        SeenMessages.class,
        SegmentOutbox.class,
        SegmentOutboxRow.class,
        SqlDialect.class,
        StandaloneOutboxDatabase.class,
        StoredCart.class,
        Transactions.class,
        // reverse
        DripWebhook.class,
        DripWebhookIntake.class,
        SegmentBatches.class,
        SegmentDispatcher.class,
        SegmentEmailEvents.class,
        SegmentFailure.class,
        SegmentFailure.Deferred.class,
        SegmentFailure.Paused.class,
        SegmentFailure.Rejected.class,
        SegmentFailure.Retryable.class,
        SegmentFailure.Unauthorized.class,
        SegmentGate.class,
        SegmentOutcomes.class,
        SegmentRequest.class,
        SegmentResponses.class,
        TrackingApiWriteKey.class,
        WebhookItem.class,
        // segment
        AnalyticsJsPaths.class,
        DripWorkFactory.class,
        Intake.class,
        IntakeAuth.class,
        IntakeCommit.class,
        IntakeItem.class,
        IntakeResponses.class,
        IntakeWorkerFailures.class,
        IntakeWriteKeys.class,
        Rejected.class,
        RequestBodies.class,
        SegmentRequestParser.class,
        SegmentRouteHeader.class,
        ShopperActivityWork.class,
        WebhookSignature.class },
        // Package-private helpers: named, since they cannot be referenced here.
        classNames = { "io.github.segmentdrip.ecommerce.ShopperFields" })
public final class NativeReflection {
    private NativeReflection() {
    }
}
