package io.github.segmentdrip.config;

import io.github.segmentdrip.drip.DeliveryGate;
import io.github.segmentdrip.drip.DeliveryOutcomes;
import io.github.segmentdrip.drip.DripAccount;
import io.github.segmentdrip.drip.DripBudgetGate;
import io.github.segmentdrip.drip.DripDispatcher;
import io.github.segmentdrip.drip.DripFailure;
import io.github.segmentdrip.drip.DripRequest;
import io.github.segmentdrip.drip.DripResponses;
import io.github.segmentdrip.drip.DripWork;
import io.github.segmentdrip.drip.DripWorkFactory;
import io.github.segmentdrip.drip.MappingException;
import io.github.segmentdrip.outbox.DeadLetter;
import io.github.segmentdrip.outbox.OutboxException;
import io.github.segmentdrip.outbox.OutboxRow;
import io.github.segmentdrip.outbox.OutboxStore;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.IntakeAuth;
import io.github.segmentdrip.segment.IntakeItem;
import io.github.segmentdrip.segment.IntakeRejection;
import io.github.segmentdrip.segment.IntakeResponses;
import io.github.segmentdrip.segment.Rejected;
import io.github.segmentdrip.segment.SegmentRequestParser;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The classes the YAML routes reach by reflection (bean methods, simple expressions such as
 * {@code ${body.type}}, exception classes named in {@code onException}). Listed here so the
 * domain classes stay free of Quarkus and run unchanged on plain Camel Main.
 */
@RegisterForReflection(targets = {
        SegmentRequestParser.class, IntakeAuth.class, Intake.class, IntakeItem.class, IntakeRejection.class, IntakeResponses.class,
        Rejected.class, DripWork.class, DripWork.Kind.class, DripWorkFactory.class, MappingException.class,
        DripRequest.class, DripDispatcher.class, DripResponses.class, DripBudgetGate.class, DeliveryGate.class,
        DeliveryOutcomes.class, DripAccount.class, DripFailure.class, DripFailure.Retryable.class,
        DripFailure.RateLimited.class, DripFailure.Paused.class, DripFailure.Unauthorized.class,
        DripFailure.Rejected.class, OutboxStore.class, OutboxRow.class, OutboxException.class, DeadLetter.class })
public final class NativeReflection {
    private NativeReflection() {
    }
}
