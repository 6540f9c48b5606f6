// The CSV import pipeline (src/ingest/import.ts) on a real database: canonical spend and
// budgets files in, checked through the repositories to the cent. Idempotent re-imports,
// corrections in place, and all-or-nothing rejection with line numbers.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportContext, ImportRejected, importBudgets, importSpend } from '../../src/ingest/import.js';
import { budgetReport } from '../../src/services/budget.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('2026-10-15T12:00:00Z');
});
afterAll(() => t.close());

const ctx = (teamId: string, csv: string, fiscalStartMonth = 1): ImportContext => ({
  db: t.mo.db,
  databaseUrl: t.mo.databaseUrl,
  now: t.mo.clock(),
  teamId,
  currency: 'USD',
  fiscalStartMonth,
  source: 'csv',
  actor: 'U0IMPORTER',
  open: () => Readable.from([csv]),
});

/** The ImportRejected a promise fails with (and a failed test if it resolves or fails otherwise). */
async function rejection(promise: Promise<unknown>): Promise<ImportRejected> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected the import to be rejected, got ${String(outcome)}`);
  expect(outcome.error).toBeInstanceOf(ImportRejected);
  return outcome.error as ImportRejected;
}

/** Sums for October 2026 with today = Oct 15, sorted by category. */
async function octoberSums(teamId: string) {
  const sums = await t.mo.spend.sumsByCategory(teamId, '2026-10-01', '2026-10-31', '2026-10-15');
  return sums.sort((a, b) => a.category.localeCompare(b.category));
}

async function written(teamId: string) {
  const [spend, daily, budgets, audit] = await Promise.all([
    t.mo.db.spend.count({ where: { teamId } }),
    t.mo.db.spendDaily.count({ where: { teamId } }),
    t.mo.db.budgetLine.count({ where: { teamId } }),
    t.mo.db.auditEvent.count({ where: { teamId } }),
  ]);
  return { spend, daily, budgets, audit };
}
const NOTHING = { spend: 0, daily: 0, budgets: 0, audit: 0 };

describe('spend CSV', () => {
  const TEAM = 'T0SPEND';
  // Columns in another order than the canonical date,amount,category,campaign,vendor,status,
  // external_id; a UTF-8 BOM before the first column (external_id: were the BOM kept, the
  // column would be "\uFEFFexternal_id" and the keys would be row hashes instead).
  const file = (search2: string) =>
    '\uFEFFexternal_id,status,vendor,campaign,category,amount,date\n' +
    's1,actual,Google,"Brand, US",Paid Media/Search,1234.56,2026-10-01\n' +
    `s2,actual,Google,"Brand, EU",Paid Media/Search,"${search2}",2026-10-02\n` +
    's3,actual,Google,"Refund, Oct",Paid Media/Search,(120.00),2026-10-03\n' +
    's4,committed,"Acme, Inc.","Summit, booth",Events,"$2,500.00",2026-10-20\n' +
    's5,actual,Meta,Retargeting,Paid Media/Social,-120,2026-10-05\n' +
    's6,Committed,Meta,Q4,Paid Media/Social,99.99,2026-10-06\n' +
    's7,actual,Meta,Prospecting,Paid Media/Social,0.01,2026-10-31\n' +
    's8,actual,Google,November,Paid Media/Search,500.00,2026-11-01\n';

  it('imports every amount form exactly, with quoted commas and committed status', async () => {
    const r = await importSpend(ctx(TEAM, file('$1,234.56')));
    expect(r).toMatchObject({ rows: 8, added: 8, updated: 0, unchanged: 0, format: 'Mo spend CSV' });
    // Search in October: 123456 + 123456 − 12000 = 234912 (s8 is November).
    // Events: 250000 committed. Social: −12000 + 1 = −11999 actual, 9999 committed; through
    // Oct 15 only s5 (−12000) counts toward the run rate, s7 (Oct 31) does not.
    expect(await octoberSums(TEAM)).toEqual([
      { category: 'Events', actual: 0n, committed: 250_000n, actualToDate: 0n },
      { category: 'Paid Media/Search', actual: 234_912n, committed: 0n, actualToDate: 234_912n },
      { category: 'Paid Media/Social', actual: -11_999n, committed: 9_999n, actualToDate: -12_000n },
    ]);
    const s4 = await t.mo.db.spend.findFirst({ where: { teamId: TEAM, idempotencyKey: 'ext:s4' } });
    expect(s4).toMatchObject({
      campaign: 'Summit, booth',
      vendor: 'Acme, Inc.',
      status: 'committed',
      amountMinor: 250_000n,
      date: '2026-10-20',
      source: 'csv',
    });
    // s6 wrote its status "Committed": stored lower-case.
    expect(
      await t.mo.db.spend.findFirst({
        where: { teamId: TEAM, idempotencyKey: 'ext:s6' },
        select: { status: true },
      }),
    ).toEqual({ status: 'committed' });
    expect(r.landing.map(({ category, rows, amountMinor }) => ({ category, rows, amountMinor }))).toEqual([
      { category: 'Events', rows: 1, amountMinor: 250_000n },
      { category: 'Paid Media/Search', rows: 4, amountMinor: 284_912n },
      { category: 'Paid Media/Social', rows: 3, amountMinor: -2_000n },
    ]);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await written(TEAM);
    expect(await importSpend(ctx(TEAM, file('$1,234.56')))).toMatchObject({
      rows: 8,
      added: 0,
      updated: 0,
      unchanged: 8,
    });
    expect(await written(TEAM)).toEqual(before);
    expect((await octoberSums(TEAM)).find((s) => s.category === 'Paid Media/Search')?.actual).toBe(234_912n);
  });

  it('a corrected row (same external_id, new amount) updates in place', async () => {
    expect(await importSpend(ctx(TEAM, file('1,334.56')))).toMatchObject({
      rows: 8,
      added: 0,
      updated: 1,
      unchanged: 7,
    });
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM } })).toBe(8);
    // Search: 123456 + 133456 − 12000 = 244912.
    expect((await octoberSums(TEAM)).find((s) => s.category === 'Paid Media/Search')).toEqual({
      category: 'Paid Media/Search',
      actual: 244_912n,
      committed: 0n,
      actualToDate: 244_912n,
    });
    // One audit event per import that changed something: the first and this one.
    const audits = await t.mo.db.auditEvent.findMany({
      where: { teamId: TEAM, action: 'spend.import' },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits.map((a) => JSON.parse(a.after ?? 'null'))).toEqual([
      { rows: 8, added: 8, updated: 0, unchanged: 0 },
      { rows: 8, added: 0, updated: 1, unchanged: 7 },
    ]);
    expect(audits.every((a) => a.actor === 'U0IMPORTER')).toBe(true);
  });

  it('keeps two identical rows without external_id as two, and re-importing them is a no-op', async () => {
    const team = 'T0TWINS';
    const twice =
      'date,amount,category,campaign,vendor\n' +
      '2026-10-07,50.00,Events,Coffee,Cafe\n' +
      '2026-10-07,50.00,Events,Coffee,Cafe\n';
    expect(await importSpend(ctx(team, twice))).toMatchObject({ added: 2, unchanged: 0 });
    expect(await importSpend(ctx(team, twice))).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    expect(await t.mo.db.spend.count({ where: { teamId: team } })).toBe(2);
    expect(await octoberSums(team)).toEqual([
      { category: 'Events', actual: 10_000n, committed: 0n, actualToDate: 10_000n },
    ]);
    // A third identical charge in a later export is a new row.
    const thrice = `${twice}2026-10-07,50.00,Events,Coffee,Cafe\n`;
    expect(await importSpend(ctx(team, thrice))).toMatchObject({ added: 1, unchanged: 2 });
    expect((await octoberSums(team))[0]?.actual).toBe(15_000n);
  });

  it('a bad row rejects the whole file, naming each bad line, and writes nothing', async () => {
    const team = 'T0BADROWS';
    const err = await rejection(
      importSpend(
        ctx(
          team,
          'date,amount,category,status,external_id\n' +
            '2026-10-01,10.00,Events,actual,b1\n' +
            '2026-13-01,10.00,Events,actual,b2\n' +
            '2026-10-02,ten,Events,actual,b3\n' +
            '2026-10-03,10.00,,actual,b4\n' +
            '2026-10-04,10.00,Events,pending,b5\n',
        ),
      ),
    );
    expect(err.totalProblems).toBe(4);
    expect(err.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(err.problems[0]?.message).toContain('date "2026-13-01"');
    expect(err.problems[1]?.message).toContain('"ten" is not an amount');
    expect(err.problems[2]?.message).toContain('is not a category');
    expect(err.problems[3]?.message).toContain('status "pending" must be actual, committed or closed');
    expect(err.message).toMatch(/^Nothing was imported: 4 problems/);
    expect(err.message).toContain('line 6: status "pending"');
    expect(await written(team)).toEqual(NOTHING);
  });

  it('rolls back batches already written when a bad row comes later in a long file', async () => {
    const team = 'T0LONG';
    // 2,100 good rows fill the first batch of 2,000, which is written before line 2,102 is read.
    const good = Array.from(
      { length: 2100 },
      (_, i) => `2026-10-${String((i % 28) + 1).padStart(2, '0')},1.00,Events,l${i}`,
    );
    const csv = `date,amount,category,external_id\n${good.join('\n')}\n2026-10-09,1.0.0,Events,bad\n`;
    const err = await rejection(importSpend(ctx(team, csv)));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.line).toBe(2102);
    expect(await written(team)).toEqual(NOTHING);
    // The same rows without the bad one go in: the rejection was the bad row's doing.
    expect(
      await importSpend(ctx(team, `date,amount,category,external_id\n${good.join('\n')}\n`)),
    ).toMatchObject({
      added: 2100,
    });
    expect((await octoberSums(team))[0]?.actual).toBe(210_000n);
  });

  it("a file large enough to set Spend's per-campaign index aside imports to the cent, or writes nothing", async () => {
    const team = 'T0LARGE';
    // Past DEFER_INDEXES.afterRows (20,000): on SQLite the index is dropped and rebuilt in the import's transaction.
    const good = Array.from(
      { length: 20_600 },
      (_, i) =>
        `2026-10-${String((i % 28) + 1).padStart(2, '0')},${(i % 500) + 1}.${String(i % 100).padStart(2, '0')},${i % 3 ? 'Events' : 'Paid Media'},c${i % 11},x${i}`,
    );
    const total = good.reduce((sum, row) => {
      const [units, cents] = (row.split(',')[1] as string).split('.');
      return sum + BigInt(units as string) * 100n + BigInt(cents as string);
    }, 0n);
    const header = 'date,amount,category,campaign,external_id\n';
    const indexes = () =>
      t.mo.db.$queryRawUnsafe<{ name: string; sql: string | null }[]>(
        t.database.provider === 'sqlite'
          ? `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = 'Spend' ORDER BY "name"`
          : `SELECT "indexname" AS "name", "indexdef" AS "sql" FROM "pg_indexes" WHERE "tablename" = 'Spend' ORDER BY "indexname"`,
      );
    // As `mo import` runs it, in a process of its own (mo serve keeps the indexes in place).
    const large = (csv: string): ImportContext => ({ ...ctx(team, csv), ownProcess: true });
    const before = await indexes();
    const err = await rejection(
      importSpend(large(`${header}${good.join('\n')}\n2026-10-09,1.0.0,Events,c1,bad\n`)),
    );
    expect(err.problems[0]?.line).toBe(20_602);
    expect(await written(team)).toEqual(NOTHING);
    expect(await indexes()).toEqual(before);

    expect(await importSpend(large(`${header}${good.join('\n')}\n`))).toMatchObject({ added: 20_600 });
    expect(await indexes()).toEqual(before);
    const sums = await octoberSums(team);
    expect(sums.reduce((sum, s) => sum + s.actual, 0n)).toBe(total);
    const [stored] = await t.mo.db.$queryRawUnsafe<{ n: bigint | number; total: bigint | string }[]>(
      t.database.provider === 'sqlite'
        ? 'SELECT COUNT(*) AS "n", SUM("amountMinor") AS "total" FROM "Spend" WHERE "teamId" = ?'
        : 'SELECT COUNT(*) AS "n", SUM("amountMinor")::text AS "total" FROM "Spend" WHERE "teamId" = $1',
      team,
    );
    expect(Number(stored?.n)).toBe(20_600);
    expect(BigInt(stored?.total ?? 0)).toBe(total);
    // Re-importing it changes nothing.
    expect(await importSpend(large(`${header}${good.join('\n')}\n`))).toMatchObject({
      unchanged: 20_600,
    });
  });

  it('rejects a header without a required column, naming the column', async () => {
    const team = 'T0HEADER';
    const err = await rejection(importSpend(ctx(team, 'date,amount,campaign,vendor\n2026-10-01,1.00,x,y\n')));
    expect(err.message).toContain('the header is missing category');
    expect(err.message).not.toContain('missing date');
    const budgets = await rejection(
      importBudgets(ctx(team, 'period,category,owner\nFY2027,Events,U123ABC\n')),
    );
    expect(budgets.message).toContain('the header is missing amount');
    expect(budgets.message).not.toContain('missing period');
    expect(await written(team)).toEqual(NOTHING);
  });

  it('rejects an empty file; a header alone imports nothing', async () => {
    const team = 'T0EMPTY';
    expect((await rejection(importSpend(ctx(team, '')))).message).toContain('the file is empty');
    expect((await rejection(importSpend(ctx(team, '\uFEFF\n\n')))).message).toContain('the file is empty');
    expect((await rejection(importBudgets(ctx(team, '')))).message).toContain('the file is empty');
    expect(await importSpend(ctx(team, 'date,amount,category\n'))).toMatchObject({
      rows: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
    });
    expect(await written(team)).toEqual(NOTHING);
  });

  it('rejects a file that repeats an external_id, naming both lines', async () => {
    const team = 'T0DUPID';
    const err = await rejection(
      importSpend(
        ctx(
          team,
          'date,amount,category,external_id\n' +
            '2026-10-01,10.00,Events,x1\n' +
            '2026-10-02,20.00,Events,x2\n' +
            '2026-10-03,30.00,Events,x1\n',
        ),
      ),
    );
    expect(err.problems).toEqual([{ line: 4, message: 'repeats the row on line 2 (same external_id x1)' }]);
    expect(await written(team)).toEqual(NOTHING);
  });
});

describe('budgets CSV', () => {
  const TEAM = 'T0BUDGET';
  // Fiscal years start in February: FY2027 = Feb 1, 2026 – Jan 31, 2027; Q3 = Aug – Oct 2026.
  const FSM = 2;
  const file = (q3Amount: string, novOwner: string, q3Period = 'FY2027-Q3') =>
    'owner,amount,category,period\n' +
    'U123ABC,"$120,000.00",Paid Media/Search,FY2027\n' +
    `,${q3Amount},Paid Media/Search,${q3Period}\n` +
    `${novOwner},"10,000.50",Events,2026-11\n`;

  const lines = () =>
    t.mo.db.budgetLine.findMany({
      where: { teamId: TEAM },
      orderBy: [{ periodStart: 'asc' }, { category: 'asc' }],
      select: {
        period: true,
        periodStart: true,
        periodEnd: true,
        category: true,
        plannedMinor: true,
        ownerUserId: true,
      },
    });
  const budgetAudits = () =>
    t.mo.db.auditEvent.findMany({
      where: { teamId: TEAM, entity: 'budget_line' },
      orderBy: { createdAt: 'asc' },
    });
  const parsed = (s: string | null) => (s === null ? null : JSON.parse(s));

  beforeAll(async () => {
    await t.mo.workspaces.update(TEAM, { fiscalStartMonth: FSM }, 'U0ADMIN');
  });

  it('imports year, quarter and month lines with their fiscal dates and owners, audited', async () => {
    expect(await importBudgets(ctx(TEAM, file('30000', 'U123ABC'), FSM))).toEqual({
      rows: 3,
      added: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await lines()).toEqual([
      {
        period: 'FY2027',
        periodStart: '2026-02-01',
        periodEnd: '2027-01-31',
        category: 'Paid Media/Search',
        plannedMinor: 12_000_000n,
        ownerUserId: 'U123ABC',
      },
      {
        period: 'FY2027-Q3',
        periodStart: '2026-08-01',
        periodEnd: '2026-10-31',
        category: 'Paid Media/Search',
        plannedMinor: 3_000_000n,
        ownerUserId: null,
      },
      {
        period: '2026-11',
        periodStart: '2026-11-01',
        periodEnd: '2026-11-30',
        category: 'Events',
        plannedMinor: 1_000_050n,
        ownerUserId: 'U123ABC',
      },
    ]);
    const audits = await budgetAudits();
    expect(audits.map((a) => [a.action, a.actor, parsed(a.before)])).toEqual([
      ['budget.create', 'U0IMPORTER', null],
      ['budget.create', 'U0IMPORTER', null],
      ['budget.create', 'U0IMPORTER', null],
    ]);
    expect(audits.map((a) => parsed(a.after)).sort((a, b) => a.period.localeCompare(b.period))).toEqual([
      {
        period: '2026-11',
        category: 'Events',
        plannedMinor: '1000050',
        ownerUserId: 'U123ABC',
        phasing: null,
      },
      {
        period: 'FY2027',
        category: 'Paid Media/Search',
        plannedMinor: '12000000',
        ownerUserId: 'U123ABC',
        phasing: null,
      },
      {
        period: 'FY2027-Q3',
        category: 'Paid Media/Search',
        plannedMinor: '3000000',
        ownerUserId: null,
        phasing: null,
      },
    ]);
  });

  it('re-importing is unchanged (a period spelled fy2027-q3 is the same line) and audits nothing', async () => {
    const before = await lines();
    expect(await importBudgets(ctx(TEAM, file('30000', 'U123ABC', 'fy2027-q3'), FSM))).toEqual({
      rows: 3,
      added: 0,
      updated: 0,
      unchanged: 3,
    });
    expect(await lines()).toEqual(before);
    expect(await budgetAudits()).toHaveLength(3);
  });

  it('a changed amount or owner updates the line and audits it from what to what', async () => {
    expect(await importBudgets(ctx(TEAM, file('35000.25', ''), FSM))).toEqual({
      rows: 3,
      added: 0,
      updated: 2,
      unchanged: 1,
    });
    const [, q3, nov] = await lines();
    expect(q3).toMatchObject({ period: 'FY2027-Q3', plannedMinor: 3_500_025n, ownerUserId: null });
    expect(nov).toMatchObject({ period: '2026-11', plannedMinor: 1_000_050n, ownerUserId: null });
    const updates = (await budgetAudits()).filter((a) => a.action === 'budget.update');
    const byPeriod = Object.fromEntries(
      updates.map((a) => [parsed(a.after).period, { before: parsed(a.before), after: parsed(a.after) }]),
    );
    expect(byPeriod).toEqual({
      'FY2027-Q3': {
        before: {
          period: 'FY2027-Q3',
          category: 'Paid Media/Search',
          plannedMinor: '3000000',
          ownerUserId: null,
          phasing: null,
        },
        after: {
          period: 'FY2027-Q3',
          category: 'Paid Media/Search',
          plannedMinor: '3500025',
          ownerUserId: null,
          phasing: null,
        },
      },
      '2026-11': {
        before: {
          period: '2026-11',
          category: 'Events',
          plannedMinor: '1000050',
          ownerUserId: 'U123ABC',
          phasing: null,
        },
        after: {
          period: '2026-11',
          category: 'Events',
          plannedMinor: '1000050',
          ownerUserId: null,
          phasing: null,
        },
      },
    });
    const q3Line = await t.mo.db.budgetLine.findUniqueOrThrow({
      where: { teamId_period_category: { teamId: TEAM, period: 'FY2027-Q3', category: 'Paid Media/Search' } },
    });
    expect(updates.find((a) => parsed(a.after).period === 'FY2027-Q3')?.entityId).toBe(q3Line.id);
  });

  it('rejects negative amounts, relative periods and bad owners, writing nothing', async () => {
    const before = { lines: await lines(), audits: (await budgetAudits()).length };
    const err = await rejection(
      importBudgets(
        ctx(
          TEAM,
          'period,category,amount,owner\n' +
            '2026-12,Events,100.00,\n' +
            'FY2027,Events,-5.00,\n' +
            'this-quarter,Events,10.00,\n' +
            'FY2028,Events,(5.00),\n' +
            'FY2027-Q4,Events,5.00,dana\n',
          FSM,
        ),
      ),
    );
    expect(err.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(err.problems[0]?.message).toContain('is negative');
    expect(err.problems[1]?.message).toContain(
      'period "this-quarter" must be like FY2027, FY2027-Q3 or 2026-11',
    );
    expect(err.problems[2]?.message).toContain('is negative');
    expect(err.problems[3]?.message).toContain('owner "dana"');
    expect({ lines: await lines(), audits: (await budgetAudits()).length }).toEqual(before);
  });

  it('phases a line by the weights in its phasing column, and rejects weights that do not fit', async () => {
    const PHASED = 'T0PHASED';
    await t.mo.workspaces.update(PHASED, { fiscalStartMonth: FSM }, 'U0ADMIN');
    const bad = await rejection(
      importBudgets(
        ctx(
          PHASED,
          'period,category,amount,phasing\n' +
            'FY2027-Q3,Events,100.00,40;60\n' +
            'FY2027-Q4,Events,100.00,40;x;20\n' +
            '2026-11,Events,100.00,\n',
          FSM,
        ),
      ),
    );
    expect(bad.problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringContaining('has 2 weights; the period has 3 months')],
      [3, expect.stringContaining('"x" must be a number')],
    ]);
    expect(await t.mo.db.budgetLine.count({ where: { teamId: PHASED } })).toBe(0);
    const csv =
      'period,category,amount,phasing\nFY2027-Q3,Events,"1,000.01",40;30;30\nFY2027-Q4,Events,920.00,\n';
    expect(await importBudgets(ctx(PHASED, csv, FSM))).toMatchObject({ added: 2 });
    expect(await importBudgets(ctx(PHASED, csv, FSM))).toMatchObject({ unchanged: 2 });
    const settings = await t.mo.workspaces.ensure(PHASED);
    const month = async (period: string) =>
      (await budgetReport(t.mo.forTeam(settings.teamId), settings, { period, today: '2026-07-01' })).total
        .planned;
    // 100,001 × 40 % = 40,000.4 → 40,001 (the unit left over); 30,000.3 → 30,000 twice.
    // Q4 by days: 92,000 × 30/92, 31/92, 31/92 = 30,000, 31,000, 31,000.
    expect(
      await Promise.all(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01'].map(month)),
    ).toEqual([40_001n, 30_000n, 30_000n, 30_000n, 31_000n, 31_000n]);
    expect(await month('FY2027-Q3')).toBe(100_001n);
    const changed = 'period,category,amount,phasing\nFY2027-Q3,Events,"1,000.01",1;1;1\n';
    expect(await importBudgets(ctx(PHASED, changed, FSM))).toMatchObject({ updated: 1 });
    expect(await month('2026-08')).toBe(33_334n);
  });

  it('files a category under the spelling the workspace already uses, case-insensitively', async () => {
    expect(
      await importBudgets(
        ctx(
          TEAM,
          'period,category,amount,owner\n' +
            'FY2027-Q3,paid media/search,35000.25,\n' +
            '2026-12,PAID MEDIA/SEARCH,1000,\n' +
            '2026-12,paid media/Display,500,\n' +
            '2026-12,events,200,\n',
          FSM,
        ),
      ),
    ).toEqual({ rows: 4, added: 3, updated: 0, unchanged: 1 });
    const december = await t.mo.db.budgetLine.findMany({
      where: { teamId: TEAM, period: '2026-12' },
      orderBy: { category: 'asc' },
      select: { category: true, plannedMinor: true },
    });
    expect(december).toEqual([
      { category: 'Events', plannedMinor: 20_000n },
      { category: 'Paid Media/Display', plannedMinor: 50_000n },
      { category: 'Paid Media/Search', plannedMinor: 100_000n },
    ]);
    // Spend is filed the same way.
    expect(
      await importSpend(
        ctx(TEAM, 'date,amount,category\n2026-10-02,12.34,paid media/search\n2026-10-03,1.00,EVENTS\n', FSM),
      ),
    ).toMatchObject({ added: 2 });
    expect((await octoberSums(TEAM)).map((s) => [s.category, s.actual])).toEqual([
      ['Events', 100n],
      ['Paid Media/Search', 1_234n],
    ]);
  });
});
