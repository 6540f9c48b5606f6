// Amounts past Mo's bound (|amount| ≤ 10^12 in major units) and files that are not CSV or
// not UTF-8, through every surface that accepts them over the real HTTP app: /mo budget set,
// /mo spend add, the budget-edit and spend-add modals, and the import API. Each gets a clear
// answer naming the field or line, nothing is written, and /healthz stays 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT, VIEW } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { signSlackRequest } from '../support/signing.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0AMOUNT';
const HUGE = '100000000000000000';
let app: TestApp;
let secret: string;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    { teamId: TEAM, users: { U0ADMIN: { is_admin: true } }, channels: { C0MKTG: { name: 'marketing' } } },
    '2026-11-16T17:00:00Z',
  );
  secret = (await app.t.mo.tokens.create(TEAM, 'sync', 'U0ADMIN')).secret;
});
afterAll(() => app?.close());

const signedPost = (body: string) =>
  fetch(`${app.base}/slack/events`, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });

async function command(text: string, id: string): Promise<string> {
  const res = await signedPost(
    new URLSearchParams({
      team_id: TEAM,
      channel_id: 'C0MKTG',
      user_id: 'U0ADMIN',
      command: '/mo',
      text,
      response_url: app.slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
    }).toString(),
  );
  expect(res.status).toBe(200);
  const reply = await waitFor(() => app.slack.responses().find((r) => r.args.__id === id), `response ${id}`);
  return String(reply.args.text);
}

async function submit(callbackId: string, values: Record<string, string>) {
  const state: Record<string, Record<string, object>> = {};
  for (const [name, value] of Object.entries(values)) {
    const input = INPUT[name as keyof typeof INPUT];
    state[input.block] = { [input.action]: { type: 'plain_text_input', value } };
  }
  const payload = {
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: 'U0ADMIN', team_id: TEAM },
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: '',
      state: { values: state },
    },
  };
  const res = await signedPost(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  expect(res.status).toBe(200);
  return res.json();
}

const counts = async () => ({
  spend: await app.t.mo.db.spend.count({ where: { teamId: TEAM } }),
  budgets: await app.t.mo.db.budgetLine.count({ where: { teamId: TEAM } }),
});

const api = (body: string | Buffer, query = '') =>
  fetch(`${app.base}/api/v1/import/spend${query}`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'text/csv' },
  });

describe('an amount past ±10^12', () => {
  it('is refused by /mo budget set and /mo spend add, naming the amount', async () => {
    const before = await counts();
    expect(await command(`budget set Events ${HUGE} FY2027-Q3`, 'budget-set')).toContain('too large');
    expect(await command(`spend add ${HUGE} Events`, 'spend-add')).toContain('too large');
    expect(await command('spend add -1000000000000.01 Events', 'spend-add-neg')).toContain('too large');
    expect(await counts()).toEqual(before);
  });

  it('is a field error in the budget-edit and spend-add modals', async () => {
    const before = await counts();
    const edit = await submit(VIEW.budgetEdit, { category: 'Events', period: 'FY2027-Q3', amount: HUGE });
    expect(edit).toMatchObject({
      response_action: 'errors',
      errors: { [INPUT.amount.block]: expect.stringContaining('too large') },
    });
    const spend = await submit(VIEW.spendAdd, { category: 'Events', amount: HUGE });
    expect(spend).toMatchObject({
      response_action: 'errors',
      errors: { [INPUT.amount.block]: expect.stringContaining('too large') },
    });
    expect(await counts()).toEqual(before);
  });

  it('rejects an API import by line, dry run or not, and writes nothing', async () => {
    const before = await counts();
    const csv = `date,amount,category\n2026-11-02,12,Events\n2026-11-03,${HUGE},Events\n`;
    for (const query of ['', '?dry_run=true']) {
      const res = await api(csv, query);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string; problems: Array<{ line: number }> };
      expect(body.message).toContain('Nothing was imported');
      expect(body.problems).toEqual([{ line: 3, message: expect.stringContaining('too large') }]);
    }
    expect(await counts()).toEqual(before);
  });

  it('accepts exactly a trillion', async () => {
    expect(await command('budget set Events 1,000,000,000,000 FY2027-Q3 --new', 'budget-max')).toContain(
      '$1,000,000,000,000',
    );
  });
});

describe('files that are not UTF-8 CSV, to the import API', () => {
  it('random bytes: 400, "Nothing was imported", with the line and what is wrong', async () => {
    const before = await counts();
    let seed = 7;
    const bytes = Buffer.from(
      Buffer.alloc(4096, 0).map(() => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed >> 16;
      }),
    );
    for (const query of ['', '?encoding=latin1']) {
      const res = await api(bytes, query);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string; problems: Array<{ line: number }> };
      expect(body.message).toContain('Nothing was imported');
      expect(body.problems[0]?.line).toBeGreaterThan(0);
    }
    expect(await counts()).toEqual(before);
    expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
  });

  it('Latin-1 is refused with its line, or read as named with ?encoding=', async () => {
    const latin1 = Buffer.from(
      'date,amount,category,campaign\n2026-11-02,12,Events,Launch\n2026-11-03,5,Events,Caf\xe9\n',
      'latin1',
    );
    const refused = await api(latin1);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { problems: unknown };
    expect(body.problems).toEqual([{ line: 3, message: expect.stringContaining('not UTF-8') }]);
    expect(await counts()).toMatchObject({ spend: 0 });

    const read = await api(latin1, '?encoding=windows-1252');
    expect(read.status).toBe(200);
    const rows = await app.t.mo.db.spend.findMany({ where: { teamId: TEAM }, orderBy: { date: 'asc' } });
    expect(rows.map((r) => r.campaign)).toEqual(['Launch', 'Café']);

    const unknown = await api(latin1, '?encoding=ebcdic');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('unknown encoding "ebcdic"');
  });
});
