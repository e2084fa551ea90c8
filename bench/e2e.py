#!/usr/bin/env python3
"""End-to-end latency at light load: Segment track sent to the service → record seen by "Drip".

One process, two roles, one monotonic clock:

* a small reverse proxy on 127.0.0.1 that the service under test uses as DRIP_BASE_URL; it forwards
  every request unchanged to the Drip emulator and, when the emulator answers 2xx, notes the time
  the request *arrived* for every email in its records (single or batch bodies alike);
* a sender that, once the service answers HTTP, posts one track event per interval to
  POST /v1/track, each with a unique email, and notes when it sent it.

Latency = arrival at the proxy − send time. The emulator's own stats cannot say *when* a given
record came in, hence the proxy; it does not change the service, only where it sends.

Prints "e2e-proxy listening on http://127.0.0.1:PORT" first (run.sh starts the service with that
URL), then progress on stderr, then one line "E2E_RESULT {json}". Every wait is bounded.
"""

import argparse
import base64
import http.client
import json
import math
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade", "host", "content-length"}

arrivals = {}          # email -> monotonic time the request carrying it arrived (2xx only)
arrivals_lock = threading.Lock()
forwarded = {"requests": 0, "non_2xx": 0, "errors": 0}


def emails_in(node, found):
    """Every "email" value anywhere in a Drip request body (subscribers, events, batches)."""
    if isinstance(node, dict):
        value = node.get("email")
        if isinstance(value, str):
            found.append(value.strip().lower())
        for child in node.values():
            if isinstance(child, (dict, list)):
                emails_in(child, found)
    elif isinstance(node, list):
        for child in node:
            emails_in(child, found)
    return found


def make_handler(upstream):
    target = urllib.parse.urlsplit(upstream)
    local = threading.local()

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def upstream(self):
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                local.conn = conn
            return conn

        def read_body(self):
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                chunks = []
                for _ in range(1_000_000):  # bounded; a chunk of size 0 ends the body
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else None

        def forward(self):
            arrived = time.monotonic()
            body = self.read_body()
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            status, reply_headers, reply = 502, [], b'{"errors":[{"code":"proxy_error"}]}'
            for attempt in (1, 2):  # a kept-alive upstream connection may have been closed
                try:
                    conn = self.upstream()
                    conn.request(self.command, self.path, body=body, headers=headers)
                    response = conn.getresponse()
                    status, reply_headers, reply = response.status, response.getheaders(), response.read()
                    break
                except (http.client.HTTPException, OSError):
                    local.conn = None
                    if attempt == 2:
                        forwarded["errors"] += 1
            forwarded["requests"] += 1
            if 200 <= status < 300:
                if body:
                    try:
                        found = emails_in(json.loads(body), [])
                    except ValueError:
                        found = []
                    with arrivals_lock:
                        for email in found:
                            arrivals.setdefault(email, arrived)
            else:
                forwarded["non_2xx"] += 1
            self.send_response(status)
            for name, value in reply_headers:
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            if reply:
                self.wfile.write(reply)

        do_GET = forward
        do_POST = forward
        do_PUT = forward
        do_DELETE = forward

    return Proxy


def percentile(values, p):
    """Nearest-rank percentile (p99 of 30 samples is the largest one)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def wait_for_service(url, timeout):
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            conn.request("GET", "/v1/track")
            conn.getresponse().read()
            conn.close()
            return True
        except (http.client.HTTPException, OSError):
            time.sleep(0.25)
    return False


def track_body(email, tag, i):
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    return json.dumps({
        "type": "track", "userId": f"e2e-user-{tag}-{i}", "messageId": f"e2e-msg-{tag}-{i}",
        "timestamp": now, "event": "Order Completed",
        "properties": {"email": email, "order_id": f"e2e-order-{tag}-{i}", "revenue": 42.5, "currency": "USD"},
        "context": {"library": {"name": "analytics.js", "version": "4.1.0"}, "ip": "203.0.113.17"},
    }).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="Drip emulator base URL")
    parser.add_argument("--service", required=True, help="service base URL, e.g. http://127.0.0.1:18080")
    parser.add_argument("--port", type=int, default=0, help="proxy port (0: any free one)")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between events")
    parser.add_argument("--ready-timeout", type=float, default=60.0)
    parser.add_argument("--drain-timeout", type=float, default=30.0,
                        help="how long to wait after the last send for missing arrivals")
    parser.add_argument("--warmup", type=int, default=3,
                        help="unmeasured events first, each awaited, so the first sample is not a cold start")
    parser.add_argument("--write-key", default="", help="Segment write key, sent as HTTP Basic user name")
    parser.add_argument("--tag", default=str(int(time.time())))
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.upstream))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="proxy", daemon=True).start()
    print(f"e2e-proxy listening on http://127.0.0.1:{server.server_address[1]}", flush=True)

    if not wait_for_service(args.service, args.ready_timeout):
        print("E2E_RESULT " + json.dumps({"error": f"service not answering within {args.ready_timeout}s"}),
              flush=True)
        return 2
    service = urllib.parse.urlsplit(args.service)
    conn = http.client.HTTPConnection(service.hostname, service.port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if args.write_key:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{args.write_key}:".encode()).decode()

    # Warm-up: the first request through a fresh JVM and fresh connections is a cold start, which
    # a light-load steady state does not see. Each is awaited (bounded) before the next.
    for i in range(args.warmup):
        email = f"e2e-warmup-{args.tag}-{i}@example.com"
        try:
            conn.request("POST", "/v1/track", body=track_body(email, args.tag, f"w{i}"),
                         headers=headers)
            conn.getresponse().read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(service.hostname, service.port, timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with arrivals_lock:
                if email in arrivals:
                    break
            time.sleep(0.02)
        print(f"e2e: warm-up {i + 1}/{args.warmup}", file=sys.stderr, flush=True)
    time.sleep(0.5)
    sent = {}            # email -> monotonic send time
    intake_ms = []
    intake_failures = 0
    start = time.monotonic()
    for i in range(args.count):
        due = start + i * args.interval
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        email = f"e2e-{args.tag}-{i}@example.com"
        body = track_body(email, args.tag, i)
        t0 = time.monotonic()
        try:
            conn.request("POST", "/v1/track", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(service.hostname, service.port, timeout=10)
            ok = False
        t1 = time.monotonic()
        if ok:
            sent[email] = t0
            intake_ms.append((t1 - t0) * 1000)
        else:
            intake_failures += 1
        print(f"e2e: sent {i + 1}/{args.count}", file=sys.stderr, flush=True)

    deadline = time.monotonic() + args.drain_timeout
    while time.monotonic() < deadline:
        with arrivals_lock:
            if all(email in arrivals for email in sent):
                break
        time.sleep(0.05)

    with arrivals_lock:
        latencies = [(arrivals[e] - t) * 1000 for e, t in sent.items() if e in arrivals]
    result = {
        "warmup": args.warmup, "sent": args.count, "accepted": len(sent), "intake_failures": intake_failures,
        "arrived": len(latencies), "missing": len(sent) - len(latencies),
        "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
        "min_ms": min(latencies) if latencies else None, "max_ms": max(latencies) if latencies else None,
        "mean_ms": sum(latencies) / len(latencies) if latencies else None,
        "intake_p50_ms": percentile(intake_ms, 50), "intake_p99_ms": percentile(intake_ms, 99),
        "proxy": dict(forwarded), "samples_ms": [round(v, 1) for v in latencies],
    }
    print("E2E_RESULT " + json.dumps(result), flush=True)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
