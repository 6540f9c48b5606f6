// The playground page: plays Slack's client for one person at a time. It reads the
// workspace's state from the playground (again after each change it streams), draws the
// conversation, the Home tab and the modal on top, and sends what the person does.
import { type ActionPayload, collectValues, type RenderContext, renderBlocks } from './blocks.js';
import { escapeHtml, mrkdwnToHtml, plainToHtml } from './mrkdwn.js';

type Json = Record<string, unknown>;

interface Message {
  id: string;
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: unknown[];
  files?: { id: string; title: string; url: string }[];
  threadTs?: string;
  ephemeralFor?: string;
  fromSlack?: boolean;
}

interface OpenView {
  id: string;
  view: Json & { blocks?: unknown[]; title?: Json; submit?: Json; close?: Json };
  errors?: Record<string, string>;
}

interface Call {
  method: string;
  at: number;
  ok: boolean;
  error?: string;
  args: Json;
}

interface State {
  team: { id: string; domain: string };
  botUserId: string;
  people: { id: string; name: string; role: string; tz: string }[];
  channels: { id: string; name: string }[];
  user: string;
  dm: string;
  now: string;
  messages: Message[];
  views: OpenView[];
  home: OpenView | null;
  calls: Call[];
  violations: { at: number; method: string; error: string; messages: string[] }[];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** What the person looks at: a channel id, their DM with Mo ('dm') or Mo's Home tab ('home'). */
const place = { user: '', where: 'C0MARKETING' };
let state: State | undefined;
let shownModal = '';
let busy = 0;

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  if (h.get('user')) place.user = h.get('user') as string;
  if (h.get('where')) place.where = h.get('where') as string;
}

function writeHash() {
  history.replaceState(
    null,
    '',
    `#user=${encodeURIComponent(place.user)}&where=${encodeURIComponent(place.where)}`,
  );
}

async function api(path: string, body: unknown): Promise<Json> {
  busy++;
  document.body.dataset.busy = String(busy);
  try {
    const res = await fetch(`/playground/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    if (!res.ok) toast(String(json.error ?? `HTTP ${res.status}`));
    return json;
  } finally {
    busy--;
    document.body.dataset.busy = String(busy);
  }
}

function toast(text: string) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  setTimeout(() => {
    t.hidden = true;
  }, 4000);
}

const nameOf = (id: string) =>
  id === state?.botUserId
    ? 'Mo'
    : id === 'USLACKBOT'
      ? 'Slackbot'
      : (state?.people.find((p) => p.id === id)?.name ?? id);

function context(extra: Partial<RenderContext> & Pick<RenderContext, 'onAction'>): RenderContext {
  return {
    people: state?.people ?? [],
    channels: state?.channels ?? [],
    userName: nameOf,
    channelName: (id) => state?.channels.find((c) => c.id === id)?.name ?? id,
    now: new Date(state?.now ?? Date.now()),
    // Slack shows dates in the reader's own timezone.
    timeZone: state?.people.find((p) => p.id === state?.user)?.tz ?? 'UTC',
    confirm: confirmDialog,
    ...extra,
  };
}

/** Slack's confirm dialog object, as a small modal of its own. */
function confirmDialog(dialog: Json): Promise<boolean> {
  return new Promise((resolve) => {
    const root = $('confirm-root');
    const plain = (t: unknown) => plainToHtml(String((t as Json | undefined)?.text ?? ''));
    const text = dialog.text as Json | undefined;
    root.innerHTML = `<div class="overlay"><div class="modal confirm" role="dialog">
      <div class="modal-title">${plain(dialog.title) || 'Are you sure?'}</div>
      <div class="modal-body">${text?.type === 'mrkdwn' ? mrkdwnToHtml(String(text.text ?? ''), context({ onAction() {} })) : plain(text)}</div>
      <div class="modal-foot"><button type="button" class="bk-button" data-deny>${plain(dialog.deny) || 'Cancel'}</button>
      <button type="button" class="bk-button ${dialog.style === 'danger' ? 'bk-danger' : 'bk-primary'}" data-confirm>${plain(dialog.confirm) || 'Yes'}</button></div>
    </div></div>`;
    const done = (ok: boolean) => {
      root.innerHTML = '';
      resolve(ok);
    };
    root.querySelector('[data-deny]')?.addEventListener('click', () => done(false));
    root.querySelector('[data-confirm]')?.addEventListener('click', () => done(true));
  });
}

function conversationId(): string {
  if (!state) return '';
  return place.where === 'dm' || place.where === 'home' ? state.dm : place.where;
}

function renderSidebar() {
  if (!state) return;
  const s = state;
  const who = $<HTMLSelectElement>('who');
  if (who.options.length !== s.people.length) {
    who.innerHTML = '';
    for (const p of s.people) who.append(new Option(`${p.name} · ${p.role}`, p.id));
  }
  who.value = s.user;
  const nav = $('sidebar-list');
  const item = (where: string, label: string) =>
    `<li><button type="button" data-where="${escapeHtml(where)}" class="${place.where === where ? 'active' : ''}">${label}</button></li>`;
  nav.innerHTML =
    '<li class="section">Channels</li>' +
    s.channels.map((c) => item(c.id, `# ${escapeHtml(c.name)}`)).join('') +
    '<li class="section">Apps</li>' +
    item('home', '🏠 Mo · Home') +
    item('dm', '💬 Mo · Messages');
}

function messageNode(m: Message): HTMLElement {
  const node = document.createElement('div');
  node.className = `message${m.ephemeralFor ? ' ephemeral' : ''}${m.threadTs ? ' reply' : ''}`;
  node.dataset.messageId = m.id;
  const when = new Date(Number(m.ts) * 1000);
  const bot = m.user === state?.botUserId;
  node.innerHTML = `<div class="avatar${bot ? ' bot' : ''}">${bot ? 'Mo' : escapeHtml(nameOf(m.user).slice(0, 1))}</div>
    <div class="message-main"><div class="message-head"><b>${escapeHtml(nameOf(m.user))}</b>${bot ? '<span class="app-tag">APP</span>' : ''}
    <span class="message-time">${escapeHtml(when.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' }))}</span>
    ${m.threadTs ? '<span class="thread-tag">in thread</span>' : ''}</div></div>`;
  const main = node.querySelector('.message-main') as HTMLElement;
  const ctx = context({
    onAction: (action: ActionPayload) =>
      void api('message-action', { user: place.user, message: m.id, action }),
  });
  if (Array.isArray(m.blocks) && m.blocks.length) main.append(renderBlocks(m.blocks, ctx));
  else if (m.text) {
    const t = document.createElement('div');
    t.className = 'bk-text-body';
    t.innerHTML = mrkdwnToHtml(m.text, ctx);
    main.append(t);
  }
  for (const f of m.files ?? []) {
    const fig = document.createElement('figure');
    fig.className = 'file';
    fig.innerHTML = `<figcaption>${escapeHtml(f.title)}</figcaption><img src="${escapeHtml(f.url)}" alt="${escapeHtml(f.title)}">`;
    main.append(fig);
  }
  if (m.ephemeralFor) {
    const note = document.createElement('div');
    note.className = 'ephemeral-note';
    note.textContent = '👁 Only visible to you';
    main.append(note);
  }
  return node;
}

function renderMain() {
  if (!state) return;
  const s = state;
  const title = $('conv-title');
  const list = $('messages');
  const composer = $('composer');
  const homeTab = $('home');
  if (place.where === 'home') {
    title.innerHTML = '<b>Mo</b> <span class="tab active">Home</span>';
    list.hidden = true;
    composer.hidden = true;
    homeTab.hidden = false;
    homeTab.innerHTML = '';
    if (!s.home) {
      homeTab.innerHTML = '<div class="empty">Opening Mo’s Home tab…</div>';
      return;
    }
    const home = s.home;
    homeTab.append(
      renderBlocks(
        home.view.blocks,
        context({
          onAction: (action) =>
            void api('view-action', {
              user: place.user,
              view: home.id,
              values: collectValues(homeTab),
              action,
            }),
        }),
      ),
    );
    return;
  }
  const channel = s.channels.find((c) => c.id === place.where);
  title.innerHTML = channel
    ? `<b># ${escapeHtml(channel.name)}</b>`
    : '<b>Mo</b> <span class="tab active">Messages</span>';
  list.hidden = false;
  composer.hidden = false;
  homeTab.hidden = true;
  const id = conversationId();
  const box = $<HTMLInputElement>('box');
  box.placeholder = `Message ${channel ? `#${channel.name}` : 'Mo'} — try /mo help`;
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  list.innerHTML = '';
  const shown = s.messages.filter((m) => m.channel === id);
  if (!shown.length)
    list.innerHTML = '<div class="empty">No messages yet. Type <code>/mo help</code> below.</div>';
  for (const m of shown) list.append(messageNode(m));
  if (stick) list.scrollTop = list.scrollHeight;
}

/** Field errors shown in place, as Slack does: what the person typed stays. */
function showErrors(body: HTMLElement, errors: Record<string, string>) {
  for (const e of body.querySelectorAll('.bk-error')) e.remove();
  for (const b of body.querySelectorAll('.bk-has-error')) b.classList.remove('bk-has-error');
  for (const [blockId, message] of Object.entries(errors)) {
    const target = blockId
      ? body.querySelector<HTMLElement>(`.bk-input[data-block-id="${CSS.escape(blockId)}"]`)
      : body;
    if (!target) continue;
    const note = document.createElement('div');
    note.className = blockId ? 'bk-error' : 'bk-error banner';
    note.innerHTML = plainToHtml(message);
    if (blockId) {
      target.classList.add('bk-has-error');
      target.append(note);
    } else target.prepend(note);
  }
}

function renderModal() {
  const root = $('modal-root');
  const top = state?.views.at(-1);
  const key = top ? `${top.id}:${JSON.stringify(top.view)}` : '';
  if (key === shownModal) {
    const body = root.querySelector<HTMLElement>('.modal-body');
    const errors = JSON.stringify(top?.errors ?? {});
    if (body && body.dataset.errors !== errors) {
      body.dataset.errors = errors;
      showErrors(body, top?.errors ?? {});
    }
    return;
  }
  shownModal = key;
  root.innerHTML = '';
  if (!top) return;
  const view = top.view;
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  const modal = document.createElement('form');
  modal.className = 'modal';
  modal.setAttribute('role', 'dialog');
  modal.dataset.viewId = top.id;
  const plain = (t: unknown) => plainToHtml(String((t as Json | undefined)?.text ?? ''));
  modal.innerHTML = `<div class="modal-title"><span class="modal-app">Mo</span>${plain(view.title)}
    <button type="button" class="modal-x" aria-label="Close">×</button></div>`;
  const body = document.createElement('div');
  body.className = 'modal-body';
  body.append(
    renderBlocks(
      view.blocks,
      context({
        onAction: (action) =>
          void api('view-action', { user: place.user, view: top.id, values: collectValues(body), action }),
      }),
    ),
  );
  body.dataset.errors = JSON.stringify(top.errors ?? {});
  showErrors(body, top.errors ?? {});
  const foot = document.createElement('div');
  foot.className = 'modal-foot';
  foot.innerHTML = `<button type="button" class="bk-button" data-close>${plain(view.close) || 'Cancel'}</button>${
    view.submit
      ? `<button type="submit" class="bk-button bk-primary" data-submit>${plain(view.submit)}</button>`
      : ''
  }`;
  modal.append(body, foot);
  overlay.append(modal);
  root.append(overlay);
  const close = () => void api('close', { user: place.user, view: top.id });
  modal.querySelector('.modal-x')?.addEventListener('click', close);
  foot.querySelector('[data-close]')?.addEventListener('click', close);
  modal.addEventListener('submit', (e) => {
    e.preventDefault();
    void api('submit', { user: place.user, view: top.id, values: collectValues(body) });
  });
}

function summary(c: Call): string {
  const a = c.args;
  const pick = [
    'channel',
    'user_id',
    'user',
    'users',
    'trigger_id',
    'view_id',
    'filename',
    'file',
    'channel_id',
    'ts',
  ];
  const bits = pick.filter((k) => a[k] !== undefined).map((k) => `${k}=${String(a[k])}`);
  if (typeof a.text === 'string') bits.push(`"${a.text.slice(0, 60)}${a.text.length > 60 ? '…' : ''}"`);
  if (Array.isArray(a.blocks)) bits.push(`${a.blocks.length} blocks`);
  if (a.view && typeof a.view === 'object')
    bits.push(
      `view ${String((a.view as Json).type)}, ${((a.view as Json).blocks as unknown[] | undefined)?.length ?? 0} blocks`,
    );
  return bits.join(' · ');
}

function renderCalls() {
  if (!state) return;
  const list = $('call-list');
  list.innerHTML = state.calls
    .slice()
    .reverse()
    .map(
      (c) => `<li class="${c.ok ? 'ok' : 'failed'}"><details><summary><code>${escapeHtml(c.method)}</code>
        ${c.ok ? '' : `<span class="err">${escapeHtml(String(c.error))}</span>`}
        <span class="call-time">${new Date(c.at).toLocaleTimeString()}</span><div class="call-sum">${escapeHtml(summary(c))}</div></summary>
        <pre>${escapeHtml(JSON.stringify(c.args, null, 1).slice(0, 20_000))}</pre></details></li>`,
    )
    .join('');
  $('call-count').textContent = String(state.calls.length);
  const v = $('violations');
  v.hidden = state.violations.length === 0;
  v.innerHTML = state.violations
    .map(
      (x) => `<div class="violation"><b>Slack would refuse ${escapeHtml(x.method)}: ${escapeHtml(x.error)}</b>
        <pre>${escapeHtml(x.messages.join('\n'))}</pre></div>`,
    )
    .join('');
  document.body.dataset.violations = String(state.violations.length);
}

function renderClock() {
  if (!state) return;
  const now = new Date(state.now);
  $('clock-now').textContent = now.toLocaleString('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

function render() {
  renderSidebar();
  renderMain();
  renderModal();
  renderCalls();
  renderClock();
  document.body.dataset.ready = 'true';
}

let loading: Promise<void> | undefined;
let again = false;
async function refresh() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      const res = await fetch(`/playground/state?user=${encodeURIComponent(place.user)}`);
      if (res.ok) state = (await res.json()) as State;
      if (!place.user && state) place.user = state.user;
      render();
    } while (again);
  })().finally(() => {
    loading = undefined;
  });
  return loading;
}

async function go(where: string) {
  place.where = where;
  writeHash();
  shownModal = '';
  await refresh();
  // Slack sends app_home_opened each time someone opens the Home tab.
  if (where === 'home') await api('home', { user: place.user });
}

function wire() {
  $('sidebar-list').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('[data-where]');
    if (b?.dataset.where) void go(b.dataset.where);
  });
  $('who').addEventListener('change', (e) => {
    place.user = (e.target as HTMLSelectElement).value;
    void go(place.where);
  });
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = $<HTMLInputElement>('box');
    const text = box.value.trim();
    if (!text) return;
    if (!/^\/mo\b/.test(text)) return toast('Only /mo commands reach Mo here: try /mo help');
    box.value = '';
    await api('command', { user: place.user, channel: conversationId(), text });
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-move]')) {
    b.addEventListener('click', async () => {
      if (!state) return;
      const ms = Number(b.dataset.move) * 3_600_000;
      const res = await api('clock', { now: new Date(new Date(state.now).getTime() + ms).toISOString() });
      const ran = (res.ran as string[] | undefined) ?? [];
      toast(ran.length ? `Ran: ${ran.join('; ')}` : 'Nothing was due.');
    });
  }
  $('clock-set').addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = $<HTMLInputElement>('clock-input').value;
    if (!v) return;
    const res = await api('clock', { now: new Date(v).toISOString() });
    const ran = (res.ran as string[] | undefined) ?? [];
    toast(ran.length ? `Ran: ${ran.join('; ')}` : 'Nothing was due.');
  });
  const events = new EventSource('/playground/events');
  events.addEventListener('change', () => void refresh());
}

readHash();
wire();
void refresh().then(() => {
  writeHash();
  if (place.where === 'home') void api('home', { user: place.user });
});
