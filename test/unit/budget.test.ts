import { describe, expect, it } from 'vitest';
import {
  budgetStatus,
  burnUpDays,
  computeBudget,
  leafForecast,
  pacing,
  variancePct,
} from '../../src/domain/budget.js';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import { CategoryError, canonicalCategory, isWithin, normalizeCategory } from '../../src/domain/category.js';

const q = fiscalQuarter(2027, 3, 2); // Aug 1 – Oct 31, 2026: 92 days
const f = (category: string, planned: bigint, actual = 0n, committed = 0n, actualToDate = actual) => ({
  category,
  planned,
  actual,
  committed,
  actualToDate,
});

describe('leafForecast', () => {
  it('is the larger of booked spend and the linear run rate', () => {
    // 46 of 92 days: run rate 1,000 × 92 / 46 = 2,000 > booked 1,500.
    expect(leafForecast(f('A', 0n, 1000n, 500n), 92, 46)).toBe(2000n);
    // Committed outruns the run rate: 1,000 + 1,500 = 2,500 > 2,000.
    expect(leafForecast(f('A', 0n, 1000n, 1500n), 92, 46)).toBe(2500n);
    // Rounds half away from zero: 100 × 92 / 3 = 3066.67 → 3067.
    expect(leafForecast(f('A', 0n, 100n), 92, 3)).toBe(3067n);
    // Period over: run rate equals actual.
    expect(leafForecast(f('A', 0n, 777n), 92, 92)).toBe(777n);
    // Not started: what is booked.
    expect(leafForecast(f('A', 0n, 0n, 900n), 92, 0)).toBe(900n);
    // Refunds: net negative actual to date extrapolates below booked; booked wins.
    expect(leafForecast(f('A', 0n, -300n), 92, 46)).toBe(-300n);
  });

  it('uses actual to date, not future-dated actuals, for the run rate', () => {
    // 1,000 dated through today, 4,000 dated later in the period: run rate 2,000 < booked 5,000.
    expect(leafForecast(f('A', 0n, 5000n, 0n, 1000n), 92, 46)).toBe(5000n);
  });
});

describe('status bands', () => {
  it('are inclusive at ±5 % and ±10 %, exact without rounding', () => {
    expect(budgetStatus(105n, 100n)).toBe('on plan');
    expect(budgetStatus(95n, 100n)).toBe('on plan');
    expect(budgetStatus(10501n, 10000n)).toBe('watch');
    expect(budgetStatus(110n, 100n)).toBe('watch');
    expect(budgetStatus(90n, 100n)).toBe('watch');
    expect(budgetStatus(11001n, 10000n)).toBe('over');
    expect(budgetStatus(8999n, 10000n)).toBe('under');
    expect(budgetStatus(500n, 0n)).toBe('no plan');
  });

  it('variance is (forecast − planned) ÷ planned in percent with two decimals', () => {
    expect(variancePct(9787n, 10000n)).toBe(-2.13);
    expect(variancePct(10000n, 10000n)).toBe(0);
    expect(variancePct(2n, 3n)).toBe(-33.33);
    expect(variancePct(1n, 0n)).toBeNull();
  });
});

describe('computeBudget', () => {
  const figures = [
    f('Paid Media/Search', 12_000n, 6_600n),
    f('Paid Media/Social', 8_000n, 3_000n, 500n),
    f('paid media/search', 0n, 400n), // same leaf, other case
    f('Paid Media', 1_000n, 100n), // the parent's own line
    f('Events', 5_000n, 0n, 1_000n),
  ];

  it('rolls leaves up to top-level rows and a total, forecasts summed', () => {
    const r = computeBudget({ period: q, today: '2026-09-15', figures }); // day 46
    expect([r.periodDays, r.elapsedDays]).toEqual([92, 46]);
    // Search 7,000 → fc 14,000; Social fc max(3,500, 6,000) = 6,000; Paid Media (general) 100 → 200.
    expect(r.rows.map((x) => [x.category, x.planned, x.actual, x.committed, x.forecast, x.status])).toEqual([
      ['Events', 5_000n, 0n, 1_000n, 1_000n, 'under'],
      ['Paid Media', 21_000n, 10_100n, 500n, 20_200n, 'on plan'],
    ]);
    expect(r.rows[1]?.hasChildren).toBe(true);
    expect(r.total).toMatchObject({
      planned: 26_000n,
      actual: 10_100n,
      committed: 1_500n,
      available: 14_400n,
      forecast: 21_200n,
      variancePct: -18.46,
      status: 'under',
    });
  });

  it('drills into a parent, showing its own figures as (general)', () => {
    const r = computeBudget({ period: q, today: '2026-09-15', focus: 'paid media', figures });
    expect(r.rows.map((x) => [x.category, x.forecast])).toEqual([
      ['Paid Media (general)', 200n],
      ['Paid Media/Search', 14_000n],
      ['Paid Media/Social', 6_000n],
    ]);
    expect(r.total.forecast).toBe(20_200n);
    const leaf = computeBudget({ period: q, today: '2026-09-15', focus: 'Paid Media/Social', figures });
    expect(leaf.rows).toHaveLength(1);
    expect(leaf.total).toMatchObject({ planned: 8_000n, forecast: 6_000n, variancePct: -25 });
  });

  it('reports pacing: share of plan booked and of the period gone', () => {
    const r = computeBudget({ period: q, today: '2026-09-15', figures });
    // (10,100 + 1,500) / 26,000 = 44.6 % → 45; 46 / 92 = 50 %.
    expect(pacing(r)).toEqual({ bookedPct: 45, elapsedPct: 50 });
    expect(pacing(computeBudget({ period: q, today: '2026-07-01', figures: [] }))).toEqual({
      bookedPct: null,
      elapsedPct: 0,
    });
  });

  it('clamps elapsed days to the period', () => {
    expect(computeBudget({ period: q, today: '2027-03-01', figures }).elapsedDays).toBe(92);
    expect(computeBudget({ period: q, today: '2026-07-31', figures }).elapsedDays).toBe(0);
    expect(computeBudget({ period: q, today: '2026-08-01', figures }).elapsedDays).toBe(1);
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
