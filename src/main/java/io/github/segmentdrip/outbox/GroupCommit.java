package io.github.segmentdrip.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Group commit: requests that arrive while a commit is running share the next one. One thread
 * writes; each request thread waits for the transaction that holds its rows, so a {@code 200} still
 * follows its own commit. With SQLite, concurrent writers would otherwise take turns through the
 * busy handler (which sleeps), one transaction per request.
 *
 * <p>A failed group (a cart changed by a racing request, say) is committed again request by
 * request, so one request's problem is only that request's answer.
 */
final class GroupCommit implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());

    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<OutboxStore.PendingIntake>> commit;
    private final int maxGroup;
    private final Duration maxWait;
    private final Thread writer;
    private volatile boolean open = true;

    private record Waiting(OutboxStore.PendingIntake intake, CompletableFuture<Void> done) {
    }

    GroupCommit(Consumer<List<OutboxStore.PendingIntake>> commit, int maxGroup, Duration maxWait) {
        this.commit = commit;
        this.maxGroup = maxGroup;
        this.maxWait = maxWait;
        this.writer = new Thread(this::run, "outbox-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Returns once the request is committed.
     *
     * @throws OutboxException the commit failed or did not happen within the bounded wait; nothing
     *                         of the request is acknowledged, so the sender retries
     */
    void commit(OutboxStore.PendingIntake intake) {
        if (!open) {
            throw closed();
        }
        Waiting waiting = new Waiting(intake, new CompletableFuture<>());
        queue.add(waiting);
        try {
            waiting.done().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new OutboxException(e.getCause());
        } catch (TimeoutException e) {
            // Still queued or being written: it may commit later, which a retry then finds as a duplicate.
            throw new OutboxException(new SQLException("no commit within " + maxWait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException(e);
        }
    }

    private void run() {
        List<Waiting> group = new ArrayList<>(maxGroup);
        while (open) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, maxGroup - 1);
            commitGroup(group);
            group.clear();
        }
        Waiting left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(closed());
        }
    }

    private void commitGroup(List<Waiting> group) {
        try {
            commit.accept(group.stream().map(Waiting::intake).toList());
            group.forEach(waiting -> waiting.done().complete(null));
        } catch (RuntimeException groupFailed) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(groupFailed);
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "group of " + group.size() + " failed, committing one by one: "
                    + groupFailed.getMessage());
            for (Waiting waiting : group) {
                try {
                    commit.accept(List.of(waiting.intake()));
                    waiting.done().complete(null);
                } catch (RuntimeException failed) {
                    waiting.done().completeExceptionally(failed);
                }
            }
        }
    }

    private static OutboxException closed() {
        return new OutboxException(new SQLException("the outbox is shutting down"));
    }

    @Override
    public void close() {
        open = false;
        writer.interrupt();
    }
}
