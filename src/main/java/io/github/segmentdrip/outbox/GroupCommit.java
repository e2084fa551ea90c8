package io.github.segmentdrip.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The intake's commit: what a request became (Drip work to the Drip outbox, refused messages to the
 * dead letters, cart changes), written in one transaction before the sender hears 200, with each
 * message's {@code messageId} remembered in the same transaction, so a crash can neither lose a
 * message nor let it in twice.
 *
 * <p>Group commit: requests that arrive while a commit is running share the next one. One thread
 * writes; each request thread waits for the transaction that holds its rows, so a {@code 200} still
 * follows its own commit. With SQLite, concurrent writers would otherwise take turns through the
 * busy handler (which sleeps), one transaction per request. A failed group (a cart changed by a
 * racing request, say) is committed again request by request, so one request's problem is only that
 * request's answer.
 */
public final class GroupCommit implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());

    private static final String INSERT_WORK = "INSERT INTO outbox (kind, email, campaign_id, payload, event, created_at, "
            + "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)";
    /** Requests committed in one transaction at most, and how long a request waits for its commit at most. */
    private static final int MAX_GROUP = 256;
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final Transactions transactions;
    private final SeenMessages seen;
    private final ObjectMapper json;
    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean open = true;

    private record Waiting(RequestRows rows, CompletableFuture<Set<Integer>> done) {
    }

    /** @param json writes the carts' items */
    public GroupCommit(Transactions transactions, SeenMessages seen, ObjectMapper json) {
        this.transactions = transactions;
        this.seen = seen;
        this.json = json;
    }

    /**
     * Returns once the request's rows are committed, with the {@link RequestRows.Work#message()
     * messages} whose messageId was accepted within the dedupe window (earlier, or by an earlier
     * message of the same group): their work was not stored, and they are answered as accepted.
     *
     * @throws OutboxException the commit failed or did not happen within the bounded wait; nothing
     *                         of the request is acknowledged, so the sender retries
     */
    public Set<Integer> commit(RequestRows rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        if (!open) {
            throw closed();
        }
        Waiting waiting = new Waiting(rows, new CompletableFuture<>());
        queue.add(waiting);
        startWriter();
        try {
            return waiting.done().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new OutboxException(e.getCause());
        } catch (TimeoutException e) {
            // Still queued or being written: it may commit later, which a retry then finds as a duplicate.
            throw new OutboxException(new SQLException("no commit within " + MAX_WAIT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException(e);
        }
    }

    /** Stops the writer thread; requests still waiting are refused (503, the sender retries). */
    @Override
    public synchronized void close() {
        open = false;
        if (writer != null) {
            writer.interrupt();
        } else {
            failWaiting();
        }
    }

    /** The writer starts with the first request, so a store that never commits holds no thread. */
    private synchronized void startWriter() {
        if (writer == null && open) {
            writer = new Thread(this::run, "outbox-group-commit");
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void run() {
        List<Waiting> group = new ArrayList<>(MAX_GROUP);
        while (open) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            commitGroup(group);
            group.clear();
        }
        failWaiting();
    }

    private void failWaiting() {
        Waiting left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(closed());
        }
    }

    private void commitGroup(List<Waiting> group) {
        try {
            List<Set<Integer>> duplicates = commitTogether(group.stream().map(Waiting::rows).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(duplicates.get(i));
            }
        } catch (RuntimeException groupFailed) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(groupFailed);
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "group of " + group.size() + " failed, committing one by one: "
                    + groupFailed.getMessage());
            for (Waiting waiting : group) {
                try {
                    waiting.done().complete(commitTogether(List.of(waiting.rows())).get(0));
                } catch (RuntimeException failed) {
                    waiting.done().completeExceptionally(failed);
                }
            }
        }
    }

    /**
     * Commits several requests in one transaction. Each request's messageIds are remembered in order,
     * so a message repeated by a later request of the same group is its duplicate.
     */
    private List<Set<Integer>> commitTogether(List<RequestRows> group) {
        return transactions.inTransaction(connection -> {
            List<Set<Integer>> seenBefore = new ArrayList<>(group.size());
            try (PreparedStatement remember = connection.prepareStatement(SeenMessages.REMEMBER);
                    PreparedStatement work = connection.prepareStatement(INSERT_WORK);
                    PreparedStatement dead = connection.prepareStatement(DeadLetterStore.INSERT)) {
                boolean anyWork = false;
                boolean anyDead = false;
                for (RequestRows request : group) {
                    Set<Integer> repeated = remember(remember, request);
                    if (repeated.stream().anyMatch(request.cartMessages()::contains)) {
                        // The same message raced in through another request: its cart change is already stored.
                        throw new OutboxException(new SQLException("a duplicate message changed a cart concurrently; retry"));
                    }
                    CartStore.write(connection, request.carts(), json, request.at());
                    for (RequestRows.Work row : request.work()) {
                        if (repeated.contains(row.message())) {
                            continue;
                        }
                        work.setString(1, row.kind().name());
                        work.setString(2, row.email());
                        work.setString(3, row.campaignId());
                        work.setString(4, row.payload());
                        work.setString(5, row.event());
                        work.setLong(6, request.at());
                        work.setLong(7, request.at());
                        work.addBatch();
                        anyWork = true;
                    }
                    for (RequestRows.Refused refused : request.refused()) {
                        DeadLetterStore.add(dead, DeadLetterStore.INTAKE_KIND, null, null, refused.event(), null, null,
                                null, refused.reason(), 0, request.at(), null);
                        anyDead = true;
                    }
                    seenBefore.add(repeated);
                }
                if (anyWork) {
                    work.executeBatch();
                }
                if (anyDead) {
                    dead.executeBatch();
                }
            }
            return seenBefore;
        });
    }

    /**
     * Records the messageId of each message that became work; returns the messages whose id was
     * already accepted within the window, earlier or in this same group.
     */
    private Set<Integer> remember(PreparedStatement remember, RequestRows request) throws SQLException {
        Set<Integer> duplicates = new HashSet<>();
        if (seen.isOff()) {
            return duplicates;
        }
        // One message may have become several records: its id is remembered once.
        Map<Integer, String> messageIds = new LinkedHashMap<>();
        for (RequestRows.Work row : request.work()) {
            if (row.messageId() != null) {
                messageIds.putIfAbsent(row.message(), row.messageId());
            }
        }
        if (messageIds.isEmpty()) {
            return duplicates;
        }
        long window = seen.window().toMillis();
        List<Integer> messages = new ArrayList<>(messageIds.keySet());
        for (Integer message : messages) {
            remember.setString(1, messageIds.get(message));
            remember.setLong(2, request.at());
            remember.setLong(3, request.at() - window);
            remember.addBatch();
        }
        int[] changed = remember.executeBatch();
        for (int i = 0; i < changed.length; i++) {
            if (changed[i] == 0) {
                duplicates.add(messages.get(i));
            }
        }
        return duplicates;
    }

    private static OutboxException closed() {
        return new OutboxException(new SQLException("the outbox is shutting down"));
    }
}
