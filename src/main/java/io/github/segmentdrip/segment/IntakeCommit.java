package io.github.segmentdrip.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.http.RequestRefused;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.RequestRows;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The intake's steps after the router: {@link #prepare} serialises what a request's messages became
 * (Drip work, refused messages, cart changes), {@link #store} commits it through the outbox's
 * {@link GroupCommit} before the sender hears 200. Nothing is stored for a message whose {@code messageId} was accepted within the
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
     * Serialises what the request's messages became into outbox rows, on the request's own thread
     * (the shared commit does nothing but SQL), and lets go of the parsed messages
     * ({@link Intake#prepared}). A single-message call whose message was refused is refused with
     * 400 here, before anything is stored: its sender sees the error directly, where a batch reports
     * it by index and keeps the refused message as a dead letter.
     */
    public void prepare(Intake intake) {
        if (intake.isSingle() && !intake.getRejected().isEmpty()) {
            Rejected refused = intake.getRejected().get(0);
            throw RequestRefused.badRequest(refused.error(), refused.field());
        }
        // Messages are told apart by identity: one message may have become several records.
        Map<Map<String, Object>, Integer> numbers = new IdentityHashMap<>();
        List<DripWork> accepted = intake.getAccepted();
        int[] messageOfWork = new int[accepted.size()];
        List<RequestRows.Work> work = new ArrayList<>(accepted.size());
        Set<Integer> cartMessages = new HashSet<>();
        for (int i = 0; i < accepted.size(); i++) {
            DripWork each = accepted.get(i);
            Integer message = numbers.get(each.event());
            if (message == null) {
                message = numbers.size();
                numbers.put(each.event(), message);
                if (intake.changedCart(each.event())) {
                    cartMessages.add(message);
                }
            }
            messageOfWork[i] = message;
            work.add(new RequestRows.Work(message, IntakeItem.messageIdOf(each.event()), each.kind(),
                    each.email(), each.campaignId(), toJson(each.record()), toJson(each.event())));
        }
        List<RequestRows.Refused> refused = intake.getRejected().stream()
                .map(rejected -> new RequestRows.Refused(rejected.error()
                        + (rejected.field() == null ? "" : " (" + rejected.field() + ")"), toJson(rejected.event())))
                .toList();
        intake.prepared(new RequestRows(intake.getReceivedAt().toEpochMilli(), work, refused,
                intake.getCartChanges(), cartMessages), messageOfWork);
    }

    /**
     * Commits the request's rows (preparing them first if the route did not) through the group
     * commit, and returns once they are durable. Nothing is stored for a message whose
     * {@code messageId} was accepted within the dedupe window: it is answered like an accepted one.
     */
    public void store(Intake intake) {
        if (intake.getRows() == null) {
            prepare(intake);
        }
        Set<Integer> duplicates = commit.commit(intake.getRows());
        if (!duplicates.isEmpty()) {
            int[] messageOfWork = intake.getMessageOfWork();
            Set<Integer> positions = new HashSet<>();
            for (int i = 0; i < messageOfWork.length; i++) {
                if (duplicates.contains(messageOfWork[i])) {
                    positions.add(i);
                }
            }
            intake.dropDuplicates(positions, duplicates.size());
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
