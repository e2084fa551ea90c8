package io.github.segmentdrip.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.segmentdrip.outbox.DeadLetterStore;
import io.github.segmentdrip.outbox.DripOutbox;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.GroupCommit;
import io.github.segmentdrip.outbox.SeenMessages;
import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SqlDialect;
import io.github.segmentdrip.outbox.Transactions;
import io.github.segmentdrip.segment.Intake;
import io.github.segmentdrip.segment.IntakeCommit;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The outbox's stores on one database, built as the service builds them, for tests below the
 * routes; {@link #store} commits work the way the intake does ({@link IntakeCommit}).
 */
public final class Outboxes implements AutoCloseable {

    public final Transactions transactions;
    public final DripOutbox drip;
    public final SegmentOutbox segment;
    public final DeadLetterStore deadLetters;
    public final SeenMessages seenMessages;
    private final GroupCommit groupCommit;
    private final IntakeCommit intakeCommit;
    private final Clock clock;

    public Outboxes(DataSource dataSource, SqlDialect dialect, Clock clock) {
        this(dataSource, dialect, clock, SeenMessages.DEFAULT_WINDOW);
    }

    /** @param dedupeWindow {@code segment.dedupe-window}; zero turns deduplication off */
    public Outboxes(DataSource dataSource, SqlDialect dialect, Clock clock, Duration dedupeWindow) {
        ObjectMapper json = new ObjectMapper();
        this.clock = clock;
        transactions = new Transactions(dataSource, dialect);
        drip = new DripOutbox(transactions, clock);
        segment = new SegmentOutbox(transactions, clock);
        deadLetters = new DeadLetterStore(transactions, clock);
        seenMessages = new SeenMessages(transactions, clock, dedupeWindow);
        groupCommit = new GroupCommit(transactions, seenMessages, json);
        intakeCommit = new IntakeCommit(groupCommit, json);
    }

    /** A SQLite outbox file at {@code file}, its schema migrated as the service migrates it. */
    public static Outboxes sqlite(Path file, Clock clock) {
        return new Outboxes(migrated(sqliteFile(file), SqlDialect.SQLITE), SqlDialect.SQLITE, clock);
    }

    public static DataSource sqliteFile(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=5000");
        return dataSource;
    }

    /** The same datasource, brought to the outbox schema by the service's Flyway scripts. */
    public static DataSource migrated(DataSource dataSource, SqlDialect dialect) {
        Flyway.configure().dataSource(dataSource).locations("classpath:" + dialect.migrationFolder()).load().migrate();
        return dataSource;
    }

    /** Serialises a request's rows as the intake's workers do. */
    public void prepare(Intake intake) {
        intakeCommit.prepare(intake);
    }

    /** Commits a request as the intake does. */
    public void store(Intake intake) {
        intakeCommit.store(intake);
    }

    /** Commits the work as one batch request received now; returns the request, duplicates dropped. */
    public Intake store(DripWork... works) {
        Intake intake = new Intake("/v1/batch", false, clock.instant());
        for (DripWork work : works) {
            intake.accept(work);
        }
        store(intake);
        return intake;
    }

    /** Stops the group commit's writer thread. */
    @Override
    public void close() {
        groupCommit.close();
    }
}
