// /mo budget's figures at period edges, through the repositories on a real database
// (SQLite, and PostgreSQL when TEST_DATABASE_URL is set). Every figure worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendStatus } from '../../src/db/spend.js';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import type { Period } from '../../src/domain/calendar.js';
import { calendarMonth, fiscalQuarter, fiscalYear } from '../../src/domain/calendar.js';
import { CategoryError } from '../../src/domain/category.js';
import { budgetReport } from '../../src/services/budget.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0EDGE';
let t: TestDatabase;
let settings: WorkspaceSettings;
let n = 0;

const plan = (period: Period, category: string, planned: bigint) =>
  t.mo.budgets.set({ teamId: TEAM, period, category, plannedMinor: planned }, 'U0TEST');
const spend = (date: string, amount: bigint, category: string, status: SpendStatus = 'actual') =>
  t.mo.spend.add(
    {
      teamId: TEAM,
      date,
      amountMinor: amount,
      status,
      category,
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: `k${++n}`,
    },
    'U0TEST',
  );
const row = (r: Awaited<ReturnType<typeof budgetReport>>, category: string) => {
  const found = r.rows.find((x) => x.category === category);
  if (!found) throw new Error(`no row ${category} in ${r.rows.map((x) => x.category).join(', ')}`);
  return found;
};

beforeAll(async () => {
  // Oct 31, 2026, 22:00 in Los Angeles (PDT, UTC−7) is Nov 1, 05:00 UTC.
  t = await createTestDatabase('2026-11-01T05:00:00Z');
  settings = await t.mo.workspaces.update(
    TEAM,
    { fiscalStartMonth: 2, timezone: 'America/Los_Angeles' },
    'U0TEST',
  );

  const q3 = fiscalQuarter(2027, 3, 2); // Aug 1 – Oct 31, 2026 (92 days)
  const q4 = fiscalQuarter(2027, 4, 2); // Nov 1, 2026 – Jan 31, 2027
  await plan(q3, 'Paid Media/Search', 9_200_000n); // $92,000
  await plan(q3, 'Paid Media/Social', 0n); // a zero plan
  await plan(q3, 'Events', 5_000_000n); // a plan with no spend
  await plan(q4, 'Paid Media/Search', 10_000_000n);
  await plan(fiscalYear(2027, 2), 'Paid Media/Search', 1_000_000n); // a year-level top-up
  await plan(calendarMonth(2026, 9), 'Content', 300_000n); // a month line inside Q3

  await spend('2026-08-01', 4_000_000n, 'Paid Media/Search'); // first day of Q3
  await spend('2026-10-31', 5_500_000n, 'Paid Media/Search'); // last day of Q3, late evening in LA
  await spend('2026-10-15', -500_000n, 'Paid Media/Search'); // a refund
  await spend('2026-11-01', 777_700n, 'Paid Media/Search'); // first day of Q4: not in Q3
  await spend('2026-09-10', 120_000n, 'Paid Media/Social');
  await spend('2026-09-12', 250_000n, 'Content', 'committed');
  await spend('2026-09-20', 80_000n, 'Webinars'); // spend with no plan
});
afterAll(() => t.close());

describe('budget at a quarter boundary in a non-UTC timezone', () => {
  it('is still Q3 in Los Angeles at 22:00 on Oct 31, with every day elapsed', async () => {
    const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, {});
    expect(r.period.key).toBe('FY2027-Q3');
    expect(r.today).toBe('2026-10-31');
    expect([r.elapsedDays, r.periodDays]).toEqual([92, 92]);
    // Search: 4,000,000 + 5,500,000 − 500,000 = 9,000,000 actual; the last day of October, so
    // the run rate equals actual: forecast 9,000,000 vs plan 9,200,000 + 252,054 (the FY
    // top-up's Aug 84,931, Sep 82,192, Oct 84,931) = 9,452,054: −4.78 %, on plan.
    expect(
      row(
        await budgetReport(t.mo.forTeam(settings.teamId), settings, { category: 'Paid Media' }),
        'Paid Media/Search',
      ),
    ).toMatchObject({
      planned: 9_452_054n,
      actual: 9_000_000n,
      committed: 0n,
      available: 452_054n,
      forecast: 9_000_000n,
      variancePct: -4.78,
      status: 'on plan',
    });
  });

  it('is Q4 an hour later in Los Angeles, day 1 of 92', async () => {
    t.setNow('2026-11-01T08:00:00Z'); // Nov 1, 01:00 PDT
    try {
      const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, {
        category: 'Paid Media/Search',
      });
      expect(r.period.key).toBe('FY2027-Q4');
      expect([r.elapsedDays, r.periodDays]).toEqual([1, 92]);
      // November, day 1 of 30: 777,700 × 30 = 23,331,000, a day's spend extrapolated over its
      // month only; December and January forecast their plans (3,369,565 + 84,931 and
      // 3,369,565 + 84,931). Plan 10,000,000 + 252,054 (the FY top-up's Nov–Jan).
      expect(r.total).toMatchObject({
        planned: 10_252_054n,
        actual: 777_700n,
        forecast: 30_239_992n,
        status: 'over',
      });
    } finally {
      t.setNow('2026-11-01T05:00:00Z');
    }
  });
});

describe('budget rows', () => {
  it('sums children into parents, forecast included, and handles zero plans, refunds and unplanned spend', async () => {
    const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, {});
    // Paid Media = Search (9,452,054 / 9,000,000 / fc 9,000,000) + Social (0 / 120,000 / fc 120,000).
    expect(row(r, 'Paid Media')).toMatchObject({
      planned: 9_452_054n,
      actual: 9_120_000n,
      forecast: 9_120_000n,
      hasChildren: true,
      status: 'on plan',
    });
    expect(row(r, 'Events')).toMatchObject({
      planned: 5_000_000n,
      actual: 0n,
      forecast: 0n,
      variancePct: -100,
      status: 'under',
    });
    // The September month line counts toward Q3; committed spend is booked.
    expect(row(r, 'Content')).toMatchObject({
      planned: 300_000n,
      committed: 250_000n,
      available: 50_000n,
      forecast: 250_000n,
    });
    expect(row(r, 'Webinars')).toMatchObject({
      planned: 0n,
      actual: 80_000n,
      variancePct: null,
      status: 'no plan',
    });
    expect(r.total).toMatchObject({
      planned: 14_752_054n,
      actual: 9_200_000n,
      committed: 250_000n,
      available: 5_302_054n,
      forecast: 9_450_000n,
    });
  });

  it('shows a zero plan as no plan', async () => {
    const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, { category: 'Paid Media' });
    expect(row(r, 'Paid Media/Social')).toMatchObject({
      planned: 0n,
      actual: 120_000n,
      variancePct: null,
      status: 'no plan',
    });
  });

  it('makes every period’s plan from the phased months of the lines that cover it', async () => {
    const year = await budgetReport(t.mo.forTeam(settings.teamId), settings, {
      period: 'FY2027',
      category: 'Paid Media/Search',
    });
    expect(year.total.planned).toBe(9_200_000n + 10_000_000n + 1_000_000n);
    const q3 = await budgetReport(t.mo.forTeam(settings.teamId), settings, {
      period: 'FY2027-Q3',
      category: 'Paid Media/Search',
    });
    expect(q3.total.planned).toBe(9_452_054n);
    // September: Content's month line 300,000, Events 5,000,000 × 30 ÷ 92 = 1,630,434.8 →
    // 1,630,435, Search 9,200,000 × 30 ÷ 92 = 3,000,000 + the FY line's 82,192.
    const sep = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: '2026-09' });
    expect(sep.total).toMatchObject({ planned: 5_012_627n, actual: 200_000n, committed: 250_000n });
  });

  it('before a period starts, forecasts what is booked and says not started', async () => {
    const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: 'FY2028-Q1' });
    expect([r.elapsedDays, r.rows.length]).toEqual([0, 0]);
    expect(r.total).toMatchObject({ planned: 0n, forecast: 0n, status: 'not started', variancePct: null });
  });

  it('refuses a category with neither plan nor spend', async () => {
    await expect(
      budgetReport(t.mo.forTeam(settings.teamId), settings, { category: 'Radio' }),
    ).rejects.toBeInstanceOf(CategoryError);
  });
});
