// Drives the status page at / in headless Chromium against a running service (run.sh starts one
// with the Drip emulator behind it). Exits non-zero on the first failed check; always leaves a
// full-page screenshot at $SCREENSHOT.
//
// Environment: BASE_URL (http://127.0.0.1:PORT), ADMIN_TOKEN, SCREENSHOT (png path),
// CHROMIUM (default /usr/bin/chromium), WAIT_SECONDS for dead letters to appear (default 120).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const BASE_URL = required('BASE_URL').replace(/\/$/, '');
const TOKEN = required('ADMIN_TOKEN');
const SCREENSHOT = required('SCREENSHOT');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT_SECONDS = Number(process.env.WAIT_SECONDS || 120);
const ORIGIN = new URL(BASE_URL).origin;
const FAILURE_SCREENSHOT = SCREENSHOT.replace(/(\.png)?$/, '-failure.png');

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`status-page: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

let checks = 0;
function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  checks++;
  console.log('  ok  ' + what);
}

async function admin(method, path, token = TOKEN) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' },
  });
  let data = null;
  try { data = await response.json(); } catch { /* no JSON body */ }
  return { status: response.status, data };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The service delivers asynchronously; wait until the emulator's 422s have produced dead letters
// and a delivery minute has been counted.
async function waitForDeadLetters() {
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  let last;
  while (Date.now() < deadline) {
    last = await admin('GET', '/admin/status').catch((e) => ({ status: 0, data: String(e) }));
    const s = last.data;
    if (last.status === 200 && s?.deadLetters?.total > 0 && s.deadLetters.latest?.length > 0
        && (s.deliveries?.perMinute || []).some((m) => m.delivered > 0 || m.failed > 0)) {
      return s;
    }
    await sleep(1000);
  }
  throw new Error(`no dead letters after ${WAIT_SECONDS} s; last GET /admin/status: ${last?.status} ${JSON.stringify(last?.data)?.slice(0, 500)}`);
}

async function main() {
  console.log(`status page test against ${BASE_URL}`);
  const unauthorised = await admin('GET', '/admin/status', 'wrong-' + TOKEN);
  check(unauthorised.status === 401, `GET /admin/status with a wrong token answers 401 (got ${unauthorised.status})`);
  const status = await waitForDeadLetters();
  console.log(`  ..  outbox depth ${status.outbox?.depth}, ${status.deadLetters.total} dead letters`);

  // A screenshot left from an earlier run must not pass for this one's.
  rmSync(SCREENSHOT, { force: true });
  rmSync(FAILURE_SCREENSHOT, { force: true });
  const profile = mkdtempSync(join(tmpdir(), 'status-page-chromium-'));
  // launchPersistentContext: the fresh, empty --user-data-dir; Playwright adds --headless itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  const foreign = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // Chromium logs every 4xx answer; the 401 and 404 steps below expect theirs, and the
    // 'response' listener reports any other.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 40[14]/.test(m.text())) {
      problems.push('console error: ' + m.text());
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/admin/status') {
      problems.push(`${r.request().method()} ${r.url()} answered ${r.status()}`);
    }
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && new URL(r.url()).origin !== ORIGIN) foreign.push(r.url());
  });

  try {
    await page.goto(BASE_URL + '/', { waitUntil: 'load' });
    check(await page.title() === 'Segment → Drip: status', 'GET / serves the status page');
    const tokenInput = page.getByLabel(/ADMIN_TOKEN/);
    check(await tokenInput.isVisible(), 'the page asks for the admin token in a labelled field');
    check(await tokenInput.getAttribute('type') === 'password', 'the token field is a password field');

    // A wrong token: a clear message, the form stays.
    await tokenInput.fill('not-the-token');
    await page.getByRole('button', { name: 'Show status' }).click();
    await page.locator('#message').filter({ hasText: 'refused this token (401)' }).waitFor({ timeout: 10000 });
    check(await page.locator('#login').isVisible(), 'a wrong token shows "refused this token (401)" and the form again');

    // The right token.
    await tokenInput.fill(TOKEN);
    await page.getByRole('button', { name: 'Show status' }).click();
    await page.locator('#dashboard').waitFor({ state: 'visible', timeout: 10000 });
    check(!page.url().includes(TOKEN), 'the token is not in the URL');
    check(await page.evaluate(() => sessionStorage.getItem('segment-drip.admin-token')) === TOKEN,
      'the token is kept in sessionStorage');
    check(await tokenInput.inputValue() === '', 'the token field is emptied after use');

    const depth = await page.locator('#outbox-depth').getAttribute('data-value');
    check(/^\d+$/.test(depth), `outbox depth is a number (${depth})`);
    check((await page.locator('#outbox-depth').textContent()).trim() !== '–', 'outbox depth is shown');
    const oldest = (await page.locator('#outbox-oldest').textContent()).trim();
    check(oldest !== '–' && oldest !== '', `oldest age is shown (${oldest})`);
    const state = (await page.locator('#delivery-state').textContent()).trim();
    check(state === 'Delivering' || state === 'Paused', `delivery state is shown (${state})`);

    for (const kind of ['single', 'batch']) {
      const text = (await page.locator(`#budget-${kind} .budget-text`).textContent()).trim();
      const m = /^([\d,]+) \/ ([\d,]+) used$/.exec(text);
      check(m !== null, `${kind} budget shows used / limit (${text})`);
      const limit = status.budget[kind].limit;
      check(Number(m[2].replace(/,/g, '')) === limit, `${kind} budget limit matches the API (${limit})`);
      const bar = page.locator(`#budget-${kind} [role=progressbar]`);
      check(await bar.getAttribute('aria-valuemax') === String(limit), `${kind} budget bar has aria-valuemax ${limit}`);
    }
    const singleUsed = Number(await page.locator('#budget-single').getAttribute('data-used'));
    check(singleUsed > 0, `the single-request budget shows use after deliveries (${singleUsed} used)`);
    check(/delivered · [\d,]+ failed$/.test(await page.locator('#deliveries-hour').textContent()), 'deliveries in the last hour are shown');

    check(await page.locator('#depth-chart > *').count() > 0, 'the outbox depth chart is drawn');
    const depthSummary = await page.locator('#depth-summary').textContent();
    check(/samples from|No samples yet/.test(depthSummary), `the depth chart has a text summary (${depthSummary})`);
    const bars = await page.locator('#deliveries-chart rect').count();
    check(bars > 0, `the deliveries chart has bars (${bars})`);
    check(/\d+ delivered, \d+ failed/.test(await page.locator('#rate-summary').textContent()),
      'the deliveries chart has a text summary');

    const rows = page.locator('#dead-letters tbody tr');
    await rows.first().waitFor({ timeout: 10000 });
    const rowCount = await rows.count();
    check(rowCount >= 1, `the dead-letter table has rows (${rowCount})`);
    const headers = (await page.locator('#dead-letters thead th').allTextContents()).map((t) => t.trim());
    check(['Id', 'Time', 'Kind', 'Email', 'Status', 'Reason', 'Attempts', 'Replayed'].every((h) => headers.includes(h)),
      `the table has the columns ${headers.filter(Boolean).join(', ')}`);
    const first = rows.first();
    const id = await first.getAttribute('data-id');
    const firstReason = (await first.locator('td.reason-cell').textContent()).trim();
    check(firstReason.length > 1 && firstReason !== '–', `dead letter #${id} shows its reason (${firstReason.slice(0, 80)})`);
    check(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test((await first.locator('td.time').textContent()).trim()),
      `dead letter #${id} shows its time`);
    const replayedBefore = Number((await first.locator('td.replayed').textContent()).trim());
    check(Number.isInteger(replayedBefore), `dead letter #${id} shows its replay count (${replayedBefore})`);

    // Replay the newest dead letter from its row.
    await first.getByRole('button', { name: `Replay dead letter ${id}` }).click();
    await page.locator('#notice').filter({ hasText: `Dead letter #${id} replayed` }).waitFor({ timeout: 10000 });
    check(true, `the page says dead letter #${id} was replayed`);
    // The page refreshes after the replay and the row shows the new count (unless newer dead
    // letters have pushed it out of the newest 20 meanwhile; the API check below covers that).
    const cellSelector = `#dead-letters tbody tr[data-id="${id}"] td.replayed`;
    await page.waitForFunction(([sel, before]) => {
      const cell = document.querySelector(sel);
      return !cell || Number(cell.textContent.trim()) > before;
    }, [cellSelector, replayedBefore], { timeout: 10000 });
    const shown = await page.locator(cellSelector).allTextContents();
    if (shown.length > 0) {
      const after = Number(shown[0].trim());
      check(after > replayedBefore, `dead letter #${id}'s row shows replayed ${after} (was ${replayedBefore})`);
    }
    const fromApi = await admin('GET', `/admin/dead-letters/${id}`);
    const apiReplayed = fromApi.data?.replayed ?? fromApi.data?.deadLetter?.replayed;
    check(fromApi.status === 200 && apiReplayed > replayedBefore,
      `GET /admin/dead-letters/${id} agrees: replayed ${apiReplayed}`);

    // Let one more poll land so the screenshot shows the state after the replay.
    await sleep(1500);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`  ..  screenshot: ${SCREENSHOT}`);

    // 404 (admin API off): the page says how to turn it on. Simulated in the browser, so the same
    // service can stay up; the service's own 404 without ADMIN_TOKEN is the API's test.
    await page.route('**/admin/status', (r) => r.fulfill({ status: 404, contentType: 'application/json', body: '{}' }));
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('#message').filter({ hasText: 'admin API is off' }).waitFor({ timeout: 10000 });
    check(await page.locator('#message').textContent().then((t) => t.includes('set ADMIN_TOKEN')),
      'a 404 says "The admin API is off … set ADMIN_TOKEN"');
    check(await page.evaluate(() => sessionStorage.getItem('segment-drip.admin-token')) === null,
      'the token is forgotten after a 404');
    await page.unroute('**/admin/status');

    check(foreign.length === 0, `the page made no request outside ${ORIGIN}${foreign.length ? ': ' + foreign.join(', ') : ''}`);
    check(problems.length === 0, `no page or console errors${problems.length ? ': ' + problems.join('; ') : ''}`);
    console.log(`status page: ${checks} checks passed`);
  } catch (e) {
    mkdirSync(dirname(FAILURE_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: FAILURE_SCREENSHOT, fullPage: true }).catch(() => {});
    console.error(`  ..  screenshot of the failure: ${FAILURE_SCREENSHOT}`);
    if (problems.length) console.error('page problems: ' + problems.join('; '));
    throw e;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('status page test FAILED: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
