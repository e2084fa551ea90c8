package io.github.segmentdrip.outbox;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What one intake request stores, serialised on the request's own thread and ready for the
 * {@link GroupCommit}: its Drip work, the messages it refused (dead letters of kind
 * {@value DeadLetterStore#INTAKE_KIND}), and its cart changes.
 *
 * @param at           when the request was received, epoch milliseconds
 * @param work         the rows for the Drip outbox, several per message possibly
 * @param refused      the messages refused while mapping
 * @param carts        the carts as the request left them
 * @param cartMessages the {@link Work#message() messages} that changed a cart
 */
public record RequestRows(long at, List<Work> work, List<Refused> refused, Collection<StoredCart> carts,
        Set<Integer> cartMessages) {

    /**
     * One Drip record of a message.
     *
     * @param message   which message of the request it came from (several records may share one)
     * @param messageId the message's Segment messageId, the deduplication key; {@code null}: never a duplicate
     * @param payload   the Drip record as JSON
     * @param event     the Segment message as JSON
     */
    public record Work(int message, String messageId, DripWork.Kind kind, String email, String campaignId,
            String payload, String event) {
    }

    /** A refused message: why, and the message as JSON. */
    public record Refused(String reason, String event) {
    }

    /** Whether there is nothing to write. */
    public boolean isEmpty() {
        return work.isEmpty() && refused.isEmpty() && carts.isEmpty();
    }
}
