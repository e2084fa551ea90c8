// The real analytics.js (@segment/analytics-next, its UMD build from node_modules) in headless
// Chromium, posting to a running service (analytics-js.sh starts one with a write key and this
// page's origin as its CORS origin, and a recording Drip emulator behind it).
//
// In this process: a static server for the test page and the library (the page's origin), and a
// proxy in front of the service that the page posts to. The proxy forwards everything, CORS
// preflights included, except the first POST /v1/t, which it answers 503 (with CORS headers, as the
// service's own 503 would have), so analytics-next retries that call, adding X-Retry-Count.
// Exits non-zero on the first failed check.
//
// Environment: SERVICE_URL, DRIP_URL (the emulator, started with --record), WRITE_KEY, PAGE_PORT
// (the origin http://127.0.0.1:PAGE_PORT must be in SEGMENT_CORS_ORIGINS), CHROMIUM (default
// /usr/bin/chromium), WAIT_SECONDS for deliveries to reach Drip (default 45).
import { chromium } from 'playwright-core';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVICE_URL = new URL(required('SERVICE_URL'));
const DRIP_URL = required('DRIP_URL').replace(/\/$/, '');
const WRITE_KEY = required('WRITE_KEY');
const PAGE_PORT = Number(required('PAGE_PORT'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT_SECONDS = Number(process.env.WAIT_SECONDS || 45);
const PAGE_ORIGIN = `http://127.0.0.1:${PAGE_PORT}`;
const LIBRARY = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '@segment', 'analytics-next');
const LIBRARY_VERSION = JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')).version;

const RUN = Date.now().toString(36);
const EMAIL = `browser-${RUN}@example.com`;
const USER_ID = `browser-user-${RUN}`;
const ORDER_ID = `order-${RUN}`;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`analytics-next: ${name} is not set`);
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const listen = (server) => new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(server.wantedPort ?? 0, '127.0.0.1', () => resolve(server.address().port));
});

// --- the page's origin: the test page and the library's files -----------------------------------
function pageHtml(apiHost) {
  const config = JSON.stringify({ writeKey: WRITE_KEY, apiHost }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>analytics-next test page</title>
<link rel="icon" href="data:,">
<script src="/analytics-next/umd/index.js"></script>
</head><body><h1>Thank you for your order</h1>
<script type="application/json" id="config">${config}</script>
<script>
  // What a site does with the npm package's browser build: settings inline (no CDN fetch), the
  // Segment.io destination pointed at the bridge (segment.md §7, docs/security.md "Browsers").
  const config = JSON.parse(document.getElementById('config').textContent);
  window.ajs = AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: config.writeKey, cdnURL: location.origin,
      cdnSettings: { integrations: { 'Segment.io': { apiKey: config.writeKey } } } },
    { integrations: { 'Segment.io': { apiHost: config.apiHost, protocol: 'http' } } });
</script>
</body></html>`;
}

function pageServer(apiHost) {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, PAGE_ORIGIN).pathname;
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(pageHtml(apiHost));
      return;
    }
    const file = /^\/analytics-next\/umd\/([\w.-]+\.js(?:\.map)?)$/.exec(path);
    if (req.method === 'GET' && file && basename(file[1]) === file[1]) {
      try {
        const body = readFileSync(join(LIBRARY, 'dist', 'umd', file[1]));
        res.writeHead(200, { 'Content-Type': file[1].endsWith('.map') ? 'application/json' : 'text/javascript' });
        res.end(body);
        return;
      } catch { /* 404 below */ }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  server.wantedPort = PAGE_PORT;
  return server;
}

// --- the proxy in front of the service ------------------------------------------------------------
// Every exchange it saw, in order: {method, path, status, injected, headers: {request headers it
// cares about}, allowHeaders: the preflight answer's Access-Control-Allow-Headers}.
const exchanges = [];
let failedFirstTrack = false;

function proxyServer() {
  return http.createServer((req, res) => {
    const path = new URL(req.url, 'http://proxy').pathname;
    const seen = {
      method: req.method,
      path,
      headers: {
        origin: req.headers.origin,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        retryCount: req.headers['x-retry-count'],
        requestHeaders: req.headers['access-control-request-headers'],
      },
    };
    const body = [];
    req.on('data', (chunk) => body.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(body).toString('utf8');
      if (req.method === 'POST' && path === '/v1/t' && !failedFirstTrack) {
        failedFirstTrack = true;
        seen.status = 503;
        seen.injected = true;
        exchanges.push(seen);
        res.writeHead(503, {
          'Content-Type': 'application/json',
          'Access-Control-Allow-Origin': req.headers.origin || '*',
          Vary: 'Origin',
        });
        res.end('{"success":false,"error":"injected by the test proxy"}');
        return;
      }
      const upstream = http.request({
        host: SERVICE_URL.hostname, port: SERVICE_URL.port, method: req.method, path: req.url,
        headers: { ...req.headers, host: SERVICE_URL.host },
      }, (answer) => {
        seen.status = answer.statusCode;
        seen.allowHeaders = answer.headers['access-control-allow-headers'];
        seen.allowOrigin = answer.headers['access-control-allow-origin'];
        exchanges.push(seen);
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (e) => {
        seen.status = 502;
        seen.error = String(e);
        exchanges.push(seen);
        res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end('proxy: ' + e);
      });
      upstream.end(seen.body);
    });
  });
}

// --- Drip, as the emulator recorded it -------------------------------------------------------------
async function dripRequests() {
  const response = await fetch(DRIP_URL + '/_emulator/requests');
  if (!response.ok) throw new Error(`GET /_emulator/requests answered ${response.status}`);
  const data = await response.json();
  if (!data.recording) throw new Error('the Drip emulator is not recording (start it with --record)');
  return data.requests;
}
const records = (requests, kind) => requests
  .filter((r) => r.status >= 200 && r.status < 300 && Array.isArray(r.body?.[kind]))
  .flatMap((r) => r.body[kind]);
const ours = (record) => String(record.email || '').toLowerCase() === EMAIL;

function describe(list) {
  return list.map((e) => `${e.method} ${e.path}${e.headers?.retryCount ? ` (X-Retry-Count ${e.headers.retryCount})` : ''}`
    + `${e.headers?.requestHeaders ? ` [asks for: ${e.headers.requestHeaders}]` : ''}`
    + ` → ${e.status}${e.injected ? ' (injected)' : ''}${e.allowHeaders ? ` [allow-headers: ${e.allowHeaders}]` : ''}`).join('\n      ');
}

async function main() {
  const proxy = proxyServer();
  const proxyPort = await listen(proxy);
  const apiHost = `127.0.0.1:${proxyPort}/v1`;
  const pages = pageServer(apiHost);
  await listen(pages);
  console.log(`analytics-next ${LIBRARY_VERSION}: page ${PAGE_ORIGIN}, posting to http://${apiHost} → ${SERVICE_URL.origin}`);

  const before = await dripRequests();
  const profile = mkdtempSync(join(tmpdir(), 'analytics-next-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  const consoleErrors = [];
  const foreign = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') foreign.push(r.url());
  });

  try {
    await page.goto(PAGE_ORIGIN + '/', { waitUntil: 'load' });
    const loaded = await page.evaluate(async () => {
      const [analytics] = await window.ajs;
      return { version: analytics.VERSION, segmentio: analytics.queue.plugins.some((p) => p.name === 'Segment.io') };
    });
    check(loaded.version === LIBRARY_VERSION, `the page runs analytics-next ${loaded.version} from node_modules (package ${LIBRARY_VERSION})`);
    check(loaded.segmentio, 'the Segment.io destination is registered from inline settings');

    // identify, track (answered 503 by the proxy the first time), page. Each promise resolves once
    // the first attempt is done; the track's retry happens later, from analytics-next's own queue.
    await page.evaluate(async ([userId, email, orderId]) => {
      await window.ajs.identify(userId, { email, firstName: 'Browser', lastName: 'Test' });
      // analytics-next sends no traits with a track; context.traits.email is how the event says who.
      await window.ajs.track('Order Completed', { order_id: orderId, revenue: 19.99, currency: 'USD' },
        { context: { traits: { email } } });
      await window.ajs.page('Checkout', 'Thank You');
    }, [USER_ID, EMAIL, ORDER_ID]);

    // Wait until the retried track has reached Drip as an event (and the identify as a subscriber).
    const deadline = Date.now() + WAIT_SECONDS * 1000;
    let requests = [];
    let subscribers = [];
    let events = [];
    while (Date.now() < deadline) {
      requests = (await dripRequests()).slice(before.length);
      subscribers = records(requests, 'subscribers').filter(ours);
      events = records(requests, 'events').filter(ours);
      if (subscribers.length > 0 && events.length > 0) break;
      await sleep(250);
    }
    if (events.length === 0) {
      throw new Error(`no Order Completed event for ${EMAIL} reached Drip within ${WAIT_SECONDS} s.`
        + `\n    proxy saw:\n      ${describe(exchanges)}`
        + `\n    browser console errors:\n      ${consoleErrors.join('\n      ') || '(none)'}`);
    }
    // Let more polls of the outbox go by: a duplicate, or a Drip call for the page, would show now.
    await sleep(3000);
    requests = (await dripRequests()).slice(before.length);
    subscribers = records(requests, 'subscribers').filter(ours);
    events = records(requests, 'events').filter(ours);
    console.log(`  ..  proxy saw:\n      ${describe(exchanges)}`);
    console.log(`  ..  Drip received: ${requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ')}`);

    // What the browser sent. analytics-next also posts its own counters (analytics_js.invoke) to
    // {apiHost}/m every 30 s, without Authorization; the service does not take them (404). The
    // test is normally over before the first flush; if one came, it is left out here.
    const posts = exchanges.filter((e) => e.method === 'POST' && e.path !== '/v1/m');
    const metrics = exchanges.filter((e) => e.method === 'POST' && e.path === '/v1/m');
    const preflights = exchanges.filter((e) => e.method === 'OPTIONS');
    const track = posts.filter((e) => e.path === '/v1/t');
    const basic = 'Basic ' + Buffer.from(WRITE_KEY + ':').toString('base64');
    check(posts.length > 0 && posts.every((e) => e.headers.authorization === basic),
      `every call carries Authorization: Basic base64(writeKey + ':') (${posts.length} POSTs)`);
    check(posts.every((e) => /^text\/plain/.test(e.headers.contentType || '')), 'every call is Content-Type: text/plain');
    check(posts.every((e) => e.headers.origin === PAGE_ORIGIN), `every call comes from ${PAGE_ORIGIN}`);
    check(posts.every((e) => JSON.parse(e.body).writeKey === WRITE_KEY), 'every body carries the writeKey too');
    check(preflights.length >= 1 && preflights.every((e) => e.status >= 200 && e.status < 300
        && e.allowOrigin === PAGE_ORIGIN && /authorization/i.test(e.allowHeaders || '')),
      `the service grants the CORS preflights (${preflights.length}) to ${PAGE_ORIGIN} with Authorization allowed`);

    // The retry.
    check(track.length === 2 && track[0].injected && track[0].status === 503 && !track[0].headers.retryCount,
      'the first POST /v1/t was answered 503 by the proxy, without X-Retry-Count');
    check(track[1].headers.retryCount === '1' && track[1].status === 200,
      `analytics-next retried it with X-Retry-Count: 1 and the service answered 200 (got ${track[1]?.headers.retryCount}, ${track[1]?.status})`);
    // The preflight that let the retry through: its own (asking for x-retry-count), or, within
    // Chromium's preflight cache time (5 s without Access-Control-Max-Age), the first /v1/t one,
    // whose Access-Control-Allow-Headers lists every header the service allows.
    const retryPreflight = exchanges.slice(0, exchanges.indexOf(track[1]))
      .filter((e) => e.method === 'OPTIONS' && e.path === '/v1/t').pop();
    check(/(^|,)\s*x-retry-count\s*(,|$)/i.test(retryPreflight?.allowHeaders || ''),
      `the preflight covering the retry allowed X-Retry-Count (${retryPreflight?.allowHeaders}; it asked for ${retryPreflight?.headers.requestHeaders})`);
    check(JSON.parse(track[0].body).messageId === JSON.parse(track[1].body).messageId,
      'the retry is the same message (same messageId)');
    for (const [call, path] of [['identify', '/v1/i'], ['page', '/v1/p']]) {
      const sent = posts.filter((e) => e.path === path);
      check(sent.length === 1 && sent[0].status === 200, `${call} was posted to ${path} once and answered 200`);
    }
    check(posts.every((e) => e.injected || e.status === 200), 'the service answered 200 to every call it received');

    // What reached Drip.
    check(subscribers.length === 1, `Drip got one subscriber record for ${EMAIL} (${subscribers.length})`);
    check(subscribers[0].first_name === 'Browser' && subscribers[0].last_name === 'Test',
      `the subscriber has the identify's traits (first_name ${subscribers[0].first_name}, last_name ${subscribers[0].last_name})`);
    check(events.length === 1, `Drip got the retried Order Completed exactly once (${events.length} event records)`);
    const event = events[0];
    check(event.action === 'Order Completed', `the Drip event's action is Order Completed (${event.action})`);
    check(event.properties?.value === 1999, `revenue 19.99 became properties.value 1999 (${event.properties?.value})`);
    check(event.properties?.order_id === ORDER_ID, `the event keeps order_id (${event.properties?.order_id})`);
    const others = requests.filter((r) => !(r.status >= 200 && r.status < 300)
      || !(records([r], 'subscribers').some(ours) || records([r], 'events').some(ours)));
    check(others.length === 0, `no other Drip request, none for the page (${others.map((r) => r.method + ' ' + r.path + ' ' + JSON.stringify(r.body)).join('; ') || 'none'})`);
    check(requests.length === 2, `Drip got exactly two requests: the subscriber and the event (${requests.length})`);

    // The browser itself.
    check(foreign.length === 0, `the page made no request outside 127.0.0.1${foreign.length ? ': ' + foreign.join(', ') : ''}`);
    let metrics404s = metrics.filter((e) => e.status === 404).length;
    const unexpected = consoleErrors.filter((t) => !/the server responded with a status of 503/.test(t))
      .filter((t) => !(/the server responded with a status of 404/.test(t) && metrics404s-- > 0));
    check(consoleErrors.length - unexpected.length === 1, 'the browser logged the injected 503 once');
    check(unexpected.length === 0 && problems.length === 0,
      `no other page or console errors${unexpected.length + problems.length ? ': ' + [...problems, ...unexpected].join('; ') : ''}`);
    if (metrics.length) console.log(`  ..  analytics-next also posted its metrics to /v1/m ${metrics.length} time(s), answered ${metrics.map((e) => e.status).join(', ')}`);
    console.log(`analytics-next: ${checks} checks passed`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    proxy.close();
    pages.close();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error('analytics-next test FAILED: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
