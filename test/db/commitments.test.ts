import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRepository } from '../../src/db/alerts.js';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { calendarMonth } from '../../src/domain/calendar.js';
import { openAmount } from '../../src/domain/commitments.js';
import { formatMoney } from '../../src/domain/money.js';
import { describeResult, importSpend } from '../../src/ingest/import.js';
import { budgetReport } from '../../src/services/budget.js';
import { commitmentsCsv, openCommitments } from '../../src/services/spend.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

const TEAM = 'T0LEDGER';
let t: TestDatabase;
let settings: WorkspaceSettings;
const NOVEMBER = calendarMonth(2026, 11);

const load = (csv: string) => importSpend(csvImport(t.mo, TEAM, csv));

const HEAD = 'date,amount,category,status,external_id,commitment_id\n';
const PO = `${HEAD}2026-11-02,4500.00,Events,committed,po-row,PO-4500\n`;
const INVOICE_1 = `${HEAD}2026-11-05,3000.00,Events,actual,inv-1,PO-4500\n`;
const INVOICE_2 = `${HEAD}2026-11-09,2000.00,Events,actual,inv-2,PO-4500\n`;

const events = async () => {
  const report = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: NOVEMBER });
  const row = report.rows.find((r) => r.category === 'Events');
  return {
    actual: row?.actual,
    committed: row?.committed,
    forecast: row?.forecast,
    available: row?.available,
  };
};

/**
 * What SpendDaily must hold by definition: every actual row, committed rows without a
 * commitment, and each commitment's open amount on its date and in its category.
 */
async function rollupMatchesDefinition() {
  const expected = new Map<string, bigint>();
  const add = (date: string, category: string, status: string, amount: bigint) => {
    const key = `${date} ${category} ${status}`;
    expected.set(key, (expected.get(key) ?? 0n) + amount);
  };
  for (const s of await t.mo.db.spend.findMany({ where: { teamId: TEAM } }))
    if (s.status === 'actual' || !s.commitmentId) add(s.date, s.category, s.status, s.amountMinor);
  for (const c of await t.mo.db.commitment.findMany({ where: { teamId: TEAM } })) {
    const open = openAmount({ ...c, closed: c.closedAt !== null });
    expect(c.openMinor).toBe(open);
    if (c.date && c.category) add(c.date, c.category, 'committed', open);
  }
  const actual = new Map<string, bigint>();
  for (const d of await t.mo.db.spendDaily.findMany({ where: { teamId: TEAM } }))
    actual.set(`${d.date} ${d.category} ${d.status}`, d.amountMinor);
  const nonZero = (m: Map<string, bigint>) =>
    Object.fromEntries([...m].filter(([, v]) => v !== 0n).sort(([a], [b]) => a.localeCompare(b)));
  expect(nonZero(actual)).toEqual(nonZero(expected));
}

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T12:00:00Z');
  settings = await t.mo.workspaces.ensure(TEAM);
  await t.mo.budgets.set(
    { teamId: TEAM, period: NOVEMBER, category: 'Events', plannedMinor: 600_000n },
    'U0ADMIN',
  );
});
afterAll(() => t.close());

describe('a commitment and its invoices', () => {
  it('counts the PO as committed until invoiced, then its invoices as actual, never both', async () => {
    await load(PO);
    expect(await events()).toMatchObject({ actual: 0n, committed: 450_000n, available: 150_000n });

    await load(INVOICE_1);
    // 4,500 committed − 3,000 invoiced = 1,500 still open; the 3,000 is actual on Nov 5.
    expect(await events()).toMatchObject({ actual: 300_000n, committed: 150_000n, available: 150_000n });
    expect((await t.mo.commitments.get(TEAM, 'PO-4500'))?.open).toBe(150_000n);

    await load(INVOICE_2);
    // Invoiced 5,000 against 4,500: nothing open (never negative), flagged.
    expect(await events()).toMatchObject({ actual: 500_000n, committed: 0n, available: 100_000n });
    const po = await t.mo.commitments.get(TEAM, 'PO-4500');
    expect(po).toMatchObject({ committed: 450_000n, invoiced: 500_000n, open: 0n, status: 'over-invoiced' });
    expect(po?.overInvoiced).toBe(true);
    await rollupMatchesDefinition();
  });

  it('lists over-invoiced and open commitments with their age; a closed one leaves nothing open', async () => {
    await load(`${HEAD}2026-11-12,2000,Events,committed,po2-row,PO-4600\n`);
    expect((await events()).committed).toBe(200_000n);
    const listed = await openCommitments(t.mo.forTeam(settings.teamId), settings, {});
    expect(listed.lines.map((l) => [l.commitmentId, l.open, l.status, l.ageDays])).toEqual([
      ['PO-4500', 0n, 'over-invoiced', 14],
      ['PO-4600', 200_000n, 'open', 4],
    ]);
    expect(listed.totals).toEqual({ committed: 650_000n, invoiced: 500_000n, open: 200_000n });

    const closed = await t.mo.spend.closeCommitment(TEAM, 'PO-4600', 'U0ADMIN');
    expect(closed?.already).toBe(false);
    expect((await events()).committed).toBe(0n);
    expect(
      (await openCommitments(t.mo.forTeam(settings.teamId), settings, {})).lines.map((l) => l.commitmentId),
    ).toEqual(['PO-4500']);
    const audit = await t.mo.db.auditEvent.findFirst({ where: { teamId: TEAM, action: 'commitment.close' } });
    expect(audit).toMatchObject({ actor: 'U0ADMIN', entityId: 'PO-4600' });
    await rollupMatchesDefinition();
  });

  it('closes from a file (status closed), and a re-import of every file changes nothing', async () => {
    await load(`${HEAD}2026-11-14,800,Events,committed,po3-row,PO-4700\n`);
    expect((await events()).committed).toBe(80_000n);
    const closing = await load(`${HEAD}2026-11-14,800,Events,closed,po3-row,PO-4700\n`);
    expect(closing).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect((await events()).committed).toBe(0n);

    const before = {
      figures: await events(),
      daily: await t.mo.db.spendDaily.findMany({
        where: { teamId: TEAM },
        orderBy: [{ date: 'asc' }, { category: 'asc' }, { status: 'asc' }],
      }),
      commitments: await t.mo.db.commitment.findMany({
        where: { teamId: TEAM },
        orderBy: { commitmentId: 'asc' },
      }),
      audit: await t.mo.db.auditEvent.count({ where: { teamId: TEAM } }),
    };
    for (const file of [
      PO,
      INVOICE_1,
      INVOICE_2,
      `${HEAD}2026-11-12,2000,Events,committed,po2-row,PO-4600\n`,
      `${HEAD}2026-11-14,800,Events,closed,po3-row,PO-4700\n`,
    ])
      expect(await load(file)).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    expect(await events()).toEqual(before.figures);
    expect(
      await t.mo.db.spendDaily.findMany({
        where: { teamId: TEAM },
        orderBy: [{ date: 'asc' }, { category: 'asc' }, { status: 'asc' }],
      }),
    ).toEqual(before.daily);
    expect(
      await t.mo.db.commitment.findMany({ where: { teamId: TEAM }, orderBy: { commitmentId: 'asc' } }),
    ).toEqual(before.commitments);
    expect(await t.mo.db.auditEvent.count({ where: { teamId: TEAM } })).toBe(before.audit);
    await rollupMatchesDefinition();
  });

  it('agrees across /mo budget, the forecast, the alerts and the export', async () => {
    const report = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: NOVEMBER });
    const row = report.rows.find((r) => r.category === 'Events');
    const line = (await alertRepository(t.mo.db).lineFigures(TEAM, '2026-11-16')).find(
      (l) => l.category === 'Events',
    );
    expect(line).toMatchObject({ actual: row?.actual, committed: row?.committed, planned: 600_000n });
    // Forecast: actual to date 5,000 over 16 of 30 days → 9,375 run rate, above actual + open.
    expect(row?.forecast).toBe(937_500n);
    const csv = await commitmentsCsv(t.mo.forTeam(settings.teamId), settings, { period: '2026-11' });
    expect(csv).toBe(
      'commitment_id,category,date,committed,invoiced,open,status\n' +
        'PO-4500,Events,2026-11-02,450000,500000,0,over-invoiced\n' +
        'PO-4600,Events,2026-11-12,200000,0,0,closed\n' +
        'PO-4700,Events,2026-11-14,80000,0,0,closed\n' +
        'TOTAL,,,730000,500000,0,\n',
    );
    // The export's open total is the budget's committed for the same period (no unkeyed committed rows here).
    expect(row?.committed).toBe(0n);
  });

  it('moves the open amount when an invoice is corrected or deleted, and when the PO moves', async () => {
    await load(
      `${HEAD}2026-11-03,1000,Paid Media,committed,po5-row,PO-5000\n2026-11-04,400,Paid Media,actual,inv5,PO-5000\n`,
    );
    const paid = async () =>
      (await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: NOVEMBER })).rows.find(
        (r) => r.category === 'Paid Media',
      );
    expect(await paid()).toMatchObject({ actual: 40_000n, committed: 60_000n });
    const invoice = (await t.mo.spend.list(TEAM, { take: 50 })).find(
      (e) => e.commitmentId === 'PO-5000' && e.status === 'actual',
    );
    await t.mo.spend.update(TEAM, invoice?.id ?? '', { amountMinor: 70_000n }, 'U0ADMIN');
    expect(await paid()).toMatchObject({ actual: 70_000n, committed: 30_000n });
    await t.mo.spend.remove(TEAM, invoice?.id ?? '', 'U0ADMIN', 'spend.delete');
    expect(await paid()).toMatchObject({ actual: 0n, committed: 100_000n });
    // The PO moved to December: November no longer carries it.
    const po = (await t.mo.spend.list(TEAM, { take: 50 })).find((e) => e.commitmentId === 'PO-5000');
    await t.mo.spend.update(TEAM, po?.id ?? '', { date: '2026-12-01' }, 'U0ADMIN');
    expect((await paid())?.committed ?? 0n).toBe(0n);
    const december = await budgetReport(t.mo.forTeam(settings.teamId), settings, {
      period: calendarMonth(2026, 12),
    });
    expect(december.rows.find((r) => r.category === 'Paid Media')?.committed).toBe(100_000n);
    await rollupMatchesDefinition();
  });

  it('refuses a second committed row for one commitment, naming its line, and writes nothing', async () => {
    const daily = await t.mo.db.spendDaily.findMany({ where: { teamId: TEAM } });
    await expect(
      load(`${HEAD}2026-11-10,10,Events,actual,x-1,\n2026-11-10,999,Events,committed,other-po-row,PO-4500\n`),
    ).rejects.toThrow(/line 3: commitment PO-4500 is already opened by another committed row/);
    expect(await t.mo.db.spendDaily.findMany({ where: { teamId: TEAM } })).toEqual(daily);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, idempotencyKey: 'ext:x-1' } })).toBe(0);
  });

  it('an invoice before its PO is actual only; the PO then opens what is left', async () => {
    await load(`${HEAD}2026-11-06,250,Content,actual,inv-early,PO-6000\n`);
    expect(await t.mo.commitments.get(TEAM, 'PO-6000')).toMatchObject({ status: 'invoices only', open: 0n });
    await load(`${HEAD}2026-11-01,1000,Content,committed,po6-row,PO-6000\n`);
    const content = (
      await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: NOVEMBER })
    ).rows.find((r) => r.category === 'Content');
    expect(content).toMatchObject({ actual: 25_000n, committed: 75_000n });
    await rollupMatchesDefinition();
  });
});

describe('an import that brings new categories', () => {
  it('lists them before anything is written (dry run), then in its summary', async () => {
    const file = `${HEAD}2026-11-10,100,Events,actual,nc-1,\n2026-11-10,200,events/Booths,actual,nc-2,\n2026-11-10,300,Podcasts,actual,nc-3,\n`;
    const ctx = csvImport(t.mo, TEAM, file);
    const dry = await importSpend({ ...ctx, dryRun: true });
    expect(dry.newCategories).toEqual(['Events/Booths', 'Podcasts']);
    expect(describeResult('spend', dry, 'USD', formatMoney)).toContain(
      'Would create 2 new categories: Events/Booths, Podcasts.',
    );
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, idempotencyKey: 'ext:nc-1' } })).toBe(0);
    const done = await importSpend(ctx);
    expect(describeResult('spend', done, 'USD', formatMoney)).toContain(
      'Created 2 new categories: Events/Booths, Podcasts.',
    );
    expect((await importSpend(ctx)).newCategories).toEqual([]);
  });
});
