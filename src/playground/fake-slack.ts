// A fake Slack Web API for the tests and the local playground (`mo playground`): the real
// @slack/web-api client talks to it through `slackApiUrl`. It records every call and every
// response_url post with its answer, answers in Slack's shapes, and rejects blocks over
// Slack's limits the way Slack does (invalid_blocks with json-pointers), so a builder that
// would fail at Slack fails here first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** What the fake answered (set once answered). */
  answer?: Record<string, unknown>;
  /** The token the call was made with (Authorization header or `token` argument). */
  token?: string;
  /** The workspace (or org) that token belongs to. */
  teamId?: string;
}

export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  tz?: string;
  real_name?: string;
  deleted?: boolean;
  /** users.info's profile.email (personal data Mo must never log). */
  email?: string;
  /** The user's own team (default: the fake's teamId). */
  team_id?: string;
  /** Enterprise Grid: the user's org and the org's workspaces they are in. */
  enterprise_id?: string;
  teams?: string[];
}

/** A workspace (or, with isEnterpriseInstall, an org) Mo can be installed in by OAuth. */
export interface FakeWorkspace {
  teamId: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** An org-wide install: teamId is then unused, the token serves the org. */
  isEnterpriseInstall?: boolean;
  botUserId?: string;
}

interface IssuedToken {
  workspace: FakeWorkspace;
  /** Epoch ms; undefined: never expires. */
  expiresAt?: number;
  revoked?: boolean;
}

export interface FakeChannel {
  name: string;
  is_member?: boolean;
  is_private?: boolean;
  /** conversations.members answers these user ids. */
  members?: string[];
}

/** A message as conversations.history returns it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text?: unknown;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  files?: Array<{ id: string; title?: string }>;
  user: string;
}

export interface FakeSlackOptions {
  users?: Record<string, FakeUser>;
  channels?: Record<string, FakeChannel>;
  /** Default 'T0001'. */
  teamId?: string;
  /** Default 'UBOT'. */
  botUserId?: string;
  /** The app's OAuth credentials: oauth.v2.access checks them. */
  oauth?: { clientId: string; clientSecret: string };
}

export interface Upload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  title?: string;
  altText?: string;
  channelId?: string;
  threadTs?: string;
  /** files.completeUploadExternal has named this file. */
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

export interface Failure {
  /** 429 answers `ratelimited` with a Retry-After header; any other status answers with that status. */
  status?: number;
  /** Without a status: HTTP 200 `{ok:false, error}`. */
  error?: string;
  /** Seconds, for a 429. Default 1. */
  retryAfter?: number;
  /** The call does its work (the message is stored) and only then answers with the failure. */
  landed?: boolean;
}

// ---------------------------------------------------------------------------------------
// Block Kit validation: the limits in /work/shared/SLACK-FACTS.md. Messages follow Slack's
// `[ERROR] <reason> [json-pointer:/blocks/3/text/text]` so a failing test points at the field.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const err = (errors: string[], reason: string, at: string) =>
  errors.push(`[ERROR] ${reason} [json-pointer:${at}]`);

function textObject(v: unknown, at: string, errors: string[], opts: { max: number; plainOnly?: boolean }) {
  if (!isObj(v)) return void err(errors, 'missing required text object', at);
  const type = v.type;
  if (type !== 'plain_text' && type !== 'mrkdwn') err(errors, 'invalid text type', `${at}/type`);
  if (opts.plainOnly && type !== 'plain_text') err(errors, 'must be plain_text', `${at}/type`);
  // Slack's schema rejects these flags on the other text type (a common, silent-looking bug).
  if (type === 'mrkdwn' && 'emoji' in v) err(errors, 'invalid additional property: emoji', at);
  if (type === 'plain_text' && 'verbatim' in v) err(errors, 'invalid additional property: verbatim', at);
  if (typeof v.text !== 'string' || v.text.length === 0) {
    err(errors, 'must be more than 0 characters', `${at}/text`);
  } else if (v.text.length > opts.max) {
    err(errors, `must be less than ${opts.max + 1} characters`, `${at}/text`);
  }
}

function maxLen(v: unknown, max: number, at: string, errors: string[]) {
  if (v === undefined) return;
  if (typeof v !== 'string') err(errors, 'must be a string', at);
  else if (v.length > max) err(errors, `must be less than ${max + 1} characters`, at);
}

/** An option object; select and overflow menus take plain_text only, radios and checkboxes mrkdwn too. */
function option(v: unknown, at: string, errors: string[], plainOnly: boolean) {
  if (!isObj(v)) return void err(errors, 'invalid option', at);
  textObject(v.text, `${at}/text`, errors, { max: 75, plainOnly });
  if (v.description !== undefined) textObject(v.description, `${at}/description`, errors, { max: 75 });
  if (typeof v.value !== 'string' || v.value.length === 0) err(errors, 'value is required', `${at}/value`);
  // Slack's docs now say 150, its types 75: the fake holds Mo to the stricter.
  else maxLen(v.value, 75, `${at}/value`, errors);
}

function options(list: unknown, at: string, errors: string[], min: number, max: number, plainOnly: boolean) {
  if (!Array.isArray(list) || list.length < min || list.length > max) {
    return void err(errors, `must provide between ${min} and ${max} options`, at);
  }
  list.forEach((o, i) => {
    option(o, `${at}/${i}`, errors, plainOnly);
  });
}

// Element types Slack knows; only the ones Mo uses carry detailed checks.
const PLAIN_ELEMENTS = new Set([
  'datepicker',
  'timepicker',
  'datetimepicker',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'external_select',
  'multi_external_select',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
  'workflow_button',
]);

function element(e: unknown, at: string, errors: string[]) {
  if (!isObj(e)) return void err(errors, 'invalid element', at);
  maxLen(e.action_id, 255, `${at}/action_id`, errors);
  if (e.placeholder !== undefined)
    textObject(e.placeholder, `${at}/placeholder`, errors, { max: 150, plainOnly: true });
  switch (e.type) {
    case 'button':
      textObject(e.text, `${at}/text`, errors, { max: 75, plainOnly: true });
      maxLen(e.value, 2000, `${at}/value`, errors);
      maxLen(e.url, 3000, `${at}/url`, errors);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
        err(errors, 'must be one of primary, danger', `${at}/style`);
      }
      break;
    case 'static_select':
    case 'multi_static_select': {
      if (e.options !== undefined && e.option_groups !== undefined)
        err(errors, 'options and option_groups cannot both be set', at);
      else if (e.options === undefined && e.option_groups === undefined)
        err(errors, 'options or option_groups required', at);
      if (e.options !== undefined) options(e.options, `${at}/options`, errors, 1, 100, true);
      if (e.option_groups !== undefined) {
        const groups = e.option_groups;
        if (!Array.isArray(groups) || groups.length < 1 || groups.length > 100) {
          err(errors, 'must provide between 1 and 100 option_groups', `${at}/option_groups`);
        } else {
          for (const [i, g] of groups.entries()) {
            const gAt = `${at}/option_groups/${i}`;
            if (!isObj(g)) {
              err(errors, 'invalid option group', gAt);
              continue;
            }
            textObject(g.label, `${gAt}/label`, errors, { max: 75, plainOnly: true });
            options(g.options, `${gAt}/options`, errors, 1, 100, true);
          }
        }
      }
      break;
    }
    case 'radio_buttons':
    case 'checkboxes':
      options(e.options, `${at}/options`, errors, 1, 10, false);
      break;
    case 'overflow':
      options(e.options, `${at}/options`, errors, 1, 5, true);
      break;
    case 'plain_text_input':
      for (const key of ['min_length', 'max_length'] as const) {
        const n = e[key];
        const lo = key === 'min_length' ? 0 : 1;
        if (n !== undefined && (typeof n !== 'number' || n < lo || n > 3000))
          err(errors, `${key} must be between ${lo} and 3000`, `${at}/${key}`);
      }
      break;
    case 'image':
      imageFields(e, at, errors);
      break;
    default:
      if (typeof e.type !== 'string' || !PLAIN_ELEMENTS.has(e.type))
        err(errors, `unknown element type ${String(e.type)}`, `${at}/type`);
  }
}

/** alt_text and a source, shared by the image block and the image element. */
function imageFields(v: Json, at: string, errors: string[]) {
  if (typeof v.alt_text !== 'string' || v.alt_text.length === 0 || v.alt_text.length > 2000) {
    err(errors, 'alt_text required, at most 2000 characters', `${at}/alt_text`);
  }
  if (v.image_url === undefined && v.slack_file === undefined)
    err(errors, 'image_url or slack_file required', at);
  maxLen(v.image_url, 3000, `${at}/image_url`, errors);
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

/** Characters of every `text` string inside the blocks: what msg_blocks_too_long counts. */
function countText(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countText(x), 0);
  if (!isObj(v)) return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v))
    n += k === 'text' && typeof x === 'string' ? x.length : countText(x);
  return n;
}

const MESSAGE_TEXT_BUDGET = 12_000;

function blockErrors(blocks: unknown, where: 'message' | 'modal' | 'home', base: string): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] blocks must be an array [json-pointer:${base}]`];
  const max = where === 'message' ? 50 : 100;
  if (blocks.length > max) err(errors, `must provide no more than ${max} items`, base);
  const ids = new Set<string>();
  for (const [i, b] of blocks.entries()) {
    const at = `${base}/${i}`;
    if (!isObj(b)) {
      err(errors, 'invalid block', at);
      continue;
    }
    if (typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) {
      err(errors, `unknown block type ${String(b.type)}`, `${at}/type`);
      continue;
    }
    if (b.block_id !== undefined) {
      maxLen(b.block_id, 255, `${at}/block_id`, errors);
      if (ids.has(String(b.block_id)))
        err(errors, `duplicate block_id ${String(b.block_id)}`, `${at}/block_id`);
      ids.add(String(b.block_id));
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) err(errors, 'text or fields required', at);
        if (b.text !== undefined) textObject(b.text, `${at}/text`, errors, { max: 3000 });
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length < 1 || b.fields.length > 10) {
            err(errors, 'must provide between 1 and 10 items', `${at}/fields`);
          } else {
            b.fields.forEach((f, j) => {
              textObject(f, `${at}/fields/${j}`, errors, { max: 2000 });
            });
          }
        }
        if (b.accessory !== undefined) element(b.accessory, `${at}/accessory`, errors);
        break;
      }
      case 'header':
        textObject(b.text, `${at}/text`, errors, { max: 150, plainOnly: true });
        break;
      case 'context': {
        const els = Array.isArray(b.elements) ? b.elements : [];
        if (els.length < 1 || els.length > 10)
          err(errors, 'must provide between 1 and 10 elements', `${at}/elements`);
        els.forEach((e, j) => {
          // Context takes text objects and images only.
          if (isObj(e) && e.type === 'image') imageFields(e, `${at}/elements/${j}`, errors);
          else textObject(e, `${at}/elements/${j}`, errors, { max: 3000 });
        });
        break;
      }
      case 'actions': {
        const els = Array.isArray(b.elements) ? b.elements : [];
        if (els.length < 1 || els.length > 25)
          err(errors, 'must provide between 1 and 25 elements', `${at}/elements`);
        els.forEach((e, j) => {
          element(e, `${at}/elements/${j}`, errors);
        });
        break;
      }
      case 'input':
        textObject(b.label, `${at}/label`, errors, { max: 2000, plainOnly: true });
        if (b.hint !== undefined) textObject(b.hint, `${at}/hint`, errors, { max: 2000, plainOnly: true });
        if (!isObj(b.element)) err(errors, 'element required', `${at}/element`);
        else element(b.element, `${at}/element`, errors);
        break;
      case 'image':
        imageFields(b, at, errors);
        if (b.title !== undefined) textObject(b.title, `${at}/title`, errors, { max: 2000, plainOnly: true });
        break;
      case 'markdown':
        if (typeof b.text !== 'string' || b.text.length === 0 || b.text.length > 12_000)
          err(errors, 'text required, at most 12000 characters', `${at}/text`);
        break;
    }
  }
  return errors;
}

/**
 * Errors Slack would report for these blocks, as `[ERROR] … [json-pointer:/blocks/…]`; empty when
 * valid. For a message this also reports text over the ~12,000-character budget that Slack answers
 * with msg_blocks_too_long, so builder tests catch it without a server.
 */
export function validateBlocks(
  blocks: unknown,
  where: 'message' | 'modal' | 'home',
  base = '/blocks',
): string[] {
  const errors = blockErrors(blocks, where, base);
  const total = countText(blocks);
  if (where === 'message' && total > MESSAGE_TEXT_BUDGET) {
    err(errors, `msg_blocks_too_long: ${total} characters of text, over ${MESSAGE_TEXT_BUDGET}`, base);
  }
  return errors;
}

/** Errors Slack would report for a modal or Home tab view (pointers under /view). */
export function validateView(view: unknown): string[] {
  if (!isObj(view)) return ['[ERROR] view must be an object [json-pointer:/view]'];
  const errors: string[] = [];
  const home = view.type === 'home';
  if (view.type !== 'modal' && !home) err(errors, 'view type must be modal or home', '/view/type');
  if (!home) textObject(view.title, '/view/title', errors, { max: 24, plainOnly: true });
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
  if (view.submit !== undefined)
    textObject(view.submit, '/view/submit', errors, { max: 24, plainOnly: true });
  else if (hasInput && !home) err(errors, 'submit is required when a view has input blocks', '/view/submit');
  if (view.close !== undefined) textObject(view.close, '/view/close', errors, { max: 24, plainOnly: true });
  maxLen(view.private_metadata, 3000, '/view/private_metadata', errors);
  maxLen(view.callback_id, 255, '/view/callback_id', errors);
  maxLen(view.external_id, 255, '/view/external_id', errors);
  if (Buffer.byteLength(JSON.stringify(view)) > 250_000) err(errors, 'view is larger than 250 kB', '/view');
  errors.push(...blockErrors(view.blocks ?? [], home ? 'home' : 'modal', '/view/blocks'));
  return errors;
}

/** The error Slack gives a message payload (chat.*, response_url), or undefined when it is fine. */
function messageErrors(args: Json): { error: string; messages?: string[] } | undefined {
  if (typeof args.text === 'string' && args.text.length > 40_000) return { error: 'msg_too_long' };
  if (args.blocks === undefined) return undefined;
  const messages = blockErrors(args.blocks, 'message', '/blocks');
  if (messages.length) return { error: 'invalid_blocks', messages };
  if (countText(args.blocks) > MESSAGE_TEXT_BUDGET) return { error: 'msg_blocks_too_long' };
  return undefined;
}

// ---------------------------------------------------------------------------------------
// HTTP plumbing.

// @slack/web-api sends form bodies and JSON-encodes object arguments. Only these names are
// decoded back, so a plain `text` that happens to look like JSON ("[1]") stays a string.
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'files',
  'metadata',
  'user_auth_blocks',
  'unfurls',
  'file_uploads',
]);

function parseBody(raw: string, contentType: string | undefined): Json {
  if (contentType?.includes('application/json')) {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return isObj(parsed) ? parsed : {};
  }
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? safeJson(v) : v;
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The uploaded file: the raw body, or the file part of a multipart form (files.uploadV2 sends one). */
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

/** Seconds east of UTC for an IANA zone, as users.info's tz_offset; 0 for an unknown zone. */
function tzOffset(tz: string): number {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
  } catch {
    return 0;
  }
}

export class FakeSlack {
  /** Every Web API call and response_url post, in order (plus 'upload' and 'file_download'). */
  calls: RecordedCall[] = [];
  uploads: Upload[] = [];
  readonly url: string;
  readonly apiUrl: string;
  private users: Record<string, FakeUser>;
  private channels: Record<string, FakeChannel>;
  private failures = new Map<string, Failure[]>();
  /** The ws:// URL apps.connections.open answers (a test's fake Socket Mode server). */
  socketModeUrl: string | undefined;
  private delays = new Map<string, number>();
  private files = new Map<string, FakeFile>();
  private deletedFiles = new Set<string>();
  /** Every message in every channel (DMs under their D… id), oldest first. */
  messages: FakeMessage[] = [];
  private ts = 0; // microseconds; rendered as '1763000000.000100'
  private ids = 0;
  /** Tokens issued by oauth.v2.access; any other xox token is the default workspace's. */
  private issued = new Map<string, IssuedToken>();
  private codes = new Map<string, { workspace: FakeWorkspace; installer: string; rotation: boolean }>();
  /** Refresh token -> the workspace; deleted once used (Slack's are single-use). */
  private refreshTokens = new Map<string, FakeWorkspace>();

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
      if (!fake) return void res.writeHead(503).end();
      fake.handle(req, res).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSlack(server, { teamId: 'T0001', botUserId: 'UBOT', ...options });
    return fake;
  }

  /** Called after every recorded call is answered (the playground's page follows them). */
  onCall: ((call: RecordedCall) => void) | undefined;

  private record(method: string, args: Json): RecordedCall {
    const call: RecordedCall = { method, args, at: Date.now() };
    this.calls.push(call);
    return call;
  }

  private answered(call: RecordedCall, answer: Json): void {
    call.answer = answer;
    this.onCall?.(call);
  }

  get botUserId(): string {
    return this.options.botUserId;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A URL that records posts like Slack's response_url (method 'response_url', args.__id = id). */
  responseUrl(id = `r${++this.ids}`): string {
    return `${this.url}/respond/${encodeURIComponent(id)}`;
  }

  responses(): RecordedCall[] {
    return this.callsTo('response_url');
  }

  /** The next call to `method` fails this way; queue several by calling again. */
  failNext(method: string, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push(failure);
    this.failures.set(method, list);
  }

  /** Every later call to `method` is answered after `ms` (a slow Slack, a job caught mid-step). */
  slowDown(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** A file shared in a channel: files.info describes it and its download URL serves it. */
  addFile(file: Omit<FakeFile, 'id'>): string {
    const id = `F${++this.ids}`;
    this.files.set(id, { id, ...file });
    return id;
  }

  /** The file's owner deletes it: files.info answers file_deleted and its URL 404. */
  deleteFile(id: string): void {
    this.files.delete(id);
    this.deletedFiles.add(id);
  }

  setUser(id: string, info: FakeUser): void {
    this.users[id] = info;
  }

  /**
   * A user approving Mo on Slack's consent screen: returns the `code` Slack would append to
   * the redirect URL. With `rotation`, oauth.v2.access answers a 12-hour token and a refresh token.
   */
  approveInstall(workspace: FakeWorkspace, opts: { installer?: string; rotation?: boolean } = {}): string {
    const code = `code-${++this.ids}`;
    this.codes.set(code, {
      workspace,
      installer: opts.installer ?? 'UINSTALLER',
      rotation: Boolean(opts.rotation),
    });
    return code;
  }

  /** Every token issued to a workspace or org, newest last. */
  tokensOf(teamOrEnterpriseId: string): string[] {
    return [...this.issued.entries()]
      .filter(
        ([, t]) =>
          (t.workspace.isEnterpriseInstall ? t.workspace.enterpriseId : t.workspace.teamId) ===
          teamOrEnterpriseId,
      )
      .map(([token]) => token);
  }

  /** Slack revoking a token (an uninstall): calls with it answer `token_revoked`. */
  revokeTokens(teamOrEnterpriseId: string): void {
    for (const token of this.tokensOf(teamOrEnterpriseId))
      (this.issued.get(token) as IssuedToken).revoked = true;
  }

  /** Moves an issued token's expiry (token rotation tests). */
  expireToken(token: string, expiresAt: number): void {
    const t = this.issued.get(token);
    if (t) t.expiresAt = expiresAt;
  }

  private issue(workspace: FakeWorkspace, rotation: boolean) {
    const n = ++this.ids;
    const owner = workspace.isEnterpriseInstall ? workspace.enterpriseId : workspace.teamId;
    const token = `xoxb-${owner}-${n}`;
    const expiresIn = 12 * 3600;
    this.issued.set(token, { workspace, ...(rotation ? { expiresAt: Date.now() + expiresIn * 1000 } : {}) });
    const refresh = rotation ? `xoxe-1-${owner}-${n}` : undefined;
    if (refresh) this.refreshTokens.set(refresh, workspace);
    return { token, ...(rotation ? { refresh_token: refresh, expires_in: expiresIn } : {}) };
  }

  private oauthAccess(args: Json): Json {
    const { oauth } = this.options;
    if (!oauth || args.client_id !== oauth.clientId || args.client_secret !== oauth.clientSecret)
      return { ok: false, error: 'invalid_client_id' };
    if (args.grant_type === 'refresh_token') {
      const refresh = String(args.refresh_token ?? '');
      const workspace = this.refreshTokens.get(refresh);
      if (!workspace) return { ok: false, error: 'invalid_refresh_token' };
      this.refreshTokens.delete(refresh);
      const issued = this.issue(workspace, true);
      return {
        ok: true,
        token_type: 'bot',
        access_token: issued.token,
        refresh_token: issued.refresh_token,
        expires_in: issued.expires_in,
      };
    }
    const grant = this.codes.get(String(args.code ?? ''));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(args.code));
    const w = grant.workspace;
    const issued = this.issue(w, grant.rotation);
    return {
      ok: true,
      access_token: issued.token,
      token_type: 'bot',
      scope: 'commands,users:read,chat:write',
      bot_user_id: w.botUserId ?? 'UBOT',
      app_id: 'A0MO',
      team: w.isEnterpriseInstall ? null : { id: w.teamId, name: w.teamName ?? w.teamId },
      enterprise: w.enterpriseId ? { id: w.enterpriseId, name: w.enterpriseName ?? w.enterpriseId } : null,
      authed_user: { id: grant.installer },
      is_enterprise_install: Boolean(w.isEnterpriseInstall),
      ...(issued.refresh_token ? { refresh_token: issued.refresh_token, expires_in: issued.expires_in } : {}),
    };
  }

  setChannel(id: string, info: FakeChannel): void {
    this.channels[id] = info;
  }

  /** Clears recorded calls and uploads, and any failNext not yet used, so tests start even. */
  reset(): void {
    this.calls = [];
    this.uploads = [];
    this.failures.clear();
    this.delays.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Like Slack's: the wall clock in microseconds, strictly increasing. */
  private nextTs(): string {
    this.ts = Math.max(this.ts + 100, Date.now() * 1000);
    const s = String(this.ts);
    return `${s.slice(0, 10)}.${s.slice(10)}`;
  }

  /** Slack's answer for posting into `channel`: DMs and user ids pass, unknown ids do not. */
  private channelError(channel: string): string | undefined {
    const known = this.channels[channel];
    if (!known) return /^[DUW]/.test(channel) ? undefined : 'channel_not_found';
    return known.is_member === false ? 'not_in_channel' : undefined;
  }

  /** Posting to a user id posts in the bot's DM with them, as Slack does. */
  private dmOf(channel: string): string {
    return /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
  }

  /** Messages posted in a channel (a user id means the DM), optionally in one thread. */
  messagesIn(channel: string, threadTs?: string): FakeMessage[] {
    const id = this.dmOf(channel);
    return this.messages.filter(
      (m) => m.channel === id && (threadTs === undefined || m.thread_ts === threadTs || m.ts === threadTs),
    );
  }

  /** Records a message as if posted by the bot (or, with `user`, by someone else). */
  addMessage(message: Omit<FakeMessage, 'ts' | 'user'> & { user?: string }): FakeMessage {
    const m: FakeMessage = {
      user: this.options.botUserId,
      ...message,
      channel: this.dmOf(message.channel),
      ts: this.nextTs(),
    };
    this.messages.push(m);
    return m;
  }

  private history(args: Json, thread?: string) {
    const channel = this.dmOf(String(args.channel ?? ''));
    if (!/^D/.test(channel) && !this.channels[channel]) return { ok: false, error: 'channel_not_found' };
    const oldest = Number(args.oldest ?? 0);
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    let list = this.messages.filter((m) => m.channel === channel && Number(m.ts) >= oldest);
    list = thread
      ? list.filter((m) => m.ts === thread || m.thread_ts === thread)
      : list.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    // History is newest first; replies oldest first. Pages of `limit`, cursor = offset.
    if (!thread) list = [...list].reverse();
    const limit = Math.max(1, Math.min(Number(args.limit ?? 100), 999));
    const offset = Number(args.cursor ?? 0) || 0;
    const page = list.slice(offset, offset + limit).map((m) => {
      const { metadata, channel: _c, ...rest } = m;
      return { type: 'message', ...rest, ...(withMetadata && metadata ? { metadata } : {}) };
    });
    const more = offset + limit < list.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(offset + limit) : '' },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

    if (path.startsWith('/respond/')) {
      const id = decodeURIComponent(path.slice('/respond/'.length));
      let args: Json;
      try {
        args = parseBody(raw.toString('utf8'), contentType);
      } catch {
        return json(400, { ok: false, error: 'invalid_json' });
      }
      const call = this.record('response_url', { ...args, __id: id });
      const answered = (status: number, body: Json) => {
        this.answered(call, body);
        json(status, body);
      };
      const failure = this.failures.get('response_url')?.shift();
      if (failure) return answered(failure.status ?? 400, { ok: false, error: failure.error ?? 'failed' });
      const problem = messageErrors(args);
      // Not the Web API: response_url answers a bad payload with a 4xx, so Bolt's respond() throws.
      if (problem) {
        return answered(400, {
          ok: false,
          error: problem.error,
          response_metadata: { messages: problem.messages ?? [] },
        });
      }
      return answered(200, { ok: true });
    }

    if (path.startsWith('/upload/')) {
      const fileId = decodeURIComponent(path.slice('/upload/'.length));
      const upload = this.uploads.find((u) => u.fileId === fileId);
      if (!upload) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
      upload.bytes = await fileBytes(raw, contentType);
      this.answered(this.record('upload', { fileId, length: upload.bytes.length }), { ok: true });
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${upload.bytes.length}`);
    }

    if (path.startsWith('/files/')) {
      const f = this.files.get(path.split('/')[2] ?? '');
      // Like Slack, private file URLs need the bot token.
      if (!f || !/^Bearer xox/.test(req.headers.authorization ?? '')) return void res.writeHead(404).end();
      this.answered(this.record('file_download', { file: f.id }), { ok: true });
      return void res.writeHead(200, { 'content-type': 'text/csv' }).end(f.content);
    }

    if (!path.startsWith('/api/')) return void res.writeHead(404).end();
    const method = path.slice('/api/'.length);
    let args: Json;
    try {
      args = parseBody(raw.toString('utf8'), contentType);
    } catch {
      const body = { ok: false, error: 'invalid_json' };
      this.answered(this.record(method, {}), body);
      return json(200, body);
    }
    const auth = req.headers.authorization ?? '';
    const token =
      /^Bearer (xox\S+)/.exec(auth)?.[1] ??
      (String(args.token ?? '').startsWith('xox') ? String(args.token) : undefined);
    const issued = token ? this.issued.get(token) : undefined;
    const callTeam = issued
      ? issued.workspace.isEnterpriseInstall
        ? issued.workspace.enterpriseId
        : issued.workspace.teamId
      : token
        ? this.options.teamId
        : undefined;
    const call = this.record(method, args);
    call.token = token;
    call.teamId = callTeam;
    const reply = (status: number, body: Json, headers: Record<string, string> = {}) => {
      this.answered(call, body);
      json(status, body, headers);
    };
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));

    // Socket Mode opens its connection with the app-level token (xapp-…), nothing else does.
    if (method === 'apps.connections.open') {
      if (!/^Bearer xapp-/.test(auth)) return reply(200, { ok: false, error: 'not_authed' });
      if (!this.socketModeUrl) return reply(200, { ok: false, error: 'not_allowed_token_type' });
      return reply(200, { ok: true, url: this.socketModeUrl });
    }

    if (method === 'oauth.v2.access') return reply(200, this.oauthAccess(args));
    if (!token) return reply(200, { ok: false, error: 'not_authed' });
    if (issued?.revoked) return reply(200, { ok: false, error: 'token_revoked' });
    if (issued?.expiresAt !== undefined && issued.expiresAt <= Date.now())
      return reply(200, { ok: false, error: 'token_expired' });

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if (failure.landed) this.answer(method, args, issued?.workspace);
      if (failure.status === 429) {
        return reply(
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(failure.retryAfter ?? 1) },
        );
      }
      if (failure.status && failure.status !== 200) {
        return reply(failure.status, { ok: false, error: failure.error ?? 'internal_error' });
      }
      return reply(200, { ok: false, error: failure.error ?? 'fatal_error' });
    }
    return reply(200, this.answer(method, args, issued?.workspace));
  }

  private answer(method: string, args: Json, workspace?: FakeWorkspace): Json {
    const fail = (error: string, messages?: string[]) => ({
      ok: false,
      error,
      ...(messages ? { response_metadata: { messages } } : {}),
    });
    const { teamId, botUserId } = this.options;
    const hasContent = Boolean(args.text) || Boolean(args.blocks) || Boolean(args.attachments);
    switch (method) {
      case 'auth.test':
        if (workspace)
          return {
            ok: true,
            url: `https://${(workspace.enterpriseId ?? workspace.teamId).toLowerCase()}.fake.slack.com/`,
            team: workspace.isEnterpriseInstall
              ? (workspace.enterpriseName ?? '')
              : (workspace.teamName ?? workspace.teamId),
            user: 'mo',
            team_id: workspace.isEnterpriseInstall ? workspace.enterpriseId : workspace.teamId,
            user_id: workspace.botUserId ?? botUserId,
            bot_id: 'B0MO',
            ...(workspace.enterpriseId ? { enterprise_id: workspace.enterpriseId } : {}),
            is_enterprise_install: Boolean(workspace.isEnterpriseInstall),
          };
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
        const channelError = this.channelError(channel);
        if (channelError) return fail(channelError);
        if (!hasContent) return fail('no_text');
        const problem = messageErrors(args);
        if (problem) return fail(problem.error, problem.messages);
        const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        const metadata = typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata;
        const m = this.addMessage({
          channel,
          text: args.text,
          blocks: args.blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(isObj(metadata) ? { metadata: metadata as FakeMessage['metadata'] } : {}),
        });
        return {
          ok: true,
          channel: m.channel,
          ts: m.ts,
          message: { text: args.text, blocks: args.blocks, ts: m.ts },
        };
      }
      case 'chat.postEphemeral': {
        const channelError = this.channelError(String(args.channel ?? ''));
        if (channelError) return fail(channelError);
        if (!args.user) return fail('user_not_in_channel');
        if (!hasContent) return fail('no_text');
        const problem = messageErrors(args);
        if (problem) return fail(problem.error, problem.messages);
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.update': {
        const channel = String(args.channel ?? '');
        const target = this.messages.find(
          (m) => m.channel === this.dmOf(channel) && m.ts === String(args.ts),
        );
        if (!target) return fail('message_not_found');
        if (!hasContent) return fail('no_text');
        const problem = messageErrors(args);
        if (problem) return fail(problem.error, problem.messages);
        target.text = args.text;
        if (args.blocks !== undefined) target.blocks = args.blocks;
        return { ok: true, channel, ts: args.ts, text: args.text };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        if ((method === 'views.open' || method === 'views.push') && !args.trigger_id)
          return fail('invalid_trigger_id');
        if (method === 'views.update' && !args.view_id && !args.external_id) return fail('invalid_arguments');
        if (method === 'views.publish' && !args.user_id) return fail('invalid_arguments');
        if (!isObj(args.view)) return fail('invalid_arguments');
        const view = args.view;
        // Home tabs are published; modals are opened, pushed or updated.
        if (method === 'views.publish' && view.type !== 'home')
          return fail('invalid_blocks', [
            '[ERROR] views.publish needs a home view [json-pointer:/view/type]',
          ]);
        if ((method === 'views.open' || method === 'views.push') && view.type !== 'modal')
          return fail('invalid_blocks', [`[ERROR] ${method} needs a modal view [json-pointer:/view/type]`]);
        const messages = validateView(view);
        if (messages.length) return fail('invalid_blocks', messages);
        const id = typeof args.view_id === 'string' ? args.view_id : `V${++this.ids}`;
        return {
          ok: true,
          view: {
            id,
            team_id: teamId,
            ...view,
            ...(typeof args.external_id === 'string' ? { external_id: args.external_id } : {}),
            state: { values: {} },
            hash: `${Date.now()}.${id}`,
            root_view_id: id,
            bot_id: 'B0MO',
          },
        };
      }
      case 'files.getUploadURLExternal': {
        if (!args.filename || !Number(args.length)) return fail('invalid_arguments');
        const fileId = `F${++this.ids}`;
        this.uploads.push({
          fileId,
          filename: String(args.filename),
          bytes: Buffer.alloc(0),
          completed: false,
          // files.uploadV2 sends alt_text here; the docs also name alt_txt.
          altText: (args.alt_text ?? args.alt_txt) as string | undefined,
        });
        return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = args.files;
        if (!Array.isArray(files) || files.length === 0 || !files.every(isObj))
          return fail('invalid_arguments');
        const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
        if (channel) {
          const channelError = this.channelError(channel);
          if (channelError) return fail(channelError);
        }
        if (args.blocks !== undefined) {
          const problem = messageErrors({ blocks: args.blocks });
          if (problem) return fail(problem.error, problem.messages);
        }
        const uploads = files.map((f) => this.uploads.find((u) => u.fileId === f.id));
        if (uploads.some((u) => !u)) return fail('file_not_found');
        files.forEach((f, i) => {
          const upload = uploads[i] as Upload;
          upload.completed = true;
          upload.title = typeof f.title === 'string' ? f.title : upload.filename;
          upload.altText = ((f.alt_text ?? f.alt_txt) as string | undefined) ?? upload.altText;
          upload.channelId = channel;
          upload.threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        });
        // Sharing files posts a message carrying them (in the thread when one is given).
        if (channel) {
          this.addMessage({
            channel,
            text: args.initial_comment ?? '',
            ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
            files: uploads.map((u) => ({ id: (u as Upload).fileId, title: (u as Upload).title })),
          });
        }
        return { ok: true, files: uploads.map((u) => ({ id: u?.fileId, title: u?.title })) };
      }
      case 'users.info': {
        const id = String(args.user ?? '');
        if (id === botUserId) {
          return {
            ok: true,
            user: { id, team_id: teamId, name: 'mo', real_name: 'Mo', is_bot: true, deleted: false },
          };
        }
        const u = this.users[id];
        if (!u) return fail('user_not_found');
        const tz = u.tz ?? 'America/New_York';
        return {
          ok: true,
          user: {
            id,
            team_id: u.team_id ?? teamId,
            ...(u.enterprise_id
              ? {
                  enterprise_user: {
                    enterprise_id: u.enterprise_id,
                    teams: u.teams ?? [u.team_id ?? teamId],
                  },
                }
              : {}),
            name: id.toLowerCase(),
            real_name: u.real_name ?? id,
            tz,
            tz_offset: tzOffset(tz),
            is_admin: Boolean(u.is_admin),
            is_owner: Boolean(u.is_owner),
            is_primary_owner: Boolean(u.is_primary_owner),
            deleted: Boolean(u.deleted),
            is_bot: false,
            ...(u.email ? { profile: { email: u.email, real_name: u.real_name ?? id } } : {}),
          },
        };
      }
      case 'files.info': {
        const f = this.files.get(String(args.file ?? ''));
        if (!f)
          return fail(this.deletedFiles.has(String(args.file ?? '')) ? 'file_deleted' : 'file_not_found');
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
      case 'conversations.history':
        return this.history(args);
      case 'conversations.replies':
        if (!args.ts) return fail('invalid_arguments');
        return this.history(args, String(args.ts));
      case 'conversations.open': {
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        if (users.length !== 1) return fail('invalid_arguments');
        if (!this.users[users[0] as string]) return fail('user_not_found');
        return { ok: true, channel: { id: this.dmOf(users[0] as string) } };
      }
      case 'conversations.list': {
        const channels = Object.entries(this.channels).map(([id, c]) => ({
          id,
          name: c.name,
          is_channel: true,
          is_private: Boolean(c.is_private),
          is_member: c.is_member !== false,
          is_archived: false,
        }));
        return { ok: true, channels, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.members': {
        const c = this.channels[String(args.channel ?? '')];
        if (!c) return fail('channel_not_found');
        return { ok: true, members: c.members ?? [], response_metadata: { next_cursor: '' } };
      }
      default:
        return fail('unknown_method');
    }
  }
}
