#!/usr/bin/env python3
"""The realistic-mix backlog: few people, many events, repeated identifies.

30,000 messages for 2,000 people by default: every fifth message an identify (a person is identified
again and again, as a site's identify on every page load does), the rest tracks; each message's person
is drawn at random (fixed seed), so one person's identifies and tracks interleave the way they do in
real traffic. Sent to the service's POST /v1/batch in requests of 100 messages, as fast as it answers.

    mix.py --service http://127.0.0.1:PORT [--write-key KEY] [--messages 30000] [--people 2000]

Prints one line: MIX_RESULT messages=… identifies=… tracks=… people=… requests=… seconds=…
"""
import argparse
import base64
import http.client
import json
import random
import sys
import time
import urllib.parse


def messages(count, people, tag, seed):
    rng = random.Random(seed)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    for i in range(count):
        person = rng.randrange(people)
        user = f"mix-{tag}-{person}"
        base = {"userId": user, "messageId": f"mix-{tag}-msg-{i}", "timestamp": now,
                "context": {"library": {"name": "analytics.js", "version": "4.1.0"}, "ip": "203.0.113.17"}}
        if i % 5 == 0:
            yield dict(base, type="identify",
                       traits={"email": f"{user}@example.com", "firstName": "Ada", "plan": "pro",
                               "visits": i // 5})
        else:
            yield dict(base, type="track", event=rng.choice(["Viewed Pricing", "Clicked CTA", "Signed Up"]),
                       properties={"email": f"{user}@example.com", "step": i % 7, "source": "web"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--service", required=True)
    ap.add_argument("--write-key", default="")
    ap.add_argument("--messages", type=int, default=30000)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--tag", default=str(int(time.time())))
    args = ap.parse_args()

    url = urllib.parse.urlparse(args.service)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if args.write_key:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{args.write_key}:".encode()).decode()

    counts = {"identify": 0, "track": 0}
    requests = 0
    batch = []
    start = time.monotonic()

    def send():
        nonlocal requests
        conn.request("POST", "/v1/batch", body=json.dumps({"batch": batch}), headers=headers)
        response = conn.getresponse()
        body = response.read().decode()
        if response.status != 200 or '"rejected"' in body:
            sys.exit(f"mix.py: /v1/batch answered {response.status}: {body[:300]}")
        requests += 1

    for message in messages(args.messages, args.people, args.tag, args.seed):
        counts[message["type"]] += 1
        batch.append(message)
        if len(batch) == args.batch:
            send()
            batch = []
    if batch:
        send()
    print(f"MIX_RESULT messages={args.messages} identifies={counts['identify']} tracks={counts['track']} "
          f"people={args.people} requests={requests} seconds={time.monotonic() - start:.2f}")


if __name__ == "__main__":
    main()
