// Status page of the Segment → Drip destination: polls GET /admin/status with the admin token and
// draws it. No framework, no build, no request to anything but this service (see the page's CSP).
// Everything that comes from the API is written with textContent, never parsed as HTML: dead-letter
// reasons and e-mail addresses come from senders and from Drip.
'use strict';
(() => {
  const TOKEN_KEY = 'segment-drip.admin-token';
  const POLL_MS = 5000;
  const SVG = 'http://www.w3.org/2000/svg';
  const MINUTE = 60000;

  let memoryToken = '';        // used only when sessionStorage is unavailable
  let pollTimer = null;
  let generation = 0;          // a newer refresh makes older answers stale
  let highlightId = null;      // the dead letter just replayed, highlighted in the table

  const $ = (id) => document.getElementById(id);

  // --- token ---------------------------------------------------------------------------------
  function getToken() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return memoryToken; }
  }
  function setToken(value) {
    memoryToken = value;
    try {
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* private mode: memory only */ }
  }

  // --- API -----------------------------------------------------------------------------------
  // Relative paths, so the page also works behind a proxy that mounts the service under a prefix.
  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + getToken(), Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    return { status: response.status, ok: response.ok, data };
  }

  function apiError(what, answer) {
    const detail = answer.data && typeof answer.data.error === 'string' ? ': ' + answer.data.error : '';
    return what + ' answered ' + answer.status + detail;
  }

  // 401 and 404 mean "no usable token": back to the form with a message that says what to do.
  function isAuthFailure(answer) {
    if (answer.status === 404) {
      showLogin('The admin API is off (404): set ADMIN_TOKEN on the service and restart it, then enter that token here.');
      return true;
    }
    if (answer.status === 401 || answer.status === 403) {
      showLogin('The admin API refused this token (' + answer.status + '). Enter the service\'s ADMIN_TOKEN.');
      return true;
    }
    return false;
  }

  // --- screens -------------------------------------------------------------------------------
  function showLogin(message) {
    stopPolling();
    setToken('');
    $('dashboard').hidden = true;
    $('login').hidden = false;
    $('updated').textContent = 'Not connected.';
    showNotice('');
    showMessage(message);
    $('token').focus();
  }

  function showMessage(text) {
    const box = $('message');
    box.textContent = text || '';
    box.hidden = !text;
  }

  function showNotice(text, isError) {
    const box = $('notice');
    box.textContent = text || '';
    box.classList.toggle('error', !!isError);
    box.hidden = !text;
  }

  function stopPolling() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    generation++;
  }

  async function refresh() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    if (!getToken()) { showLogin(''); return; }
    const mine = ++generation;
    let answer;
    try {
      answer = await api('GET', 'admin/status');
    } catch (e) {
      if (mine !== generation) return;
      showMessage('Cannot reach the service (' + (e && e.message ? e.message : e) + '). Retrying every 5 s.');
      schedule();
      return;
    }
    if (mine !== generation) return;
    if (isAuthFailure(answer)) return;
    if (!answer.ok || !answer.data) {
      showMessage(apiError('GET /admin/status', answer) + '. Retrying every 5 s.');
      schedule();
      return;
    }
    showMessage('');
    $('login').hidden = true;
    $('dashboard').hidden = false;
    render(answer.data);
    $('updated').textContent = 'Updated ' + clock(Date.now(), true) + ', every 5 s.';
    schedule();
  }

  function schedule() {
    pollTimer = setTimeout(refresh, POLL_MS);
  }

  // --- formatting ----------------------------------------------------------------------------
  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const int = (v) => (num(v) === null ? '–' : Math.round(v).toLocaleString('en-US'));
  const pad = (n) => String(n).padStart(2, '0');

  function clock(ms, seconds) {
    const d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + (seconds ? ':' + pad(d.getSeconds()) : '');
  }
  function dateTime(ms) {
    const d = new Date(ms);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + clock(ms, true);
  }
  function age(seconds) {
    if (num(seconds) === null) return '–';
    if (seconds < 10) return seconds.toFixed(1) + ' s';
    if (seconds < 60) return Math.round(seconds) + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s';
    if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
    return Math.floor(seconds / 86400) + ' d ' + Math.floor((seconds % 86400) / 3600) + ' h';
  }
  // ISO-8601 durations as Quarkus prints them (PT1H, PT30M, PT1M30S).
  function isoDuration(text) {
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text || '');
    if (!m || (!m[1] && !m[2] && !m[3])) return text || '';
    return [m[1] && m[1] + ' h', m[2] && m[2] + ' min', m[3] && m[3] + ' s'].filter(Boolean).join(' ');
  }
  // 0 → 2, 3 → 4, 7 → 10, 12 → 20, 130 → 200: a round top for a count axis whose half is whole too.
  function niceMax(v) {
    if (!(v > 2)) return 2;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const f of [1, 2, 4, 6, 10]) if (v <= f * p) return f * p;
    return 10 * p;
  }

  // --- rendering -----------------------------------------------------------------------------
  function render(s) {
    renderOutbox(s.outbox || {});
    renderDelivery(s.delivery || {}, (s.deliveries && s.deliveries.perMinute) || [],
      (s.deliveries && s.deliveries.sinceStart) || {});
    renderBudget(s.budget || {});
    renderDepthChart((s.outbox && s.outbox.history) || []);
    renderRateChart((s.deliveries && s.deliveries.perMinute) || []);
    renderDeadLetters(s.deadLetters || {});
  }

  function renderOutbox(outbox) {
    const depth = num(outbox.depth);
    $('outbox-depth').textContent = int(depth);
    $('outbox-depth').dataset.value = depth === null ? '' : String(depth);
    $('outbox-oldest').textContent = depth === 0 ? 'nothing waiting' : age(outbox.oldestAgeSeconds);
  }

  function renderDelivery(delivery, perMinute, sinceStart) {
    const state = $('delivery-state');
    const ready = delivery.ready === true;
    state.textContent = ready ? 'Delivering' : 'Paused';
    state.className = 'state ' + (ready ? 'ready' : 'paused');
    const reason = $('delivery-reason');
    reason.textContent = delivery.reason ? String(delivery.reason) : '';
    reason.hidden = !delivery.reason;

    const rows = sortByTime(perMinute);
    const last = rows[rows.length - 1];
    $('deliveries-last').textContent = last
      ? int(last.delivered) + ' delivered · ' + int(last.failed) + ' failed' : '–';
    const total = rows.reduce((a, r) => [a[0] + (num(r.delivered) || 0), a[1] + (num(r.failed) || 0)], [0, 0]);
    $('deliveries-hour').textContent = int(total[0]) + ' delivered · ' + int(total[1]) + ' failed';
    // Shopper Activity records Drip accepted since the service started (docs/ecommerce.md).
    $('orders-sent').textContent = int(sinceStart.order);
    $('carts-sent').textContent = int(sinceStart.cart);
  }

  function renderBudget(budget) {
    $('budget-window').textContent = budget.window ? '(per ' + isoDuration(budget.window) + ')' : '';
    renderBudgetBar($('budget-single'), budget.single);
    renderBudgetBar($('budget-batch'), budget.batch);
  }

  function renderBudgetBar(box, b) {
    const limit = b ? num(b.limit) : null;
    const available = b ? num(b.available) : null;
    const bar = box.querySelector('.bar');
    const text = box.querySelector('.budget-text');
    if (limit === null || available === null) {
      text.textContent = '–';
      bar.removeAttribute('aria-valuenow');
      box.dataset.used = '';
      return;
    }
    const used = Math.min(limit, Math.max(0, limit - available));
    const share = limit > 0 ? used / limit : 0;
    text.textContent = int(used) + ' / ' + int(limit) + ' used';
    box.dataset.used = String(used);
    box.dataset.limit = String(limit);
    bar.setAttribute('aria-valuemax', String(limit));
    bar.setAttribute('aria-valuenow', String(used));
    bar.setAttribute('aria-valuetext', int(used) + ' of ' + int(limit) + ' used, ' + int(available) + ' left');
    bar.classList.toggle('high', share >= 0.9);
    // A used budget never shows as an empty bar.
    bar.querySelector('.fill').style.width = (used > 0 ? Math.max(share * 100, 0.5) : 0) + '%';
  }

  function sortByTime(rows) {
    return rows.filter((r) => r && num(r.t) !== null).slice().sort((a, b) => a.t - b.t);
  }

  function svg(name, attrs, text) {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // Plot frame shared by both charts: 720 × 180 user units.
  const W = 720, H = 180, L = 52, R = 14, T = 12, B = 26;
  const PW = W - L - R, PH = H - T - B;

  function yAxis(chart, top) {
    for (const f of [0, 0.5, 1]) {
      const y = T + PH - f * PH;
      chart.appendChild(svg('line', { class: f === 0 ? 'axis' : 'grid', x1: L, x2: L + PW, y1: y, y2: y }));
      chart.appendChild(svg('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, int(top * f)));
    }
  }

  function xLabel(chart, x, text, anchor) {
    chart.appendChild(svg('text', { x, y: H - 6, 'text-anchor': anchor }, text));
  }

  function emptyChart(chart, text) {
    chart.appendChild(svg('text', { class: 'empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, text));
  }

  function renderDepthChart(history) {
    const chart = $('depth-chart');
    chart.replaceChildren();
    const rows = sortByTime(history).filter((r) => num(r.depth) !== null);
    if (rows.length === 0) {
      emptyChart(chart, 'No samples yet');
      $('depth-summary').textContent = 'No samples yet.';
      return;
    }
    const t1 = rows[rows.length - 1].t;
    const t0 = Math.min(rows[0].t, t1 - MINUTE);       // at least a minute wide
    const depths = rows.map((r) => r.depth);
    const top = niceMax(Math.max(...depths));
    const x = (t) => L + ((t - t0) / (t1 - t0)) * PW;
    const y = (d) => T + PH - (d / top) * PH;
    yAxis(chart, top);
    const points = rows.map((r) => x(r.t).toFixed(1) + ',' + y(r.depth).toFixed(1));
    const base = (T + PH).toFixed(1);
    chart.appendChild(svg('path', {
      class: 'depth-area',
      d: 'M' + x(rows[0].t).toFixed(1) + ',' + base + ' L' + points.join(' L') + ' L' + x(t1).toFixed(1) + ',' + base + ' Z',
    }));
    chart.appendChild(svg('path', { class: 'depth-line', d: 'M' + points.join(' L') }));
    const lastPoint = rows[rows.length - 1];
    const dot = svg('circle', { class: 'depth-line', cx: x(lastPoint.t), cy: y(lastPoint.depth), r: 3 });
    dot.appendChild(svg('title', {}, clock(lastPoint.t, true) + ': ' + int(lastPoint.depth)));
    chart.appendChild(dot);
    const seconds = t1 - t0 < 10 * MINUTE;     // a short history needs seconds to tell its ends apart
    xLabel(chart, L, clock(t0, seconds), 'start');
    xLabel(chart, L + PW / 2, clock((t0 + t1) / 2, seconds), 'middle');
    xLabel(chart, L + PW, clock(t1, seconds), 'end');
    $('depth-summary').textContent = rows.length + ' samples from ' + clock(rows[0].t) + ' to ' + clock(t1)
      + ': now ' + int(lastPoint.depth) + ', highest ' + int(Math.max(...depths))
      + ', lowest ' + int(Math.min(...depths)) + '.';
  }

  function renderRateChart(perMinute) {
    const chart = $('deliveries-chart');
    chart.replaceChildren();
    const rows = sortByTime(perMinute);
    if (rows.length === 0) {
      emptyChart(chart, 'No deliveries yet');
      $('rate-summary').textContent = 'No deliveries yet.';
      return;
    }
    // Sixty one-minute slots ending with the newest minute, so an idle hour still reads as an hour.
    const SLOTS = 60;
    const newest = rows[rows.length - 1].t;
    const slot = (t) => SLOTS - 1 + Math.round((t - newest) / MINUTE);
    const visible = rows.filter((r) => slot(r.t) >= 0);
    const totals = visible.map((r) => (num(r.delivered) || 0) + (num(r.failed) || 0));
    const top = niceMax(Math.max(...totals));
    const step = PW / SLOTS;
    const width = Math.max(step - 2, 1);
    const h = (v) => (v / top) * PH;
    yAxis(chart, top);
    for (const r of visible) {
      const delivered = num(r.delivered) || 0;
      const failed = num(r.failed) || 0;
      const x0 = L + slot(r.t) * step + (step - width) / 2;
      const group = svg('g', {});
      group.appendChild(svg('title', {}, clock(r.t) + ': ' + int(delivered) + ' delivered, ' + int(failed) + ' failed'));
      if (delivered > 0) {
        group.appendChild(svg('rect', { class: 'delivered', x: x0.toFixed(1), width: width.toFixed(1),
          y: (T + PH - h(delivered)).toFixed(1), height: h(delivered).toFixed(1) }));
      }
      if (failed > 0) {
        group.appendChild(svg('rect', { class: 'failed', x: x0.toFixed(1), width: width.toFixed(1),
          y: (T + PH - h(delivered) - h(failed)).toFixed(1), height: h(failed).toFixed(1) }));
      }
      chart.appendChild(group);
    }
    xLabel(chart, L, clock(newest - (SLOTS - 1) * MINUTE), 'start');
    xLabel(chart, L + PW / 2, clock(newest - (SLOTS / 2) * MINUTE), 'middle');
    xLabel(chart, L + PW, clock(newest), 'end');
    const sum = visible.reduce((a, r) => [a[0] + (num(r.delivered) || 0), a[1] + (num(r.failed) || 0)], [0, 0]);
    const busiest = Math.max(...totals);
    $('rate-summary').textContent = 'Last ' + SLOTS + ' minutes: ' + int(sum[0]) + ' delivered, ' + int(sum[1])
      + ' failed; busiest minute ' + int(busiest) + ' requests.';
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function renderDeadLetters(deadLetters) {
    const latest = Array.isArray(deadLetters.latest) ? deadLetters.latest : [];
    const total = num(deadLetters.total);
    $('dl-total').textContent = total === null || latest.length === 0 ? ''
      : '(' + latest.length + ' newest of ' + int(total) + ')';
    $('dl-empty').hidden = latest.length > 0;
    $('dead-letters').hidden = latest.length === 0;

    // Keep keyboard focus on the same Replay button across a refresh.
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.replay : undefined;
    const body = $('dead-letters').tBodies[0];
    const rows = latest.map((d) => {
      const tr = document.createElement('tr');
      tr.dataset.id = String(d.id);
      if (highlightId !== null && String(d.id) === highlightId) tr.className = 'just-replayed';
      cell(tr, String(d.id), 'num id');
      let when = '–';
      if (num(d.createdAt) !== null) {
        when = document.createElement('time');
        when.dateTime = new Date(d.createdAt).toISOString();
        when.textContent = dateTime(d.createdAt);
      }
      cell(tr, when, 'time');
      cell(tr, d.kind ? String(d.kind) : '–', 'kind');
      cell(tr, d.email ? String(d.email) : '–', 'email');
      cell(tr, num(d.status) === null ? '–' : String(d.status), 'num status');
      cell(tr, d.reason ? String(d.reason) : '–', 'reason-cell');
      cell(tr, int(d.attempts), 'num attempts');
      cell(tr, int(d.replayed), 'num replayed');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Replay';
      button.dataset.replay = String(d.id);
      button.setAttribute('aria-label', 'Replay dead letter ' + d.id);
      button.addEventListener('click', () => replay(String(d.id), button));
      cell(tr, button, 'action');
      return tr;
    });
    body.replaceChildren(...rows);
    if (focused !== undefined) {
      const again = body.querySelector('button[data-replay="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  async function replay(id, button) {
    button.disabled = true;
    button.textContent = 'Replaying…';
    let answer;
    try {
      answer = await api('POST', 'admin/dead-letters/' + encodeURIComponent(id) + '/replay');
    } catch (e) {
      showNotice('Replay of dead letter #' + id + ' failed: ' + (e && e.message ? e.message : e), true);
      button.disabled = false;
      button.textContent = 'Replay';
      return;
    }
    if (isAuthFailure(answer)) return;
    if (answer.ok) {
      const n = answer.data && num(answer.data.replayed);
      highlightId = id;
      showNotice(n === 0
        ? 'Dead letter #' + id + ' was not replayed (nothing to replay).'
        : 'Dead letter #' + id + ' replayed: its record is back in the outbox.');
    } else {
      showNotice(apiError('Replay of dead letter #' + id, answer), true);
    }
    await refresh();
  }

  // --- wiring --------------------------------------------------------------------------------
  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      $('token').value = '';
      if (!value) return;
      setToken(value);
      showMessage('');
      $('updated').textContent = 'Connecting…';
      refresh();
    });
    $('refresh').addEventListener('click', () => refresh());
    $('forget').addEventListener('click', () => {
      showNotice('');
      showLogin('');
    });
    if (getToken()) {
      $('login').hidden = true;
      refresh();
    }
  });
})();
