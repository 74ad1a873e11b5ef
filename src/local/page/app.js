// The local workspace page: channels, messages drawn from their Block Kit, a composer that sends
// slash commands, buttons that send block_actions, threads, and the "Run scheduled jobs now"
// control. Everything comes from the server as events (/local/events); everything a person does
// goes back as a small JSON request (/local/…), and the server plays Slack towards the app.
import { escapeHtml, renderMessageBody, renderMrkdwn } from './blockkit.js';

const $ = (id) => document.getElementById(id);

const TOPICS = {
  marketing: 'Ask kpibot here: try /kpi roas last-week, /kpi help',
  alerts: 'Where kpibot posts alerts when a KPI crosses its threshold',
};

const SUGGESTIONS = [
  '/kpi help',
  '/kpi roas last-week',
  '/kpi roas,revenue last-week vs previous',
  '/kpi roas last-week by campaign',
  '/kpi churn_rate last-month',
  '/kpi list',
  '/kpi status',
];

/** How long "kpibot is working on it…" shows before the page stops waiting. */
const PENDING_MS = 60_000;

const state = {
  me: { id: '', name: 'you' },
  users: {},
  channels: [],
  messages: new Map(),
  current: undefined,
  thread: undefined,
  unread: new Map(),
  jobs: { available: false, running: false },
  app: { connected: false },
  settings: {},
  workspace: { name: 'kpibot local' },
};

const keyOf = (m) => `${m.channel}/${m.ts}`;

/** Slack timestamps ("seconds.counter") in order, without float rounding. */
function compareTs(a, b) {
  const [as, ac = '0'] = a.split('.');
  const [bs, bc = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(ac) - Number(bc);
}

function channelById(id) {
  return state.channels.find((c) => c.id === id);
}

function renderContext() {
  return {
    userName: (id) => state.users[id],
    channelName: (id) => channelById(id)?.name,
    locale: state.settings.locale,
    timeZone: state.settings.timeZone,
  };
}

function clockTime(ts) {
  const date = new Date(Number(ts.split('.')[0]) * 1000);
  try {
    return new Intl.DateTimeFormat(state.settings.locale, {
      timeZone: state.settings.timeZone,
      hour: '2-digit',
      minute: '2-digit',
    }).format(date);
  } catch {
    return date.toLocaleTimeString();
  }
}

function authorOf(m) {
  if (m.user === 'USLACKBOT') return { name: 'Slackbot', kind: 'slackbot' };
  if (m.bot)
    return { name: state.users[m.user] ?? state.workspace.botName ?? 'kpibot', kind: 'bot' };
  return { name: state.users[m.user] ?? m.user ?? 'someone', kind: 'person' };
}

function sortedChannels() {
  const order = ['marketing', 'alerts'];
  return [...state.channels].sort((a, b) => {
    const ia = order.indexOf(a.name);
    const ib = order.indexOf(b.name);
    if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.name.localeCompare(b.name);
  });
}

// ---------------------------------------------------------------------------------------------
// Drawing

function renderChannels() {
  $('channels').innerHTML = sortedChannels()
    .map((c) => {
      const unread = state.unread.get(c.id) ?? 0;
      const classes = [c.id === state.current ? 'active' : '', unread ? 'unread' : '']
        .filter(Boolean)
        .join(' ');
      return `<li><button type="button" class="${classes}" data-channel-id="${escapeHtml(c.id)}">${c.isIm ? '@' : '#'} ${escapeHtml(c.name)}${unread ? `<span class="badge">${unread}</span>` : ''}</button></li>`;
    })
    .join('');
  $('app-status').classList.toggle('online', Boolean(state.app.connected));
  $('app-status').title = state.app.connected
    ? 'The app is connected'
    : 'The app is not connected yet';
  $('workspace-name').textContent = state.workspace.name ?? 'kpibot local';
}

function renderHeader() {
  const channel = channelById(state.current);
  const name = channel ? channel.name : '';
  $('channel-title').textContent = channel ? `${channel.isIm ? '@' : '#'} ${name}` : '';
  $('channel-topic').textContent = TOPICS[name] ?? '';
  $('composer-input').placeholder = `Message #${name} — try /kpi roas last-week`;
  document.title = `#${name} — kpibot local workspace`;
}

function renderJobs() {
  const button = $('run-jobs');
  const { available, running, last } = state.jobs;
  button.disabled = !available || running;
  button.title = available
    ? 'Runs the scheduler’s jobs now: the alert checks and the weekly summary'
    : 'Not available: no scheduler is connected to this workspace';
  button.textContent = running ? '⏳ Running scheduled jobs…' : '⏩ Run scheduled jobs now';
  $('jobs-status').textContent = running ? '' : (last ?? '');
}

function hasAnswer(echo) {
  for (const m of state.messages.values()) {
    if (m !== echo && m.responseId === echo.responseId && !m.command) return true;
  }
  return false;
}

function messageHtml(m, { inThread = false } = {}) {
  const author = authorOf(m);
  const initial = escapeHtml(author.name.slice(0, 1).toUpperCase());
  const ctx = renderContext();
  let body;
  if (m.command) {
    const waiting =
      !hasAnswer(m) && Date.now() - Number(m.ts.split('.')[0]) * 1000 < PENDING_MS
        ? `<div class="pending">${escapeHtml(state.workspace.botName ?? 'kpibot')} is working on it…</div>`
        : '';
    body = `<div class="command-echo">${escapeHtml(m.command)}</div>${waiting}`;
  } else {
    body = renderMessageBody(m, ctx);
  }
  const onlyYou =
    m.ephemeral && !m.command
      ? `<div class="only-you">👁 Only visible to you · <button type="button" class="link-button" data-dismiss="1">Dismiss</button></div>`
      : '';
  const replies = inThread
    ? []
    : [...state.messages.values()].filter(
        (r) => r.channel === m.channel && r.threadTs === m.ts && !r.deleted,
      );
  const repliesHtml = replies.length
    ? `<div class="replies"><button type="button" class="link-button" data-thread="${escapeHtml(m.ts)}">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</button></div>`
    : '';
  const badge = author.kind === 'bot' ? '<span class="app-badge">APP</span>' : '';
  return `<div class="message${m.ephemeral ? ' ephemeral' : ''}" data-channel="${escapeHtml(m.channel)}" data-ts="${escapeHtml(m.ts)}">
  <div class="avatar ${author.kind}" aria-hidden="true">${initial}</div>
  <div class="message-main">
    <div class="message-meta"><span class="author">${escapeHtml(author.name)}</span>${badge}<span class="time">${escapeHtml(clockTime(m.ts))}</span></div>
    ${onlyYou}
    <div class="message-body">${body}</div>
    ${repliesHtml}
  </div>
</div>`;
}

function paint(container, html) {
  const nearBottom =
    container.scrollHeight - container.scrollTop - container.clientHeight < 120 ||
    container.dataset.painted !== '1';
  container.innerHTML = html;
  container.dataset.painted = '1';
  // Attachment bars: colours checked by the renderer, set here (no inline styles under the CSP).
  for (const el of container.querySelectorAll('[data-color]')) {
    el.style.borderLeftColor = el.dataset.color;
  }
  if (nearBottom) container.scrollTop = container.scrollHeight;
}

function renderMessages() {
  const list = [...state.messages.values()]
    .filter((m) => m.channel === state.current && !m.deleted && (!m.threadTs || m.broadcast))
    .sort((a, b) => compareTs(a.ts, b.ts));
  const channel = channelById(state.current);
  const empty = `<div class="empty-channel">This is the very beginning of <b>#${escapeHtml(channel?.name ?? '')}</b>. ${
    channel?.name === 'alerts'
      ? 'Alerts land here when a KPI crosses its threshold; “Run scheduled jobs now” checks them.'
      : 'Type <code>/kpi roas last-week</code> below and press Enter.'
  }</div>`;
  paint($('messages'), list.length ? list.map((m) => messageHtml(m)).join('') : empty);
  renderThread();
}

function renderThread() {
  const pane = $('thread');
  if (!state.thread) {
    pane.hidden = true;
    return;
  }
  const parent = state.messages.get(`${state.thread.channel}/${state.thread.ts}`);
  if (!parent || parent.deleted) {
    state.thread = undefined;
    pane.hidden = true;
    return;
  }
  const replies = [...state.messages.values()]
    .filter((r) => r.channel === parent.channel && r.threadTs === parent.ts && !r.deleted)
    .sort((a, b) => compareTs(a.ts, b.ts));
  pane.hidden = false;
  paint(
    $('thread-messages'),
    `${messageHtml(parent, { inThread: true })}<div class="thread-divider">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>${replies.map((r) => messageHtml(r, { inThread: true })).join('')}`,
  );
}

function renderAll() {
  renderChannels();
  renderHeader();
  renderJobs();
  renderMessages();
}

// ---------------------------------------------------------------------------------------------
// State from the server

function applyState(data) {
  state.me = data.me ?? state.me;
  state.users = data.users ?? state.users;
  state.channels = data.channels ?? state.channels;
  state.jobs = data.jobs ?? state.jobs;
  state.app = data.app ?? state.app;
  state.settings = data.settings ?? state.settings;
  state.workspace = data.workspace ?? state.workspace;
  if (!state.current || !channelById(state.current)) {
    const fromHash = decodeURIComponent(location.hash.slice(1));
    const start =
      channelById(fromHash) ??
      state.channels.find((c) => c.name === 'marketing') ??
      state.channels[0];
    state.current = start?.id;
  }
}

function onMessage(m) {
  const key = keyOf(m);
  if (m.deleted) state.messages.delete(key);
  else state.messages.set(key, m);
  const mine = m.user === state.me.id;
  if (!m.deleted && m.channel !== state.current && !mine && (!m.threadTs || m.broadcast)) {
    state.unread.set(m.channel, (state.unread.get(m.channel) ?? 0) + 1);
    renderChannels();
  }
  if (m.channel === state.current) renderMessages();
}

function connect() {
  const events = new EventSource('/local/events');
  events.addEventListener('snapshot', (e) => {
    const data = JSON.parse(e.data);
    applyState(data);
    state.messages = new Map(data.messages.map((m) => [keyOf(m), m]));
    renderAll();
  });
  events.addEventListener('state', (e) => {
    applyState(JSON.parse(e.data));
    renderChannels();
    renderHeader();
    renderJobs();
  });
  events.addEventListener('message', (e) => onMessage(JSON.parse(e.data)));
  events.addEventListener('error', () => {
    state.app = { connected: false };
    renderChannels();
  });
}

// ---------------------------------------------------------------------------------------------
// What a person does

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json().catch(() => ({ ok: false }));
}

function selectChannel(id) {
  if (!channelById(id)) return;
  state.current = id;
  state.unread.delete(id);
  state.thread = undefined;
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  $('messages').dataset.painted = '0';
  renderAll();
  $('composer-input').focus();
}

async function send() {
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text || !state.current) return;
  input.value = '';
  autosize();
  await post('/local/type', { channel: state.current, text });
}

function autosize() {
  const input = $('composer-input');
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}

async function onMessagesClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  const row = target?.closest('.message');
  const button = target?.closest('button');
  if (!row || !button) return;
  const { channel, ts } = row.dataset;
  if (button.dataset.dismiss) {
    await post('/local/dismiss', { channel, ts });
    return;
  }
  if (button.dataset.thread) {
    state.thread = { channel, ts: button.dataset.thread };
    renderThread();
    return;
  }
  if (button.classList.contains('bk-button') && button.dataset.block !== undefined) {
    if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener,noreferrer');
    const message = state.messages.get(`${channel}/${ts}`);
    const el = findElement(message, button.dataset.block, button.dataset.element);
    if (el?.confirm && !window.confirm(plainText(el.confirm.text) || 'Are you sure?')) return;
    button.disabled = true;
    try {
      const result = await post('/local/click', {
        channel,
        ts,
        block: Number(button.dataset.block),
        element: button.dataset.element,
      });
      if (!result.ok) button.disabled = false;
    } catch {
      button.disabled = false;
    }
  }
}

function findElement(message, block, element) {
  const b = message?.blocks?.[Number(block)];
  if (!b) return undefined;
  return element === 'accessory' ? b.accessory : b.elements?.[Number(element)];
}

function plainText(obj) {
  const div = document.createElement('div');
  div.innerHTML = renderMrkdwn(obj?.text ?? '');
  return div.textContent ?? '';
}

function setup() {
  $('suggestions').innerHTML = SUGGESTIONS.map(
    (s) =>
      `<button type="button" class="suggestion" data-text="${escapeHtml(s)}">${escapeHtml(s)}</button>`,
  ).join('');
  $('suggestions').addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    const input = $('composer-input');
    input.value = button.dataset.text ?? '';
    input.focus();
    autosize();
  });
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  $('composer-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  $('composer-input').addEventListener('input', autosize);
  $('channels').addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (button?.dataset.channelId) selectChannel(button.dataset.channelId);
  });
  $('messages').addEventListener('click', (event) => void onMessagesClick(event));
  $('thread-messages').addEventListener('click', (event) => void onMessagesClick(event));
  $('close-thread').addEventListener('click', () => {
    state.thread = undefined;
    renderThread();
  });
  $('run-jobs').addEventListener('click', async () => {
    state.jobs = { ...state.jobs, running: true };
    renderJobs();
    const result = await post('/local/run-jobs', {});
    state.jobs = { ...state.jobs, running: false, last: result.message };
    renderJobs();
  });
  window.addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id !== state.current) selectChannel(id);
  });
  // "working on it…" disappears after a while even when no answer comes.
  setInterval(() => {
    if (document.querySelector('.pending')) renderMessages();
  }, 5_000);
  connect();
}

setup();
