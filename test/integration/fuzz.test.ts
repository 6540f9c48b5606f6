// Random and mutated input, reproducibly (a seeded PRNG; FUZZ_SEED picks another run): a few
// hundred signed Slack payloads (commands, block_actions, view submissions, events) over
// the real HTTP app, and CSV files to the import API and the importer. The process lives,
// every request is answered within 3 s with a status Slack or a script can act on, nothing
// is half-written (a rejected import leaves the row counts as they were), /healthz stays 200.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportContext, ImportRejected, importLeads, importSpend } from '../../src/ingest/import.js';
import { ACTION, ALERT, INPUT, SURVEY, VIEW } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0FUZZ';
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SLACK_CASES = 300;
const CSV_CASES = 120;
let app: TestApp;
let token: string;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { U0ADMIN: { is_admin: true }, U0MEMBER: {} },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    '2026-11-16T17:00:00Z',
  );
  token = (await app.t.mo.tokens.create(TEAM, 'fuzz', 'U0ADMIN')).secret;
});
afterAll(() => app?.close());

const WEIRD: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  ' ',
  '<!channel>',
  '=1+1',
  '\u0000\uffff\ud800',
  'x'.repeat(5000),
  [],
  {},
  [null],
  { id: null },
  true,
  '100000000000000000',
  'FY2026-Q4',
  '2026-02-30',
];

function randomString(r: Rng): string {
  const alphabet = 'abc XYZ019,.-+$()"\'<>&=@\t\r\n/\\é€💸';
  return Array.from({ length: r.int(40) }, () => r.pick([...alphabet])).join('');
}

function weird(r: Rng): unknown {
  return r.next() < 0.5 ? r.pick(WEIRD) : randomString(r);
}

/** Deletes, replaces or retypes a few fields anywhere in the object tree. */
function mutate(value: unknown, r: Rng, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => mutate(v, r, depth + 1));
  if (value === null || typeof value !== 'object') return r.next() < 0.15 ? weird(r) : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const roll = r.next();
    if (roll < 0.08) continue;
    out[k] = roll < 0.16 ? weird(r) : mutate(v, r, depth + 1);
  }
  if (r.next() < 0.1) out[randomString(r) || 'extra'] = weird(r);
  return out;
}

const COMMANDS = [
  'help',
  'budget',
  'budget FY2026-Q4',
  'budget set Events 5000 FY2026-Q4',
  'budget set Events 100000000000000000',
  'spend add 12.50 Events',
  'spend add -1e9 Events',
  'spend',
  'settings',
  'target set leads 10 FY2026-Q4',
  'digest',
  'alerts',
  'survey',
  '"unterminated',
  '',
];

function command(r: Rng, id: string): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: TEAM,
    channel_id: 'C0MKTG',
    user_id: r.pick(['U0ADMIN', 'U0MEMBER']),
    command: '/mo',
    text: r.next() < 0.7 ? r.pick(COMMANDS) : randomString(r),
    response_url: app.slack.responseUrl(id),
    trigger_id: `trigger-${id}`,
  };
}

const ACTION_IDS = [...Object.values(ACTION), ...Object.values(ALERT), SURVEY.take, 'not_mo'];

function blockActions(r: Rng, id: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'acme' },
    user: { id: r.pick(['U0ADMIN', 'U0MEMBER']), team_id: TEAM },
    api_app_id: 'A0MO',
    trigger_id: `trigger-${id}`,
    response_url: app.slack.responseUrl(id),
    channel: { id: 'C0MKTG' },
    container: { type: 'message', message_ts: '1.1' },
    actions: [
      {
        action_id: r.pick(ACTION_IDS),
        block_id: 'b',
        type: r.pick(['button', 'static_select']),
        value: r.pick(['', '{}', 'FY2026-Q4|Events', randomString(r)]),
        selected_option: { value: 'FY2026-Q4|Events' },
        action_ts: '1.2',
      },
    ],
  };
}

function viewSubmission(r: Rng): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const input of Object.values(INPUT))
    if (r.next() < 0.7)
      values[input.block] = {
        [input.action]: {
          type: 'plain_text_input',
          value: r.pick(['Events', 'FY2026-Q4', '1200', '100000000000000000', 'USD', 'UTC', randomString(r)]),
          selected_option: { value: r.pick(['1', 'committed', 'actual']) },
          selected_users: ['U0ADMIN'],
          selected_date: r.pick(['2026-11-02', '2026-13-40']),
        },
      };
  return {
    type: r.pick(['view_submission', 'view_submission', 'view_closed']),
    team: { id: TEAM, domain: 'acme' },
    user: { id: r.pick(['U0ADMIN', 'U0MEMBER']), team_id: TEAM },
    api_app_id: 'A0MO',
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: r.pick([...Object.values(VIEW), SURVEY.modal, 'not_mo']),
      private_metadata: r.pick([
        '',
        '{}',
        'not json',
        JSON.stringify({ responseUrl: 'http://127.0.0.1:1/x' }),
      ]),
      state: { values },
    },
  };
}

function event(r: Rng): Record<string, unknown> {
  return {
    type: 'event_callback',
    team_id: TEAM,
    api_app_id: 'A0MO',
    event_id: `Ev${r.int(1e9)}`,
    event_time: 1,
    event: r.pick([
      { type: 'file_shared', file_id: 'F404', user_id: 'U0ADMIN', channel_id: 'C0MKTG' },
      { type: 'app_home_opened', user: 'U0ADMIN', tab: 'home' },
      { type: 'message', text: 'hi', channel: 'C0MKTG' },
      { type: 'app_uninstalled' },
    ]),
  };
}

/** One signed request: a form command, a form payload, or a JSON event; sometimes raw junk. */
function slackRequest(r: Rng, i: number): { body: string; contentType: string } {
  const id = `fuzz-${i}`;
  const kind = r.int(5);
  const form = 'application/x-www-form-urlencoded';
  if (kind === 0) {
    const fields = mutate(command(r, id), r) as Record<string, unknown>;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      params.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    return { body: params.toString(), contentType: form };
  }
  if (kind === 4) {
    const json = JSON.stringify(mutate(event(r), r));
    // Sometimes cut short: not JSON at all.
    const body = r.next() < 0.2 ? json.slice(0, r.int(json.length)) : json;
    return { body, contentType: 'application/json' };
  }
  const payload = mutate(kind === 1 || kind === 3 ? blockActions(r, id) : viewSubmission(r), r);
  let text = JSON.stringify(payload);
  if (r.next() < 0.1) text = text.slice(0, r.int(text.length));
  return { body: new URLSearchParams({ payload: text }).toString(), contentType: form };
}

const health = async () => (await fetch(`${app.base}/healthz`)).status;

describe('fuzzed Slack requests', () => {
  it(`answers ${SLACK_CASES} signed random and mutated payloads within 3 s each (seed ${SEED})`, async () => {
    const r = prng(SEED);
    const requests = Array.from({ length: SLACK_CASES }, (_, i) => slackRequest(r, i));
    const answers: Array<{ i: number; status: number; ms: number }> = [];
    for (let i = 0; i < requests.length; i += 15) {
      const batch = requests.slice(i, i + 15).map(async ({ body, contentType }, j) => {
        const started = Date.now();
        const res = await fetch(`${app.base}/slack/events`, {
          method: 'POST',
          body,
          headers: { ...signSlackRequest(SECRET, body), 'content-type': contentType },
          signal: AbortSignal.timeout(3000),
        });
        await res.arrayBuffer();
        answers.push({ i: i + j, status: res.status, ms: Date.now() - started });
      });
      await Promise.all(batch);
    }
    expect(answers).toHaveLength(SLACK_CASES);
    const unexpected = answers.filter((a) => ![200, 400].includes(a.status) || a.ms >= 3000);
    expect(unexpected).toEqual([]);
    // Both kinds of answer were exercised: the fuzz reaches Mo's listeners, not only the gate.
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(answers.some((a) => a.status === 400)).toBe(true);
    expect(await health()).toBe(200);
  }, 60_000);
});

const SPEND_HEADER = 'date,amount,category,campaign,status,external_id';

function spendCsv(r: Rng): Buffer {
  const kind = r.int(4);
  if (kind === 0) return Buffer.from(Array.from({ length: 1 + r.int(3000) }, () => r.int(256)));
  const lines = [SPEND_HEADER];
  for (let n = 0; n < 1 + r.int(8); n++)
    lines.push(
      [
        r.pick(['2026-11-02', '2026-11-03', '2026-02-30', 'yesterday']),
        r.pick(['12.50', '(3.00)', '1,200', '100000000000000000', 'abc', '']),
        r.pick(['Events', 'Paid Media/Search', '=1+1', '']),
        r.pick(['Launch', '"quoted, campaign"', '"unterminated', 'Caf\u00e9']),
        r.pick(['actual', 'committed', 'maybe']),
        r.pick(['', `x${r.int(50)}`]),
      ].join(','),
    );
  let text = lines.join(r.pick(['\n', '\r\n']));
  if (kind === 2) {
    // Byte-level damage: a dropped, doubled or swapped character somewhere.
    const at = r.int(text.length);
    text = text.slice(0, at) + r.pick(['', '"', ',', '\n', text[at] ?? '']) + text.slice(at + 1);
  }
  return kind === 3 ? Buffer.from(text, 'latin1') : Buffer.from(text);
}

async function counts() {
  const db = app.t.mo.db;
  return {
    spend: await db.spend.count({ where: { teamId: TEAM } }),
    daily: await db.spendDaily.count({ where: { teamId: TEAM } }),
    leads: await db.lead.count({ where: { teamId: TEAM } }),
    audit: await db.auditEvent.count({ where: { teamId: TEAM } }),
  };
}

describe('fuzzed CSV files', () => {
  it(`imports or rejects ${CSV_CASES} files whole, through the API and the importer (seed ${SEED})`, async () => {
    // The payloads above include a signed app_uninstalled, which deactivates the workspace;
    // Mo restarted in single-workspace mode records its installation again (auth.test).
    await app.moApp.tenancy.init();
    const r = prng(SEED + 1);
    const outcomes = { imported: 0, rejected: 0 };
    for (let i = 0; i < CSV_CASES; i++) {
      const bytes = spendCsv(r);
      const before = await counts();
      let rejected: boolean;
      if (i % 2 === 0) {
        const kind = r.pick(['spend', 'spend', 'leads']);
        const query = r.pick(['', '?dry_run=true', '?encoding=latin1', '?encoding=nope']);
        const started = Date.now();
        const res = await fetch(`${app.base}/api/v1/import/${kind}${query}`, {
          method: 'POST',
          body: bytes,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
          signal: AbortSignal.timeout(3000),
        });
        const body = (await res.json()) as { ok: boolean; message?: string };
        expect(Date.now() - started).toBeLessThan(3000);
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(body.message).toBeTruthy();
        rejected = res.status === 400 || query === '?dry_run=true';
      } else {
        const ctx: ImportContext = {
          db: app.t.mo.db,
          databaseUrl: app.t.mo.databaseUrl,
          now: app.t.mo.clock(),
          teamId: TEAM,
          currency: 'USD',
          fiscalStartMonth: 1,
          source: 'csv',
          actor: 'U0FUZZ',
          open: () => Readable.from([bytes]),
          dryRun: r.next() < 0.2,
        };
        const importer = r.next() < 0.8 ? importSpend : importLeads;
        rejected = await importer(ctx).then(
          () => ctx.dryRun === true,
          (e: unknown) => {
            // Anything but a whole-file rejection is a bug the fuzz found.
            if (!(e instanceof ImportRejected)) throw e;
            expect(e.message).toMatch(/^Nothing was imported/);
            return true;
          },
        );
      }
      if (rejected) expect(await counts()).toEqual(before);
      outcomes[rejected ? 'rejected' : 'imported']++;
    }
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(await health()).toBe(200);
  }, 60_000);
});
