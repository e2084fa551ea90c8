package io.github.segmentdrip.testing;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;

/** What the Drip and Segment emulators do alike: answer with JSON, and count down injected faults. */
final class EmulatorHttp {

    private EmulatorHttp() {
    }

    /** Sends a JSON answer; a null or empty body is sent as no body at all (204 and the like). */
    static void send(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null || body.isEmpty()) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Takes one from a fault counter shared by concurrent requests; false once it is used up. */
    static boolean takeOne(AtomicInteger counter) {
        int current;
        do {
            current = counter.get();
            if (current <= 0) {
                return false;
            }
        } while (!counter.compareAndSet(current, current - 1));
        return true;
    }
}
