import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetReport } from '../../src/domain/budget.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { importSpend } from '../../src/ingest/import.js';
import { budgetReport } from '../../src/services/budget.js';
import {
  closeCommitment,
  deleteSpend,
  editSpend,
  recordSpend,
  type SpendActor,
  type SpendEntryInput,
  undoSpend,
} from '../../src/services/spend.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

const TEAM = 'T0ROLL';
let t: TestDatabase;

async function sums(source: 'spend' | 'spendDaily') {
  const groups =
    source === 'spend'
      ? await t.mo.db.spend.groupBy({
          by: ['date', 'category', 'status'],
          where: { teamId: TEAM },
          _sum: { amountMinor: true },
        })
      : await t.mo.db.spendDaily.groupBy({
          by: ['date', 'category', 'status'],
          where: { teamId: TEAM },
          _sum: { amountMinor: true },
        });
  return Object.fromEntries(
    groups
      .map((g) => [`${g.date} ${g.category} ${g.status}`, g._sum.amountMinor ?? 0n] as const)
      .filter(([, v]) => v !== 0n)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** SpendMonthly against the spend rows summed per calendar month. */
async function monthly() {
  const byMonth = (rows: { key: string; amount: bigint }[]) => {
    const out: Record<string, bigint> = {};
    for (const r of rows) out[r.key] = (out[r.key] ?? 0n) + r.amount;
    return Object.fromEntries(
      Object.entries(out)
        .filter(([, v]) => v !== 0n)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  };
  const spend = await t.mo.db.spend.findMany({ where: { teamId: TEAM } });
  const rollup = await t.mo.db.spendMonthly.findMany({ where: { teamId: TEAM } });
  return {
    spend: byMonth(
      spend.map((r) => ({ key: `${r.date.slice(0, 7)} ${r.category} ${r.status}`, amount: r.amountMinor })),
    ),
    rollup: byMonth(
      rollup.map((r) => ({ key: `${r.month} ${r.category} ${r.status}`, amount: r.amountMinor })),
    ),
  };
}

const load = (csv: string) => importSpend(csvImport(t.mo, TEAM, csv, { actor: 'test' }));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('SpendDaily', () => {
  it('matches the spend rows after imports, corrections, refunds and single entries', async () => {
    await load(
      'date,amount,category,status,external_id\n' +
        '2026-10-01,100.00,Events,actual,a\n' +
        '2026-10-01,50.00,Events,actual,b\n' +
        '2026-10-02,(20.00),Events,actual,c\n' +
        '2026-10-02,300,Paid Media/Search,committed,d\n',
    );
    expect(await sums('spendDaily')).toEqual({
      '2026-10-01 Events actual': 15000n,
      '2026-10-02 Events actual': -2000n,
      '2026-10-02 Paid Media/Search committed': 30000n,
    });
    // b moves to another day, d becomes actual in another category, c is unchanged.
    const counts = await load(
      'date,amount,category,status,external_id\n' +
        '2026-10-01,100.00,Events,actual,a\n' +
        '2026-10-03,55.00,Events,actual,b\n' +
        '2026-10-02,(20.00),Events,actual,c\n' +
        '2026-10-02,300,Paid Media/Social,actual,d\n',
    );
    expect(counts).toMatchObject({ added: 0, updated: 2, unchanged: 2 });
    await t.mo.spend.add(
      {
        teamId: TEAM,
        date: '2026-10-01',
        amountMinor: 1n,
        status: 'actual',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'manual:1',
      },
      'U1',
    );
    const rollup = await sums('spendDaily');
    expect(rollup).toEqual(await sums('spend'));
    expect(rollup).toEqual({
      '2026-10-01 Events actual': 10001n,
      '2026-10-02 Events actual': -2000n,
      '2026-10-02 Paid Media/Social actual': 30000n,
      '2026-10-03 Events actual': 5500n,
    });
    const months = await monthly();
    expect(months.rollup).toEqual(months.spend);
    expect(months.rollup).toEqual({
      '2026-10 Events actual': 13501n,
      '2026-10 Paid Media/Social actual': 30000n,
    });
  });

  it('rejects a repeated external id, within a batch or thousands of rows apart, naming both lines', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `2026-10-07,1,Events,actual,r${i}`);
    rows[2399] = '2026-10-07,2,Events,actual,r9'; // line 2401 repeats line 11
    rows[5] = '2026-10-07,3,Events,actual,r4'; // line 7 repeats line 6
    const err = await load(`date,amount,category,status,external_id\n${rows.join('\n')}\n`).catch((e) => e);
    expect(err.message).toContain('2 problems');
    expect(err.message).toContain('line 7: repeats the row on line 6 (same external_id r4)');
    expect(err.message).toContain('line 2401: repeats the row on line 11 (same external_id r9)');
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, date: '2026-10-07' } })).toBe(0);
  });

  it('keeps identical rows without an id apart across batches, and a re-import changes nothing', async () => {
    const csv = `date,amount,category\n${'2026-10-08,2.50,Webinars\n'.repeat(2500)}`;
    expect(await load(csv)).toMatchObject({ rows: 2500, added: 2500 });
    expect(await load(csv)).toMatchObject({ added: 0, unchanged: 2500 });
    expect((await sums('spendDaily'))['2026-10-08 Webinars actual']).toBe(625_000n);
    const months = await monthly();
    expect(months.rollup).toEqual(months.spend);
  });

  it('is left untouched by a rejected file', async () => {
    const before = await sums('spendDaily');
    const monthsBefore = await monthly();
    await expect(
      load('date,amount,category,external_id\n2026-10-05,10,Events,x\n2026-10-06,oops,Events,y\n'),
    ).rejects.toThrow('line 3: amount');
    expect(await sums('spendDaily')).toEqual(before);
    expect(await monthly()).toEqual(monthsBefore);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, idempotencyKey: 'ext:x' } })).toBe(0);
  });

  it('sums a day past 2^53 cents to the cent (an import adds up its cells as doubles while they are exact)', async () => {
    const team = 'T0ROLLBIG';
    // Across the import's batches one day's sum passes 2^53 cents (9,007,199,254,740,991):
    // 1,000 rows of 99,999,999,999.99, then one cent, make an odd total no double can hold.
    const rows = Array.from({ length: 1000 }, (_, i) => `2026-10-05,99999999999.99,Events,actual,big-${i}`);
    rows.push('2026-10-05,0.01,Events,actual,cent');
    await importSpend(
      csvImport(t.mo, team, `date,amount,category,status,external_id\n${rows.join('\n')}\n`, {
        actor: 'test',
      }),
    );
    const [day] = await t.mo.db.spendDaily.findMany({ where: { teamId: team, date: '2026-10-05' } });
    expect(day?.amountMinor).toBe(1000n * 9_999_999_999_999n + 1n);
    const spend = await t.mo.db.spend.aggregate({ where: { teamId: team }, _sum: { amountMinor: true } });
    expect(spend._sum.amountMinor).toBe(day?.amountMinor);
  });
});

/** SpendMonthly against SpendDaily summed per calendar month (committed = open amounts in both). */
async function monthlyFromDaily() {
  const daily = await t.mo.db.spendDaily.findMany({ where: { teamId: LEDGER } });
  const monthly = await t.mo.db.spendMonthly.findMany({ where: { teamId: LEDGER } });
  const sum = (rows: { key: string; amount: bigint }[]) => {
    const out: Record<string, bigint> = {};
    for (const r of rows) out[r.key] = (out[r.key] ?? 0n) + r.amount;
    return Object.fromEntries(
      Object.entries(out)
        .filter(([, v]) => v !== 0n)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  };
  return {
    daily: sum(
      daily.map((r) => ({ key: `${r.date.slice(0, 7)} ${r.category} ${r.status}`, amount: r.amountMinor })),
    ),
    monthly: sum(
      monthly.map((r) => ({ key: `${r.month} ${r.category} ${r.status}`, amount: r.amountMinor })),
    ),
  };
}

const LEDGER = 'T0LEDGERROLL';

describe('SpendMonthly', () => {
  it('equals SpendDaily by month after every ledger operation: add, invoice, edit, delete, undo, close, imports', async () => {
    const settings = await t.mo.workspaces.update(LEDGER, { spendEntry: 'everyone' }, 'test');
    const actor: SpendActor = {
      userId: 'U0ROLL',
      isAdmin: async () => true,
      source: 'manual',
    };
    const steps: string[] = [];
    const check = async (step: string) => {
      const { daily, monthly } = await monthlyFromDaily();
      steps.push(step);
      expect({ step, monthly }).toEqual({ step, monthly: daily });
    };
    const entry = (amount: string, date: string, extra: Partial<SpendEntryInput> = {}): SpendEntryInput => ({
      amount,
      category: 'Events',
      campaign: '',
      vendor: '',
      date,
      status: 'actual',
      createCategory: true,
      ...extra,
    });
    await recordSpend(
      t.mo.forTeam(settings.teamId),
      settings,
      actor,
      entry('5000', '2026-12-05', { status: 'committed', commitmentId: 'PO-7' }),
    );
    await check('commitment opened');
    const invoice = await recordSpend(
      t.mo.forTeam(settings.teamId),
      settings,
      actor,
      entry('1200', '2026-11-12', { commitmentId: 'PO-7' }),
    );
    await check('invoice against it');
    const plain = await recordSpend(
      t.mo.forTeam(settings.teamId),
      settings,
      actor,
      entry('300.25', '2026-11-02'),
    );
    await check('plain actual');
    await editSpend(t.mo.forTeam(settings.teamId), settings, actor, invoice.entry.id, {
      amount: '1500',
      date: '2026-11-14',
    });
    await check('invoice corrected');
    await editSpend(t.mo.forTeam(settings.teamId), settings, actor, plain.entry.id, {
      category: 'Webinars',
      createCategory: true,
    });
    await check('category corrected');
    await deleteSpend(t.mo.forTeam(settings.teamId), settings, actor, plain.entry.id);
    await check('deleted');
    await recordSpend(t.mo.forTeam(settings.teamId), settings, actor, entry('75', '2026-11-15'));
    await undoSpend(t.mo.forTeam(settings.teamId), settings, actor);
    await check('undone');
    await closeCommitment(t.mo.forTeam(settings.teamId), settings, actor, 'PO-7');
    await check('closed');
    await importSpend(
      csvImport(
        t.mo,
        LEDGER,
        'date,amount,category,status,external_id,commitment_id\n' +
          '2026-11-03,900,Events,committed,po8,PO-8\n' +
          '2026-11-10,400,Events,actual,inv8,PO-8\n' +
          '2026-12-01,250,Paid Media,committed,po9,PO-9\n',
        { actor: 'test' },
      ),
    );
    await check('import with commitments');
    await importSpend(
      csvImport(
        t.mo,
        LEDGER,
        'date,amount,category,status,external_id,commitment_id\n' +
          '2026-11-03,900,Events,closed,po8,PO-8\n' +
          '2026-11-10,450,Events,actual,inv8,PO-8\n' +
          '2026-12-01,250,Paid Media,committed,po9,PO-9\n',
        { actor: 'test' },
      ),
    );
    await check('re-import closing and correcting');
    // The open amounts are what the month figures read: PO-7 closed, PO-8 closed, PO-9 open.
    const { monthly } = await monthlyFromDaily();
    expect(monthly).toEqual({
      '2026-11 Events actual': 195_000n,
      '2026-12 Paid Media committed': 25_000n,
    });
    expect(steps).toHaveLength(10);
  });

  it('carries open commitments into the month figures: months add up to the quarter and the year, committed and forecast too', async () => {
    const settings = await t.mo.workspaces.ensure(LEDGER);
    await t.mo.budgets.set(
      {
        teamId: LEDGER,
        period: requirePeriod('FY2026-Q4', '2026-11-16', 1),
        category: 'Events',
        plannedMinor: 9_200_000n,
      },
      'test',
    );
    // PO-10 opened in October for 3,000, invoiced 1,000 in November: 2,000 stays open in October.
    await importSpend(
      csvImport(
        t.mo,
        LEDGER,
        'date,amount,category,status,external_id,commitment_id\n' +
          '2026-10-20,3000,Events,committed,po10,PO-10\n' +
          '2026-11-09,1000,Events,actual,inv10,PO-10\n',
        { actor: 'test' },
      ),
    );
    const columns = (r: BudgetReport) => [
      r.total.planned,
      r.total.actual,
      r.total.committed,
      r.total.available,
      r.total.forecast,
    ];
    const report = (period: string) => budgetReport(t.mo.forTeam(settings.teamId), settings, { period });
    const [oct, nov, dec, q4, fy] = await Promise.all(
      ['2026-10', '2026-11', '2026-12', 'FY2026-Q4', 'FY2026'].map(report),
    );
    expect(oct?.total.committed).toBe(200_000n);
    expect(dec?.total.committed).toBe(25_000n); // PO-9 (Paid Media), still open
    const sum = (rs: (BudgetReport | undefined)[]) =>
      rs.map((r) => columns(r as BudgetReport)).reduce((a, c) => a.map((v, i) => v + (c[i] as bigint)));
    expect(sum([oct, nov, dec])).toEqual(columns(q4 as BudgetReport));
    const earlier = await Promise.all(['FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3'].map(report));
    expect(sum([...earlier, q4])).toEqual(columns(fy as BudgetReport));
    // October has ended: its forecast is what it booked, actual + open committed.
    expect(oct?.total.forecast).toBe((oct?.total.actual ?? 0n) + 200_000n);
  });
});
