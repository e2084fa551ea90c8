#!/usr/bin/env python3
"""Turns the artifacts of one bench/run.sh run (a directory) into the markdown result table."""

import glob
import json
import os
import re
import statistics
import sys


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def load_json(path):
    text = read(path)
    return json.loads(text) if text else None


def meta(run):
    values = {}
    for line in (read(os.path.join(run, "meta.env"), "") or "").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def wrk_result(path):
    text = read(path, "")
    match = re.search(r"^BENCH_RESULT (.*)$", text, re.M)
    if not match:
        return None
    result = {}
    for pair in match.group(1).split():
        key, value = pair.split("=", 1)
        result[key] = float(value)
    return result


def fmt_int(value):
    return "n/a" if value is None else f"{value:,.0f}"


def fmt_ms(us):
    if us is None:
        return "n/a"
    ms = us / 1000.0
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def median(values):
    return statistics.median(values) if values else None


def records(stats):
    return sum(stats["records"].values())


def requests_by(stats, endpoint_class):
    return {int(status): count for status, count in stats["requests"].get(endpoint_class, {}).items()}


def delta_counts(after, before):
    keys = set(after) | set(before)
    return {k: after.get(k, 0) - before.get(k, 0) for k in sorted(keys) if after.get(k, 0) - before.get(k, 0)}


def status_text(counts):
    return ", ".join(f"{count:,}×{status}" for status, count in sorted(counts.items())) or "none"


def cpu_usage(run, ncpu):
    """Per measured run, in % of one core: CPU of the service, the emulator, wrk, interrupts (softirq:
    mostly loopback networking, not charged to any process), everything else, and steal."""
    marks = {}
    for line in (read(os.path.join(run, "cpu.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) == 8:
            marks[parts[0]] = [int(v) for v in parts[1:]]
    usage = {}
    for label, start in marks.items():
        if not label.endswith("-start"):
            continue
        key = label[: -len("-start")]
        end = marks.get(key + "-end")
        if not end:
            continue
        busy, idle, steal, irq, svc, emu, wrk = (e - b for e, b in zip(end, start))
        if busy + idle <= 0:
            continue
        pct = lambda ticks: 100.0 * ticks * ncpu / (busy + idle)
        usage[key] = {"service": pct(svc), "emulator": pct(emu), "wrk": pct(wrk), "irq": pct(irq),
                      "other": pct(max(0, busy - svc - emu - wrk - irq - steal)), "steal": pct(steal),
                      "idle": pct(idle)}
    return usage


def intake(run, phase, events_per_request):
    runs = []
    for path in sorted(glob.glob(os.path.join(run, f"wrk-{phase}-[0-9]*.txt")),
                       key=lambda p: int(re.search(r"-(\d+)\.txt$", p).group(1))):
        r = wrk_result(path)
        if r is None:
            continue
        seconds = r["duration_us"] / 1e6
        r["accepted_rps"] = r["ok"] / seconds
        r["events_per_s"] = r["ok"] * events_per_request / seconds
        runs.append(r)
    return runs


def records_by_class(stats, endpoint_class):
    return stats.get("records_by_class", {}).get(endpoint_class)


def records_per_request_rows(before, after):
    """Records per batch request and per single request between two emulator stats (all statuses count
    as requests: a refused batch is a slot spent)."""
    rows = []
    for endpoint_class, label in (("batch", "records per batch request (Drip allows 1,000)"),
                                  ("single", "records per single request")):
        a, b = records_by_class(before, endpoint_class), records_by_class(after, endpoint_class)
        n = sum(requests_by(after, endpoint_class).values()) - sum(requests_by(before, endpoint_class).values())
        if a is None or b is None:
            continue
        rows.append(f"| | {label} | {(b - a) / n:,.1f} ({b - a:,} records / {n:,} requests) |" if n
                    else f"| | {label} | n/a (no requests) |")
    return rows


def snapshots(run, name):
    """What bench/lib.sh's measure_windows left for <name>: per snapshot (start, then after each
    window) k, time in ns, outbox rows, dead letters (or NA), the emulator's stats, RSS in kB and the
    data dir's bytes on disk (None where not taken)."""
    snaps = []
    for line in (read(os.path.join(run, f"{name}-snapshots.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        stats = load_json(os.path.join(run, f"{name}-{parts[0]}.json"))
        if stats:
            number = lambda i: int(parts[i]) if len(parts) > i and parts[i].isdigit() else None
            snaps.append((int(parts[0]), int(parts[1]), parts[2], parts[3], stats, number(4), number(5)))
    return snaps


def records_per_window(snaps, window_s):
    """Records the emulator accepted between the first and last snapshot, per window."""
    first, last = snaps[0], snaps[-1]
    return (records(last[4]) - records(first[4])) / ((last[1] - first[1]) / 1e9 / window_s)


def cost_rows(run, m, batch_size, cpu, mix_rate):
    """The cost model (bench/README.md): CPU per accepted event, bytes on disk per queued record, and
    the hours Drip's budget needs to drain a backlog, each from this run's measurements."""
    rows = []
    for phase, per_request in (("single", 1), ("batch", batch_size)):
        per_event = [cpu[f"{phase}-{i}"]["service"] / 100.0 * 1e6 / r["events_per_s"]
                     for i, r in enumerate(intake(run, phase, per_request), 1)
                     if f"{phase}-{i}" in cpu and r["events_per_s"] > 0]
        if per_event:
            rows.append(f"| Cost model | service CPU per accepted event, {phase} intake | {median(per_event):,.0f} µs "
                        f"(runs: {', '.join(f'{v:,.0f}' for v in per_event)}) |")
    window_s = float(m.get("window_s", "0") or 0)
    delivery = snapshots(run, "delivery")
    if delivery and delivery[0][2].isdigit() and int(delivery[0][2]) > 0 and delivery[0][6]:
        rows_at_start, size = int(delivery[0][2]), delivery[0][6]
        rows.append(f"| | bytes on disk per queued record (SQLite outbox at {rows_at_start:,} rows, "
                    f"seen messageIds included) | {size / rows_at_start:,.0f} B ({size / 2**20:,.0f} MiB) |")
    rates = []
    if len(delivery) >= 2 and window_s > 0:
        rates.append(("one identify and one track per person", records_per_window(delivery, window_s)))
    if mix_rate:
        scale = (int(m.get("single_limit", 3600)) + int(m.get("batch_limit", 50)) * 1000) / \
                (int(m.get("mix_single_limit", 360)) + int(m.get("mix_batch_limit", 5)) * 1000)
        rates.append(("realistic mix, at the full budget", mix_rate * scale))
    for label, per_hour in rates:
        rows.append(f"| | hours to drain 100,000 / 1,000,000 / 10,000,000 queued records ({label}: "
                    f"{per_hour:,.0f} per Drip hour) | {1e5 / per_hour:,.1f} / {1e6 / per_hour:,.1f} / {1e7 / per_hour:,.0f} h |")
    return rows


def mix_rows(run, m, notes):
    """The realistic-mix workload (bench/mix.py): a backlog of few people with many events and repeated
    identifies, delivered under a budget scaled down so the backlog outlasts the measured windows."""
    snaps = snapshots(run, "mix")
    sent = re.search(r"^MIX_RESULT (.*)$", read(os.path.join(run, "mix.txt"), "") or "", re.M)
    window_s = float(m.get("window_s", "0") or 0)
    if len(snaps) < 2 or not sent or window_s <= 0:
        return ["| Delivery, realistic mix | records per compressed hour | not run |"], None
    info = dict(kv.split("=", 1) for kv in sent.group(1).split())
    single_limit, batch_limit = int(m["mix_single_limit"]), int(m["mix_batch_limit"])
    target = single_limit + batch_limit * 1000
    first, last = snaps[0], snaps[-1]
    windows = (last[1] - first[1]) / 1e9 / window_s
    per_window = [(records(b[4]) - records(a[4])) / (((b[1] - a[1]) / 1e9) / window_s) for a, b in zip(snaps, snaps[1:])]
    rate = records_per_window(snaps, window_s)
    single = delta_counts(requests_by(last[4], "single"), requests_by(first[4], "single"))
    batch = delta_counts(requests_by(last[4], "batch"), requests_by(first[4], "batch"))
    rows = [f"| Delivery, realistic mix ({int(info['messages']):,} messages for {int(info['people']):,} people: "
            f"{int(info['identifies']):,} identifies, {int(info['tracks']):,} tracks; {len(snaps) - 1} × {m.get('window', '?')} "
            f"at {single_limit:,} single + {batch_limit:,} batch requests per window) | records per window | "
            f"{fmt_int(rate)} (windows: {', '.join(fmt_int(v) for v in per_window)}) |",
            f"| | % of the {target:,} target | {100.0 * rate / target:.1f} % |",
            f"| | Drip requests per window: single / batch | {sum(single.values()) / windows:,.0f} / "
            f"{sum(batch.values()) / windows:,.0f} (statuses: single {status_text(single)}; batch {status_text(batch)}) |"]
    rows.extend(records_per_request_rows(first[4], last[4]))
    if first[2] != "NA":
        rows.append(f"| | outbox depth start → end (dead letters) | {int(first[2]):,} → {int(last[2]):,} "
                    f"({int(first[3]):,} → {int(last[3]):,}) |")
        if int(last[2]) == 0:
            notes.append("realistic mix: the outbox ran empty during the measurement; the figures are a lower bound")
    final = load_json(os.path.join(run, "stats-mix-final.json"))
    if final:
        rows.append(f"| | budget kept | {'yes' if final['budget_respected'] else '**no**'}: at most "
                    f"{final['max_per_sliding_window']['single']:,}/{final['limits']['single']:,} single and "
                    f"{final['max_per_sliding_window']['batch']:,}/{final['limits']['batch']:,} batch requests "
                    f"in any sliding window; {final['rate_limited']:,} hourly 429s |")
    return rows, rate


def main():
    run = sys.argv[1]
    m = meta(run)
    batch_size = int(m.get("batch_size", "100"))
    window = m.get("window", "?")
    window_s = float(m.get("window_s", "0") or 0)
    single_limit = int(m.get("single_limit", "3600"))
    batch_limit = int(m.get("batch_limit", "50"))
    target = single_limit + batch_limit * 1000  # Drip: at most 1,000 records per batch request
    connections = m.get("connections", "?")
    out = []
    notes = []

    out.append("# Segment → Drip destination: benchmark")
    out.append("")
    out.append(f"Run {m.get('started', '?')} → {m.get('finished', '?')}, commit {m.get('commit', '?')} "
               f"({m.get('dirty_files', '?')} uncommitted files), {m.get('cpus', '?')} CPUs, "
               f"load average {m.get('loadavg_start', '?')} at start / {m.get('loadavg_end', '?')} at end. "
               f"Compressed Drip hour: {window} ({single_limit:,} single + {batch_limit:,} batch requests "
               f"per window). Intake: wrk, {connections} connections, {m.get('wrk_threads', '?')} threads, "
               f"{m.get('warmup_s', '?')} s warm-up then {m.get('repeats', '?')} × {m.get('duration_s', '?')} s, "
               f"medians shown.")
    out.append("")
    if "service_java_opts_from" in m:
        out.append(f"The service runs through `bin/run` with JVM options "
                   f"`{m.get('service_java_opts') or '(none: the JVM’s defaults)'}` (from {m['service_java_opts_from']}), "
                   f"MALLOC_ARENA_MAX={m.get('service_malloc_arena_max', '?')}.")
        out.append("")
    warmups = {}
    for line in (read(os.path.join(run, "warmup.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) == 3:
            warmups[parts[0]] = f"{parts[0]} {parts[1]} s in {parts[2]} chunk(s)"
    if warmups:
        out[-2] = out[-2].replace(f"{m.get('warmup_s', '?')} s warm-up then",
                                  "warm-up " + ", ".join(warmups.values()) + ", then")
    out.append("| Phase | Metric | Value |")
    out.append("|---|---|---|")

    # ---- intake
    details = []
    cpu = cpu_usage(run, int(m.get("cpus", "1") or 1))
    for phase, label, per_request in (("single", "POST /v1/track", 1),
                                      ("batch", f"POST /v1/batch, {batch_size} messages", batch_size)):
        runs = intake(run, phase, per_request)
        title = f"Intake {phase} ({label}, {connections} conns)"
        if not runs:
            out.append(f"| {title} | events/s | not run |")
            continue
        eps = median([r["events_per_s"] for r in runs])
        p50 = median([r["p50_us"] for r in runs])
        p99 = median([r["p99_us"] for r in runs])
        extra = f" ({median([r['accepted_rps'] for r in runs]):,.0f} requests/s × {per_request})" if per_request > 1 else ""
        out.append(f"| {title} | events/s | {fmt_int(eps)}{extra} |")
        out.append(f"| | latency p50 / p99 | {fmt_ms(p50)} / {fmt_ms(p99)} |")
        for i, r in enumerate(runs, 1):
            details.append(f"| {phase} #{i} | {r['events_per_s']:,.0f} | {r['accepted_rps']:,.1f} | {fmt_ms(r['p50_us'])} | "
                           f"{fmt_ms(r['p90_us'])} | {fmt_ms(r['p99_us'])} | {fmt_ms(r['max_us'])} | {r['ok']:,.0f} | "
                           f"{r['bad_status']:,.0f} | {r['partly_rejected']:,.0f} | "
                           f"{r['connect_errors'] + r['read_errors'] + r['write_errors'] + r['timeouts']:,.0f} | "
                           + (" / ".join(f"{cpu[f'{phase}-{i}'][k]:.0f}" for k in
                                         ("service", "emulator", "wrk", "irq", "other", "steal"))
                              if f"{phase}-{i}" in cpu else "n/a") + " |")
            if r["bad_status"] or r["partly_rejected"]:
                notes.append(f"intake {phase} run {i}: {r['bad_status']:,.0f} non-200 answers, "
                             f"{r['partly_rejected']:,.0f} batch answers listing rejected messages "
                             f"(not counted as accepted events)")
            if r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]:
                notes.append(f"intake {phase} run {i}: socket errors or timeouts "
                             f"(connect {r['connect_errors']:.0f}, read {r['read_errors']:.0f}, "
                             f"write {r['write_errors']:.0f}, timeout {r['timeouts']:.0f})")

    # ---- memory
    hwm = [int(v) for v in ((read(os.path.join(run, "hwm-final.txt")) or "").split()) if v.isdigit()]
    sampled = []
    for line in (read(os.path.join(run, "rss.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) == 3:
            sampled.append(int(parts[2]))
    peak_kb = max(hwm + sampled) if (hwm or sampled) else None
    hwm_intake = (read(os.path.join(run, "hwm-after-intake.txt")) or "").strip()
    hwm_e2e = (read(os.path.join(run, "hwm-e2e.txt")) or "").strip()
    e2e_kb = int(hwm_e2e) if hwm_e2e.isdigit() and int(hwm_e2e) > 0 else None
    if peak_kb or e2e_kb:
        parts = []
        if peak_kb:
            parts.append(f"main service {peak_kb / 1024:,.0f} MB"
                         + (f" ({int(hwm_intake) / 1024:,.0f} MB at the end of intake)" if hwm_intake.isdigit() else ""))
        if e2e_kb:
            parts.append(f"end-to-end service {e2e_kb / 1024:,.0f} MB")
        out.append(f"| Memory | peak RSS over the whole run (VmHWM) | **{max(peak_kb or 0, e2e_kb or 0) / 1024:,.0f} MB**: "
                   f"{'; '.join(parts)} |")
    else:
        out.append("| Memory | peak RSS over the whole run (VmHWM) | n/a |")
    startups = []
    for line in (read(os.path.join(run, "startup.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            startups.append(f"{parts[0]} service {int(parts[1]) / 1000:.1f} s")
    if startups:
        out.append(f"| Start-up | process start → /q/health/ready 200 | {', '.join(startups)} |")

    # ---- delivery
    snaps = snapshots(run, "delivery")
    if len(snaps) >= 2 and window_s > 0:
        first, last = snaps[0], snaps[-1]
        windows = (last[1] - first[1]) / 1e9 / window_s
        rec_total = records(last[4]) - records(first[4])
        per_window = [(records(b[4]) - records(a[4])) / (((b[1] - a[1]) / 1e9) / window_s)
                      for a, b in zip(snaps, snaps[1:])]
        rate = rec_total / windows
        single = delta_counts(requests_by(last[4], "single"), requests_by(first[4], "single"))
        batch = delta_counts(requests_by(last[4], "batch"), requests_by(first[4], "batch"))
        n_single, n_batch = sum(single.values()), sum(batch.values())
        n_429 = single.get(429, 0) + batch.get(429, 0)
        rate_limited = last[4]["rate_limited"] - first[4]["rate_limited"]
        per_request = rec_total / (n_single + n_batch) if (n_single + n_batch) else None
        out.append(f"| Delivery ({len(snaps) - 1} × {window} with a backlog) | records per compressed hour | "
                   f"{fmt_int(rate)} (windows: {', '.join(fmt_int(v) for v in per_window)}) |")
        out.append(f"| | % of the {target:,} target | {100.0 * rate / target:.1f} % |")
        out.append(f"| | Drip requests per window: single / batch | {n_single / windows:,.0f} / {n_batch / windows:,.0f} |")
        out.append(f"| | statuses over the {len(snaps) - 1} windows | single: {status_text(single)}; "
                   f"batch: {status_text(batch)} |")
        out.append(f"| | 429s received | {n_429:,} ({rate_limited:,} for the hourly budget) |")
        out.append(f"| | records per request | {per_request:,.2f} |" if per_request is not None
                   else "| | records per request | n/a (no requests) |")
        out.extend(records_per_request_rows(first[4], last[4]))
        outbox_start, dead_start, outbox_end, dead_end = first[2], first[3], last[2], last[3]
        if outbox_start != "NA":
            topup = (read(os.path.join(run, "backlog-topup-s.txt")) or "").strip()
            topup_text = (f"; {int(topup)} s of unmeasured batch intake after the measured runs topped it up"
                          if topup.isdigit() and int(topup) > 0 else "")
            out.append(f"| | outbox depth start → end (dead letters) | {int(outbox_start):,} → {int(outbox_end):,} "
                       f"({int(dead_start):,} → {int(dead_end):,}){topup_text} |")
            backlog_target = int(m.get("backlog_target", "0") or 0)
            if int(outbox_start) < backlog_target:
                notes.append(f"delivery: the backlog was {int(outbox_start):,} rows, under BENCH_BACKLOG="
                             f"{backlog_target:,} (the top-up stops after 300 s)")
            if int(outbox_end) == 0:
                notes.append("delivery: the outbox ran empty during the measurement, so the delivery rate is a "
                             "lower bound; raise BENCH_DURATION or BENCH_REPEATS for a bigger backlog")
            if int(dead_end) > int(dead_start):
                notes.append(f"delivery: {int(dead_end) - int(dead_start):,} records were dead-lettered "
                             f"during the measurement")
        rss = [(sn[5], sn[2]) for sn in snaps if sn[5]]
        if rss:
            out.append("| | RSS of the service at the start and after each window (outbox rows) | "
                       + ", ".join(f"{kb / 1024:,.0f} MB ({int(rows):,})" if rows.isdigit() else f"{kb / 1024:,.0f} MB"
                                   for kb, rows in rss) + " |")
        if outbox_start == "NA":
            accepted = sum(r["ok"] * per for phase, per in (("single", 1), ("batch", batch_size))
                           for r in intake(run, phase, per))
            out.append(f"| | outbox depth (accepted − delivered, measured runs only) | "
                       f"≈ {accepted - records(last[4]):,.0f} |")
        if per_window and max(per_window) > 0 and min(per_window) < 0.9 * max(per_window):
            notes.append("delivery: the windows differ by more than 10 %; the budget windows of the service "
                         "and the emulator are not aligned with the measurement, so a burst can fall on "
                         "either side of a boundary")
    else:
        out.append("| Delivery | records per compressed hour | not run |")

    final = load_json(os.path.join(run, "stats-main-final.json"))
    if final:
        sliding = final["max_per_sliding_window"]
        limits = final["limits"]
        kept = "yes" if final["budget_respected"] else "**no**"
        out.append(f"| | budget kept over the whole run | {kept}: at most {sliding['single']:,}/{limits['single']:,} "
                   f"single and {sliding['batch']:,}/{limits['batch']:,} batch requests in any sliding window; "
                   f"{final['rate_limited']:,} hourly 429s |")
        whole_429 = sum(c for cls in ("single", "batch") for s, c in requests_by(final, cls).items() if s == 429)
        if whole_429 and whole_429 != final["rate_limited"]:
            notes.append(f"whole run: {whole_429:,} 429 answers, {final['same_subscriber_conflicts']:,} of them "
                         f"same-subscriber conflicts")

    # ---- realistic mix
    rows, mix_rate = mix_rows(run, m, notes)
    out.extend(rows)
    out.extend(cost_rows(run, m, batch_size, cpu, mix_rate))

    # ---- end to end
    e2e_text = read(os.path.join(run, "e2e.txt"), "") or ""
    match = re.search(r"^E2E_RESULT (.*)$", e2e_text, re.M)
    if match:
        e2e = json.loads(match.group(1))
        if "error" in e2e:
            out.append(f"| Light-load end to end | p50 / p99 | failed: {e2e['error']} |")
        else:
            def ms(v):
                return "n/a" if v is None else (f"{v:,.1f} ms" if v < 100 else f"{v:,.0f} ms")
            out.append(f"| Light-load end to end ({e2e['sent']} events {m.get('e2e_interval_s', '1')} s apart after "
                       f"{e2e.get('warmup', 0)} warm-up, empty outbox) | send → seen by Drip p50 / p99 | {ms(e2e['p50_ms'])} / {ms(e2e['p99_ms'])} "
                       f"({e2e['arrived']}/{e2e['sent']} arrived; intake answer p50 {ms(e2e['intake_p50_ms'])}) |")
            if e2e["missing"] or e2e["intake_failures"]:
                notes.append(f"e2e: {e2e['missing']} accepted events never reached the emulator within the "
                             f"drain timeout, {e2e['intake_failures']} were not accepted by the intake")
    else:
        out.append("| Light-load end to end | p50 / p99 | not run |")

    if details:
        out.append("")
        out.append("Intake runs:")
        out.append("")
        out.append("| Run | events/s | accepted requests/s | p50 | p90 | p99 | max | 200 OK | non-200 | "
                   "partly rejected | socket errors | CPU % of one core: service / emulator / wrk / irq / other / steal |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        out.extend(details)
    if notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"- {n}" for n in notes)
    print("\n".join(out))


if __name__ == "__main__":
    main()
