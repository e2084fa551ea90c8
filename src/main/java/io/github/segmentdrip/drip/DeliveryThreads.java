package io.github.segmentdrip.drip;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stacks of the threads on the delivery path, for the one log line of a stall: the Camel timer
 * thread of {@code drip-delivery}, every thread with a frame in the dispatcher, the outbox, the
 * database driver or pool, or the HTTP client, and the owners of the locks they wait for. Taken with
 * the JDK's {@link ThreadMXBean}. Stack frames, thread names, states and lock names only: no
 * variable, request body or header is ever read, so no secret can reach the log this way.
 */
public final class DeliveryThreads {

    /** Camel names a timer's thread after its endpoint: {@code Camel (…) thread #3 - timer://drip-delivery}. */
    static final String DELIVERY_TIMER = "timer://drip-delivery";

    private static final List<String> DELIVERY_CODE = List.of(
            "io.github.segmentdrip.drip.",
            "io.github.segmentdrip.outbox.",
            "org.apache.camel.component.http.",
            "org.apache.hc.client5.",
            "org.sqlite.",
            "io.agroal.",
            "org.postgresql.");

    /** Deep Camel stacks are long; the frames that tell where a thread waits are at the top. */
    private static final int MAX_FRAMES = 48;

    private DeliveryThreads() {
    }

    /** The delivery threads' stacks, jstack-like, leaving out the calling thread (the watchdog's own). */
    public static String dump() {
        ThreadInfo[] threads;
        try {
            threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        } catch (RuntimeException | Error e) {
            return "(no thread dump: " + e.getClass().getSimpleName() + ")";
        }
        long self = Thread.currentThread().getId();
        Map<Long, ThreadInfo> byId = new LinkedHashMap<>();
        for (ThreadInfo thread : threads) {
            if (thread != null) {
                byId.put(thread.getThreadId(), thread);
            }
        }
        Map<Long, ThreadInfo> shown = new LinkedHashMap<>();
        for (ThreadInfo thread : byId.values()) {
            if (thread.getThreadId() != self && onDeliveryPath(thread)) {
                shown.put(thread.getThreadId(), thread);
            }
        }
        // Who holds what a delivery thread waits for is often the answer.
        for (ThreadInfo thread : List.copyOf(shown.values())) {
            ThreadInfo owner = byId.get(thread.getLockOwnerId());
            if (owner != null && owner.getThreadId() != self) {
                shown.putIfAbsent(owner.getThreadId(), owner);
            }
        }
        if (shown.isEmpty()) {
            return "(no thread is on the delivery path: the drip-delivery route may be stopped)";
        }
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo thread : shown.values()) {
            describe(thread, dump);
        }
        return dump.toString();
    }

    static boolean onDeliveryPath(ThreadInfo thread) {
        if (thread.getThreadName().endsWith(DELIVERY_TIMER)) {
            return true;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            for (String code : DELIVERY_CODE) {
                if (frame.getClassName().startsWith(code)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void describe(ThreadInfo thread, StringBuilder dump) {
        dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
        if (thread.isInNative()) {
            dump.append(" (in native code)");
        }
        dump.append('\n');
        LockInfo lock = thread.getLockInfo();
        if (lock != null) {
            dump.append("    waiting for ").append(lock);
            if (thread.getLockOwnerName() != null) {
                dump.append(" held by \"").append(thread.getLockOwnerName()).append('"');
            }
            dump.append('\n');
        }
        StackTraceElement[] frames = thread.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
            dump.append("    at ").append(frames[i]).append('\n');
        }
        if (frames.length > MAX_FRAMES) {
            dump.append("    … ").append(frames.length - MAX_FRAMES).append(" more\n");
        }
    }
}
