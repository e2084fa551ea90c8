package io.github.segmentdrip.reverse;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.segmentdrip.outbox.SegmentOutbox;
import io.github.segmentdrip.outbox.SegmentOutboxRow;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the next track calls from the reverse outbox and groups them into {@code /v1/batch}
 * requests within Segment's limits ({@link SegmentBatches}). Rows are claimed with a lease, so a
 * crash leaves nothing stuck; a row a refused batch held goes in a batch of its own.
 */
public class SegmentDispatcher {

    private final SegmentOutbox outbox;
    private final SegmentGate gate;
    private final SegmentBatches batches;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final AtomicLong polls = new AtomicLong();

    public SegmentDispatcher(SegmentOutbox outbox, SegmentGate gate, SegmentBatches batches, Clock clock,
            String owner, Duration lease) {
        this.outbox = outbox;
        this.gate = gate;
        this.batches = batches;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
    }

    /** The requests to send now, oldest rows first; empty while delivery is paused. */
    public List<SegmentRequest> nextRequests() {
        polls.incrementAndGet();
        if (!gate.isOpen()) {
            return List.of();
        }
        List<SegmentOutboxRow> rows = outbox.claim(batches.maxEvents(), owner, lease);
        List<SegmentRequest> requests = new ArrayList<>();
        List<SegmentOutboxRow> together = new ArrayList<>();
        for (SegmentOutboxRow row : rows) {
            if (row.sendAlone()) {
                requests.add(new SegmentRequest(List.of(row)));
            } else {
                together.add(row);
            }
        }
        List<String> events = together.stream().map(SegmentOutboxRow::payload).toList();
        for (List<Integer> batch : batches.plan(events)) {
            requests.add(new SegmentRequest(batch.stream().map(together::get).toList()));
        }
        return requests;
    }

    /** The request body, {@code {"batch":[…],"sentAt":"…"}} in UTF-8, stamped when it leaves. */
    public byte[] body(SegmentRequest request) {
        return SegmentBatches.body(request.events(), clock.instant()).getBytes(UTF_8);
    }

    /** Hands back what this instance claimed and did not send (shutdown): nothing waits for its lease. */
    public int releaseClaims() {
        return outbox.releaseClaims(owner);
    }

    /** How many times delivery has looked for work. */
    public long polls() {
        return polls.get();
    }
}
