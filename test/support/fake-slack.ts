// A fake Slack Web API for tests and local demos: the real @slack/web-api client talks to
// it through `slackApiUrl`. It records every call and every response_url post, answers in
// Slack's shapes, and rejects blocks over Slack's limits the way Slack does (invalid_blocks
// with json-pointers), so a builder that would fail at Slack fails here first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  tz?: string;
  real_name?: string;
  deleted?: boolean;
}

export interface FakeChannel {
  name: string;
  is_member?: boolean;
  is_private?: boolean;
}

export interface FakeSlackOptions {
  users?: Record<string, FakeUser>;
  channels?: Record<string, FakeChannel>;
  teamId?: string;
  botUserId?: string;
}

export interface Upload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  title?: string;
  altText?: string;
  channelId?: string;
  threadTs?: string;
  completed: boolean;
}

export interface FakeFile {
  id: string;
  name: string;
  content: Buffer;
  user: string;
  channelId: string;
  /** The ts of the message the file was shared in. */
  ts: string;
}

interface Failure {
  status?: number;
  error?: string;
  retryAfter?: number;
}

// ---------------------------------------------------------------------------------------
// Block Kit validation: the limits in ../shared/SLACK-FACTS.md.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textObject(v: unknown, at: string, errors: string[], opts: { max: number; plainOnly?: boolean }) {
  if (!isObj(v)) return void errors.push(`[ERROR] missing required text object [json-pointer:${at}]`);
  const type = v.type;
  if (type !== 'plain_text' && type !== 'mrkdwn')
    errors.push(`[ERROR] invalid text type [json-pointer:${at}/type]`);
  if (opts.plainOnly && type !== 'plain_text')
    errors.push(`[ERROR] must be plain_text [json-pointer:${at}/type]`);
  if (typeof v.text !== 'string' || v.text.length === 0) {
    errors.push(`[ERROR] must be more than 0 characters [json-pointer:${at}/text]`);
  } else if (v.text.length > opts.max) {
    errors.push(`[ERROR] must be less than ${opts.max + 1} characters [json-pointer:${at}/text]`);
  }
}

function option(v: unknown, at: string, errors: string[]) {
  if (!isObj(v)) return void errors.push(`[ERROR] invalid option [json-pointer:${at}]`);
  textObject(v.text, `${at}/text`, errors, { max: 75 });
  if (v.description !== undefined) textObject(v.description, `${at}/description`, errors, { max: 75 });
  if (typeof v.value !== 'string' || v.value.length > 150) {
    errors.push(`[ERROR] must be less than 151 characters [json-pointer:${at}/value]`);
  }
}

function maxLen(v: unknown, max: number, at: string, errors: string[]) {
  if (typeof v === 'string' && v.length > max)
    errors.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${at}]`);
}

function element(e: unknown, at: string, errors: string[]) {
  if (!isObj(e)) return void errors.push(`[ERROR] invalid element [json-pointer:${at}]`);
  maxLen(e.action_id, 255, `${at}/action_id`, errors);
  if (e.placeholder !== undefined)
    textObject(e.placeholder, `${at}/placeholder`, errors, { max: 150, plainOnly: true });
  switch (e.type) {
    case 'button':
      textObject(e.text, `${at}/text`, errors, { max: 75, plainOnly: true });
      maxLen(e.value, 2000, `${at}/value`, errors);
      maxLen(e.url, 3000, `${at}/url`, errors);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
        errors.push(`[ERROR] must be one of primary, danger [json-pointer:${at}/style]`);
      }
      break;
    case 'static_select':
    case 'multi_static_select': {
      const options = e.options as unknown[] | undefined;
      const groups = e.option_groups as unknown[] | undefined;
      if (options && groups)
        errors.push(`[ERROR] options and option_groups cannot both be set [json-pointer:${at}]`);
      if (!options && !groups) errors.push(`[ERROR] options or option_groups required [json-pointer:${at}]`);
      if (options && (options.length === 0 || options.length > 100)) {
        errors.push(`[ERROR] must provide between 1 and 100 options [json-pointer:${at}/options]`);
      }
      options?.forEach((o, i) => {
        option(o, `${at}/options/${i}`, errors);
      });
      if (groups && groups.length > 100)
        errors.push(`[ERROR] too many option_groups [json-pointer:${at}/option_groups]`);
      break;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const options = (e.options as unknown[] | undefined) ?? [];
      if (options.length === 0 || options.length > 10) {
        errors.push(`[ERROR] must provide between 1 and 10 options [json-pointer:${at}/options]`);
      }
      options.forEach((o, i) => {
        option(o, `${at}/options/${i}`, errors);
      });
      break;
    }
    case 'overflow': {
      const options = (e.options as unknown[] | undefined) ?? [];
      if (options.length < 1 || options.length > 5)
        errors.push(`[ERROR] must provide between 1 and 5 options [json-pointer:${at}/options]`);
      options.forEach((o, i) => {
        option(o, `${at}/options/${i}`, errors);
      });
      break;
    }
    case 'plain_text_input':
      if (
        e.max_length !== undefined &&
        (typeof e.max_length !== 'number' || e.max_length < 1 || e.max_length > 3000)
      ) {
        errors.push(`[ERROR] max_length must be between 1 and 3000 [json-pointer:${at}/max_length]`);
      }
      break;
    case 'image':
      if (typeof e.alt_text !== 'string' || e.alt_text.length === 0 || e.alt_text.length > 2000) {
        errors.push(`[ERROR] alt_text required, at most 2000 characters [json-pointer:${at}/alt_text]`);
      }
      break;
    case 'datepicker':
    case 'timepicker':
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'multi_conversations_select':
    case 'channels_select':
    case 'multi_channels_select':
    case 'external_select':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      break;
    default:
      errors.push(`[ERROR] unknown element type ${String(e.type)} [json-pointer:${at}/type]`);
  }
}

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'image',
  'input',
  'rich_text',
  'markdown',
  'file',
  'video',
]);

function countText(v: unknown): number {
  if (typeof v === 'string') return 0;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countText(x), 0);
  if (!isObj(v)) return 0;
  let n = typeof v.text === 'string' ? v.text.length : 0;
  for (const [k, x] of Object.entries(v)) if (k !== 'text' || typeof x !== 'string') n += countText(x);
  return n;
}

/** Errors Slack would report for these blocks, as `[ERROR] … [json-pointer:/blocks/…]`. */
export function validateBlocks(
  blocks: unknown,
  where: 'message' | 'modal' | 'home',
  base = '/blocks',
): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] blocks must be an array [json-pointer:${base}]`];
  const max = where === 'message' ? 50 : 100;
  if (blocks.length > max)
    errors.push(`[ERROR] must provide no more than ${max} items [json-pointer:${base}]`);
  const ids = new Set<string>();
  for (const [i, b] of blocks.entries()) {
    const at = `${base}/${i}`;
    if (!isObj(b)) {
      errors.push(`[ERROR] invalid block [json-pointer:${at}]`);
      continue;
    }
    if (typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) {
      errors.push(`[ERROR] unknown block type ${String(b.type)} [json-pointer:${at}/type]`);
      continue;
    }
    if (b.block_id !== undefined) {
      maxLen(b.block_id, 255, `${at}/block_id`, errors);
      if (ids.has(String(b.block_id)))
        errors.push(`[ERROR] duplicate block_id ${String(b.block_id)} [json-pointer:${at}/block_id]`);
      ids.add(String(b.block_id));
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined)
          errors.push(`[ERROR] text or fields required [json-pointer:${at}]`);
        if (b.text !== undefined) textObject(b.text, `${at}/text`, errors, { max: 3000 });
        const fields = b.fields as unknown[] | undefined;
        if (fields) {
          if (fields.length > 10)
            errors.push(`[ERROR] must provide no more than 10 items [json-pointer:${at}/fields]`);
          fields.forEach((f, j) => {
            textObject(f, `${at}/fields/${j}`, errors, { max: 2000 });
          });
        }
        if (b.accessory !== undefined) element(b.accessory, `${at}/accessory`, errors);
        break;
      }
      case 'header':
        textObject(b.text, `${at}/text`, errors, { max: 150, plainOnly: true });
        break;
      case 'context': {
        const els = (b.elements as unknown[] | undefined) ?? [];
        if (els.length < 1 || els.length > 10)
          errors.push(`[ERROR] must provide between 1 and 10 elements [json-pointer:${at}/elements]`);
        els.forEach((e, j) => {
          if (isObj(e) && e.type === 'image') element(e, `${at}/elements/${j}`, errors);
          else textObject(e, `${at}/elements/${j}`, errors, { max: 3000 });
        });
        break;
      }
      case 'actions': {
        const els = (b.elements as unknown[] | undefined) ?? [];
        if (els.length < 1 || els.length > 25)
          errors.push(`[ERROR] must provide between 1 and 25 elements [json-pointer:${at}/elements]`);
        els.forEach((e, j) => {
          element(e, `${at}/elements/${j}`, errors);
        });
        break;
      }
      case 'input':
        textObject(b.label, `${at}/label`, errors, { max: 2000, plainOnly: true });
        if (b.hint !== undefined) textObject(b.hint, `${at}/hint`, errors, { max: 2000, plainOnly: true });
        if (!isObj(b.element)) errors.push(`[ERROR] element required [json-pointer:${at}/element]`);
        else element(b.element, `${at}/element`, errors);
        break;
      case 'image':
        if (typeof b.alt_text !== 'string' || b.alt_text.length === 0 || b.alt_text.length > 2000) {
          errors.push(`[ERROR] alt_text required, at most 2000 characters [json-pointer:${at}/alt_text]`);
        }
        if (b.image_url === undefined && b.slack_file === undefined)
          errors.push(`[ERROR] image_url or slack_file required [json-pointer:${at}]`);
        maxLen(b.image_url, 3000, `${at}/image_url`, errors);
        break;
    }
  }
  return errors;
}

/** Errors Slack would report for a modal or Home tab view. */
export function validateView(view: unknown): string[] {
  if (!isObj(view)) return ['[ERROR] view must be an object [json-pointer:/view]'];
  const errors: string[] = [];
  const home = view.type === 'home';
  if (view.type !== 'modal' && !home)
    errors.push('[ERROR] view type must be modal or home [json-pointer:/view/type]');
  if (!home) textObject(view.title, '/view/title', errors, { max: 24, plainOnly: true });
  const blocks = (view.blocks as unknown[] | undefined) ?? [];
  const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
  if (view.submit !== undefined)
    textObject(view.submit, '/view/submit', errors, { max: 24, plainOnly: true });
  else if (hasInput && !home)
    errors.push('[ERROR] submit is required when a view has input blocks [json-pointer:/view/submit]');
  if (view.close !== undefined) textObject(view.close, '/view/close', errors, { max: 24, plainOnly: true });
  maxLen(view.private_metadata, 3000, '/view/private_metadata', errors);
  maxLen(view.callback_id, 255, '/view/callback_id', errors);
  if (JSON.stringify(view).length > 250_000)
    errors.push('[ERROR] view is larger than 250 kB [json-pointer:/view]');
  errors.push(...validateBlocks(view.blocks ?? [], home ? 'home' : 'modal', '/view/blocks'));
  return errors;
}

function messageErrors(args: Json): { error: string; messages?: string[] } | undefined {
  if (typeof args.text === 'string' && args.text.length > 40_000) return { error: 'msg_too_long' };
  if (args.blocks === undefined) return undefined;
  const messages = validateBlocks(args.blocks, 'message');
  if (messages.length) return { error: 'invalid_blocks', messages };
  if (countText(args.blocks) > 12_000) return { error: 'msg_blocks_too_long' };
  return undefined;
}

// ---------------------------------------------------------------------------------------

function parseBody(raw: string, contentType: string | undefined): Json {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Json) : {};
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // @slack/web-api JSON-encodes nested arguments (blocks, view, files) in form bodies.
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The uploaded file: the raw body, or the file part of a multipart form (files.uploadV2). */
async function fileBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Request('http://upload.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return raw;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export class FakeSlack {
  calls: RecordedCall[] = [];
  uploads: Upload[] = [];
  readonly url: string;
  readonly apiUrl: string;
  private users: Record<string, FakeUser>;
  private channels: Record<string, FakeChannel>;
  private failures = new Map<string, Failure[]>();
  private files = new Map<string, FakeFile>();
  private posted = new Map<string, Set<string>>();
  private ts = 1_700_000_000_000_100;
  private ids = 0;

  private constructor(
    private server: Server,
    private options: Required<Pick<FakeSlackOptions, 'teamId' | 'botUserId'>> & FakeSlackOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.users = { ...(options.users ?? {}) };
    this.channels = { ...(options.channels ?? {}) };
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res).catch((e) => {
        res.writeHead(500).end(String(e));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSlack(server, { teamId: 'T0001', botUserId: 'UBOT', ...options });
    return fake;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responseUrl(id = `r${++this.ids}`): string {
    return `${this.url}/respond/${encodeURIComponent(id)}`;
  }

  responses(): RecordedCall[] {
    return this.callsTo('response_url');
  }

  failNext(method: string, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push(failure);
    this.failures.set(method, list);
  }

  /** A file shared in a channel: files.info describes it and its download URL serves it. */
  addFile(file: Omit<FakeFile, 'id'>): string {
    const id = `F${++this.ids}`;
    this.files.set(id, { id, ...file });
    return id;
  }

  setUser(id: string, info: FakeUser): void {
    this.users[id] = info;
  }

  setChannel(id: string, info: FakeChannel): void {
    this.channels[id] = info;
  }

  reset(): void {
    this.calls = [];
    this.uploads = [];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    this.ts += 100;
    const s = String(this.ts);
    return `${s.slice(0, 10)}.${s.slice(10)}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

    if (path.startsWith('/respond/')) {
      const args = parseBody(raw.toString('utf8'), req.headers['content-type']);
      const id = decodeURIComponent(path.slice('/respond/'.length));
      this.calls.push({ method: 'response_url', args: { ...args, __id: id }, at: Date.now() });
      const problem = messageErrors(args);
      if (problem)
        return json(400, {
          ok: false,
          error: problem.error,
          response_metadata: { messages: problem.messages ?? [] },
        });
      return json(200, { ok: true });
    }

    if (path.startsWith('/upload/')) {
      const fileId = path.slice('/upload/'.length);
      const upload = this.uploads.find((u) => u.fileId === fileId);
      if (!upload) return void res.writeHead(404).end('unknown upload');
      upload.bytes = await fileBytes(raw, req.headers['content-type']);
      this.calls.push({ method: 'upload', args: { fileId, length: raw.length }, at: Date.now() });
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
    }

    if (path.startsWith('/files/')) {
      const f = this.files.get(path.split('/')[2] ?? '');
      // Like Slack, private file URLs need the bot token.
      if (!f || !/^Bearer xox/.test(req.headers.authorization ?? '')) return void res.writeHead(404).end();
      this.calls.push({ method: 'file_download', args: { file: f.id }, at: Date.now() });
      return void res.writeHead(200, { 'content-type': 'text/csv' }).end(f.content);
    }

    if (!path.startsWith('/api/')) return void res.writeHead(404).end();
    const method = path.slice('/api/'.length);
    const args = parseBody(raw.toString('utf8'), req.headers['content-type']);
    this.calls.push({ method, args, at: Date.now() });

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if (failure.status === 429)
        return json(
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(failure.retryAfter ?? 1) },
        );
      if (failure.status && failure.status >= 500)
        return json(failure.status, { ok: false, error: 'internal_error' });
      return json(200, { ok: false, error: failure.error ?? 'fatal_error' });
    }

    const auth = req.headers.authorization ?? '';
    if (!/^Bearer xox/.test(auth) && !String(args.token ?? '').startsWith('xox')) {
      return json(200, { ok: false, error: 'not_authed' });
    }
    return json(200, this.answer(method, args));
  }

  private answer(method: string, args: Json): Json {
    const fail = (error: string, messages?: string[]) => ({
      ok: false,
      error,
      ...(messages ? { response_metadata: { messages } } : {}),
    });
    const { teamId, botUserId } = this.options;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'mo',
          team_id: teamId,
          user_id: botUserId,
          bot_id: 'B0MO',
        };
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        const known = this.channels[channel];
        if (!known && !/^[DU]/.test(channel)) return fail('channel_not_found');
        if (known && known.is_member === false) return fail('not_in_channel');
        if (!args.text && !args.blocks) return fail('no_text');
        const problem = messageErrors(args);
        if (problem) return fail(problem.error, problem.messages);
        const ts = this.nextTs();
        const set = this.posted.get(channel) ?? new Set<string>();
        set.add(ts);
        this.posted.set(channel, set);
        return { ok: true, channel, ts, message: { text: args.text, blocks: args.blocks, ts } };
      }
      case 'chat.postEphemeral': {
        if (!args.user) return fail('user_not_found');
        const problem = messageErrors(args);
        if (problem) return fail(problem.error, problem.messages);
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.update': {
        const channel = String(args.channel ?? '');
        if (!this.posted.get(channel)?.has(String(args.ts))) return fail('message_not_found');
        const problem = messageErrors(args);
        if (problem) return fail(problem.error, problem.messages);
        return { ok: true, channel, ts: args.ts, text: args.text };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        if ((method === 'views.open' || method === 'views.push') && !args.trigger_id)
          return fail('invalid_trigger_id');
        if (method === 'views.update' && !args.view_id && !args.external_id) return fail('view_not_found');
        if (method === 'views.publish' && !args.user_id) return fail('user_not_found');
        const messages = validateView(args.view);
        if (messages.length) return fail('invalid_blocks', messages);
        return { ok: true, view: { id: `V${++this.ids}`, ...(args.view as Json), state: { values: {} } } };
      }
      case 'files.getUploadURLExternal': {
        if (!args.filename || !args.length) return fail('invalid_arguments');
        const fileId = `F${++this.ids}`;
        this.uploads.push({
          fileId,
          filename: String(args.filename),
          bytes: Buffer.alloc(0),
          completed: false,
          altText: (args.alt_text ?? args.alt_txt) as string | undefined,
        });
        return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = (args.files as { id: string; title?: string }[] | undefined) ?? [];
        for (const f of files) {
          const upload = this.uploads.find((u) => u.fileId === f.id);
          if (!upload) return fail('file_not_found');
          upload.completed = true;
          upload.title = f.title;
          upload.altText = (f as { alt_text?: string }).alt_text ?? upload.altText;
          upload.channelId = args.channel_id as string | undefined;
          upload.threadTs = args.thread_ts as string | undefined;
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case 'users.info': {
        const id = String(args.user ?? '');
        const u = this.users[id];
        if (!u) return fail('user_not_found');
        return {
          ok: true,
          user: {
            id,
            team_id: teamId,
            name: id.toLowerCase(),
            real_name: u.real_name ?? id,
            tz: u.tz ?? 'America/New_York',
            tz_offset: 0,
            is_admin: Boolean(u.is_admin),
            is_owner: Boolean(u.is_owner),
            is_primary_owner: Boolean(u.is_primary_owner),
            deleted: Boolean(u.deleted),
            is_bot: false,
          },
        };
      }
      case 'files.info': {
        const f = this.files.get(String(args.file ?? ''));
        if (!f) return fail('file_not_found');
        return {
          ok: true,
          file: {
            id: f.id,
            name: f.name,
            filetype: f.name.split('.').pop(),
            size: f.content.length,
            user: f.user,
            url_private_download: `${this.url}/files/${f.id}/${encodeURIComponent(f.name)}`,
            shares: { public: { [f.channelId]: [{ ts: f.ts, channel_name: 'channel' }] } },
          },
        };
      }
      case 'conversations.info': {
        const id = String(args.channel ?? '');
        const c = this.channels[id];
        if (!c) return fail('channel_not_found');
        return {
          ok: true,
          channel: {
            id,
            name: c.name,
            is_channel: true,
            is_private: Boolean(c.is_private),
            is_member: c.is_member !== false,
          },
        };
      }
      default:
        return fail('unknown_method');
    }
  }
}
