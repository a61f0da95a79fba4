// Streamsight console: plain JavaScript, no build step, nothing loaded from elsewhere.
// Every record text goes into the page through textContent, never as HTML, so a summary or a
// rule question cannot inject markup or script (and the Content-Security-Policy forbids inline
// script anyway).
'use strict';

const TOKEN_KEY = 'streamsight-console-token';
const app = document.getElementById('app');
const handlers = {}; // live event type -> list of functions of the current page

// ---------- small helpers ----------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function time(micros) {
  if (micros === null || micros === undefined) return '';
  return new Date(micros / 1000).toLocaleTimeString([], { hour12: false });
}
function dateTime(micros) {
  return new Date(micros / 1000).toLocaleString([], { hour12: false });
}
function imageUrl(ref) {
  if (!ref) return null;
  return '/api/keyframes/' + encodeURIComponent(ref.topic) + '/' + ref.partition + '/' + ref.offset;
}
function thumb(ref, alt) {
  const url = imageUrl(ref);
  return url ? el('img', { class: 'thumb', src: url, alt: alt || 'keyframe', loading: 'lazy', onerror: missing }) : null;
}
// An image that is gone (retention) or refused keeps its box but shows nothing broken.
function missing(e) { e.target.classList.add('missing'); }
function cameraLink(id) {
  return el('a', { href: '/camera?id=' + encodeURIComponent(id), class: 'camera-link' }, id);
}
function on(type, fn) { (handlers[type] = handlers[type] || []).push(fn); }
function notice(text, error) { return el('div', { class: 'notice' + (error ? ' error' : '') }, text); }
function params() { return new URLSearchParams(location.search); }

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(body.error || ('HTTP ' + r.status)), { status: r.status });
  return body;
}

// ---------- the token (writes only; kept in this browser's localStorage, never a cookie) ----------
function token() { return localStorage.getItem(TOKEN_KEY) || ''; }
function showTokenState() {
  document.getElementById('token-state').textContent = token() ? 'token set' : 'token: not set';
}
(function setUpToken() {
  // The console prints its URL with #token=...: the fragment never reaches a server or a log.
  function fromFragment() {
    const m = location.hash.match(/^#token=([A-Za-z0-9_\-.~+/=]+)$/);
    if (m) {
      localStorage.setItem(TOKEN_KEY, m[1]);
      history.replaceState(null, '', location.pathname + location.search);
      showTokenState();
    }
  }
  fromFragment();
  window.addEventListener('hashchange', fromFragment);
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = document.getElementById('token-input').value.trim();
    if (v) localStorage.setItem(TOKEN_KEY, v);
    document.getElementById('token-input').value = '';
    document.getElementById('token-box').open = false;
    showTokenState();
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    localStorage.removeItem(TOKEN_KEY);
    showTokenState();
  });
  showTokenState();
})();

async function write(method, url, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token()) headers.Authorization = 'Bearer ' + token();
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const out = await r.json().catch(() => ({}));
  if (!r.ok) {
    const why = r.status === 401
      ? 'Refused (401): set the console token (top right); it is in the console data directory, file console.token.'
      : (out.error || ('HTTP ' + r.status));
    throw Object.assign(new Error(why), { status: r.status, field: out.field });
  }
  return out;
}

// ---------- live updates (server-sent events) ----------
let reloadOnOpen = null;
(function connect() {
  const conn = document.getElementById('conn');
  const es = new EventSource('/api/events');
  es.onopen = () => {
    conn.textContent = 'live';
    conn.classList.add('live');
    if (reloadOnOpen) reloadOnOpen(); // after a reconnect: catch up with what was missed
  };
  es.onerror = () => { conn.textContent = 'reconnecting'; conn.classList.remove('live'); };
  for (const type of ['summary', 'alert', 'status', 'keyframe', 'rule', 'answer']) {
    es.addEventListener(type, (m) => {
      const data = JSON.parse(m.data);
      for (const fn of handlers[type] || []) fn(data);
    });
  }
})();

// ---------- rendering of records ----------
function summaryItem(s) {
  const refs = s.keyframes || [];
  return el('li', { class: 'feed-item summary', 'data-key': 'summary/' + s.cameraId + '/' + s.windowStartMicros,
    'data-rendered': Date.now() },
    thumb(refs[refs.length - 1], 'keyframe of ' + s.cameraId),
    el('div', { class: 'content' },
      el('div', { class: 'meta' }, cameraLink(s.cameraId), ' ', time(s.windowStartMicros), '–', time(s.windowEndMicros)),
      el('div', { class: 'text' }, s.text)));
}
// An alert is an event: STARTED, UPDATED (its window's summary), ENDED; one id for all three.
// Records from before events have no phase: a one-window event, shown as started.
function alertPhase(a) { return a.phase || 'STARTED'; }
function alertState(a) {
  const start = a.eventStartMicros != null ? a.eventStartMicros : a.windowStartMicros;
  const peak = (a.peakPYes != null ? a.peakPYes : a.pYes).toFixed(2);
  if (alertPhase(a) === 'ENDED') {
    const secs = Math.max(0, (a.eventEndMicros - start) / 1e6);
    return 'ended after ' + (secs < 90 ? secs.toFixed(0) + ' s' : (secs / 60).toFixed(1) + ' min') +
      ' · peak ' + peak + (a.endReason ? ' · ' + a.endReason.toLowerCase().replace('_', ' ') : '');
  }
  return 'ongoing since ' + time(start) + ' · peak ' + peak;
}
function alertItem(a) {
  const phase = alertPhase(a);
  return el('li', { class: 'feed-item alert sev-' + a.severity + ' phase-' + phase,
    'data-key': 'alert/' + a.alertId, 'data-phase': phase, 'data-rendered': Date.now() },
    thumb((a.evidence || [])[0], 'evidence of ' + a.cameraId),
    el('div', { class: 'content' },
      el('div', { class: 'meta' }, el('span', { class: 'badge ' + a.severity }, a.severity), ' ',
        el('span', { class: 'badge phase ' + phase }, phase === 'ENDED' ? 'ended' : 'ongoing'), ' ',
        cameraLink(a.cameraId), ' ', time(a.windowStartMicros), '–', time(a.windowEndMicros)),
      el('div', { class: 'text' }, a.question),
      a.summaryText ? el('div', { class: 'text summary-text' }, a.summaryText) : null,
      el('div', { class: 'meta event-state' }, alertState(a)),
      el('div', { class: 'meta' }, 'rule ', a.ruleId, ' · p(yes) ', a.pYes.toFixed(2),
        ' ≥ ', a.threshold.toFixed(2))));
}
/** One entry per event: the newest record of each alert id (lists come newest first). */
function latestPerEvent(alerts) {
  const seen = new Set();
  return alerts.filter((a) => !seen.has(a.alertId) && seen.add(a.alertId));
}
function feedItem(type, record) { return type === 'alert' ? alertItem(record) : summaryItem(record); }

function prepend(list, item, max) {
  const key = item.getAttribute('data-key');
  const old = key && list.querySelector('[data-key="' + CSS.escape(key) + '"]');
  if (old) old.remove();
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  list.prepend(item);
  while (list.children.length > max) list.lastChild.remove();
}

// ---------- pages ----------
const pages = {};

pages.live = async function () {
  const tiles = el('div', { class: 'tiles', id: 'tiles' });
  const feed = el('ul', { class: 'list', id: 'feed' });
  app.append(el('div', { class: 'layout' },
    el('section', {}, el('h1', {}, 'Cameras'), tiles),
    el('section', {}, el('h1', {}, 'Summaries and alerts'), feed)));
  const cams = new Map();

  function tile(id) {
    let t = cams.get(id);
    if (!t) {
      t = { img: el('img', { alt: 'latest keyframe of ' + id, onerror: missing, onload: (e) => e.target.classList.remove('missing') }), badge: el('span', { class: 'badge' }, '?'),
        text: el('div', { class: 'text' }), meta: el('div', { class: 'meta' }) };
      t.node = el('article', { class: 'tile', 'data-camera': id }, t.img,
        el('div', { class: 'body' }, el('div', { class: 'name' }, cameraLink(id), t.badge), t.text, t.meta));
      cams.set(id, t);
      const sorted = [...cams.keys()].sort();
      const next = sorted[sorted.indexOf(id) + 1];
      tiles.insertBefore(t.node, next ? cams.get(next).node : null);
    }
    return t;
  }
  function setImage(t, ref) { const u = imageUrl(ref); if (u && t.img.getAttribute('src') !== u) t.img.src = u; }
  function setStatus(s) {
    const t = tile(s.cameraId);
    t.badge.textContent = s.state;
    t.badge.className = 'badge ' + s.state;
    t.badge.title = s.error || '';
  }
  function setSummary(s) {
    const t = tile(s.cameraId);
    t.text.textContent = s.text;
    t.meta.textContent = time(s.windowStartMicros) + '–' + time(s.windowEndMicros);
    if (!t.hasKeyframe) setImage(t, (s.keyframes || [])[s.keyframes.length - 1]);
  }
  async function load() {
    const snap = await getJson('/api/live');
    for (const c of snap.cameras) {
      const t = tile(c.cameraId);
      if (c.status) setStatus(c.status);
      if (c.summary) setSummary(c.summary);
      if (c.keyframe) { t.hasKeyframe = true; setImage(t, c.keyframe); }
    }
    clear(feed);
    if (snap.feed.length === 0) feed.append(el('li', { class: 'empty' }, 'No summaries yet.'));
    const shown = new Set();
    for (const f of snap.feed) {
      if (f.type === 'alert' && shown.has(f.record.alertId)) continue; // an older record of it
      if (f.type === 'alert') shown.add(f.record.alertId);
      feed.append(feedItem(f.type, f.record));
    }
  }
  reloadOnOpen = load;
  on('status', setStatus);
  on('summary', (s) => { setSummary(s); prepend(feed, summaryItem(s), 200); });
  on('alert', (a) => { tile(a.cameraId); prepend(feed, alertItem(a), 200); });
  on('keyframe', (k) => { const t = tile(k.cameraId); t.hasKeyframe = true; setImage(t, k.keyframe); });
  await load();
};

pages.camera = async function () {
  const id = params().get('id') || '';
  app.append(el('h1', {}, 'Camera ', id));
  const head = el('div', { class: 'tiles' });
  const answers = el('div', { id: 'answers' });
  const askInput = el('input', { id: 'question', name: 'question', maxlength: 500, required: true,
    placeholder: 'What is happening?', size: 40 });
  const askMsg = el('div');
  const form = el('form', { class: 'inline', id: 'ask-form' },
    el('label', {}, 'Ask about what the camera shows now', askInput), el('button', { type: 'submit' }, 'Ask'));
  const timeline = el('ul', { class: 'list', id: 'timeline' });
  const alerts = el('ul', { class: 'list', id: 'camera-alerts' });
  app.append(head, form, askMsg, answers,
    el('div', { class: 'layout' },
      el('section', {}, el('h2', {}, 'Timeline'), timeline),
      el('section', {}, el('h2', {}, 'Alerts'), alerts)));
  const pending = new Map();

  // How old the answer's newest frame was when the question was asked (<= 0: taken after it).
  function frameAge(a) {
    if (a.frameAgeMicros == null) return '';
    const s = (Math.abs(a.frameAgeMicros) / 1e6).toFixed(1) + ' s';
    return a.frameAgeMicros <= 0 ? ' · frames ' + s + ' after the question' : ' · newest frame ' + s + ' before the question';
  }
  function showAnswer(a) {
    const box = pending.get(a.queryId);
    if (!box) return;
    clear(box).append(el('div', { class: 'meta' }, 'Q: ', a.question),
      el('div', { class: 'text answer-text' }, a.text),
      el('div', { class: 'meta' }, a.status, frameAge(a), a.windowStartMicros ? ' · window ' + time(a.windowStartMicros) + '–' + time(a.windowEndMicros) : ''));
    box.classList.add('answered');
    pending.delete(a.queryId);
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(askMsg);
    try {
      const r = await write('POST', '/api/questions', { cameraId: id, question: askInput.value });
      const box = el('div', { class: 'answer', 'data-query': r.queryId }, el('div', { class: 'meta' }, 'Q: ', askInput.value), el('div', { class: 'meta' }, 'waiting for the answer...'));
      pending.set(r.queryId, box);
      answers.prepend(box);
      askInput.value = '';
      const got = await getJson('/api/questions/' + encodeURIComponent(r.queryId)); // answered already?
      if (got.answer) showAnswer(got.answer);
    } catch (err) { askMsg.append(notice(err.message, true)); }
  });
  on('answer', showAnswer);

  async function load() {
    let c;
    try { c = await getJson('/api/cameras/' + encodeURIComponent(id)); } catch (err) {
      clear(head).append(notice(err.message, err.status !== 404)); return;
    }
    clear(head).append(el('article', { class: 'tile' },
      c.keyframe ? thumb(c.keyframe) : thumb(((c.summary || {}).keyframes || [])[0]),
      el('div', { class: 'body' }, el('div', { class: 'name' }, id,
        el('span', { class: 'badge ' + ((c.status || {}).state || '') }, (c.status || {}).state || '?')),
      el('div', { class: 'text' }, (c.summary || {}).text || ''))));
    clear(timeline);
    if (c.summaries.length === 0) timeline.append(el('li', { class: 'empty' }, 'No summaries yet.'));
    for (const s of c.summaries) timeline.append(summaryItem(s));
    clear(alerts);
    if (c.alerts.length === 0) alerts.append(el('li', { class: 'empty' }, 'No alerts.'));
    for (const a of latestPerEvent(c.alerts)) alerts.append(alertItem(a));
  }
  reloadOnOpen = load;
  on('summary', (s) => { if (s.cameraId === id) prepend(timeline, summaryItem(s), 100); });
  on('alert', (a) => { if (a.cameraId === id) prepend(alerts, alertItem(a), 100); });
  await load();
};

function filterForm(fields, values) {
  const form = el('form', { class: 'inline', method: 'get' });
  for (const f of fields) {
    let input;
    if (f.options) {
      input = el('select', { name: f.name }, f.options.map((o) => el('option', { value: o, selected: values.get(f.name) === o }, o || 'any')));
    } else if (f.type === 'datetime-local') {
      input = el('input', { type: 'datetime-local', 'data-name': f.name });
      const v = values.get(f.name);
      if (v) { const d = new Date(v); input.value = new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); }
    } else {
      input = el('input', { name: f.name, value: values.get(f.name) || '', placeholder: f.placeholder || '', size: f.size || 14 });
    }
    form.append(el('label', {}, f.label, input));
  }
  // datetime-local inputs hold local time; the API (and the deep link) take ISO instants.
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const i of form.querySelectorAll('input, select')) {
      const name = i.name || i.getAttribute('data-name');
      if (!name || !i.value) continue;
      q.set(name, i.type === 'datetime-local' ? new Date(i.value).toISOString() : i.value);
    }
    location.search = q.toString();
  });
  form.append(el('button', { type: 'submit' }, fields.submit || 'Filter'));
  return form;
}

pages.alerts = async function () {
  const p = params();
  app.append(el('h1', {}, 'Alerts'));
  app.append(filterForm([
    { name: 'camera', label: 'Camera' }, { name: 'rule', label: 'Rule' },
    { name: 'severity', label: 'Severity', options: ['', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] },
    { name: 'since', label: 'From', type: 'datetime-local' }, { name: 'until', label: 'To', type: 'datetime-local' }], p));
  const list = el('ul', { class: 'list', id: 'alerts' });
  app.append(list);
  const query = new URLSearchParams();
  for (const k of ['camera', 'rule', 'severity', 'since', 'until']) if (p.get(k)) query.set(k, p.get(k));
  async function load() {
    try {
      const r = await getJson('/api/alerts?' + query);
      clear(list);
      if (r.alerts.length === 0) list.append(el('li', { class: 'empty' }, 'No alerts match.'));
      for (const a of latestPerEvent(r.alerts)) list.append(alertItem(a));
    } catch (err) { clear(list).append(notice(err.message, true)); }
  }
  reloadOnOpen = load;
  on('alert', load);
  await load();
};

pages.rules = async function () {
  app.append(el('h1', {}, 'Rules'));
  const msg = el('div', { id: 'rule-msg' });
  const f = {
    id: el('input', { name: 'id', required: true, placeholder: 'fence', size: 12 }),
    cameraGlob: el('input', { name: 'cameraGlob', required: true, placeholder: 'cam-*', size: 10 }),
    question: el('input', { name: 'question', required: true, maxlength: 500, placeholder: 'Is someone climbing the fence?', size: 36 }),
    threshold: el('input', { name: 'threshold', type: 'number', step: '0.01', min: '0.01', max: '0.99', value: '0.5' }),
    cooldown: el('input', { name: 'cooldown', type: 'number', min: '0', max: '86400', value: '60' }),
    severity: el('select', { name: 'severity' }, ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((s) => el('option', { value: s, selected: s === 'MEDIUM' }, s))),
    enabled: el('input', { name: 'enabled', type: 'checkbox', checked: true }),
  };
  const form = el('form', { class: 'inline', id: 'rule-form' },
    el('label', {}, 'Id', f.id), el('label', {}, 'Cameras (glob)', f.cameraGlob),
    el('label', {}, 'Yes/no question', f.question), el('label', {}, 'Threshold', f.threshold),
    el('label', {}, 'Cooldown (s)', f.cooldown), el('label', {}, 'Severity', f.severity),
    el('label', {}, 'Enabled', f.enabled), el('button', { type: 'submit' }, 'Add rule'));
  const body = el('tbody');
  app.append(form, msg, el('div', { class: 'table-wrap' }, el('table', { id: 'rules' },
    el('thead', {}, el('tr', {}, ['Id', 'Cameras', 'Question', 'Threshold', 'Cooldown', 'Severity', 'Enabled', ''].map((h) => el('th', {}, h)))),
    body)));

  async function store(rule) {
    clear(msg);
    try {
      await write('PUT', '/api/rules/' + encodeURIComponent(rule.id), rule);
      msg.append(notice('Rule ' + rule.id + ' stored.'));
      return true;
    } catch (err) { msg.append(notice(err.message, true)); return false; }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ok = await store({
      id: f.id.value.trim(), cameraGlob: f.cameraGlob.value.trim(), question: f.question.value,
      threshold: Number(f.threshold.value), cooldownMicros: Math.round(Number(f.cooldown.value) * 1e6),
      severity: f.severity.value, enabled: f.enabled.checked,
    });
    if (ok) { f.id.value = ''; f.question.value = ''; }
  });
  function row(r) {
    const toggle = el('input', { type: 'checkbox', checked: r.enabled, 'aria-label': 'enabled' });
    toggle.addEventListener('change', async () => {
      const copy = Object.assign({}, r, { enabled: toggle.checked });
      delete copy.updatedMicros;
      if (!(await store(copy))) toggle.checked = !toggle.checked;
    });
    const del = el('button', { class: 'danger', type: 'button' }, 'Delete');
    del.addEventListener('click', async () => {
      clear(msg);
      try { await write('DELETE', '/api/rules/' + encodeURIComponent(r.id)); msg.append(notice('Rule ' + r.id + ' deleted.')); } catch (err) { msg.append(notice(err.message, true)); }
    });
    return el('tr', { 'data-rule': r.id }, el('td', {}, r.id), el('td', {}, r.cameraGlob), el('td', {}, r.question),
      el('td', {}, r.threshold.toFixed(2)), el('td', {}, Math.round(r.cooldownMicros / 1e6) + ' s'),
      el('td', {}, el('span', { class: 'badge ' + r.severity }, r.severity)), el('td', {}, toggle), el('td', {}, del));
  }
  async function load() {
    const r = await getJson('/api/rules');
    clear(body);
    if (r.rules.length === 0) body.append(el('tr', {}, el('td', { class: 'empty', colspan: 8 }, 'No rules yet.')));
    for (const rule of r.rules) body.append(row(rule));
  }
  reloadOnOpen = load;
  on('rule', load);
  await load();
};

pages.search = async function () {
  const p = params();
  app.append(el('h1', {}, 'Search'));
  const fields = [
    { name: 'q', label: 'Find', placeholder: 'a red car at the gate', size: 30 }, { name: 'camera', label: 'Camera' },
    { name: 'since', label: 'From', type: 'datetime-local' }, { name: 'until', label: 'To', type: 'datetime-local' }];
  fields.submit = 'Search';
  app.append(filterForm(fields, p));
  const list = el('ul', { class: 'list', id: 'results' });
  app.append(list);
  if (!p.get('q')) { list.append(el('li', { class: 'empty' }, 'Search the archive of summaries and alerts.')); return; }
  const q = new URLSearchParams();
  for (const k of ['q', 'camera', 'since', 'until']) if (p.get(k)) q.set(k, p.get(k));
  try {
    const r = await getJson('/api/search?' + q);
    if (r.hits.length === 0) list.append(el('li', { class: 'empty' }, 'Nothing found.'));
    for (const h of r.hits) {
      list.append(el('li', { class: 'hit ' + h.kind },
        h.keyframes.length || !(h.thumbnails || []).length
          ? thumb(h.keyframes[0], 'keyframe of ' + h.cameraId)
          : el('img', { class: 'thumb', src: h.thumbnails[0], alt: 'thumbnail of ' + h.cameraId, loading: 'lazy', onerror: missing }),
        el('div', { class: 'content' },
          el('div', { class: 'meta' }, h.kind, ' · ', cameraLink(h.cameraId), ' ', dateTime(h.windowStartMicros), '–', time(h.windowEndMicros)),
          el('div', { class: 'text' }, h.text))));
    }
  } catch (err) { list.append(notice(err.message, true)); }
};

pages.subscriptions = async function () {
  app.append(el('h1', {}, 'Subscriptions'));
  try {
    const r = await getJson('/api/subscriptions');
    const body = el('tbody');
    for (const s of r.subscriptions) {
      body.append(el('tr', {}, el('td', {}, s.name), el('td', {}, s.kind), el('td', {}, s.target),
        el('td', {}, el('span', { class: 'badge' }, s.state)), el('td', {}, s.detail || '')));
    }
    if (r.subscriptions.length === 0) body.append(el('tr', {}, el('td', { class: 'empty', colspan: 5 }, 'No subscriptions.')));
    app.append(el('div', { class: 'table-wrap' }, el('table', { id: 'subscriptions' },
      el('thead', {}, el('tr', {}, ['Name', 'Kind', 'Target', 'State', 'Detail'].map((h) => el('th', {}, h)))), body)));
  } catch (err) { app.append(notice(err.message, true)); }
};

// ---------- start ----------
(async function main() {
  const page = { '/': 'live', '/camera': 'camera', '/alerts': 'alerts', '/rules': 'rules',
    '/search': 'search', '/subscriptions': 'subscriptions' }[location.pathname] || 'live';
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('data-page') === page) a.classList.add('active');
  }
  try { await pages[page](); } catch (err) { app.append(notice(err.message, true)); }
  document.body.setAttribute('data-ready', page);
})();
