import { describe, expect, it } from 'vitest';
import {
  type BudgetRow,
  budgetStatus,
  burnUpDays,
  computeBudget,
  type MonthFigures,
  monthForecast,
  monthOutlook,
  pacing,
  periodStatus,
  variancePct,
} from '../../src/domain/budget.js';
import { calendarMonth, fiscalQuarter, fiscalYear, monthsOfPeriod } from '../../src/domain/calendar.js';
import { CategoryError, canonicalCategory, isWithin, normalizeCategory } from '../../src/domain/category.js';

const q = fiscalQuarter(2027, 3, 2); // Aug 1 – Oct 31, 2026: 92 days
const cell = (
  category: string,
  month: string,
  planned: bigint,
  actual = 0n,
  committed = 0n,
  estimate: bigint | null = null,
): MonthFigures => ({ category, month, planned, actual, committed, estimate });

describe('monthForecast', () => {
  const nov = (planned: bigint, actual: bigint, committed: bigint) => ({
    month: '2026-11',
    planned,
    actual,
    committed,
  });

  it('a month that has ended: actual + committed, whatever the plan', () => {
    expect(monthForecast(nov(5_000n, 700n, 300n), '2026-12-01')).toBe(1_000n);
    expect(monthForecast(nov(0n, -300n, 0n), '2027-03-01')).toBe(-300n);
  });

  it('the current month: the larger of booked and the run rate over days elapsed, today included', () => {
    // Nov 10 is day 10 of 30: 1,000 × 30 / 10 = 3,000 > 1,500 booked.
    expect(monthForecast(nov(0n, 1_000n, 500n), '2026-11-10')).toBe(3_000n);
    // Committed outruns the run rate: 1,000 + 2,500 = 3,500 > 3,000.
    expect(monthForecast(nov(0n, 1_000n, 2_500n), '2026-11-10')).toBe(3_500n);
    // Rounded half away from zero: 100 × 30 / 7 = 428.57 → 429.
    expect(monthForecast(nov(0n, 100n, 0n), '2026-11-07')).toBe(429n);
    // First day: a day's actual × 30; last day: actual itself.
    expect(monthForecast(nov(0n, 10n, 0n), '2026-11-01')).toBe(300n);
    expect(monthForecast(nov(9_999n, 777n, 0n), '2026-11-30')).toBe(777n);
    // Refunds: a negative run rate never beats what is booked.
    expect(monthForecast(nov(0n, -300n, 0n), '2026-11-15')).toBe(-300n);
  });

  it('a month not yet started: the larger of planned and committed', () => {
    expect(monthForecast(nov(5_000n, 0n, 1_200n), '2026-10-31')).toBe(5_000n);
    expect(monthForecast(nov(5_000n, 0n, 6_000n), '2026-10-31')).toBe(6_000n);
    expect(monthForecast(nov(0n, 0n, 0n), '2026-10-31')).toBe(0n);
  });

  it('a latest estimate replaces the forecast of a month that has not ended, never of one that has', () => {
    const future = cell('A', '2026-11', 5_000n, 0n, 1_200n, 4_000n);
    expect(monthOutlook(future, '2026-10-15')).toEqual({ forecast: 5_000n, estimate: 4_000n });
    expect(monthOutlook(future, '2026-11-10')).toEqual({ forecast: 1_200n, estimate: 4_000n });
    expect(monthOutlook(future, '2026-12-01')).toEqual({ forecast: 1_200n, estimate: null });
    expect(monthOutlook(cell('A', '2026-11', 5_000n), '2026-10-15')).toEqual({
      forecast: 5_000n,
      estimate: null,
    });
  });
});

describe('status', () => {
  it('current period: bands inclusive at ±5 % and ±10 %, exact without rounding', () => {
    expect(budgetStatus(105n, 100n)).toBe('on plan');
    expect(budgetStatus(95n, 100n)).toBe('on plan');
    expect(budgetStatus(10501n, 10000n)).toBe('watch');
    expect(budgetStatus(110n, 100n)).toBe('watch');
    expect(budgetStatus(90n, 100n)).toBe('watch');
    expect(budgetStatus(11001n, 10000n)).toBe('over');
    expect(budgetStatus(8999n, 10000n)).toBe('under');
    expect(budgetStatus(500n, 0n)).toBe('no plan');
  });

  it('a closed period says how far actual + committed ended from the plan', () => {
    expect(periodStatus('closed', { planned: 100_000n, booked: 104_000n, forecast: 0n })).toEqual({
      status: 'closed over',
      statusLabel: 'closed: over by 4 %',
      variancePct: 4,
    });
    expect(periodStatus('closed', { planned: 100_000n, booked: 88_000n, forecast: 0n })).toEqual({
      status: 'closed under',
      statusLabel: 'closed: under by 12 %',
      variancePct: -12,
    });
    // 100.4 % rounds to 0: on plan.
    expect(periodStatus('closed', { planned: 100_000n, booked: 100_400n, forecast: 0n }).statusLabel).toBe(
      'closed: on plan',
    );
    expect(periodStatus('closed', { planned: 0n, booked: 5n, forecast: 5n }).status).toBe('no plan');
  });

  it('a period not started has no variance', () => {
    expect(periodStatus('not started', { planned: 100n, booked: 0n, forecast: 100n })).toEqual({
      status: 'not started',
      statusLabel: 'not started',
      variancePct: null,
    });
  });

  it('variance is (forecast − planned) ÷ planned in percent with two decimals', () => {
    expect(variancePct(9787n, 10000n)).toBe(-2.13);
    expect(variancePct(10000n, 10000n)).toBe(0);
    expect(variancePct(2n, 3n)).toBe(-33.33);
    expect(variancePct(1n, 0n)).toBeNull();
  });
});

describe('computeBudget', () => {
  // Sep 15 is day 15 of 30 in September, day 46 of 92 in the quarter.
  const months = [
    cell('Paid Media/Search', '2026-08', 4_000n, 3_000n),
    cell('Paid Media/Search', '2026-09', 4_000n, 3_600n),
    cell('Paid Media/Search', '2026-10', 4_000n),
    cell('paid media/search', '2026-09', 0n, 400n), // same leaf, other case
    cell('Paid Media/Social', '2026-08', 8_000n, 3_000n, 500n),
    cell('Paid Media', '2026-09', 1_000n, 100n), // the parent's own line
    cell('Events', '2026-10', 5_000n, 0n, 1_000n),
    cell('Events', '2026-11', 9_999n, 9_999n), // outside the quarter
  ];

  it('forecasts each leaf month by month and sums the months into rows and a total', () => {
    const r = computeBudget({ period: q, today: '2026-09-15', months });
    expect([r.periodDays, r.elapsedDays, r.state]).toEqual([92, 46, 'current']);
    // Search: Aug ended 3,000; Sep run rate 4,000 × 30 / 15 = 8,000; Oct not started: plan 4,000.
    // Social: Aug ended 3,500. Paid Media (general): Sep 100 × 2 = 200. Events: Oct max(5,000, 1,000).
    expect(
      r.rows.map((x) => [x.category, x.planned, x.actual, x.committed, x.forecast, x.statusLabel]),
    ).toEqual([
      ['Events', 5_000n, 0n, 1_000n, 5_000n, 'on plan'],
      ['Paid Media', 21_000n, 10_100n, 500n, 18_700n, 'under'],
    ]);
    expect(r.rows[1]?.hasChildren).toBe(true);
    expect(r.total).toMatchObject({
      planned: 26_000n,
      actual: 10_100n,
      committed: 1_500n,
      available: 14_400n,
      forecast: 23_700n,
      estimate: null,
      variancePct: -8.85,
      status: 'watch',
    });
  });

  it('drills into a parent, showing its own figures as (general)', () => {
    const r = computeBudget({ period: q, today: '2026-09-15', focus: 'paid media', months });
    expect(r.rows.map((x) => [x.category, x.forecast])).toEqual([
      ['Paid Media (general)', 200n],
      ['Paid Media/Search', 15_000n],
      ['Paid Media/Social', 3_500n],
    ]);
    expect(r.total.forecast).toBe(18_700n);
    const leaf = computeBudget({ period: q, today: '2026-09-15', focus: 'Paid Media/Social', months });
    expect(leaf.rows).toHaveLength(1);
    expect(leaf.total).toMatchObject({ planned: 8_000n, forecast: 3_500n, variancePct: -56.25 });
  });

  it('shows a latest estimate beside the forecast, and status follows it', () => {
    const withLe = [...months, cell('Events', '2026-10', 0n, 0n, 0n, 5_600n)];
    const r = computeBudget({ period: q, today: '2026-09-15', months: withLe });
    const events = r.rows.find((x) => x.category === 'Events') as BudgetRow;
    expect([events.forecast, events.estimate, events.variancePct, events.status]).toEqual([
      5_000n,
      5_600n,
      12,
      'over',
    ]);
    expect([r.total.forecast, r.total.estimate]).toEqual([23_700n, 24_300n]);
    expect(r.rows.find((x) => x.category === 'Paid Media')?.estimate).toBeNull();
  });

  it('says closed or not started by the period, not by the figures', () => {
    const closed = computeBudget({ period: q, today: '2026-11-02', months });
    expect(closed.state).toBe('closed');
    // Events: 1,000 booked of 5,000 planned.
    expect(closed.rows.map((x) => [x.category, x.forecast, x.statusLabel])).toEqual([
      ['Events', 1_000n, 'closed: under by 80 %'],
      ['Paid Media', 10_600n, 'closed: under by 50 %'],
    ]);
    const ahead = computeBudget({ period: q, today: '2026-07-31', months });
    expect(ahead.state).toBe('not started');
    expect(ahead.total).toMatchObject({ status: 'not started', variancePct: null, forecast: 26_000n });
  });

  it('reports pacing: share of plan booked and of the period gone', () => {
    const r = computeBudget({ period: q, today: '2026-09-15', months });
    // (10,100 + 1,500) / 26,000 = 44.6 % → 45; 46 / 92 = 50 %.
    expect(pacing(r)).toEqual({ bookedPct: 45, elapsedPct: 50 });
    expect(pacing(computeBudget({ period: q, today: '2026-07-01', months: [] }))).toEqual({
      bookedPct: null,
      elapsedPct: 0,
    });
  });

  it('clamps elapsed days to the period', () => {
    expect(computeBudget({ period: q, today: '2027-03-01', months }).elapsedDays).toBe(92);
    expect(computeBudget({ period: q, today: '2026-07-31', months }).elapsedDays).toBe(0);
    expect(computeBudget({ period: q, today: '2026-08-01', months }).elapsedDays).toBe(1);
  });
});

describe('every period is the sum of its months', () => {
  // FY2027 from February, seen on Sep 15, 2026: months ended, current and not started, with
  // refunds, commitments beyond the plan and a latest estimate.
  const fy = fiscalYear(2027, 2);
  const today = '2026-09-15';
  const months: MonthFigures[] = monthsOfPeriod(fy).flatMap((month, i) => [
    cell('Events', month, 100_003n + BigInt(i) * 7n, BigInt(i % 3) * 40_001n, BigInt(i % 4) * 9_999n),
    cell('Paid Media/Search', month, 333_333n, month <= '2026-09' ? 310_000n - BigInt(i) : 0n, 0n),
    cell(
      'Paid Media/Social',
      month,
      0n,
      i === 2 ? -5_000n : 1_234n,
      i > 8 ? 500_000n : 0n,
      i === 10 ? 1n : null,
    ),
  ]);
  // The LE column shows the forecast with estimates in place: it adds up like the others.
  const columns = (r: BudgetRow) => [
    r.planned,
    r.actual,
    r.committed,
    r.available,
    r.forecast,
    r.estimate ?? r.forecast,
  ];
  const sum = (rows: BudgetRow[]) =>
    rows.map(columns).reduce((acc, c) => acc.map((v, i) => v + (c[i] as bigint)));

  it('months sum to each quarter and quarters to the year, for every column and row', () => {
    const year = computeBudget({ period: fy, today, months });
    const quarters = [1, 2, 3, 4].map((n) =>
      computeBudget({ period: fiscalQuarter(2027, n, 2), today, months }),
    );
    expect(sum(quarters.map((x) => x.total))).toEqual(columns(year.total));
    for (const [n, quarter] of quarters.entries()) {
      const monthly = monthsOfPeriod(quarter.period).map((m) => {
        const [y, mm] = m.split('-').map(Number) as [number, number];
        return computeBudget({ period: calendarMonth(y, mm), today, months });
      });
      expect(sum(monthly.map((x) => x.total)), `Q${n + 1}`).toEqual(columns(quarter.total));
      for (const row of quarter.rows) {
        const parts = monthly.flatMap((x) => x.rows.filter((r) => r.category === row.category));
        expect(sum(parts), `Q${n + 1} ${row.category}`).toEqual(columns(row));
      }
    }
    expect(year.total.planned).toBe(12n * 100_003n + 7n * 66n + 12n * 333_333n);
    expect(quarters.map((x) => x.state)).toEqual(['closed', 'closed', 'current', 'not started']);
  });
});

describe('categories', () => {
  it('normalizes a two-level tree and explains bad names', () => {
    expect(normalizeCategory('  Paid   Media / Search ')).toBe('Paid Media/Search');
    expect(() => normalizeCategory('a/b/c')).toThrowError('has 3 levels');
    expect(() => normalizeCategory('/x')).toThrow(CategoryError);
    expect(() => normalizeCategory('')).toThrow(CategoryError);
    expect(() => normalizeCategory('x'.repeat(101))).toThrowError('longer than 100 characters');
  });

  it('matches case-insensitively and keeps the known spelling', () => {
    expect(isWithin('Paid Media/Search', 'paid media')).toBe(true);
    expect(isWithin('Paid Mediate', 'Paid Media')).toBe(false);
    expect(canonicalCategory('paid media/search', ['Paid Media/Search'])).toBe('Paid Media/Search');
    expect(canonicalCategory('Radio', ['Paid Media'])).toBe('Radio');
  });
});

describe('burnUpDays', () => {
  const period = {
    key: '2026-11',
    kind: 'month' as const,
    label: 'November 2026',
    start: '2026-11-01',
    end: '2026-11-05',
  };
  it('accumulates actual through today and draws the forecast from there to period end', () => {
    const days = burnUpDays(
      { period, today: '2026-11-03', elapsedDays: 3, periodDays: 5, total: { forecast: 1_000n } },
      [
        { date: '2026-11-01', amount: 100n },
        { date: '2026-11-03', amount: 50n },
        { date: '2026-11-03', amount: 50n },
        { date: '2026-11-04', amount: 999n }, // after today: not actual yet
      ],
    );
    expect(days).toEqual([
      { date: '2026-11-01', actual: 100n, forecast: null },
      { date: '2026-11-02', actual: 100n, forecast: null },
      { date: '2026-11-03', actual: 200n, forecast: 200n },
      { date: '2026-11-04', actual: null, forecast: 600n },
      { date: '2026-11-05', actual: null, forecast: 1_000n },
    ]);
  });

  it('before the period opens the forecast runs from zero; on its last day it is one point', () => {
    const before = burnUpDays(
      { period, today: '2026-10-20', elapsedDays: 0, periodDays: 5, total: { forecast: 400n } },
      [],
    );
    expect(before.map((d) => d.forecast)).toEqual([0n, 100n, 200n, 300n, 400n]);
    expect(before.every((d) => d.actual === null)).toBe(true);
    const last = burnUpDays(
      { period, today: '2026-11-05', elapsedDays: 5, periodDays: 5, total: { forecast: 70n } },
      [{ date: '2026-11-02', amount: 70n }],
    );
    expect(last.map((d) => [d.actual, d.forecast])).toEqual([
      [0n, null],
      [70n, null],
      [70n, null],
      [70n, null],
      [70n, 70n],
    ]);
  });
});
