package io.github.segmentdrip.segment;

import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.RequestRows;
import io.github.segmentdrip.outbox.StoredCart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One intake request: its messages and what the router made of each. Nothing in here is
 * acknowledged until {@link IntakeCommit} has committed {@link #getAccepted()} and {@link #getRejected()}.
 * It iterates over the messages the router has to look at, so a route splits the request itself
 * ({@code split: ${body}}): a getter in a Simple expression would cost a bean invocation per request.
 */
public final class Intake implements Iterable<IntakeItem> {

    private final String endpoint;
    private final boolean single;
    private final Instant receivedAt;
    private final List<IntakeItem> items = new ArrayList<>();
    private final List<DripWork> accepted = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> skippedTypes = new ArrayList<>();
    private final Map<String, StoredCart> carts = new LinkedHashMap<>();
    private final Set<Map<String, Object>> cartChangingMessages = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> cartChangingIds = new java.util.HashSet<>();
    private int skipped;
    private int deduplicated;
    private int received;
    private String writeKey;
    private RequestRows rows;
    private int[] messageOfWork;

    public Intake(String endpoint, boolean single, Instant receivedAt) {
        this.endpoint = endpoint;
        this.single = single;
        this.receivedAt = receivedAt;
    }

    void add(Map<String, Object> event) {
        items.add(new IntakeItem(items.size(), event, this));
    }

    /** analytics.js's telemetry post ({@code /v1/m}): no messages, no credentials needed, nothing stored. */
    public static Intake telemetry(Instant receivedAt) {
        return new Intake("/v1/m", false, receivedAt);
    }

    public boolean isTelemetry() {
        return "/v1/m".equals(endpoint);
    }

    public String getEndpoint() {
        return endpoint;
    }

    /** A single-message call: a bad message fails the whole request with 400 instead of a per-index report. */
    public boolean isSingle() {
        return single;
    }

    public Instant getReceivedAt() {
        return receivedAt;
    }

    /** The write key the body carried (analytics.js, analytics-java's import), for authentication only: never stored. */
    public String getWriteKey() {
        return writeKey;
    }

    void writeKeyFound(Object value) {
        if (writeKey == null && value instanceof String key && !key.isBlank()) {
            writeKey = key;
        }
    }

    /** The request's messages; empty once {@link IntakeCommit#prepare} has serialised them. */
    public List<IntakeItem> getItems() {
        return items;
    }

    /** How many messages the request carried. */
    public int getReceived() {
        return rows == null ? items.size() : received;
    }

    /** The messages the router still has to look at: not refused while parsing, not already accepted before. */
    @Override
    public Iterator<IntakeItem> iterator() {
        return items.stream().filter(item -> !item.isRejected() && !item.isDuplicate()).toList().iterator();
    }

    /** A message whose messageId was accepted before (or earlier in this request): answered, not routed. */
    public void duplicate(IntakeItem item) {
        item.markDuplicate();
        deduplicated++;
    }

    public List<DripWork> getAccepted() {
        return accepted;
    }

    public List<Rejected> getRejected() {
        return rejected;
    }

    public int getSkipped() {
        return skipped;
    }

    public void accept(DripWork work) {
        accepted.add(work);
    }

    /** A cart as this request left it so far: a batch may change one cart several times. */
    public Optional<StoredCart> pendingCart(String key) {
        return Optional.ofNullable(carts.get(key));
    }

    /** The cart after {@code item}; written with the request's outbox rows. */
    public void changeCart(IntakeItem item, StoredCart cart) {
        carts.put(cart.key(), cart);
        cartChangingMessages.add(item.getEvent());
        if (item.getMessageId() != null) {
            cartChangingIds.add(item.getMessageId());
        }
    }

    /** Whether a message with this id already changed a cart earlier in this request. */
    public boolean changedCartAlready(String messageId) {
        return messageId != null && cartChangingIds.contains(messageId);
    }

    public Collection<StoredCart> getCartChanges() {
        return carts.values();
    }

    /** Whether {@code message} changed a cart in this request. */
    public boolean changedCart(Map<String, Object> message) {
        return cartChangingMessages.contains(message);
    }

    /**
     * The accepted work at these positions of {@link #getAccepted()} belonged to messages accepted
     * before (same {@code messageId} within the dedupe window): dropped, and its messages answered
     * like accepted ones.
     *
     * @param messages how many messages the dropped work came from
     */
    void dropDuplicates(Set<Integer> positions, int messages) {
        if (!positions.isEmpty()) {
            List<DripWork> kept = new ArrayList<>(accepted.size() - positions.size());
            for (int i = 0; i < accepted.size(); i++) {
                if (!positions.contains(i)) {
                    kept.add(accepted.get(i));
                }
            }
            accepted.clear();
            accepted.addAll(kept);
            deduplicated += messages;
        }
    }

    /** Messages answered as accepted but not stored: Segment's deduplication on {@code messageId}. */
    public int getDeduplicated() {
        return deduplicated;
    }

    public void skip(IntakeItem item) {
        skipped++;
        String route = item.getRoute();
        skippedTypes.add(route.isEmpty() ? "unknown" : route);
    }

    /** The Segment type of each skipped message (or {@code from-drip}), for metrics. */
    public List<String> getSkippedTypes() {
        return skippedTypes;
    }

    public List<String> getWarnings() {
        return warnings;
    }

    /** Something the mapping dropped or changed; echoed to the sender so a curl user sees it at once. */
    public void warn(IntakeItem item, String warning) {
        warnings.add(single ? warning : "batch[" + item.getIndex() + "]: " + warning);
    }

    /**
     * A message the mapping refused; {@code field} is named within the message ({@code traits.email})
     * and reported as {@code batch[3].traits.email} when the request was a batch.
     */
    public void refuse(IntakeItem item, String error, String field) {
        String where = single ? field : "batch[" + item.getIndex() + "]" + (field == null ? "" : "." + field);
        reject(item, error, where);
    }

    /**
     * The outbox rows {@link IntakeCommit#prepare} serialised, which message each accepted work came
     * from, and the parsed messages let go: while the request waits for its commit it holds its rows
     * (strings), not the maps they came from (a 100-message batch: about a megabyte). Counts, kinds,
     * errors and warnings stay for the metrics and the answer.
     */
    void prepared(RequestRows rows, int[] messageOfWork) {
        this.received = items.size();
        this.rows = rows;
        this.messageOfWork = messageOfWork;
        items.clear();
        accepted.replaceAll(work -> new DripWork(work.kind(), work.email(), work.campaignId(), null, null));
        rejected.replaceAll(refused -> new Rejected(refused.index(), refused.error(), refused.field(), null));
        cartChangingMessages.clear();
    }

    /** The rows to commit, or null before {@link IntakeCommit#prepare}. */
    RequestRows getRows() {
        return rows;
    }

    /** The message (numbered as in {@link #getRows()}) each accepted work came from. */
    int[] getMessageOfWork() {
        return messageOfWork;
    }

    public void reject(IntakeItem item, String error, String field) {
        item.markRejected();
        rejected.add(new Rejected(item.getIndex(), error, field, item.getEvent()));
    }
}
