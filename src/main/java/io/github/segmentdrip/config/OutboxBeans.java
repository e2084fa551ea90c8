package io.github.segmentdrip.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.outbox.CartStore;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.RateBudgetStore;
import io.github.segmentdrip.outbox.SeenMessages;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.Transactions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Quarkus wiring of the storage: one {@link Transactions} on the database {@link QuarkusOutboxDatabase}
 * chose, and the stores built on it. The routes name {@code seenMessages} and {@code cartStore};
 * the other stores reach the routes through the beans that use them.
 */
public class OutboxBeans {

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    @Produces
    @Singleton
    Transactions transactions(QuarkusOutboxDatabase database) {
        return new Transactions(database.dataSource(), database.dialect());
    }

    @Produces
    @Singleton
    @Named("dripOutbox")
    DripOutbox dripOutbox(Transactions transactions) {
        return new DripOutbox(transactions, clock);
    }

    @Produces
    @Singleton
    @Named("segmentOutbox")
    SegmentOutbox segmentOutbox(Transactions transactions) {
        return new SegmentOutbox(transactions, clock);
    }

    @Produces
    @Singleton
    @Named("deadLetters")
    DeadLetterStore deadLetters(Transactions transactions) {
        return new DeadLetterStore(transactions, clock);
    }

    @Produces
    @Singleton
    @Named("seenMessages")
    SeenMessages seenMessages(Transactions transactions, SegmentSettings segment) {
        return new SeenMessages(transactions, clock, segment.dedupeWindow());
    }

    @Produces
    @Singleton
    GroupCommit groupCommit(Transactions transactions, SeenMessages seenMessages) {
        return new GroupCommit(transactions, seenMessages, json);
    }

    /** Stops the group commit's writer thread with the application. */
    void closeGroupCommit(@Disposes GroupCommit groupCommit) {
        groupCommit.close();
    }

    @Produces
    @Singleton
    @Named("cartStore")
    CartStore cartStore(Transactions transactions, DripSettings settings) {
        return new CartStore(transactions, json, clock, settings.shopperActivity().cartExpiry());
    }

    @Produces
    @Singleton
    RateBudgetStore rateBudgetStore(Transactions transactions) {
        return new RateBudgetStore(transactions);
    }
}
