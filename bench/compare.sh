#!/usr/bin/env bash
# Intake of two (or more) builds in one run: a baseline git rev ("before") against this working tree
# ("after"), optionally plus variants of this tree's build with extra environment. The arms take
# turns, round after round, each time a fresh service with a fresh data dir, so machine noise falls
# on all of them alike. Prints medians, min–max and ratios. See bench/README.md.
#
#   BENCH_BASELINE=fea04ee bench/run.sh        # same as bench/compare.sh with BENCH_BASELINE set
#   BENCH_BASELINE=fea04ee BENCH_VARIANTS="dedupe-off:SEGMENT_DEDUPE_WINDOW=PT0S" bench/compare.sh
#
# No delivery or end-to-end phases here: bench/run.sh measures those for one build.
set -Eeuo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_BASELINE="${BENCH_BASELINE:-}"
BENCH_ROUNDS="${BENCH_ROUNDS:-3}"                # rounds; each round runs every arm once
BENCH_VARIANTS="${BENCH_VARIANTS:-}"             # "name:VAR=value[,VAR=value...] ...": this tree's build, other settings
BENCH_COMPARE_PHASES="${BENCH_COMPARE_PHASES:-single batch}"
BENCH_COMPARE_OUT="${BENCH_COMPARE_OUT:-$BENCH_RESULTS/compare-latest.md}"
LAST_RUN_DIR="$BENCH_RESULTS/last-compare"

[[ -n "$BENCH_BASELINE" ]] || die "BENCH_BASELINE must name the git rev to compare with, e.g. BENCH_BASELINE=HEAD~1"
is_uint "$BENCH_ROUNDS" && (( BENCH_ROUNDS > 0 )) || die "BENCH_ROUNDS must be a positive integer"
for phase in $BENCH_COMPARE_PHASES; do
    [[ "$phase" == single || "$phase" == batch || "$phase" == mix ]] || die "BENCH_COMPARE_PHASES: '$phase' is not single, batch or mix"
done
[[ -n "${BENCH_COMPARE_PHASES// /}" ]] || die "BENCH_COMPARE_PHASES is empty"

# ------------------------------------------------------------------ arms
# Order: before, the variants, after; the report divides every arm by each one listed before it.
declare -A ARM_JAR=() ARM_ENV=()
ARMS=(before)
VARIANTS=()
for spec in $BENCH_VARIANTS; do
    name="${spec%%:*}"
    settings="${spec#*:}"
    [[ "$spec" == *:* && "$name" =~ ^[A-Za-z0-9_-]+$ && "$name" != before && "$name" != after ]] \
        || die "BENCH_VARIANTS: '$spec' is not name:VAR=value[,VAR=value...] (name not before/after)"
    [[ -z "${ARM_ENV[$name]+set}" ]] || die "BENCH_VARIANTS: '$name' appears twice"
    env_words=()
    IFS=, read -ra pairs <<<"$settings"
    for pair in "${pairs[@]}"; do
        [[ "$pair" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || die "BENCH_VARIANTS: '$pair' in '$spec' is not VAR=value"
        env_words+=("$pair")
    done
    ARM_ENV[$name]="${env_words[*]}"
    ARMS+=("$name")
    VARIANTS+=("$name")
done
ARMS+=(after)
ARM_ENV[before]=""
ARM_ENV[after]=""

# ------------------------------------------------------------------ builds
BASE_SHA="$(git -C "$REPO" rev-parse --verify --quiet "$BENCH_BASELINE^{commit}")" \
    || die "BENCH_BASELINE=$BENCH_BASELINE is not a commit in $REPO"
BASE_DIR="${BENCH_BASELINE_DIR:-${TMPDIR:-/tmp}/segment-drip-bench-baseline-${BASE_SHA:0:12}}"
BASE_MARK="$BASE_DIR/.segment-drip-bench-baseline"
if [[ -f "$BASE_MARK" && "$(cat "$BASE_MARK")" == "$BASE_SHA" && -f "$BASE_DIR/target/quarkus-app/quarkus-run.jar" ]]; then
    log "baseline $BENCH_BASELINE (${BASE_SHA:0:12}) already built in $BASE_DIR"
else
    # git archive, not git worktree: the repository's metadata stays as it is.
    [[ ! -e "$BASE_DIR" || -f "$BASE_MARK" ]] || die "$BASE_DIR exists and is not a bench baseline dir"
    rm -rf "$BASE_DIR" && mkdir -p "$BASE_DIR"
    : >"$BASE_MARK"
    log "extracting $BENCH_BASELINE (${BASE_SHA:0:12}) to $BASE_DIR"
    git -C "$REPO" archive --format=tar "$BASE_SHA" | tar -C "$BASE_DIR" -xf - || die "git archive of $BASE_SHA failed"
    maven_build "$BASE_DIR"
    [[ -f "$BASE_DIR/target/quarkus-app/quarkus-run.jar" ]] || die "the baseline build made no quarkus-run.jar"
    echo "$BASE_SHA" >"$BASE_MARK"
fi

build_current
resolve_test_classpath "$SRC"   # the emulator is this tree's, for every arm
copy_emulator "$SRC"
copy_launcher "$SRC"   # every arm starts through this tree's bin/run, with its JVM options
copy_app "$BASE_DIR" "$RUN_DIR/app-before"
copy_app "$SRC" "$RUN_DIR/app-after"
ARM_JAR[before]="$RUN_DIR/app-before/quarkus-app/quarkus-run.jar"
for arm in after "${VARIANTS[@]}"; do ARM_JAR[$arm]="$RUN_DIR/app-after/quarkus-app/quarkus-run.jar"; done

# ------------------------------------------------------------------ metadata
{
    meta_common
    meta_commit "$REPO"
    echo "built_from=$SRC"
    echo "baseline=$BENCH_BASELINE"
    echo "baseline_commit=$BASE_SHA"
    echo "baseline_subject=$(git -C "$REPO" log -1 --format=%s "$BASE_SHA")"
    echo "after_commit_full=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "after_subject=$(git -C "$REPO" log -1 --format=%s HEAD 2>/dev/null)"
    echo "rounds=$BENCH_ROUNDS"
    echo "phases=$BENCH_COMPARE_PHASES"
    echo "arms=${ARMS[*]}"
    service_jvm_meta
    for arm in "${ARMS[@]}"; do echo "arm_env_$arm=${ARM_ENV[$arm]}"; done
} >"$RUN_DIR/meta.env"

start_emulator

# ------------------------------------------------------------------ rounds
seen_count() { # data-dir: rows in seen_message (the deduplication table), or NA
    local db="$1/outbox.db" out
    if command -v sqlite3 >/dev/null && [[ -f "$db" ]] \
        && out="$(timeout 60 sqlite3 -cmd '.timeout 10000' "$db" 'select count(*) from seen_message;' 2>/dev/null)"; then
        echo "$out"
    else
        echo NA
    fi
}

n_arms=${#ARMS[@]}
for round in $(seq 1 "$BENCH_ROUNDS"); do
    for k in $(seq 0 $((n_arms - 1))); do
        # Rotated each round (A B C, B C A, C A B, ...): no arm always runs first or after the same one.
        arm="${ARMS[$(( (k + round - 1) % n_arms ))]}"
        log "round $round/$BENCH_ROUNDS, arm $arm ($((k + 1))/$n_arms)"
        curl -sf --max-time 10 -X POST "$EMU_URL/_emulator/reset" >/dev/null || die "emulator reset failed"
        APP_JAR="${ARM_JAR[$arm]}"
        read -ra SERVICE_ENV <<<"${ARM_ENV[$arm]}"
        load_start="$(cut -d' ' -f1 /proc/loadavg)"
        start_service "$arm-r$round" "$EMU_URL"
        startup_ms=$SERVICE_STARTUP_MS
        for phase in $BENCH_COMPARE_PHASES; do
            [[ "$phase" == mix ]] && continue
            script=track.lua; [[ "$phase" == batch ]] && script=batch.lua
            intake_phase "$phase" "$script" "$arm-$phase-r$round" 1
        done
        hwm="$(hwm_kb "$SERVICE_PID")"
        stop_pid "$SERVICE_PID" 20
        data="$RUN_DIR/data-$arm-r$round"
        read -r outbox _dead <<<"$(outbox_counts "$data")"
        echo "$arm $round $((k + 1)) $load_start $(cut -d' ' -f1 /proc/loadavg) $hwm $outbox $(seen_count "$data") $startup_ms" \
            >>"$RUN_DIR/arm-runs.txt"
        # The outbox of one arm-round is a few hundred MB to GBs: not kept unless asked.
        [[ "$BENCH_KEEP_DATA" == 1 ]] || rm -rf "$data"
        # The realistic mix (bench/mix.py) against Drip's budget scaled down: its own emulator and service.
        [[ " $BENCH_COMPARE_PHASES " == *" mix "* ]] && mix_phase "mix-$arm-r$round"
    done
done

# ------------------------------------------------------------------ report
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RUN_DIR/meta.env"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$RUN_DIR/meta.env"
mkdir -p "$(dirname "$BENCH_COMPARE_OUT")"
python3 "$BENCH_DIR/compare_report.py" "$RUN_DIR" >"$RUN_DIR/compare.md" || die "report failed"
cp "$RUN_DIR/compare.md" "$BENCH_COMPARE_OUT"
echo
cat "$RUN_DIR/compare.md"
log "saved to $BENCH_COMPARE_OUT"
