package io.github.segmentdrip.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.RequestRows;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step of {@code segment-intake} after the router: commits what a request's messages became
 * (Drip work, refused messages, cart changes) through the outbox's {@link GroupCommit}, before the
 * sender hears 200. Nothing is stored for a message whose {@code messageId} was accepted within the
 * dedupe window: it is answered like an accepted one, as Segment does.
 */
public class IntakeCommit {

    private final GroupCommit commit;
    private final ObjectMapper json;

    public IntakeCommit(GroupCommit commit, ObjectMapper json) {
        this.commit = commit;
        this.json = json;
    }

    /**
     * Commits the request. A single-message call whose message was refused stores nothing and is
     * refused with 400: its sender sees the error directly, where a batch reports it by index and
     * keeps the refused message as a dead letter.
     */
    public void store(Intake intake) {
        if (intake.isSingle() && !intake.getRejected().isEmpty()) {
            Rejected refused = intake.getRejected().get(0);
            throw RequestRefused.badRequest(refused.error(), refused.field());
        }
        // Messages are told apart by identity: one message may have become several records.
        Map<Map<String, Object>, Integer> numbers = new IdentityHashMap<>();
        List<Map<String, Object>> messages = new ArrayList<>();
        List<RequestRows.Work> work = new ArrayList<>();
        Set<Integer> cartMessages = new HashSet<>();
        // Serialised here, on the request's own thread: the shared commit does nothing but SQL.
        for (DripWork accepted : intake.getAccepted()) {
            Integer message = numbers.get(accepted.event());
            if (message == null) {
                message = messages.size();
                numbers.put(accepted.event(), message);
                messages.add(accepted.event());
                if (intake.changedCart(accepted.event())) {
                    cartMessages.add(message);
                }
            }
            work.add(new RequestRows.Work(message, IntakeItem.messageIdOf(accepted.event()), accepted.kind(),
                    accepted.email(), accepted.campaignId(), toJson(accepted.record()), toJson(accepted.event())));
        }
        List<RequestRows.Refused> refused = intake.getRejected().stream()
                .map(rejected -> new RequestRows.Refused(rejected.error()
                        + (rejected.field() == null ? "" : " (" + rejected.field() + ")"), toJson(rejected.event())))
                .toList();
        Set<Integer> duplicates = commit.commit(new RequestRows(intake.getReceivedAt().toEpochMilli(), work, refused,
                intake.getCartChanges(), cartMessages));
        if (!duplicates.isEmpty()) {
            Set<Map<String, Object>> repeated = Collections.newSetFromMap(new IdentityHashMap<>());
            duplicates.forEach(message -> repeated.add(messages.get(message)));
            intake.dropDuplicates(repeated);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
