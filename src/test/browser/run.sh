#!/usr/bin/env bash
# End-to-end test of the status page at / in headless Chromium (issue 6).
#
# Starts the Drip emulator (failing 30 % of calls with 422, so some events are dead-lettered) and
# the packaged service pointed at it with ADMIN_TOKEN set, posts Segment track events, then runs
# status-page.mjs (playwright-core driving Debian's chromium): token form, numbers, charts, the
# dead-letter table, one Replay click. The full-page screenshot is kept at target/status-page.png.
#
# Runs from any directory, unattended (CI=true, root, no stdin). Installs chromium with apt-get when
# /usr/bin/chromium is missing, and playwright-core from the npm registry (package-lock.json).
# Builds the service (./mvnw package -DskipTests) only when target/quarkus-app is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
EVENTS="${EVENTS:-40}"
ADMIN_TOKEN="status-page-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
DRIP_ACCOUNT=1234567
DRIP_TOKEN=abcdefghij0123456789
WORK="$(mktemp -d "${TMPDIR:-/tmp}/status-page-test.XXXXXX")"
EMULATOR_PID=""
SERVICE_PID=""

log() { printf '[status-page] %s\n' "$*"; }

cleanup() {
  local rc=$?
  for pid in "$SERVICE_PID" "$EMULATOR_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  for pid in "$SERVICE_PID" "$EMULATOR_PID"; do
    if [ -n "$pid" ]; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ "$rc" -ne 0 ]; then
    for f in service.log emulator.log; do
      if [ -f "$WORK/$f" ]; then
        log "last lines of $f:"
        tail -n 40 "$WORK/$f" | sed 's/^/    /'
      fi
    done
    log "FAILED (exit $rc)"
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -------------------------------------------------------------------------------------
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if [ ! -x "$CHROMIUM" ]; then
  log "installing Debian's chromium"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium </dev/null
  [ -x "$CHROMIUM" ] || { log "no chromium at $CHROMIUM after apt-get install chromium"; exit 1; }
fi
command -v node >/dev/null || { log "node (>= 20) is required"; exit 1; }

cd "$HERE"
if [ ! -f node_modules/playwright-core/package.json ]; then
  log "npm ci (playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error </dev/null
fi

# --- the service and the emulator's classes ----------------------------------------------------
cd "$REPO"
if [ ! -f target/quarkus-app/quarkus-run.jar ] \
   || [ ! -f target/test-classes/io/github/segmentdrip/testing/DripEmulator.class ]; then
  log "building the service (./mvnw package -DskipTests)"
  ./mvnw -B -q package -DskipTests </dev/null
fi
CLASSPATH_FILE="$REPO/target/status-page-test.classpath"
if [ ! -s "$CLASSPATH_FILE" ] || [ "$REPO/pom.xml" -nt "$CLASSPATH_FILE" ]; then
  log "resolving the test classpath"
  ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test </dev/null
fi

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then log "timed out after ${seconds}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

# --- Drip emulator -------------------------------------------------------------------------------
log "starting the Drip emulator (30 % of calls answered 422)"
: >"$WORK/emulator.log"
java -cp "$REPO/target/test-classes:$(cat "$CLASSPATH_FILE")" io.github.segmentdrip.testing.DripEmulator \
  --port 0 --account "$DRIP_ACCOUNT" --token "$DRIP_TOKEN" --fail-rate 0.3 --fail-status 422 \
  >"$WORK/emulator.log" 2>&1 </dev/null &
EMULATOR_PID=$!
emulator_url() { sed -n 's/^drip-emulator listening on \(http:[^ ]*\).*/\1/p' "$WORK/emulator.log" | head -n 1; }
emulator_up() { kill -0 "$EMULATOR_PID" 2>/dev/null || { log "the emulator exited"; exit 1; }; [ -n "$(emulator_url)" ]; }
wait_for 60 "the Drip emulator" emulator_up
DRIP_URL="$(emulator_url)"
log "Drip emulator at $DRIP_URL"

# --- the service ---------------------------------------------------------------------------------
PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
log "starting the service at $BASE_URL"
(
  cd "$WORK"
  exec env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" \
    ADMIN_TOKEN="$ADMIN_TOKEN" DRIP_DATA_DIR="$WORK/data" \
    DRIP_ACCOUNT_ID="$DRIP_ACCOUNT" DRIP_API_TOKEN="$DRIP_TOKEN" DRIP_BASE_URL="$DRIP_URL" \
    java -jar "$REPO/target/quarkus-app/quarkus-run.jar"
) >"$WORK/service.log" 2>&1 </dev/null &
SERVICE_PID=$!
service_up() {
  kill -0 "$SERVICE_PID" 2>/dev/null || { log "the service exited"; exit 1; }
  curl -fsS -o /dev/null "$BASE_URL/q/health/ready" 2>/dev/null
}
wait_for 120 "the service" service_up

# --- Segment events --------------------------------------------------------------------------------
log "posting $EVENTS track events"
for i in $(seq 1 "$EVENTS"); do
  curl -fsS -o /dev/null -X POST "$BASE_URL/v1/track" -H 'Content-Type: application/json' \
    -d "{\"userId\":\"user$i@example.com\",\"event\":\"Status Page Test $i\",\"properties\":{\"revenue\":$i.5}}"
done

# --- the browser -----------------------------------------------------------------------------------
mkdir -p "$REPO/target"
cd "$HERE"
BASE_URL="$BASE_URL" ADMIN_TOKEN="$ADMIN_TOKEN" CHROMIUM="$CHROMIUM" \
  SCREENSHOT="$REPO/target/status-page.png" node status-page.mjs </dev/null
log "passed; screenshot at target/status-page.png"
