# Shared set-up of the headless-Chromium tests (run.sh, analytics-js.sh); sourced, not run.
#
# The caller sets TEST_NAME (log prefix, temp-dir name) and `set -euo pipefail`, then sources this
# file. It gets: log, wait_for, free_port, a cleanup trap that stops what was started (and prints
# the last lines of the service and emulator logs on failure), and these steps:
#   ensure_browser_tools   Debian's chromium (apt-get when missing), node, npm ci from package-lock.json
#   ensure_service_built   target/quarkus-app and the emulator's test classes (./mvnw package when missing)
#   start_drip_emulator ARGS…   the Drip emulator as a process; sets DRIP_URL
#   start_service [NAME=VALUE…] the packaged service on a free 127.0.0.1 port pointed at the emulator,
#                               with extra environment; sets PORT and BASE_URL
# Everything runs unattended (CI=true, root, no stdin).

: "${TEST_NAME:?set TEST_NAME before sourcing lib.sh}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
DRIP_ACCOUNT=1234567
DRIP_TOKEN=abcdefghij0123456789
WORK="$(mktemp -d "${TMPDIR:-/tmp}/$TEST_NAME-test.XXXXXX")"
EMULATOR_PID=""
SERVICE_PID=""

log() { printf '[%s] %s\n' "$TEST_NAME" "$*"; }

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

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then log "timed out after ${seconds}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}

ensure_browser_tools() {
  if [ ! -x "$CHROMIUM" ]; then
    log "installing Debian's chromium"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium </dev/null
    [ -x "$CHROMIUM" ] || { log "no chromium at $CHROMIUM after apt-get install chromium"; exit 1; }
  fi
  command -v node >/dev/null || { log "node (>= 20) is required"; exit 1; }
  # npm ci leaves node_modules/.package-lock.json; a newer package-lock.json means new packages.
  if [ ! -f "$HERE/node_modules/.package-lock.json" ] \
     || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    log "npm ci (package-lock.json)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  fi
}

CLASSPATH_FILE="$REPO/target/browser-test.classpath"
ensure_service_built() {
  if [ ! -f "$REPO/target/quarkus-app/quarkus-run.jar" ] \
     || [ ! -f "$REPO/target/test-classes/io/github/segmentdrip/testing/DripEmulator.class" ]; then
    log "building the service (./mvnw package -DskipTests)"
    (cd "$REPO" && ./mvnw -B -q package -DskipTests </dev/null)
  fi
  if [ ! -s "$CLASSPATH_FILE" ] || [ "$REPO/pom.xml" -nt "$CLASSPATH_FILE" ]; then
    log "resolving the test classpath"
    (cd "$REPO" && ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" \
      -Dmdep.includeScope=test </dev/null)
  fi
}

emulator_url() { sed -n 's/^drip-emulator listening on \(http:[^ ]*\).*/\1/p' "$WORK/emulator.log" | head -n 1; }
emulator_up() { kill -0 "$EMULATOR_PID" 2>/dev/null || { log "the emulator exited"; exit 1; }; [ -n "$(emulator_url)" ]; }

start_drip_emulator() { # extra DripEmulator options (--fail-rate, --record, …)
  : >"$WORK/emulator.log"
  java -cp "$REPO/target/test-classes:$(cat "$CLASSPATH_FILE")" io.github.segmentdrip.testing.DripEmulator \
    --port 0 --account "$DRIP_ACCOUNT" --token "$DRIP_TOKEN" "$@" \
    >"$WORK/emulator.log" 2>&1 </dev/null &
  EMULATOR_PID=$!
  wait_for 60 "the Drip emulator" emulator_up
  DRIP_URL="$(emulator_url)"
  log "Drip emulator at $DRIP_URL"
}

service_up() {
  kill -0 "$SERVICE_PID" 2>/dev/null || { log "the service exited"; exit 1; }
  curl -fsS -o /dev/null "$BASE_URL/q/health/ready" 2>/dev/null
}

start_service() { # extra environment as NAME=VALUE
  PORT="$(free_port)"
  BASE_URL="http://127.0.0.1:$PORT"
  mkdir -p "$WORK/data"
  log "starting the service at $BASE_URL"
  (
    cd "$WORK"
    exec env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" DRIP_DATA_DIR="$WORK/data" \
      DRIP_ACCOUNT_ID="$DRIP_ACCOUNT" DRIP_API_TOKEN="$DRIP_TOKEN" DRIP_BASE_URL="$DRIP_URL" \
      "$@" java -jar "$REPO/target/quarkus-app/quarkus-run.jar"
  ) >"$WORK/service.log" 2>&1 </dev/null &
  SERVICE_PID=$!
  wait_for 120 "the service" service_up
}
