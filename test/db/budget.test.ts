// /mo budget's math end to end: budget lines and spend written through the repositories on a
// real database, read back by budgetReport (SQL sums + src/domain). Every figure is exact
// minor units, worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendStatus } from '../../src/db/spend.js';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { type BudgetReport, type BudgetRow, generalLabel } from '../../src/domain/budget.js';
import { calendarMonth, fiscalQuarter, fiscalYear, type Period } from '../../src/domain/calendar.js';
import { CategoryError } from '../../src/domain/category.js';
import { budgetReport } from '../../src/services/budget.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0BUDGETMATH';
const FSM = 2; // fiscal years start in February: FY2027 = Feb 1, 2026 – Jan 31, 2027
// Oct 31, 2026, 22:00 in Los Angeles (PDT, UTC−7): the last evening of FY2027 Q3 there, but
// already Nov 1 (Q4) in UTC.
const OCT_31_EVENING_LA = '2026-11-01T05:00:00Z';

let t: TestDatabase;
let settings: WorkspaceSettings;
let key = 0;

const plan = (period: Period, category: string, plannedMinor: bigint) =>
  t.mo.budgets.set({ teamId: TEAM, period, category, plannedMinor }, 'U0PLANNER');
const spend = (date: string, amountMinor: bigint, category: string, status: SpendStatus = 'actual') =>
  t.mo.spend.add(
    {
      teamId: TEAM,
      date,
      amountMinor,
      status,
      category,
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: `manual:${++key}`,
    },
    'U0PLANNER',
  );

const report = (query: Parameters<typeof budgetReport>[2] = {}) => budgetReport(t.mo, settings, query);
const rowOf = (r: BudgetReport, category: string): BudgetRow => {
  const found = r.rows.find((x) => x.category === category);
  if (!found) throw new Error(`no row "${category}" among ${r.rows.map((x) => x.category).join(', ')}`);
  return found;
};
const categories = (r: BudgetReport) => r.rows.map((x) => x.category).sort();

beforeAll(async () => {
  t = await createTestDatabase(OCT_31_EVENING_LA);
  settings = await t.mo.workspaces.update(
    TEAM,
    { fiscalStartMonth: FSM, timezone: 'America/Los_Angeles' },
    'U0ADMIN',
  );

  const fy27 = fiscalYear(2027, FSM); // Feb 1, 2026 – Jan 31, 2027: 365 days
  const q2 = fiscalQuarter(2027, 2, FSM); // May 1 – Jul 31, 2026
  const q3 = fiscalQuarter(2027, 3, FSM); // Aug 1 – Oct 31, 2026: 92 days
  const q4 = fiscalQuarter(2027, 4, FSM); // Nov 1, 2026 – Jan 31, 2027: 92 days
  const fy28q1 = fiscalQuarter(2028, 1, FSM); // Feb 1 – Apr 30, 2027: outside FY2027

  await plan(fy27, 'Paid Media/Search', 2_000_000n); // a year-level line
  await plan(q3, 'Paid Media/Search', 6_000_000n);
  await plan(calendarMonth(2026, 9), 'Paid Media/Search', 1_000_000n); // a month inside Q3
  await plan(q4, 'Paid Media/Search', 7_000_000n);
  await plan(q3, 'Paid Media', 500_000n); // the parent's own plan: "Paid Media (general)"
  await plan(q3, 'Paid Media/Social', 0n); // a zero plan
  await plan(q3, 'Events', 3_000_000n); // a plan with no spend
  await plan(q2, 'Content', 400_000n);
  await plan(fy28q1, 'Events', 9_999n);

  await spend('2026-08-01', 2_500_000n, 'Paid Media/Search'); // first day of Q3
  await spend('2026-09-15', 3_200_000n, 'Paid Media/Search');
  await spend('2026-10-10', -300_000n, 'Paid Media/Search'); // a refund
  await spend('2026-10-31', 400_000n, 'Paid Media/Search', 'committed'); // last day of Q3
  await spend('2026-11-01', 123_400n, 'Paid Media/Search'); // first day of Q4
  await spend('2026-09-01', 150_000n, 'Paid Media/Social');
  await spend('2026-10-20', -20_000n, 'Paid Media/Social'); // a refund
  await spend('2026-09-05', 75_000n, 'Paid Media');
  await spend('2026-08-20', 210_000n, 'Webinars'); // spend with no plan at all
  await spend('2026-07-31', 100_000n, 'Content'); // last day of Q2
});
afterAll(() => t.close());

describe('the quarter in Los Angeles', () => {
  it('is still FY2027-Q3 at 22:00 on Oct 31 there (05:00 UTC on Nov 1), with every day elapsed', async () => {
    const r = await report();
    expect(r.today).toBe('2026-10-31');
    expect(r.period).toMatchObject({
      key: 'FY2027-Q3',
      start: '2026-08-01',
      end: '2026-10-31',
      label: 'FY2027 Q3 (Aug 1 – Oct 31, 2026)',
    });
    expect([r.elapsedDays, r.periodDays]).toEqual([92, 92]);
  });

  it('turns to Q4 at midnight Los Angeles time, not UTC', async () => {
    try {
      t.setNow('2026-11-01T06:59:59Z'); // 23:59:59 PDT on Oct 31
      expect((await report()).period.key).toBe('FY2027-Q3');
      t.setNow('2026-11-01T07:00:00Z'); // 00:00 PDT on Nov 1
      expect((await report()).period.key).toBe('FY2027-Q4');
      t.setNow('2026-11-01T08:00:00Z'); // 01:00 PDT on Nov 1
      const r = await report();
      expect(r.today).toBe('2026-11-01');
      expect(r.period).toMatchObject({ key: 'FY2027-Q4', start: '2026-11-01', end: '2027-01-31' });
      expect([r.elapsedDays, r.periodDays]).toEqual([1, 92]);
      // Only Search has Q4 figures: plan 7,000,000 (the Q4 line; the FY line is not a
      // quarter's); actual 123,400 on day 1 of 92, run rate 123,400 × 92 ÷ 1 = 11,352,800.
      // Variance (11,352,800 − 7,000,000) ÷ 7,000,000 = 62.1828… % → 62.18, over.
      expect(r.rows).toHaveLength(1);
      expect(r.total).toMatchObject({
        planned: 7_000_000n,
        actual: 123_400n,
        committed: 0n,
        available: 6_876_600n,
        forecast: 11_352_800n,
        variancePct: 62.18,
        status: 'over',
      });
    } finally {
      t.setNow(OCT_31_EVENING_LA);
    }
  });
});

describe('a quarter that is over (FY2027-Q3, Oct 31 in Los Angeles)', () => {
  // With every day elapsed the run rate is actual to date = actual, so a leaf's forecast is
  // actual + committed (the larger of the two).
  //   Search:  plan 6,000,000 (Q3) + 1,000,000 (Sep) = 7,000,000 — the FY line is not in it;
  //            actual 2,500,000 + 3,200,000 − 300,000 = 5,400,000 (Nov 1 is Q4);
  //            committed 400,000; forecast 5,800,000; available 1,200,000;
  //            variance −1,200,000 ÷ 7,000,000 = −17.1428… % → −17.14; beyond 10 %: under.
  //   Social:  plan 0; actual 150,000 − 20,000 = 130,000; no plan.
  //   Paid Media (general): plan 500,000; actual 75,000; variance −85 %; under.
  //   Paid Media: plan 7,500,000; actual 5,605,000; committed 400,000; forecast 6,005,000;
  //            available 7,500,000 − 5,605,000 − 400,000 = 1,495,000;
  //            variance −1,495,000 ÷ 7,500,000 = −19.933… % → −19.93.
  //   Events:  plan 3,000,000, nothing spent: forecast 0, −100 %.
  //   Webinars: no plan, actual 210,000.
  //   Content: its Q2 line and Jul 31 spend are outside Q3: no row.
  //   Total:   plan 10,500,000; actual 5,815,000; committed 400,000; forecast 6,215,000;
  //            available 4,285,000; variance −4,285,000 ÷ 10,500,000 = −40.8095… % → −40.81.
  it('rolls leaves up to their top category, with refunds, committed spend, zero and missing plans', async () => {
    const r = await report({ period: 'this-quarter' });
    expect(r.focus).toBeNull();
    expect(categories(r)).toEqual(['Events', 'Paid Media', 'Webinars']);
    expect(rowOf(r, 'Paid Media')).toEqual({
      category: 'Paid Media',
      hasChildren: true,
      planned: 7_500_000n,
      actual: 5_605_000n,
      committed: 400_000n,
      available: 1_495_000n,
      forecast: 6_005_000n,
      variancePct: -19.93,
      status: 'under',
    });
    expect(rowOf(r, 'Events')).toEqual({
      category: 'Events',
      hasChildren: false,
      planned: 3_000_000n,
      actual: 0n,
      committed: 0n,
      available: 3_000_000n,
      forecast: 0n,
      variancePct: -100,
      status: 'under',
    });
    expect(rowOf(r, 'Webinars')).toEqual({
      category: 'Webinars',
      hasChildren: false,
      planned: 0n,
      actual: 210_000n,
      committed: 0n,
      available: -210_000n,
      forecast: 210_000n,
      variancePct: null,
      status: 'no plan',
    });
    expect(r.total).toEqual({
      category: 'TOTAL',
      hasChildren: false,
      planned: 10_500_000n,
      actual: 5_815_000n,
      committed: 400_000n,
      available: 4_285_000n,
      forecast: 6_215_000n,
      variancePct: -40.81,
      status: 'under',
    });
  });

  it('drills into Paid Media: its own figures as "(general)", each sub-category, a zero plan as no plan', async () => {
    const r = await report({ category: 'paid media' });
    expect(r.focus).toBe('Paid Media');
    expect(categories(r)).toEqual([generalLabel('Paid Media'), 'Paid Media/Search', 'Paid Media/Social']);
    expect(rowOf(r, 'Paid Media (general)')).toMatchObject({
      planned: 500_000n,
      actual: 75_000n,
      forecast: 75_000n,
      available: 425_000n,
      variancePct: -85,
      status: 'under',
    });
    expect(rowOf(r, 'Paid Media/Search')).toEqual({
      category: 'Paid Media/Search',
      hasChildren: false,
      planned: 7_000_000n,
      actual: 5_400_000n,
      committed: 400_000n,
      available: 1_200_000n,
      forecast: 5_800_000n,
      variancePct: -17.14,
      status: 'under',
    });
    expect(rowOf(r, 'Paid Media/Social')).toEqual({
      category: 'Paid Media/Social',
      hasChildren: false,
      planned: 0n,
      actual: 130_000n,
      committed: 0n,
      available: -130_000n,
      forecast: 130_000n,
      variancePct: null,
      status: 'no plan',
    });
    // The drill-down's total is the Paid Media row of the overview.
    expect(r.total).toMatchObject({
      planned: 7_500_000n,
      actual: 5_605_000n,
      committed: 400_000n,
      forecast: 6_005_000n,
    });
  });

  it('drills into Paid Media/Search alone, however it is typed', async () => {
    const r = await report({ category: 'PAID MEDIA / search' });
    expect(r.focus).toBe('Paid Media/Search');
    expect(categories(r)).toEqual(['Paid Media/Search']);
    expect(r.total).toMatchObject({
      planned: 7_000_000n,
      actual: 5_400_000n,
      committed: 400_000n,
      forecast: 5_800_000n,
      variancePct: -17.14,
    });
  });

  it('accepts a known category with nothing in the period, and refuses an unknown one', async () => {
    // Content has a Q2 plan and Q2 spend only.
    const content = await report({ category: 'content' });
    expect(content.focus).toBe('Content');
    expect(content.rows).toEqual([]);
    expect(content.total).toMatchObject({ planned: 0n, actual: 0n, forecast: 0n, status: 'no plan' });
    await expect(report({ category: 'Radio' })).rejects.toBeInstanceOf(CategoryError);
    const err = await report({ category: 'Paid Media/Radio' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CategoryError);
    expect((err as Error).message).toContain('No category "Paid Media/Radio"');
    expect((err as Error).message).toContain('Paid Media/Search');
  });
});

describe('the run rate mid-quarter', () => {
  // Noon on Sep 14, 2026 in Los Angeles: Q3 day 45 of 92 (Aug 31 days + 14). Actual counts the
  // whole quarter (dated-ahead rows too); only actual dated through Sep 14 feeds the run rate,
  // actual to date × 92 ÷ 45, rounded half away from zero:
  //   Search:  to date 2,500,000 (Aug 1) → 5,111,111.1 → 5,111,111; booked 5,400,000 + 400,000
  //            = 5,800,000 is larger, so the forecast is 5,800,000.
  //   Social:  to date 150,000 → 306,666.7 → 306,667 (booked only 130,000).
  //   General: to date 75,000 → 153,333.3 → 153,333.
  //   Webinars: to date 210,000 → 429,333.3 → 429,333.
  //   Paid Media: 5,800,000 + 306,667 + 153,333 = 6,260,000; total 6,260,000 + 429,333 = 6,689,333.
  //   Paid Media variance (6,260,000 − 7,500,000) ÷ 7,500,000 = −16.5333… % → −16.53, under.
  it('forecasts each leaf from its actual to date, or what is booked when that is more', async () => {
    try {
      t.setNow('2026-09-14T19:00:00Z');
      const r = await report();
      expect(r.today).toBe('2026-09-14');
      expect([r.period.key, r.elapsedDays, r.periodDays]).toEqual(['FY2027-Q3', 45, 92]);
      expect(rowOf(r, 'Paid Media')).toMatchObject({
        actual: 5_605_000n,
        forecast: 6_260_000n,
        variancePct: -16.53,
        status: 'under',
      });
      expect(rowOf(r, 'Webinars').forecast).toBe(429_333n);
      expect(r.total.forecast).toBe(6_689_333n);
      const drill = await report({ category: 'Paid Media' });
      expect(drill.rows.map((x) => [x.category, x.forecast]).sort()).toEqual([
        ['Paid Media (general)', 153_333n],
        ['Paid Media/Search', 5_800_000n],
        ['Paid Media/Social', 306_667n],
      ]);
    } finally {
      t.setNow(OCT_31_EVENING_LA);
    }
  });
});

describe('periods made of lines', () => {
  it("a fiscal year's plan is its own line plus the quarter and month lines inside it", async () => {
    // Search in FY2027: 2,000,000 (FY) + 6,000,000 (Q3) + 1,000,000 (Sep) + 7,000,000 (Q4)
    // = 16,000,000. Actual 5,400,000 + 123,400 (Nov 1) = 5,523,400; committed 400,000.
    // Today Oct 31 is day 273 of 365 (Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 +
    // Aug 31 + Sep 30 + Oct 31); actual to date 5,400,000 → 5,400,000 × 365 ÷ 273
    // = 7,219,780.2 → 7,219,780 (more than booked 5,923,400). Variance
    // (7,219,780 − 16,000,000) ÷ 16,000,000 = −54.876… % → −54.88.
    const r = await report({ period: 'FY2027', category: 'Paid Media/Search' });
    expect(r.period).toMatchObject({ key: 'FY2027', start: '2026-02-01', end: '2027-01-31' });
    expect([r.elapsedDays, r.periodDays]).toEqual([273, 365]);
    expect(r.total).toMatchObject({
      planned: 16_000_000n,
      actual: 5_523_400n,
      committed: 400_000n,
      available: 10_076_600n,
      forecast: 7_219_780n,
      variancePct: -54.88,
      status: 'under',
    });
    // Events' FY2028-Q1 line (Feb 2027) is not in FY2027; Content's Q2 line is.
    const year = await report({ period: 'FY2027' });
    expect(rowOf(year, 'Events').planned).toBe(3_000_000n);
    expect(rowOf(year, 'Content')).toMatchObject({ planned: 400_000n, actual: 100_000n });
  });

  it("a quarter's plan leaves out the year line, and a month's leaves out the quarter line", async () => {
    const q3 = await report({ period: 'FY2027-Q3', category: 'Paid Media/Search' });
    expect(q3.total.planned).toBe(7_000_000n);
    // September: the Sep line only (1,000,000); actual Search 3,200,000, Social 150,000, Paid
    // Media (general) 75,000; the month is over, so forecast = actual.
    const sep = await report({ period: '2026-09', category: 'Paid Media' });
    expect(sep.period).toMatchObject({ key: '2026-09', start: '2026-09-01', end: '2026-09-30' });
    expect(sep.rows.map((x) => [x.category, x.planned, x.actual, x.forecast]).sort()).toEqual([
      ['Paid Media (general)', 0n, 75_000n, 75_000n],
      ['Paid Media/Search', 1_000_000n, 3_200_000n, 3_200_000n],
      ['Paid Media/Social', 0n, 150_000n, 150_000n],
    ]);
  });
});
