#!/usr/bin/env bash
# End-to-end test of browser intake with the real analytics.js (issue 9): @segment/analytics-next
# from the npm registry, in headless Chromium, posting to the service through CORS.
#
# Starts the Drip emulator (recording what it receives) and the packaged service with a write key
# (so analytics-next sends Authorization: Basic and every call is preflighted) and the test page's
# origin as its only CORS origin, then runs analytics-next.mjs: it serves the page and the library's
# UMD build from node_modules, puts a proxy in front of the service that answers the first track
# call 503 (so analytics-next retries it with X-Retry-Count), drives identify, track and page in
# Chromium, and checks what reached Drip.
#
# Runs from any directory, unattended (CI=true, root, no stdin); set-up is lib.sh's.
set -euo pipefail

TEST_NAME=analytics-js
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_browser_tools
ensure_service_built

WRITE_KEY="browser-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
PAGE_PORT="$(free_port)"
PAGE_ORIGIN="http://127.0.0.1:$PAGE_PORT"

log "starting the Drip emulator (recording requests)"
start_drip_emulator --record
start_service SEGMENT_WRITE_KEYS="$WRITE_KEY" SEGMENT_CORS_ORIGINS="$PAGE_ORIGIN"

cd "$HERE"
SERVICE_URL="$BASE_URL" DRIP_URL="$DRIP_URL" WRITE_KEY="$WRITE_KEY" PAGE_PORT="$PAGE_PORT" \
  CHROMIUM="$CHROMIUM" node analytics-next.mjs </dev/null
log "passed"
