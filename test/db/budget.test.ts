// /mo budget's math end to end: budget lines and spend written through the repositories on a
// real database, read back by budgetReport (SQL sums + src/domain). Every figure is exact
// minor units, worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendStatus } from '../../src/db/spend.js';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { type BudgetReport, type BudgetRow, generalLabel } from '../../src/domain/budget.js';
import {
  calendarMonth,
  fiscalQuarter,
  fiscalYear,
  monthsBetween,
  monthsOfPeriod,
  type Period,
} from '../../src/domain/calendar.js';
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

const report = (query: Parameters<typeof budgetReport>[2] = {}) =>
  budgetReport(t.mo.forTeam(settings.teamId), settings, query);
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

// Every plan line is phased over its calendar months by days (largest remainder, exact):
//   FY2027 Search 2,000,000 over 365 days: Feb 153,425; Apr, Jun 164,384; Sep, Nov 164,383;
//     the 31-day months 169,863 (the 3 units left went to Feb, then Apr and Jun).
//   Q3 Search 6,000,000: Aug 2,021,739, Sep 1,956,522, Oct 2,021,739.
//   Q4 Search 7,000,000: Nov 2,282,609, Dec 2,358,696, Jan 2,358,695.
//   Q3 Paid Media 500,000: Aug 168,478, Sep 163,044, Oct 168,478.
//   Q3 Events 3,000,000: Aug 1,010,870, Sep 978,261, Oct 1,010,869.
// A month's forecast: ended, actual + committed; current, max(actual + committed, actual ×
// days in month ÷ days elapsed); not started, max(planned, committed). Actual counts only
// what is dated on or before today.
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
    expect([r.elapsedDays, r.periodDays, r.state]).toEqual([92, 92, 'current']);
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
      // Only Search has Q4 figures: plan 7,000,000 (Q4) + 164,383 + 169,863 + 169,863 (the
      // FY line's Nov, Dec, Jan) = 7,504,109. November is day 1 of 30: 123,400 × 30 =
      // 3,702,000; Dec and Jan not started: their plans 2,528,559 and 2,528,558. Forecast
      // 8,759,117; variance 1,255,008 ÷ 7,504,109 = 16.724… % → 16.72, over.
      expect(r.rows).toHaveLength(1);
      expect(r.total).toMatchObject({
        planned: 7_504_109n,
        actual: 123_400n,
        committed: 0n,
        available: 7_380_709n,
        forecast: 8_759_117n,
        variancePct: 16.72,
        status: 'over',
      });
    } finally {
      t.setNow(OCT_31_EVENING_LA);
    }
  });
});

describe('the last day of FY2027-Q3 (Oct 31 in Los Angeles)', () => {
  // Aug and Sep have ended and Oct 31 is the last of October's 31 days, so every month's
  // forecast is actual + committed.
  //   Search:  plan 6,000,000 (Q3) + 1,000,000 (Sep) + 504,109 (the FY line's Aug–Oct)
  //            = 7,504,109; actual 2,500,000 + 3,200,000 − 300,000 = 5,400,000 (Nov 1 is Q4);
  //            committed 400,000; forecast 5,800,000; available 1,704,109;
  //            variance −1,704,109 ÷ 7,504,109 = −22.709… % → −22.71; under.
  //   Social:  plan 0; actual 150,000 − 20,000 = 130,000; no plan.
  //   Paid Media (general): plan 500,000; actual 75,000; −85 %; under.
  //   Paid Media: plan 8,004,109; actual 5,605,000; committed 400,000; forecast 6,005,000;
  //            available 1,999,109; variance −24.975… % → −24.98.
  //   Events:  plan 3,000,000, nothing spent: forecast 0, −100 %.
  //   Webinars: no plan, actual 210,000.
  //   Content: its Q2 line and Jul 31 spend are outside Q3: no row.
  //   Total:   plan 11,004,109; actual 5,815,000; committed 400,000; forecast 6,215,000;
  //            available 4,789,109; variance −43.520… % → −43.52.
  it('rolls leaves up to their top category, with refunds, committed spend, zero and missing plans', async () => {
    const r = await report({ period: 'this-quarter' });
    expect(r.focus).toBeNull();
    expect(categories(r)).toEqual(['Events', 'Paid Media', 'Webinars']);
    expect(rowOf(r, 'Paid Media')).toEqual({
      category: 'Paid Media',
      hasChildren: true,
      planned: 8_004_109n,
      actual: 5_605_000n,
      committed: 400_000n,
      available: 1_999_109n,
      forecast: 6_005_000n,
      estimate: null,
      variancePct: -24.98,
      status: 'under',
      statusLabel: 'under',
    });
    expect(rowOf(r, 'Events')).toMatchObject({
      planned: 3_000_000n,
      actual: 0n,
      committed: 0n,
      available: 3_000_000n,
      forecast: 0n,
      variancePct: -100,
      status: 'under',
    });
    expect(rowOf(r, 'Webinars')).toMatchObject({
      planned: 0n,
      actual: 210_000n,
      available: -210_000n,
      forecast: 210_000n,
      variancePct: null,
      status: 'no plan',
    });
    expect(r.total).toMatchObject({
      category: 'TOTAL',
      planned: 11_004_109n,
      actual: 5_815_000n,
      committed: 400_000n,
      available: 4_789_109n,
      forecast: 6_215_000n,
      variancePct: -43.52,
      status: 'under',
    });
  });

  it('says "closed: under by 44 %" once the quarter has ended', async () => {
    try {
      t.setNow('2026-11-02T19:00:00Z');
      const r = await report({ period: 'FY2027-Q3' });
      expect(r.state).toBe('closed');
      // Nov 1's 123,400 is Q4: the Q3 figures do not move.
      expect(r.total).toMatchObject({ forecast: 6_215_000n, status: 'closed under', variancePct: -43.52 });
      expect(r.total.statusLabel).toBe('closed: under by 44 %');
      // Search in September: 3,200,000 on 3,120,905 planned (1,956,522 + 1,000,000 + 164,383)
      // = +2.53 %: closed: over by 3 %.
      const sep = await report({ period: '2026-09', category: 'Paid Media/Search' });
      expect([sep.total.planned, sep.total.statusLabel]).toEqual([3_120_905n, 'closed: over by 3 %']);
      const ahead = await report({ period: 'FY2028-Q1' });
      expect(ahead.total).toMatchObject({ planned: 9_999n, forecast: 9_999n, status: 'not started' });
      expect(ahead.total.variancePct).toBeNull();
    } finally {
      t.setNow(OCT_31_EVENING_LA);
    }
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
    expect(rowOf(r, 'Paid Media/Search')).toMatchObject({
      hasChildren: false,
      planned: 7_504_109n,
      actual: 5_400_000n,
      committed: 400_000n,
      available: 1_704_109n,
      forecast: 5_800_000n,
      variancePct: -22.71,
      status: 'under',
    });
    expect(rowOf(r, 'Paid Media/Social')).toMatchObject({
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
      planned: 8_004_109n,
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
      planned: 7_504_109n,
      actual: 5_400_000n,
      committed: 400_000n,
      forecast: 5_800_000n,
      variancePct: -22.71,
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

describe('mid-quarter, as of Sep 14', () => {
  // Noon on Sep 14, 2026 in Los Angeles: day 14 of September's 30. Only what is dated on or
  // before Sep 14 is actual; the Oct 31 commitment is committed in October.
  //   Search:  Aug ended 2,500,000; Sep nothing yet, 0; Oct not started: max(plan 2,191,602,
  //            committed 400,000) = 2,191,602. Forecast 4,691,602.
  //   Social:  Sep 150,000 × 30 ÷ 14 = 321,428.57 → 321,429.
  //   General: Aug 0; Sep 75,000 × 30 ÷ 14 = 160,714.29 → 160,714; Oct plan 168,478 → 329,192.
  //   Paid Media: 4,691,602 + 321,429 + 329,192 = 5,342,223 on 8,004,109: −33.26 %.
  //   Events:  Aug and Sep nothing; Oct's plan 1,010,869. Webinars: Aug ended, 210,000.
  it('forecasts month by month and counts only what is dated on or before today', async () => {
    try {
      t.setNow('2026-09-14T19:00:00Z');
      const r = await report();
      expect(r.today).toBe('2026-09-14');
      expect([r.period.key, r.elapsedDays, r.periodDays]).toEqual(['FY2027-Q3', 45, 92]);
      expect(rowOf(r, 'Paid Media')).toMatchObject({
        actual: 2_725_000n,
        committed: 400_000n,
        forecast: 5_342_223n,
        variancePct: -33.26,
        status: 'under',
      });
      expect(rowOf(r, 'Events').forecast).toBe(1_010_869n);
      expect(rowOf(r, 'Webinars').forecast).toBe(210_000n);
      expect(r.total.forecast).toBe(6_563_092n);
      const drill = await report({ category: 'Paid Media' });
      expect(drill.rows.map((x) => [x.category, x.actual, x.forecast]).sort()).toEqual([
        ['Paid Media (general)', 75_000n, 329_192n],
        ['Paid Media/Search', 2_500_000n, 4_691_602n],
        ['Paid Media/Social', 150_000n, 321_429n],
      ]);
      // The same view asked for on Oct 31 "as of Sep 14" is the same figures.
      t.setNow(OCT_31_EVENING_LA);
      const asOf = await report({ today: '2026-09-14' });
      expect(asOf.rows).toEqual(r.rows);
      expect(asOf.total).toEqual(r.total);
    } finally {
      t.setNow(OCT_31_EVENING_LA);
    }
  });
});

describe('periods made of months', () => {
  it("a fiscal year's plan is its lines phased over its months", async () => {
    // Search in FY2027: 2,000,000 (FY) + 6,000,000 (Q3) + 1,000,000 (Sep) + 7,000,000 (Q4)
    // = 16,000,000. Actual 5,400,000 (Nov 1 is after today); committed 400,000. Forecast:
    // Feb–Oct actual + committed 5,800,000; Nov–Jan their plans 164,383 + 2,282,609,
    // 169,863 + 2,358,696, 169,863 + 2,358,695 = 7,504,109; 13,304,109 in all.
    // Variance −2,695,891 ÷ 16,000,000 = −16.849… % → −16.85.
    const r = await report({ period: 'FY2027', category: 'Paid Media/Search' });
    expect(r.period).toMatchObject({ key: 'FY2027', start: '2026-02-01', end: '2027-01-31' });
    expect([r.elapsedDays, r.periodDays]).toEqual([273, 365]);
    expect(r.total).toMatchObject({
      planned: 16_000_000n,
      actual: 5_400_000n,
      committed: 400_000n,
      available: 10_200_000n,
      forecast: 13_304_109n,
      variancePct: -16.85,
      status: 'under',
    });
    // Events' FY2028-Q1 line (Feb 2027) is not in FY2027; Content's Q2 line is.
    const year = await report({ period: 'FY2027' });
    expect(rowOf(year, 'Events').planned).toBe(3_000_000n);
    expect(rowOf(year, 'Content')).toMatchObject({ planned: 400_000n, actual: 100_000n });
  });

  it('a quarter and a month take their share of every line that covers them', async () => {
    const q3 = await report({ period: 'FY2027-Q3', category: 'Paid Media/Search' });
    expect(q3.total.planned).toBe(7_504_109n);
    // September: 1,000,000 (Sep) + 1,956,522 (Q3) + 164,383 (FY) for Search, 163,044 for the
    // parent's own Q3 line; the month is over, so forecast = actual.
    const sep = await report({ period: '2026-09', category: 'Paid Media' });
    expect(sep.period).toMatchObject({ key: '2026-09', start: '2026-09-01', end: '2026-09-30' });
    expect(sep.rows.map((x) => [x.category, x.planned, x.actual, x.forecast]).sort()).toEqual([
      ['Paid Media (general)', 163_044n, 75_000n, 75_000n],
      ['Paid Media/Search', 3_120_905n, 3_200_000n, 3_200_000n],
      ['Paid Media/Social', 0n, 150_000n, 150_000n],
    ]);
  });

  it('months add up to the quarters and the quarters to the year, in every column', async () => {
    const columns = (x: BudgetRow) => [x.planned, x.actual, x.committed, x.available, x.forecast];
    const add = (rows: BudgetRow[]) =>
      rows.map(columns).reduce((a, c) => a.map((v, i) => v + (c[i] as bigint)));
    const year = await report({ period: 'FY2027' });
    const quarters = await Promise.all([1, 2, 3, 4].map((n) => report({ period: `FY2027-Q${n}` })));
    expect(add(quarters.map((x) => x.total))).toEqual(columns(year.total));
    for (const quarter of quarters) {
      const months = await Promise.all(monthsOfPeriod(quarter.period).map((m) => report({ period: m })));
      expect(add(months.map((x) => x.total))).toEqual(columns(quarter.total));
    }
  });
});

describe('a fiscal-year start change', () => {
  it('re-slices the views and moves no data: a plan across the new quarter boundary feeds both sides', async () => {
    const linesBefore = await t.mo.db.budgetLine.findMany({
      where: { teamId: TEAM },
      orderBy: { id: 'asc' },
    });
    const monthly = async () =>
      Promise.all(
        monthsBetween('2026-02-01', '2027-04-30').map(async (m) => (await report({ period: m })).total),
      );
    const before = await monthly();
    try {
      settings = await t.mo.workspaces.update(TEAM, { fiscalStartMonth: 1 }, 'U0ADMIN');
      // Calendar quarters now: Events' Aug–Oct line gives Aug and Sep to Q3 (Jul–Sep) and
      // Oct to Q4 (Oct–Dec): 1,010,870 + 978,261 and 1,010,869.
      const q3 = await report({ period: 'FY2026-Q3', category: 'Events' });
      const q4 = await report({ period: 'FY2026-Q4', category: 'Events' });
      expect([q3.total.planned, q4.total.planned]).toEqual([1_989_131n, 1_010_869n]);
      expect(await monthly()).toEqual(before);
      const lines = await t.mo.db.budgetLine.findMany({ where: { teamId: TEAM }, orderBy: { id: 'asc' } });
      expect(lines).toEqual(linesBefore);
      const y26 = await report({ period: 'FY2026' });
      const y27 = await report({ period: 'FY2027' });
      // Feb 2026 – Apr 2027 holds every line: 2,000,000 + 6,000,000 + 1,000,000 + 7,000,000 +
      // 500,000 + 3,000,000 + 400,000 + 9,999.
      expect(y26.total.planned + y27.total.planned).toBe(19_909_999n);
    } finally {
      settings = await t.mo.workspaces.update(TEAM, { fiscalStartMonth: FSM }, 'U0ADMIN');
    }
  });
});

describe("the budget view's one statement (budgets.monthCells)", () => {
  it('reads what linesOverlapping, spend.monthSums and estimatesWithin read, for any range and day', async () => {
    await t.mo.budgets.replaceEstimates(
      {
        teamId: TEAM,
        category: 'Paid Media/Search',
        period: 'FY2027-Q4',
        months: ['2026-11', '2026-12'],
        amounts: [
          { month: '2026-11', amountMinor: 2_500_000n },
          { month: '2026-12', amountMinor: -1n },
        ],
      },
      'U0PLANNER',
    );
    const byKey = <T extends object>(xs: T[]) =>
      xs.map((x) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();
    const ranges = [
      fiscalYear(2027, FSM),
      fiscalQuarter(2027, 3, FSM),
      fiscalQuarter(2028, 1, FSM),
      calendarMonth(2026, 11),
    ];
    // Before, inside and after the ranges: this month's actual runs through the day only.
    for (const range of ranges)
      for (const asOf of ['2026-07-31', '2026-09-14', '2026-11-01', '2027-03-01']) {
        const one = await t.mo.budgets.monthCells(TEAM, range, asOf);
        const lines = await t.mo.budgets.linesOverlapping(TEAM, range);
        const spent = await t.mo.spend.monthSums(TEAM, range.start, range.end, asOf);
        const estimates = await t.mo.budgets.estimatesWithin(TEAM, range);
        expect(byKey(one.lines)).toEqual(
          byKey(lines.map(({ id: _id, ownerUserId: _owner, ...line }) => line)),
        );
        expect(byKey(one.spent)).toEqual(byKey(spent));
        expect(byKey(one.estimates)).toEqual(byKey(estimates));
      }
    // The sample holds something of each kind, so the comparison above compared something.
    const year = await t.mo.budgets.monthCells(TEAM, fiscalYear(2027, FSM), '2026-11-01');
    expect([year.lines.length, year.spent.length, year.estimates.length]).toEqual([8, 10, 2]);
    expect(year.spent).toContainEqual({
      category: 'Paid Media/Search',
      month: '2026-11',
      actual: 123_400n,
      committed: 0n,
    });
  });
});
