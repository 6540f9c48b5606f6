// POST /api/v1/import/*: token required, size limit, row errors by line, counts on success,
// JSON or CSV bodies, revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';

const TEAM = 'T0API';
let app: TestApp;
let t: TestDatabase;
let base: string;
let secret: string;
let tokenId: string;

beforeAll(async () => {
  app = await startTestApp('s', { teamId: TEAM });
  t = app.t;
  base = `${app.base}/api/v1/import`;
  const token = await t.mo.tokens.create(TEAM, 'warehouse sync', 'U0ADMIN');
  secret = token.secret;
  tokenId = token.id;
});
afterAll(() => app?.close());

const post = (kind: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/${kind}`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${secret}`, ...headers },
  });

describe('import API', () => {
  it('stores only a hash of the token', async () => {
    const row = await t.mo.db.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('answers 401 without a valid token', async () => {
    expect((await fetch(`${base}/spend`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await post('spend', 'x', { authorization: 'Bearer mo_wrong' })).status).toBe(401);
  });

  it('imports a JSON array and a CSV body, then counts a repeat as unchanged', async () => {
    const rows = [
      {
        date: '2026-11-02',
        amount: '1,250.00',
        category: 'Paid Media/Search',
        campaign: 'Brand',
        external_id: 'a1',
      },
      {
        date: '2026-11-03',
        amount: '(50.00)',
        category: 'Paid Media/Search',
        campaign: 'Refund',
        external_id: 'a2',
      },
    ];
    const res = await post('spend', JSON.stringify(rows), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, rows: 2, added: 2, format: 'Mo spend CSV' });
    const csv =
      'Record ID,Create Date,Became a Marketing Qualified Lead Date,Original Source\n7,2026-11-01,,Web\n';
    expect(await (await post('leads', csv, { 'content-type': 'text/csv' })).json()).toMatchObject({
      added: 1,
    });
    const again = await post('spend', JSON.stringify(rows), { 'content-type': 'application/json' });
    expect(await again.json()).toMatchObject({ added: 0, unchanged: 2 });
    const sum = await t.mo.db.spend.aggregate({ where: { teamId: TEAM }, _sum: { amountMinor: true } });
    expect(sum._sum.amountMinor).toBe(120_000n);
  });

  it('answers 400 with the bad rows by line, writing nothing', async () => {
    const res = await post('spend', 'date,amount,category\n2026-11-05,10,Events\n2026-11-06,ten,Events\n', {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: unknown };
    expect(body.problems).toEqual([{ line: 3, message: expect.stringContaining('"ten" is not an amount') }]);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, category: 'Events' } })).toBe(0);
    expect((await post('spend', '{"not":"an array"}', { 'content-type': 'application/json' })).status).toBe(
      400,
    );
  });

  it('refuses rows in a locked month by line unless ?unlocked=true, which is audited', async () => {
    const csv = 'date,amount,category,external_id\n2026-11-05,10,Webinars,w1\n2026-09-10,25,Webinars,w2\n';
    const res = await post('spend', csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { problems: unknown }).problems).toEqual([
      {
        line: 3,
        message: expect.stringContaining('2026-09 is locked: the month ended more than 10 days ago'),
      },
    ]);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, category: 'Webinars' } })).toBe(0);
    expect((await post('spend?unlocked=true', csv, { 'content-type': 'text/csv' })).status).toBe(200);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, category: 'Webinars' } })).toBe(2);
    const audit = await t.mo.db.auditEvent.findMany({ where: { teamId: TEAM, action: 'spend.import' } });
    expect(audit.map((a) => a.actor)).toContain(`token:${tokenId} (--unlocked)`);
  });

  it('answers 413 over the size limit and 404 for an unknown import', async () => {
    const big = `date,amount,category\n${'2026-11-05,10,Events\n'.repeat(3_000_000)}`;
    const res = await post('spend', big, { 'content-type': 'text/csv' });
    expect(res.status).toBe(413);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, category: 'Events' } })).toBe(0);
    expect((await post('budgets', 'x')).status).toBe(404);
  });

  it('answers 401 once the token is revoked', async () => {
    expect(await t.mo.tokens.revoke(TEAM, tokenId, 'U0ADMIN')).toBe(true);
    expect((await post('spend', '[]', { 'content-type': 'application/json' })).status).toBe(401);
  });
});
