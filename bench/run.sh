#!/usr/bin/env bash
# Benchmark of the Segment → Drip destination: intake throughput and latency, start-up, memory with a
# 1,000,000-row backlog, delivery rate against Drip's budgets, and end-to-end latency at light load.
#
#   bench/run.sh                          # defaults: ~5-6 minutes plus a build when the sources changed
#   BENCH_BASELINE=<git rev> bench/run.sh # intake of that rev vs this tree, interleaved (bench/compare.sh)
#
# Everything listens on 127.0.0.1; every process started here is stopped on exit.
set -Eeuo pipefail

if [[ -n "${BENCH_BASELINE:-}" ]]; then
    exec "$(dirname "${BASH_SOURCE[0]}")/compare.sh" "$@"
fi

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ------------------------------------------------------------------ build
build_current
resolve_test_classpath "$SRC"
copy_app "$SRC" "$RUN_DIR"
copy_launcher "$SRC"
copy_emulator "$SRC"
APP_JAR="$RUN_DIR/quarkus-app/quarkus-run.jar"

# ------------------------------------------------------------------ metadata
{
    meta_common
    meta_commit "$REPO"
    echo "built_from=$SRC"
    echo "repeats=$BENCH_REPEATS"
    echo "backlog_target=$BENCH_BACKLOG"
    echo "e2e_count=$BENCH_E2E_COUNT"
    echo "e2e_interval_s=$BENCH_E2E_INTERVAL"
    echo "e2e_warmup=$BENCH_E2E_WARMUP"
    echo "phases=$BENCH_PHASES"
    service_jvm_meta
} >"$RUN_DIR/meta.env"

start_emulator

# ------------------------------------------------------------------ main service: intake, memory, delivery
if has_phase single || has_phase batch || has_phase delivery; then
    start_service main "$EMU_URL"
    MAIN_PID=$SERVICE_PID
    MAIN_DATA="$RUN_DIR/data-main"
    start_rss_sampler "$MAIN_PID" "$RUN_DIR/rss.txt"

    has_phase single && intake_phase single track.lua
    has_phase batch && intake_phase batch batch.lua
    echo "$(hwm_kb "$MAIN_PID")" >"$RUN_DIR/hwm-after-intake.txt"

    # The memory figure must hold with a big backlog: top the outbox up to BENCH_BACKLOG rows with
    # more (unmeasured) batch intake when the measured runs left fewer. Needs sqlite3 to count.
    if has_phase delivery && (( BENCH_BACKLOG > 0 )); then
        read -r depth _ <<<"$(outbox_counts "$MAIN_DATA")"
        if [[ "$depth" == NA ]]; then
            log "backlog: sqlite3 not available, not topping the outbox up to $BENCH_BACKLOG rows"
        else
            topup_s=0
            while (( depth < BENCH_BACKLOG && topup_s < 300 )); do
                log "backlog: $depth outbox rows, below $BENCH_BACKLOG: 10 s more batch intake (unmeasured)"
                run_wrk batch batch.lua 10 "b$topup_s$RANDOM" "$RUN_DIR/wrk-backlog-$topup_s.txt"
                topup_s=$((topup_s + 10))
                read -r depth _ <<<"$(outbox_counts "$MAIN_DATA")"
            done
            echo "$topup_s" >"$RUN_DIR/backlog-topup-s.txt"
        fi
    fi

    if has_phase delivery; then
        log "delivery: measuring $BENCH_DELIVERY_WINDOWS windows of $BENCH_WINDOW with the backlog from intake"
        measure_windows delivery "$MAIN_PID" "$MAIN_DATA"
    fi
    emu_stats "$RUN_DIR/stats-main-final.json"
    echo "$(hwm_kb "$MAIN_PID")" >"$RUN_DIR/hwm-final.txt"
    echo "$(outbox_counts "$MAIN_DATA")" >"$RUN_DIR/outbox-final.txt"
    log "stopping the main service"
    stop_pid "$MAIN_PID" 20
fi

# ------------------------------------------------------------------ delivery of a realistic mix
# Few people, many events, repeated identifies (bench/mix.py); see mix_phase in lib.sh.
has_phase mix && mix_phase mix

# ------------------------------------------------------------------ light-load end-to-end latency
if has_phase e2e; then
    log "e2e: fresh service with an empty outbox, Drip behind a timestamping proxy (bench/e2e.py)"
    curl -sf --max-time 10 -X POST "$EMU_URL/_emulator/reset" >/dev/null || die "emulator reset failed"
    e2e_out="$RUN_DIR/e2e.txt"
    : >"$e2e_out"
    # The proxy must exist before the service starts (it is the service's DRIP_BASE_URL), and the
    # sender needs the service's port: pick it here and hand it to start_service.
    E2E_SERVICE_PORT="$(free_port)"
    python3 -u "$BENCH_DIR/e2e.py" --upstream "$EMU_URL" --service "http://127.0.0.1:$E2E_SERVICE_PORT" \
        --count "$BENCH_E2E_COUNT" --interval "$BENCH_E2E_INTERVAL" --ready-timeout "$BENCH_START_TIMEOUT" \
        --warmup "$BENCH_E2E_WARMUP" --write-key "$BENCH_WRITE_KEY" --drain-timeout 30 --tag "$(date +%s)" >"$e2e_out" 2>"$RUN_DIR/e2e-progress.log" &
    E2E_PID=$!
    PIDS+=("$E2E_PID")
    PROXY_URL=""
    for _ in $(seq 1 100); do
        PROXY_URL="$(sed -n 's/^e2e-proxy listening on \(http:[^ ]*\).*/\1/p' "$e2e_out" | head -n1)"
        [[ -n "$PROXY_URL" ]] && break
        kill -0 "$E2E_PID" 2>/dev/null || { cat "$RUN_DIR/e2e-progress.log" >&2; die "e2e.py exited"; }
        sleep 0.1
    done
    [[ -n "$PROXY_URL" ]] || die "the e2e proxy did not start within 10 s"
    start_service e2e "$PROXY_URL" "$E2E_SERVICE_PORT"
    E2E_SERVICE_PID=$SERVICE_PID
    e2e_limit=$(python3 -c "import math; print(math.ceil($BENCH_E2E_COUNT * $BENCH_E2E_INTERVAL) + $BENCH_START_TIMEOUT + 10 * $BENCH_E2E_WARMUP + 60)")
    deadline=$((SECONDS + e2e_limit))
    while kill -0 "$E2E_PID" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.5; done
    kill -0 "$E2E_PID" 2>/dev/null && { stop_pid "$E2E_PID" 5; die "e2e.py did not finish within ${e2e_limit} s"; }
    grep -q '^E2E_RESULT' "$e2e_out" || { cat "$e2e_out" "$RUN_DIR/e2e-progress.log" >&2; die "e2e.py gave no result"; }
    emu_stats "$RUN_DIR/stats-e2e-final.json"
    echo "$(hwm_kb "$E2E_SERVICE_PID")" >"$RUN_DIR/hwm-e2e.txt"
    log "  $(sed -n 's/^E2E_RESULT //p' "$e2e_out" | cut -c1-200)"
    stop_pid "$E2E_SERVICE_PID" 20
fi

# ------------------------------------------------------------------ report
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RUN_DIR/meta.env"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$RUN_DIR/meta.env"
mkdir -p "$BENCH_RESULTS"
python3 "$BENCH_DIR/report.py" "$RUN_DIR" >"$RUN_DIR/table.md" || die "report failed"
cp "$RUN_DIR/table.md" "$BENCH_RESULTS/latest.md"
echo
cat "$RUN_DIR/table.md"
log "saved to $BENCH_RESULTS/latest.md"
