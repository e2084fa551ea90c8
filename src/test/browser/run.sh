#!/usr/bin/env bash
# End-to-end test of the status page at / in headless Chromium (issue 6).
#
# Starts the Drip emulator (failing 30 % of calls with 422, so some events are dead-lettered) and
# the packaged service pointed at it with ADMIN_TOKEN set, posts Segment track events, then runs
# status-page.mjs (playwright-core driving Debian's chromium): token form, numbers, charts, the
# dead-letter table, one Replay click. The full-page screenshot is kept at target/status-page.png.
#
# Runs from any directory, unattended (CI=true, root, no stdin). The set-up (chromium, npm ci, the
# build when target/quarkus-app is missing, emulator and service processes) is lib.sh's.
set -euo pipefail

EVENTS="${EVENTS:-40}"
ADMIN_TOKEN="status-page-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
TEST_NAME=status-page
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_browser_tools
ensure_service_built

log "starting the Drip emulator (30 % of calls answered 422)"
start_drip_emulator --fail-rate 0.3 --fail-status 422
start_service ADMIN_TOKEN="$ADMIN_TOKEN"

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
