#!/usr/bin/env python3
"""Turns the artifacts of one bench/compare.sh run (a directory) into the markdown comparison:
per arm and phase the median, min–max and latencies, ratios between arms (of the medians, and
paired by round), and every run."""

import os
import statistics
import sys

from report import cpu_usage, fmt_int, fmt_ms, meta, read, records_per_window, snapshots, wrk_result

PHASES = {"single": ("POST /v1/track", 1), "batch": ("POST /v1/batch", None)}


def arm_runs(run):
    """arm-runs.txt: arm round position loadavg_start loadavg_end hwm_kb outbox seen_message [startup_ms]"""
    rows = {}
    for line in (read(os.path.join(run, "arm-runs.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) in (8, 9):
            arm, rnd, pos, l0, l1, hwm, outbox, seen = parts[:8]
            startup = parts[8] if len(parts) == 9 else ""
            rows[(arm, int(rnd))] = {"position": int(pos), "load_start": l0, "load_end": l1,
                                     "hwm_kb": int(hwm) if hwm.isdigit() else None,
                                     "outbox": outbox, "seen": seen,
                                     "startup_ms": int(startup) if startup.isdigit() else None}
    return rows


def warmups(run):
    values = {}
    for line in (read(os.path.join(run, "warmup.txt"), "") or "").splitlines():
        parts = line.split()
        if len(parts) == 3:
            values[parts[0]] = (parts[1], parts[2])
    return values


def pct_change(ratio):
    return f"{(ratio - 1) * 100:+.1f} %"


def spread(values, fmt):
    return f"{fmt(min(values))}–{fmt(max(values))}" if values else "n/a"


def mix_rows(run, m, arms, rounds):
    """Per arm: the realistic mix's records per window as % of the scaled budget, and records per batch
    request, from the emulator stats taken at the start and after each measured window."""
    single, batch = int(m.get("mix_single_limit", 360)), int(m.get("mix_batch_limit", 5))
    window_s = float(m.get("window_s", "0") or 0)
    target = single + batch * 1000
    out = [f"Delivery of the realistic mix (bench/mix.py: {m.get('mix_messages', '30000')} messages for "
           f"{m.get('mix_people', '2000')} people, every fifth an identify), per arm and round a fresh service and "
           f"emulator at {single:,} single + {batch:,} batch requests per {m.get('window', '?')} window, "
           f"{m.get('delivery_windows', '3')} windows measured:", "",
           "| Arm | % of the " + f"{target:,}" + " target, median (min–max) | records per batch request, median (min–max) | batch requests |",
           "|---|---|---|---|"]
    for arm in arms:
        pcts, per_batch, n_batches = [], [], 0
        for rnd in range(1, rounds + 1):
            snaps = snapshots(run, f"mix-{arm}-r{rnd}")
            if len(snaps) < 2 or window_s <= 0:
                continue
            a, b = snaps[0][4], snaps[-1][4]
            pcts.append(100.0 * records_per_window(snaps, window_s) / target)
            nb = sum(b["requests"]["batch"].values()) - sum(a["requests"]["batch"].values())
            rb = b.get("records_by_class", {}).get("batch", 0) - a.get("records_by_class", {}).get("batch", 0)
            if nb:
                per_batch.append(rb / nb)
                n_batches += nb
        if not pcts:
            out.append(f"| {arm} | n/a | n/a | 0 |")
            continue
        fmt = lambda vs, f: f"{statistics.median(vs):{f}} ({min(vs):{f}}–{max(vs):{f}})" if vs else "n/a"
        out.append(f"| {arm} | {fmt(pcts, '.1f')} % | {fmt(per_batch, ',.0f')} | {n_batches} |")
    return out


def main():
    run = sys.argv[1]
    m = meta(run)
    arms = m.get("arms", "before after").split()
    phases = m.get("phases", "single batch").split()
    mix = "mix" in phases
    phases = [p for p in phases if p in PHASES]
    rounds = int(m.get("rounds", "0") or 0)
    batch_size = int(m.get("batch_size", "100"))
    ncpu = int(m.get("cpus", "1") or 1)
    cpu = cpu_usage(run, ncpu)
    rows = arm_runs(run)
    warm = warmups(run)
    notes = []

    def describe(arm):
        env = m.get(f"arm_env_{arm}", "")
        if arm == "before":
            build = f"{m.get('baseline_commit', '?')[:10]} ({m.get('baseline', '?')})"
        else:
            dirty = m.get("dirty_files", "?")
            build = f"{m.get('commit', '?')}" + (f" + {dirty} uncommitted files" if dirty not in ("0", "?") else "")
        return build + (f", {env}" if env else "")

    # results[phase][arm][round] = measured run
    results = {}
    for phase in phases:
        per_request = PHASES[phase][1] or batch_size
        results[phase] = {}
        for arm in arms:
            results[phase][arm] = {}
            for rnd in range(1, rounds + 1):
                label = f"{arm}-{phase}-r{rnd}"
                r = wrk_result(os.path.join(run, f"wrk-{label}-1.txt"))
                if r is None:
                    continue
                seconds = r["duration_us"] / 1e6
                r["events_per_s"] = r["ok"] * per_request / seconds
                r["cpu"] = cpu.get(f"{label}-1")
                # service CPU time per accepted event, in µs: a throughput-independent cost measure
                r["cpu_us_per_event"] = (r["cpu"]["service"] / 100.0 * seconds / (r["ok"] * per_request) * 1e6
                                         if r["cpu"] and r["ok"] else None)
                r["warmup"] = warm.get(label)
                results[phase][arm][rnd] = r
                if r["bad_status"] or r["partly_rejected"]:
                    notes.append(f"{label}: {r['bad_status']:,.0f} non-200 answers, {r['partly_rejected']:,.0f} "
                                 f"batch answers listing rejected messages (not counted)")
                errors = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
                if errors:
                    notes.append(f"{label}: {errors:,.0f} socket errors or timeouts")

    out = []
    out.append("# Intake, before vs after: one run, arms interleaved")
    out.append("")
    out.append(f"Run {m.get('started', '?')} → {m.get('finished', '?')} on {m.get('cpus', '?')} CPUs, load average "
               f"{m.get('loadavg_start', '?')} at start / {m.get('loadavg_end', '?')} at end; {m.get('java', '?')}, "
               f"{m.get('wrk', '?')}.")
    out.append("")
    out.append("Arms (each round runs every arm once, the order rotated round by round, each time a fresh service "
               "process with a fresh data dir and a reset emulator):")
    out.append("")
    for arm in arms:
        subject = m.get("baseline_subject") if arm == "before" else m.get("after_subject")
        out.append(f"- **{arm}**: {describe(arm)}" + (f" — “{subject}”" if subject and arm == "before" else ""))
    if m.get("after_subject"):
        out.append(f"- (this tree's HEAD {m.get('after_commit_full', '?')[:10]}: “{m.get('after_subject')}”)")
    if "service_java_opts_from" in m:
        out.append("")
        out.append(f"Every arm starts through this tree's `bin/run`, with JVM options "
                   f"`{m.get('service_java_opts') or '(none: the JVM’s defaults)'}` (from {m['service_java_opts_from']}) "
                   f"and MALLOC_ARENA_MAX={m.get('service_malloc_arena_max', '?')}, unless the arm's environment sets "
                   f"JAVA_OPTS or MALLOC_ARENA_MAX.")
    out.append("")
    out.append(f"Per arm and round: warm-up ({m.get('warmup_s', '?')} s chunks until two agree within 15 %, at most "
               f"{m.get('warmup_max_s', '?')} s), then one measured run of {m.get('duration_s', '?')} s per phase; "
               f"wrk {m.get('connections', '?')} connections, {m.get('wrk_threads', '?')} threads, a new messageId "
               f"and email per message; batches of {batch_size}. {rounds} round{'s' if rounds != 1 else ''}. Delivery to the emulator runs "
               f"meanwhile, as in bench/run.sh.")
    out.append("")

    # ---- summary per phase and arm
    out.append("| Phase | Arm | events/s median | min–max | p50 median | p99 median | service CPU µs/event median |")
    out.append("|---|---|---|---|---|---|---|")
    for phase in phases:
        title = f"{phase} ({PHASES[phase][0]}" + (f", {batch_size} messages)" if phase == "batch" else ")")
        for i, arm in enumerate(arms):
            rs = list(results[phase][arm].values())
            eps = [r["events_per_s"] for r in rs]
            cpe = [r["cpu_us_per_event"] for r in rs if r["cpu_us_per_event"] is not None]
            med = lambda key: fmt_ms(statistics.median([r[key] for r in rs])) if rs else "n/a"
            out.append(f"| {title if i == 0 else ''} | {arm} | {fmt_int(statistics.median(eps)) if eps else 'n/a'} | "
                       f"{spread(eps, fmt_int)} | {med('p50_us')} | {med('p99_us')} | "
                       f"{fmt_int(statistics.median(cpe)) if cpe else 'n/a'} |")
    out.append("")

    # ---- delivery of the realistic mix (bench/mix.py), per arm
    if mix:
        out.extend(mix_rows(run, m, arms, rounds))
        out.append("")

    # ---- ratios: every arm over each arm listed before it
    out.append("Ratios (events/s; below 1 means slower than the arm it is divided by). \"Of medians\" divides the "
               "medians above; \"paired\" divides the two arms' runs of the same round (run close in time) and "
               "shows the median and min–max over the rounds.")
    out.append("")
    out.append("| Phase | Ratio | of medians | paired: median | paired: min–max | service CPU µs/event, of medians |")
    out.append("|---|---|---|---|---|---|")
    for phase in phases:
        first = True
        for j, num in enumerate(arms):
            for den in arms[:j]:
                a, b = results[phase][num], results[phase][den]
                ea = [r["events_per_s"] for r in a.values()]
                eb = [r["events_per_s"] for r in b.values()]
                if not ea or not eb:
                    continue
                of_medians = statistics.median(ea) / statistics.median(eb)
                paired = [a[k]["events_per_s"] / b[k]["events_per_s"] for k in sorted(set(a) & set(b))
                          if b[k]["events_per_s"]]
                ca = [r["cpu_us_per_event"] for r in a.values() if r["cpu_us_per_event"] is not None]
                cb = [r["cpu_us_per_event"] for r in b.values() if r["cpu_us_per_event"] is not None]
                cpu_ratio = (f"{statistics.median(ca) / statistics.median(cb):.3f}" if ca and cb else "n/a")
                out.append(f"| {phase if first else ''} | {num} / {den} | {of_medians:.3f} ({pct_change(of_medians)}) | "
                           + (f"{statistics.median(paired):.3f} ({pct_change(statistics.median(paired))}) | "
                              f"{min(paired):.3f}–{max(paired):.3f} |" if paired else "n/a | n/a |")
                           + f" {cpu_ratio} |")
                first = False
    out.append("")

    # ---- every run
    out.append("Every run, in the order they ran:")
    out.append("")
    out.append("| Round | # | Arm | Phase | events/s | p50 | p99 | max | 200 OK | warm-up | CPU % of one core: "
               "service / emulator / wrk / irq / other / steal | service CPU µs/event | load (1 min) at start | "
               "peak RSS | start → ready | outbox rows left | seen_message rows |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    order = sorted(rows.items(), key=lambda item: (item[0][1], item[1]["position"]))
    for (arm, rnd), row in order:
        for phase in phases:
            r = results[phase][arm].get(rnd)
            if r is None:
                out.append(f"| {rnd} | {row['position']} | {arm} | {phase} | no result | | | | | | | | | | | | |")
                continue
            c = r["cpu"]
            cpu_text = " / ".join(f"{c[k]:.0f}" for k in ("service", "emulator", "wrk", "irq", "other", "steal")) \
                if c else "n/a"
            if c and c["other"] > 25:
                notes.append(f"round {rnd}, {arm}, {phase}: {c['other']:.0f} % of a core went to other processes "
                             f"(the machine was shared during this run)")
            w = r["warmup"]
            cpe = fmt_int(r["cpu_us_per_event"])
            rss = f"{row['hwm_kb'] / 1024:,.0f} MB" if row["hwm_kb"] else "n/a"
            outbox = f"{int(row['outbox']):,}" if row["outbox"].isdigit() else row["outbox"]
            seen = f"{int(row['seen']):,}" if row["seen"].isdigit() else "n/a"
            ready = f"{row['startup_ms'] / 1000:.1f} s" if row["startup_ms"] is not None else "n/a"
            out.append(f"| {rnd} | {row['position']} | {arm} | {phase} | {r['events_per_s']:,.0f} | {fmt_ms(r['p50_us'])} | "
                       f"{fmt_ms(r['p99_us'])} | {fmt_ms(r['max_us'])} | {r['ok']:,.0f} | "
                       f"{(w[0] + ' s') if w else 'n/a'} | {cpu_text} | {cpe} | {row['load_start']} | {rss} | "
                       f"{ready} | {outbox} | {seen} |")
    out.append("")
    out.append("Peak RSS, outbox rows left (not yet delivered) and seen_message rows are per arm and round, after both "
               "phases; start → ready is from the process start to /q/health/ready answering 200; seen_message is n/a for a build without deduplication (no such table). Warm-up is the unmeasured time before "
               "the run. \"Other\" CPU is everything outside the benchmark's processes: a high value means the run "
               "was disturbed.")
    if notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"- {n}" for n in notes)
    print("\n".join(out))


if __name__ == "__main__":
    main()
