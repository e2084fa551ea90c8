# Shared by bench/run.sh (the full benchmark) and bench/compare.sh (intake of two or more builds,
# interleaved): knobs, process bookkeeping and cleanup, builds, the emulator, the service, wrk.
# Sourced, not run: the caller sets `set -Eeuo pipefail` first. See bench/README.md.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="${BENCH_REPO:-$(dirname "$BENCH_DIR")}"

# ------------------------------------------------------------------ knobs (see README)
BENCH_WINDOW="${BENCH_WINDOW:-PT36S}"            # a compressed Drip "hour"
BENCH_SINGLE_LIMIT="${BENCH_SINGLE_LIMIT:-3600}" # single requests per window (service and emulator)
BENCH_BATCH_LIMIT="${BENCH_BATCH_LIMIT:-50}"     # batch requests per window (service and emulator)
BENCH_WARMUP="${BENCH_WARMUP:-5}"                # s per unmeasured warm-up chunk before each intake phase
BENCH_WARMUP_MAX="${BENCH_WARMUP_MAX:-20}"       # s: warm-up stops when two chunks agree within 15 %, or here
BENCH_DURATION="${BENCH_DURATION:-20}"           # s per measured intake run
BENCH_REPEATS="${BENCH_REPEATS:-3}"              # measured runs per intake phase (median reported)
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-32}"
BENCH_WRK_THREADS="${BENCH_WRK_THREADS:-2}"
BENCH_BATCH_SIZE="${BENCH_BATCH_SIZE:-100}"      # Segment messages per POST /v1/batch
BENCH_DELIVERY_WINDOWS="${BENCH_DELIVERY_WINDOWS:-3}"
BENCH_BACKLOG="${BENCH_BACKLOG:-1000000}"        # outbox rows the delivery phase starts with at least (topped up by unmeasured batch intake)
BENCH_MIX_MESSAGES="${BENCH_MIX_MESSAGES:-30000}"   # realistic mix: messages (every fifth an identify) ...
BENCH_MIX_PEOPLE="${BENCH_MIX_PEOPLE:-2000}"         # ... for this many people
BENCH_MIX_SINGLE_LIMIT="${BENCH_MIX_SINGLE_LIMIT:-360}" # realistic mix: Drip's budget per window scaled down 10×,
BENCH_MIX_BATCH_LIMIT="${BENCH_MIX_BATCH_LIMIT:-5}"      # so the backlog outlasts the measured windows
BENCH_E2E_COUNT="${BENCH_E2E_COUNT:-30}"         # light-load events, one per interval
BENCH_E2E_INTERVAL="${BENCH_E2E_INTERVAL:-1}"    # s
BENCH_E2E_WARMUP="${BENCH_E2E_WARMUP:-3}"        # unmeasured light-load events first
BENCH_PHASES="${BENCH_PHASES:-single batch delivery mix e2e}"
BENCH_WRITE_KEY="${BENCH_WRITE_KEY-bench-write-key}"  # Segment write key (service and senders); empty: open intake
BENCH_BUILD="${BENCH_BUILD:-auto}"               # auto | always | never | scratch
BENCH_SCRATCH="${BENCH_SCRATCH:-${TMPDIR:-/tmp}/segment-drip-bench-build}"
BENCH_START_TIMEOUT="${BENCH_START_TIMEOUT:-60}" # s the service gets to be ready (/q/health/ready 200)
# BENCH_SERVICE_JAVA_OPTS: unset, the service runs with bin/run's default JVM options; set (even
# empty), it is bin/run's JAVA_OPTS and replaces them.
BENCH_EMULATOR_JAVA_OPTS="${BENCH_EMULATOR_JAVA_OPTS:--Xmx512m}"
BENCH_KEEP_DATA="${BENCH_KEEP_DATA:-0}"          # 1 keeps the temp dir (outbox databases, logs)
BENCH_RESULTS="${BENCH_RESULTS:-$BENCH_DIR/results}"

ACCOUNT_ID=1234567
API_TOKEN=abcdefghij0123456789

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
has_phase() { [[ " $BENCH_PHASES " == *" $1 "* ]]; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

for knob in BENCH_SINGLE_LIMIT BENCH_BATCH_LIMIT BENCH_WARMUP BENCH_WARMUP_MAX BENCH_DURATION BENCH_REPEATS BENCH_CONNECTIONS \
    BENCH_WRK_THREADS BENCH_BATCH_SIZE BENCH_DELIVERY_WINDOWS BENCH_BACKLOG BENCH_E2E_COUNT BENCH_E2E_WARMUP BENCH_START_TIMEOUT; do
    is_uint "${!knob}" || die "$knob must be a non-negative integer, got '${!knob}'"
done
[[ "$BENCH_E2E_INTERVAL" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "BENCH_E2E_INTERVAL must be a number of seconds"
(( BENCH_DURATION > 0 && BENCH_REPEATS > 0 && BENCH_CONNECTIONS > 0 && BENCH_WRK_THREADS > 0 )) \
    || die "BENCH_DURATION, BENCH_REPEATS, BENCH_CONNECTIONS and BENCH_WRK_THREADS must be > 0"
(( BENCH_BATCH_SIZE >= 1 && BENCH_BATCH_SIZE <= 2500 )) || die "BENCH_BATCH_SIZE must be 1..2500 (Segment's limit)"
WINDOW_S="$(python3 - "$BENCH_WINDOW" <<'EOF'
import re, sys
m = re.fullmatch(r"PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", sys.argv[1])
s = m and sum(float(v or 0) * f for v, f in zip(m.groups(), (3600, 60, 1)))
print(f"{s:g}" if s else "")
EOF
)"
[[ -n "$WINDOW_S" ]] || die "BENCH_WINDOW must be an ISO-8601 duration like PT36S, PT1M or PT1H, got '$BENCH_WINDOW'"

for tool in java python3 curl timeout; do command -v "$tool" >/dev/null || die "$tool is required"; done
if ! command -v wrk >/dev/null; then
    log "wrk not found: installing the Debian package"
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    timeout 600 $SUDO apt-get update -qq >&2 && timeout 600 $SUDO apt-get install -y -qq wrk >&2 \
        || die "could not install wrk (apt-get install wrk)"
fi

# ------------------------------------------------------------------ processes and cleanup
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/segment-drip-bench.XXXXXX")"
PIDS=()
LAST_RUN_DIR="$BENCH_RESULTS/last-run"   # where the cleanup keeps the run's small artifacts
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local pid alive deadline
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    deadline=$((SECONDS + 15))
    while (( SECONDS < deadline )); do
        alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        (( alive )) || break
        sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    # Keep the small artifacts of the last run (logs tails, wrk outputs, stats) next to the table.
    if [[ -d "$RUN_DIR" ]]; then
        local keep="$LAST_RUN_DIR"
        rm -rf "$keep" && mkdir -p "$keep"
        local f
        for f in "$RUN_DIR"/*; do
            [[ -f "$f" ]] || continue
            case "$f" in
                *.log) tail -n 3000 "$f" >"$keep/$(basename "$f")" ;;
                *) cp "$f" "$keep/" ;;
            esac
        done
        if [[ "$BENCH_KEEP_DATA" == 1 ]]; then
            log "kept $RUN_DIR"
        else
            rm -rf "$RUN_DIR"
        fi
    fi
    (( rc == 0 )) || log "failed (exit $rc); logs in $LAST_RUN_DIR/"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() { local keep=() p; for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done; PIDS=("${keep[@]}"); }

# run_waited OUTFILE COMMAND...: runs the command in the background, output to OUTFILE, and waits
# for it. A signal then interrupts the wait at once and the cleanup stops the command, instead of
# bash waiting for a foreground child to finish.
run_waited() {
    local out=$1
    shift
    "$@" >"$out" 2>&1 &
    local pid=$! rc=0
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    return "$rc"
}

stop_pid() { # pid [seconds]: TERM, wait, KILL
    local pid=$1 deadline=$((SECONDS + ${2:-20}))
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------ build
maven_running_in() { # is a Maven build running with this directory as its project?
    local dir p cmd
    dir="$(cd "$1" && pwd -P)"
    for p in /proc/[0-9]*; do
        cmd="$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" || continue
        case "$cmd" in
            *plexus-classworlds*|*classworlds.launcher*|*maven-wrapper*) ;;
            *) continue ;;
        esac
        [[ "$(readlink "$p/cwd" 2>/dev/null)" == "$dir" || "$cmd" == *"multiModuleProjectDirectory=$dir "* ]] && return 0
    done
    return 1
}

EMULATOR_CLASS=target/test-classes/io/github/segmentdrip/testing/DripEmulator.class
artifacts_stale() { # dir: true when the packaged service or the emulator is missing or older than a source
    local dir=$1 jar="$1/target/quarkus-app/quarkus-run.jar"
    [[ -f "$jar" && -f "$dir/$EMULATOR_CLASS" ]] || return 0
    [[ -n "$(find "$dir/src" "$dir/routes" "$dir/pom.xml" "$dir/application.properties" -newer "$jar" -print -quit 2>/dev/null)" ]] \
        && return 0
    [[ -n "$(find "$dir/src/test" -newer "$dir/$EMULATOR_CLASS" -print -quit 2>/dev/null)" ]]
}

maven_build() { # dir
    log "building in $1: ./mvnw -B -q package -DskipTests (tests are compiled, not run)"
    run_waited "$RUN_DIR/build.log" bash -c 'cd "$1" && exec timeout 1800 ./mvnw -B -q package -DskipTests' build "$1" \
        || { tail -n 60 "$RUN_DIR/build.log" >&2; die "build failed in $1"; }
}

snapshot_to_scratch() {
    [[ ! -e "$BENCH_SCRATCH" || -f "$BENCH_SCRATCH/.segment-drip-bench-scratch" ]] \
        || die "BENCH_SCRATCH=$BENCH_SCRATCH exists and is not a bench scratch dir"
    rm -rf "$BENCH_SCRATCH" && mkdir -p "$BENCH_SCRATCH"
    touch "$BENCH_SCRATCH/.segment-drip-bench-scratch"
    log "copying $REPO to $BENCH_SCRATCH (without target/ and .git/) to build there"
    tar -C "$REPO" --exclude=./target --exclude=./.git --exclude=./data --exclude=./bench/results \
        --exclude=./bench/.cache -cf - . | tar -C "$BENCH_SCRATCH" -xf -
}

build_current() { # sets SRC: where the packaged service and the emulator of the working tree are
    SRC="$REPO"
    case "$BENCH_BUILD" in
        never) ;;
        scratch) snapshot_to_scratch; SRC="$BENCH_SCRATCH"; maven_build "$SRC" ;;
        auto|always)
            if [[ "$BENCH_BUILD" == always ]] || artifacts_stale "$REPO"; then
                if maven_running_in "$REPO"; then
                    log "a Maven build is running in $REPO"
                    snapshot_to_scratch; SRC="$BENCH_SCRATCH"
                fi
                maven_build "$SRC"
            elif maven_running_in "$REPO"; then
                # Its artifacts may be half rewritten right now: build a private copy instead.
                log "a Maven build is running in $REPO; its target/ may be changing"
                snapshot_to_scratch; SRC="$BENCH_SCRATCH"; maven_build "$SRC"
            else
                log "artifacts in $REPO/target are up to date"
            fi ;;
        *) die "BENCH_BUILD must be auto, always, never or scratch" ;;
    esac
    [[ -f "$SRC/target/quarkus-app/quarkus-run.jar" ]] || die "no $SRC/target/quarkus-app/quarkus-run.jar (build with BENCH_BUILD=always)"
    [[ -f "$SRC/$EMULATOR_CLASS" ]] || die "no $SRC/$EMULATOR_CLASS (run ./mvnw -B -q test-compile)"
}

resolve_test_classpath() { # src-dir: sets CP_FILE, the test classpath (dependencies only), cached per pom.xml content
    local src=$1
    mkdir -p "$BENCH_DIR/.cache"
    CP_FILE="$BENCH_DIR/.cache/test-classpath-$(sha1sum "$src/pom.xml" | cut -c1-16).txt"
    if [[ ! -s "$CP_FILE" ]] || ! (tr ':' '\n' <"$CP_FILE" | while read -r jar; do [[ -e "$jar" ]] || exit 1; done); then
        log "resolving the test classpath (mvn dependency:build-classpath)"
        run_waited "$RUN_DIR/classpath.log" bash -c 'cd "$1" && exec timeout 900 ./mvnw -B -q \
            dependency:build-classpath -Dmdep.outputFile="$2" -Dmdep.includeScope=test' classpath "$src" "$CP_FILE.tmp" \
            || { tail -n 40 "$RUN_DIR/classpath.log" >&2; die "could not resolve the test classpath"; }
        mv "$CP_FILE.tmp" "$CP_FILE"
    fi
}

# Private copies, so a concurrent rebuild cannot swap classes under the running JVMs.
copy_emulator() { # src-dir: the emulator's classes (test code and main code) into the run dir
    cp -r "$1/target/test-classes" "$RUN_DIR/test-classes"
    cp -r "$1/target/classes" "$RUN_DIR/classes"
}
copy_app() { # src-dir dest-dir: the packaged service
    mkdir -p "$2"
    cp -r "$1/target/quarkus-app" "$2/quarkus-app"
}
LAUNCHER=""      # bin/run, the README's way to start the service; start_service runs APP_JAR with it
copy_launcher() { # src-dir
    [[ -x "$1/bin/run" ]] || die "no $1/bin/run"
    cp "$1/bin/run" "$RUN_DIR/bin-run"
    LAUNCHER="$RUN_DIR/bin-run"
}

meta_common() { # the run's settings and the machine, as key=value lines for meta.env
    echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "window=$BENCH_WINDOW"
    echo "window_s=$WINDOW_S"
    echo "single_limit=$BENCH_SINGLE_LIMIT"
    echo "batch_limit=$BENCH_BATCH_LIMIT"
    echo "mix_single_limit=$BENCH_MIX_SINGLE_LIMIT"
    echo "mix_batch_limit=$BENCH_MIX_BATCH_LIMIT"
    echo "mix_messages=$BENCH_MIX_MESSAGES"
    echo "mix_people=$BENCH_MIX_PEOPLE"
    echo "delivery_windows=$BENCH_DELIVERY_WINDOWS"
    echo "warmup_s=$BENCH_WARMUP"
    echo "warmup_max_s=$BENCH_WARMUP_MAX"
    echo "clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)"
    echo "duration_s=$BENCH_DURATION"
    echo "connections=$BENCH_CONNECTIONS"
    echo "wrk_threads=$BENCH_WRK_THREADS"
    echo "batch_size=$BENCH_BATCH_SIZE"
    echo "write_key=$([[ -n "$BENCH_WRITE_KEY" ]] && echo yes || echo no)"
    echo "cpus=$(nproc)"
    echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java=$(java -version 2>&1 | head -n1 | tr -d '"')"
    echo "wrk=$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
}

service_jvm_meta() { # the service's JVM options, for meta.env (after copy_launcher)
    if [[ -n "${BENCH_SERVICE_JAVA_OPTS+set}" ]]; then
        echo "service_java_opts=$BENCH_SERVICE_JAVA_OPTS"
        echo "service_java_opts_from=BENCH_SERVICE_JAVA_OPTS"
    else
        echo "service_java_opts=$(sed -n 's/^: "${JAVA_OPTS=\(.*\)}"$/\1/p' "$LAUNCHER")"
        echo "service_java_opts_from=bin/run"
    fi
    echo "service_malloc_arena_max=$(sed -n 's/^export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-\(.*\)}"$/\1/p' "$LAUNCHER")"
}

meta_commit() { # dir: the commit the working tree there is at, and how many files differ from it
    echo "commit=$(git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "dirty_files=$(git -C "$1" --no-optional-locks status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
}

# ------------------------------------------------------------------ emulator
EMU_PID=""
EMU_URL=""
start_emulator() { # [single-limit batch-limit log-name]: from the copies made by copy_emulator, with the
    # classpath of resolve_test_classpath; sets EMU_URL and EMU_PID
    local single="${1:-$BENCH_SINGLE_LIMIT}" batch="${2:-$BENCH_BATCH_LIMIT}"
    EMU_LOG="$RUN_DIR/${3:-emulator}.log"
    : >"$EMU_LOG"   # exists before the background job opens it: the loop below reads it at once
    log "starting the Drip emulator (window $BENCH_WINDOW, limits $single single / $batch batch)"
    java $BENCH_EMULATOR_JAVA_OPTS -cp "$RUN_DIR/test-classes:$RUN_DIR/classes:$(cat "$CP_FILE")" \
        io.github.segmentdrip.testing.DripEmulator --port 0 --account "$ACCOUNT_ID" --token "$API_TOKEN" \
        --window "$BENCH_WINDOW" --single-limit "$single" --batch-limit "$batch" \
        --seed 42 >"$EMU_LOG" 2>&1 &
    EMU_PID=$!
    PIDS+=("$EMU_PID")
    for _ in $(seq 1 300); do
        EMU_URL="$(sed -n 's/^drip-emulator listening on \(http:[^ ]*\).*/\1/p' "$EMU_LOG" | head -n1)"
        [[ -n "$EMU_URL" ]] && break
        kill -0 "$EMU_PID" 2>/dev/null || { tail -n 40 "$EMU_LOG" >&2; die "the emulator exited"; }
        sleep 0.1
    done
    [[ -n "$EMU_URL" ]] || { tail -n 40 "$EMU_LOG" >&2; die "the emulator did not start within 30 s"; }
    log "emulator at $EMU_URL"
}

emu_stats() { curl -sf --max-time 10 "$EMU_URL/_emulator/stats" >"$1" || die "emulator stats unavailable"; }

# ------------------------------------------------------------------ service
SERVICE_PID=""
SERVICE_PORT=""
SERVICE_LOG=""
SERVICE_STARTUP_MS=""  # process start → /q/health/ready 200, of the last start_service
APP_JAR=""       # the packaged service start_service runs
SERVICE_ENV=()   # extra VAR=value settings for start_service (compare.sh's variants)
start_service() { # name base-url [port]: starts the packaged service with a fresh data dir
    local name=$1 base_url=$2 data="$RUN_DIR/data-$1" slog="$RUN_DIR/service-$1.log"
    mkdir -p "$data"
    : >"$slog"
    SERVICE_LOG="$slog"
    SERVICE_PORT="${3:-$(free_port)}"
    # bin/run's JVM options and malloc setting, unless BENCH_SERVICE_JAVA_OPTS (or a variant) says otherwise;
    # not whatever JAVA_OPTS or MALLOC_ARENA_MAX the caller's shell happens to have.
    local jvm=(-u JAVA_OPTS -u MALLOC_ARENA_MAX) jvm_text="bin/run's default JVM options"
    if [[ -n "${BENCH_SERVICE_JAVA_OPTS+set}" ]]; then
        jvm=(-u MALLOC_ARENA_MAX "JAVA_OPTS=$BENCH_SERVICE_JAVA_OPTS")
        jvm_text="JAVA_OPTS='$BENCH_SERVICE_JAVA_OPTS'"
    fi
    log "starting the service ($name) on 127.0.0.1:$SERVICE_PORT, Drip at $base_url, $jvm_text${SERVICE_ENV[*]:+, with ${SERVICE_ENV[*]}}"
    local t0
    t0="$(now_ns)"
    (cd "$RUN_DIR" && exec env "${jvm[@]}" DRIP_DATA_DIR="$data" DRIP_ACCOUNT_ID="$ACCOUNT_ID" DRIP_API_TOKEN="$API_TOKEN" \
        DRIP_BASE_URL="$base_url" DRIP_RATE_LIMIT_WINDOW="$BENCH_WINDOW" \
        DRIP_RATE_LIMIT_SINGLE_REQUESTS="$BENCH_SINGLE_LIMIT" DRIP_RATE_LIMIT_BATCH_REQUESTS="$BENCH_BATCH_LIMIT" \
        SEGMENT_WRITE_KEYS="$BENCH_WRITE_KEY" QUARKUS_HTTP_PORT="$SERVICE_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
        "${SERVICE_ENV[@]}" "$LAUNCHER" "$APP_JAR") >"$slog" 2>&1 &
    SERVICE_PID=$!
    PIDS+=("$SERVICE_PID")
    # Up means ready: /q/health/ready answers 200 (outbox database, Camel routes, Drip credentials).
    local deadline=$((SECONDS + BENCH_START_TIMEOUT)) code
    while :; do
        if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
            log "service log tail ($slog):"; tail -n 60 "$slog" >&2
            die "the service ($name) exited during start-up"
        fi
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$SERVICE_PORT/q/health/ready" || true)"
        [[ "$code" == 200 ]] && break
        if (( SECONDS >= deadline )); then
            log "service log tail ($slog):"; tail -n 60 "$slog" >&2
            curl -s --max-time 2 "http://127.0.0.1:$SERVICE_PORT/q/health/ready" >&2 || true
            die "the service ($name) was not ready (/q/health/ready 200) within ${BENCH_START_TIMEOUT} s"
        fi
        sleep 0.05
    done
    SERVICE_STARTUP_MS=$(( ($(now_ns) - t0) / 1000000 ))
    echo "$name $SERVICE_STARTUP_MS" >>"$RUN_DIR/startup.txt"
    log "service ($name) is ready after $SERVICE_STARTUP_MS ms (pid $SERVICE_PID)"
}

hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

start_rss_sampler() { # pid file: VmRSS and VmHWM once a second while the pid lives (bounded to 2 h)
    local pid=$1 out=$2
    (
        for _ in $(seq 1 7200); do
            [[ -r "/proc/$pid/status" ]] || break
            awk -v t="$(date +%s)" '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {if (r) print t, r, h}' "/proc/$pid/status" \
                2>/dev/null >>"$out" || break
            sleep 1
        done
    ) &
    PIDS+=("$!")
}

outbox_counts() { # data-dir: "outbox dead_letter" row counts, or "NA NA"
    local db="$1/outbox.db" out
    if command -v sqlite3 >/dev/null && [[ -f "$db" ]] \
        && out="$(timeout 30 sqlite3 -cmd '.timeout 10000' "$db" \
            'select count(*) from outbox; select count(*) from dead_letter;' 2>/dev/null)"; then
        echo $out
    else
        echo "NA NA"
    fi
}

run_wrk() { # phase script seconds tag outfile
    local phase=$1 script=$2 seconds=$3 tag=$4 out=$5
    run_waited "$out" timeout -k 5 $((seconds + 60)) wrk -t"$BENCH_WRK_THREADS" -c"$BENCH_CONNECTIONS" -d"${seconds}s" --timeout 30s \
        "${AUTH_HEADER[@]}" \
        --latency -s "$BENCH_DIR/lua/$script" "http://127.0.0.1:$SERVICE_PORT" -- "$tag" "$BENCH_BATCH_SIZE" \
        || { cat "$out" >&2; die "wrk failed in the $phase phase"; }
    grep -q '^BENCH_RESULT' "$out" || { cat "$out" >&2; die "wrk gave no result in the $phase phase"; }
    local ok
    ok="$(sed -n 's/^BENCH_RESULT.* ok=\([0-9]*\).*/\1/p' "$out")"
    if [[ "$ok" == 0 ]]; then
        cat "$out" >&2; log "service log tail:"; tail -n 40 "$SERVICE_LOG" >&2
        die "no request was accepted in the $phase phase"
    fi
    log "  $(grep '^Requests/sec' "$out" | tr -s ' ') ($(grep -o 'ok=[0-9]* bad_status=[0-9]* partly_rejected=[0-9]*' "$out"))"
}

proc_cpu() { # pid [children]: utime+stime (or cutime+cstime) in clock ticks, 0 when gone
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
    stat="${stat##*) }"
    # shellcheck disable=SC2086
    set -- $stat
    if [[ "${2:-}" == children ]]; then echo $(( ${14} + ${15} )); else echo $(( ${12} + ${13} )); fi
}

cpu_mark() { # label: machine busy/idle/steal/irq ticks, service, emulator, and waited-for children (wrk)
    local _cpu u n sy idle io irq sirq steal rest children
    read -r _cpu u n sy idle io irq sirq steal rest </proc/stat
    children="$(stat="$(cat /proc/$$/stat)"; stat="${stat##*) }"; set -- $stat; echo $(( ${14} + ${15} )))"
    echo "$1 $((u + n + sy + irq + sirq + steal)) $((idle + io)) $steal $((irq + sirq)) $(proc_cpu "$SERVICE_PID") $(proc_cpu "$EMU_PID") $children" \
        >>"$RUN_DIR/cpu.txt"
}

rps_of() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }

intake_phase() { # phase script [label [repeats]]: warm-up, then measured runs wrk-<label>-<i>.txt
    local phase=$1 script=$2 label=${3:-$1} repeats=${4:-$BENCH_REPEATS} i chunk elapsed=0 prev="" rps n=0
    # Warm-up in chunks until two consecutive chunks agree within 15 % (JIT, caches, connection
    # pools), bounded by BENCH_WARMUP_MAX seconds.
    while (( BENCH_WARMUP > 0 && elapsed < BENCH_WARMUP_MAX && n < 50 )); do
        n=$((n + 1))
        chunk=$(( BENCH_WARMUP < BENCH_WARMUP_MAX - elapsed ? BENCH_WARMUP : BENCH_WARMUP_MAX - elapsed ))
        log "intake $label: warm-up chunk $n, ${chunk} s"
        run_wrk "$phase" "$script" "$chunk" "w$phase$n$RANDOM" "$RUN_DIR/wrk-$label-warmup-$n.txt"
        elapsed=$((elapsed + chunk))
        rps="$(rps_of "$RUN_DIR/wrk-$label-warmup-$n.txt")"
        if [[ -n "$prev" && -n "$rps" ]] && awk -v a="$prev" -v b="$rps" \
            'BEGIN { d = a - b; if (d < 0) d = -d; m = a > b ? a : b; exit !(m > 0 && d / m < 0.15) }'; then
            break
        fi
        prev="$rps"
    done
    echo "$label $elapsed $n" >>"$RUN_DIR/warmup.txt"
    for i in $(seq 1 "$repeats"); do
        log "intake $label: run $i/$repeats, ${BENCH_DURATION} s, $BENCH_CONNECTIONS connections"
        cpu_mark "$label-$i-start"
        run_wrk "$phase" "$script" "$BENCH_DURATION" "r$phase$i$RANDOM" "$RUN_DIR/wrk-$label-$i.txt"
        cpu_mark "$label-$i-end"
    done
}

now_ns() { date +%s%N; }

# Segment libraries send the write key as HTTP Basic user name with an empty password.
AUTH_HEADER=()
if [[ -n "$BENCH_WRITE_KEY" ]]; then
    AUTH_HEADER=(-H "Authorization: Basic $(printf '%s:' "$BENCH_WRITE_KEY" | base64 -w0)")
fi

measure_windows() { # name pid data-dir: emulator stats and outbox depth at the start and after each of
    # BENCH_DELIVERY_WINDOWS windows, in <name>-snapshots.txt and <name>-<k>.json
    local name=$1 pid=$2 data=$3 t0 tk k target remaining_ms window_ns
    emu_stats "$RUN_DIR/$name-0.json"
    t0="$(now_ns)"
    # the outbox database's size on disk at the start: bytes per queued record (bench/README.md, cost model)
    echo "0 $t0 $(outbox_counts "$data") $(rss_kb "$pid") $(du -sb "$data" | cut -f1)" >"$RUN_DIR/$name-snapshots.txt"
    window_ns="$(python3 -c "print(int($WINDOW_S * 1e9))")"
    for k in $(seq 1 "$BENCH_DELIVERY_WINDOWS"); do
        target=$((t0 + k * window_ns))
        remaining_ms=$(( (target - $(now_ns)) / 1000000 ))
        (( remaining_ms > 0 )) && run_waited /dev/null sleep "$(printf '%d.%03d' $((remaining_ms / 1000)) $((remaining_ms % 1000)))"
        kill -0 "$pid" 2>/dev/null || { tail -n 60 "$RUN_DIR/service-$name.log" >&2; die "the service died during $name"; }
        emu_stats "$RUN_DIR/$name-$k.json"
        tk="$(now_ns)"
        echo "$k $tk $(outbox_counts "$data") $(rss_kb "$pid")" >>"$RUN_DIR/$name-snapshots.txt"
        log "  window $k/$BENCH_DELIVERY_WINDOWS: $(python3 - "$RUN_DIR/$name-$((k - 1)).json" "$RUN_DIR/$name-$k.json" <<'EOF2'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
rec = lambda s: sum(s["records"].values())
req = lambda s, c: sum(s["requests"][c].values())
byc = lambda s, c: s.get("records_by_class", {}).get(c, 0)
nb = req(b, 'batch') - req(a, 'batch')
print(f"{rec(b) - rec(a)} records, {req(b, 'single') - req(a, 'single')} single + {nb} batch requests"
      + (f" ({(byc(b, 'batch') - byc(a, 'batch')) / nb:.0f} records per batch)" if nb else ""))
EOF2
)"
    done
}

mix_phase() { # name: the realistic mix (bench/mix.py) against Drip's budget scaled down so the backlog
    # outlasts the measured windows, on an emulator and a service of its own with those limits (plus
    # SERVICE_ENV); leaves <name>.txt, <name>-snapshots.txt, <name>-<k>.json and stats-<name>-final.json
    local name=$1 main_emu_url=$EMU_URL main_emu_pid=$EMU_PID mix_emu_pid mix_pid saved_env=("${SERVICE_ENV[@]}")
    start_emulator "$BENCH_MIX_SINGLE_LIMIT" "$BENCH_MIX_BATCH_LIMIT" "emulator-$name"
    mix_emu_pid=$EMU_PID
    SERVICE_ENV+=(DRIP_RATE_LIMIT_SINGLE_REQUESTS="$BENCH_MIX_SINGLE_LIMIT" DRIP_RATE_LIMIT_BATCH_REQUESTS="$BENCH_MIX_BATCH_LIMIT")
    start_service "$name" "$EMU_URL"
    SERVICE_ENV=("${saved_env[@]}")
    mix_pid=$SERVICE_PID
    log "$name: $BENCH_MIX_MESSAGES messages for $BENCH_MIX_PEOPLE people into the outbox (bench/mix.py)"
    python3 "$BENCH_DIR/mix.py" --service "http://127.0.0.1:$SERVICE_PORT" --write-key "$BENCH_WRITE_KEY" \
        --messages "$BENCH_MIX_MESSAGES" --people "$BENCH_MIX_PEOPLE" >"$RUN_DIR/$name.txt" || die "mix.py failed"
    log "  $(cat "$RUN_DIR/$name.txt")"
    log "$name: measuring $BENCH_DELIVERY_WINDOWS windows of $BENCH_WINDOW at $BENCH_MIX_SINGLE_LIMIT single + $BENCH_MIX_BATCH_LIMIT batch requests"
    measure_windows "$name" "$mix_pid" "$RUN_DIR/data-$name"
    emu_stats "$RUN_DIR/stats-$name-final.json"
    stop_pid "$mix_pid" 20
    stop_pid "$mix_emu_pid" 5
    EMU_URL=$main_emu_url EMU_PID=$main_emu_pid
    [[ "$BENCH_KEEP_DATA" == 1 ]] || rm -rf "$RUN_DIR/data-$name"
}
