package io.github.segmentdrip.drip;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.segmentdrip.mapping.SubscriberCoalescer;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.DripOutboxRow;
import io.github.segmentdrip.outbox.DripWork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the next work from the outbox and shapes it into Drip requests, never more than the
 * budget can send now. The policy that gets the most records through Drip's two budgets:
 * <ul>
 * <li>A small backlog goes out at once on the single endpoints (lowest latency).</li>
 * <li>A backlog of a full batch (1,000 records), or one the single budget left now cannot carry,
 * goes to the batch endpoints: one batch request carries up to 1,000 records for one unit of the
 * batch budget. A partial batch is sent at most once per {@code window / batch budget}, so a
 * trickle cannot spend the batch budget on near-empty batches.</li>
 * <li>Both budgets are used together under a backlog: 3,600 single + 50 × 1,000 batched = 53,600
 * records per hour at Drip's default limits.</li>
 * </ul>
 * Queued upserts of one person are merged into one record ({@link SubscriberCoalescer}); events
 * never are. Rows are claimed with a lease so a crash leaves nothing stuck.
 */
public class DripDispatcher {

    /** Drip's batch endpoints take 1 to 1,000 records (drip-api.md §7). */
    public static final int BATCH_SIZE = 1000;
    /** A subscriber batch may claim more rows to reach 1,000 people, within these bounds. */
    private static final int MAX_TOP_UPS = 6;
    private static final int MAX_ROWS_PER_BATCH = 5 * BATCH_SIZE;

    private static final System.Logger LOG = System.getLogger(DripDispatcher.class.getName());
    private static final TypeReference<LinkedHashMap<String, Object>> RECORD = new TypeReference<>() {
    };
    private static final List<DripWork.Kind> BATCH_KINDS = List.of(DripWork.Kind.SUBSCRIBER, DripWork.Kind.EVENT,
            DripWork.Kind.ORDER, DripWork.Kind.CART);

    private final DripOutbox outbox;
    private final DripBudget budget;
    private final DeliveryGate gate;
    private final DripAccount account;
    private final ObjectMapper json;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final int maxPerPoll;
    private final AtomicLong polls = new AtomicLong();
    /** One round claims at a time: the batch pacing and rotation below are not shared between rounds. */
    private final ReentrantLock claiming = new ReentrantLock();
    private long lastBatchAt = Long.MIN_VALUE / 2;
    private int batchTurn;

    public DripDispatcher(DripOutbox outbox, DripBudget budget, DeliveryGate gate, DripAccount account,
            ObjectMapper json, Clock clock, String owner, Duration lease, int maxPerPoll) {
        this.outbox = outbox;
        this.budget = budget;
        this.gate = gate;
        this.account = account;
        this.json = json;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
        this.maxPerPoll = maxPerPoll;
    }

    /**
     * The requests to send now, oldest work first; empty while delivery is paused or the budget is
     * spent, and while another round is still being claimed: a poll never waits for a lock (every
     * wait on the delivery path is bounded), it skips, and the next poll comes one interval later.
     */
    public List<DripRequest> nextRequests() {
        if (!claiming.tryLock()) {
            LOG.log(System.Logger.Level.DEBUG, "A delivery round is still being claimed; this poll skips");
            return List.of();
        }
        try {
            return claimNext();
        } finally {
            claiming.unlock();
        }
    }

    private List<DripRequest> claimNext() {
        String round = DripOutbox.roundOf(owner, polls.incrementAndGet());
        if (!gate.isOpen()) {
            return List.of();
        }
        List<DripRequest> requests = new ArrayList<>();
        int singleRoom = Math.min(budget.available(false), maxPerPoll);
        int batchRoom = Math.min(budget.available(true), 2);
        if (batchRoom > 0 && batchWorthIt(singleRoom)) {
            // The first kind rotates, so under a backlog subscribers, events, orders and carts share
            // the batch budget and none starves the others.
            batchTurn = (batchTurn + 1) % BATCH_KINDS.size();
            List<DripRequest> partial = new ArrayList<>();
            for (int i = 0; i < BATCH_KINDS.size() && batchRoom > 0; i++) {
                DripWork.Kind kind = BATCH_KINDS.get((batchTurn + i) % BATCH_KINDS.size());
                List<DripOutboxRow> rows = claimBatch(kind, round);
                if (rows.isEmpty()) {
                    continue;
                }
                DripRequest request = batch(kind, rows);
                if (request.records() < BATCH_SIZE) {
                    partial.add(request);
                    continue;
                }
                requests.add(request);
                batchRoom--;
            }
            // The batch budget (50 an hour) is the bottleneck: a kind whose backlog ends here waits
            // while another kind fills a whole batch (its rows go back, and the single calls below
            // take the oldest of them). When no kind fills one, the part-filled batches go.
            boolean fullBatchSent = !requests.isEmpty();
            for (DripRequest request : partial) {
                if (!fullBatchSent && batchRoom > 0) {
                    requests.add(request);
                    batchRoom--;
                } else {
                    outbox.release(request.rows());
                }
            }
            if (!requests.isEmpty()) {
                lastBatchAt = clock.millis();
            }
            // Sent upserts first, then events, then orders and carts: a person's upsert reaches Drip
            // before the events claimed with it in this round (rows of one round do not hold each other back).
            requests.sort(Comparator.comparing(request -> request.rows().get(0).kind()));
        }
        requests.addAll(singles(outbox.claim(singleRoom, round, lease)));
        return requests;
    }

    /**
     * Up to one batch of rows of that kind. Upserts of one person merge into one record, so under a
     * backlog of repeated identifies 1,000 rows make fewer than 1,000 records: more rows are claimed
     * (same round, so they do not wait for each other), in proportion to the repeats seen so far, and
     * the rows of the first 1,000 people are kept; the others go back at once. A person's rows are
     * kept or released together, so nobody's later upsert overtakes an earlier one. Drip counts
     * requests, not records, against the batch budget.
     */
    private List<DripOutboxRow> claimBatch(DripWork.Kind kind, String round) {
        List<DripOutboxRow> claimed = outbox.claim(BATCH_SIZE, round, lease, kind);
        if (kind != DripWork.Kind.SUBSCRIBER || claimed.size() < BATCH_SIZE) {
            return claimed;
        }
        List<DripOutboxRow> rows = new ArrayList<>(claimed);
        Set<String> people = new HashSet<>();
        rows.forEach(row -> people.add(row.email()));
        // How many new people a claimed row brought last time: sizes the next claim.
        double newPeoplePerRow = (double) people.size() / rows.size();
        for (int topUp = 0; topUp < MAX_TOP_UPS && people.size() < BATCH_SIZE; topUp++) {
            int wanted = (int) Math.min(MAX_ROWS_PER_BATCH - rows.size(),
                    Math.ceil((BATCH_SIZE - people.size()) / Math.max(newPeoplePerRow, 0.01)));
            if (wanted <= 0) {
                break;
            }
            List<DripOutboxRow> more = outbox.claim(wanted, round, lease, kind);
            rows.addAll(more);
            int before = people.size();
            more.forEach(row -> people.add(row.email()));
            if (more.size() < wanted) {
                break; // nothing more is due
            }
            newPeoplePerRow = (double) (people.size() - before) / more.size();
        }
        Set<String> kept = new HashSet<>();
        List<DripOutboxRow> batch = new ArrayList<>(BATCH_SIZE);
        List<DripOutboxRow> back = new ArrayList<>();
        for (DripOutboxRow row : rows) {
            if (kept.contains(row.email()) || (kept.size() < BATCH_SIZE && kept.add(row.email()))) {
                batch.add(row);
            } else {
                back.add(row);
            }
        }
        if (!back.isEmpty()) {
            outbox.release(back);
        }
        return batch;
    }

    /** On shutdown, after delivery stopped: rows claimed but not sent go back at once. */
    public int releaseClaims() {
        return outbox.releaseClaims(owner);
    }

    /** How many times delivery has looked for work: shows it is alive even when nothing is sent. */
    public long polls() {
        return polls.get();
    }

    private boolean batchWorthIt(int singleRoom) {
        int due = outbox.countDue(BATCH_SIZE);
        if (due >= BATCH_SIZE) {
            return true;
        }
        long pace = budget.window().toMillis() / Math.max(1, budget.limit(true));
        return due > singleRoom && clock.millis() - lastBatchAt >= pace;
    }

    private DripRequest batch(DripWork.Kind kind, List<DripOutboxRow> rows) {
        List<String> records = kind == DripWork.Kind.SUBSCRIBER ? coalesced(rows) : payloads(rows);
        return new DripRequest(DripEndpoints.batch(kind, account.getAccountId()),
                DripEndpoints.batchBody(kind, String.join(",", records)), rows, true, records.size());
    }

    /** Single requests in claim order; consecutive upserts of one person become one request. */
    private List<DripRequest> singles(List<DripOutboxRow> rows) {
        String accountId = account.getAccountId();
        List<DripRequest> requests = new ArrayList<>();
        Map<String, List<DripOutboxRow>> upserts = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (DripOutboxRow row : rows) {
            if (row.kind() == DripWork.Kind.SUBSCRIBER) {
                List<DripOutboxRow> group = upserts.get(row.email());
                if (group == null) {
                    group = new ArrayList<>();
                    upserts.put(row.email(), group);
                    order.add(group);
                }
                group.add(row);
            } else {
                order.add(row);
            }
        }
        for (Object item : order) {
            if (item instanceof DripOutboxRow row) {
                requests.add(row.kind() == DripWork.Kind.CAMPAIGN ? campaign(row) : new DripRequest(
                        DripEndpoints.single(row.kind(), accountId), DripEndpoints.singleBody(row.kind(), row.payload()),
                        List.of(row), false, 1));
            } else {
                @SuppressWarnings("unchecked")
                List<DripOutboxRow> group = (List<DripOutboxRow>) item;
                requests.add(new DripRequest(DripEndpoints.single(DripWork.Kind.SUBSCRIBER, accountId),
                        DripEndpoints.singleBody(DripWork.Kind.SUBSCRIBER, coalesced(group).get(0)), group, false, 1));
            }
        }
        return requests;
    }

    private DripRequest campaign(DripOutboxRow row) {
        return new DripRequest(DripEndpoints.campaignSubscribers(account.getAccountId(),
                URLEncoder.encode(row.campaignId(), StandardCharsets.UTF_8)),
                DripEndpoints.singleBody(DripWork.Kind.CAMPAIGN, campaignRecord(row.payload())), List.of(row), false, 1);
    }

    /** One record per person, in the order each person first appears; a lone upsert is sent as stored. */
    private List<String> coalesced(List<DripOutboxRow> rows) {
        Map<String, List<DripOutboxRow>> byEmail = new LinkedHashMap<>();
        for (DripOutboxRow row : rows) {
            byEmail.computeIfAbsent(row.email(), email -> new ArrayList<>()).add(row);
        }
        List<String> records = new ArrayList<>();
        for (List<DripOutboxRow> group : byEmail.values()) {
            if (group.size() == 1) {
                records.add(group.get(0).payload());
                continue;
            }
            List<Map<String, Object>> upserts = new ArrayList<>();
            for (DripOutboxRow row : group) {
                upserts.add(read(row.payload()));
            }
            records.add(write(SubscriberCoalescer.merge(upserts)));
        }
        return records;
    }

    private static List<String> payloads(List<DripOutboxRow> rows) {
        return rows.stream().map(DripOutboxRow::payload).toList();
    }

    /** mapping.md: the campaign call carries the email, and the user id when known. */
    private String campaignRecord(String subscriberPayload) {
        try {
            JsonNode subscriber = json.readTree(subscriberPayload);
            ObjectNode record = json.createObjectNode();
            record.set("email", subscriber.get("email"));
            if (subscriber.hasNonNull("user_id")) {
                record.set("user_id", subscriber.get("user_id"));
            }
            return json.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> read(String payload) {
        try {
            return json.readValue(payload, RECORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
