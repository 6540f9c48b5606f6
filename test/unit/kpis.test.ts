import { describe, expect, it } from 'vitest';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import { buckets, computeKpis, weekStart } from '../../src/domain/kpis.js';

describe('KPI buckets', () => {
  it('start weeks on Monday and clip them to the period', () => {
    expect(weekStart('2026-11-01')).toBe('2026-10-26'); // a Sunday belongs to the week before
    expect(weekStart('2026-11-02')).toBe('2026-11-02');
    // FY2027 Q4 with a February fiscal year: Sun Nov 1, 2026 – Sun Jan 31, 2027.
    const weeks = buckets(fiscalQuarter(2027, 4, 2), 'week');
    expect(weeks[0]).toEqual({ start: '2026-11-01', end: '2026-11-01' });
    expect(weeks[1]).toEqual({ start: '2026-11-02', end: '2026-11-08' });
    expect(weeks.at(-1)).toEqual({ start: '2027-01-25', end: '2027-01-31' });
    expect(weeks).toHaveLength(14);
    // Across the end of US daylight saving time (Nov 1, 2026) a week is still seven calendar days.
    expect(buckets({ start: '2026-10-26', end: '2026-11-08' }, 'week')).toEqual([
      { start: '2026-10-26', end: '2026-11-01' },
      { start: '2026-11-02', end: '2026-11-08' },
    ]);
  });

  it('group by calendar month, clipped', () => {
    expect(buckets({ start: '2026-11-15', end: '2027-01-10' }, 'month')).toEqual([
      { start: '2026-11-15', end: '2026-11-30' },
      { start: '2026-12-01', end: '2026-12-31' },
      { start: '2027-01-01', end: '2027-01-10' },
    ]);
  });
});

describe('computeKpis', () => {
  const period = { start: '2026-11-02', end: '2026-11-15' };
  const days = [
    { date: '2026-11-02', spend: 100_000n, leads: 3, mqls: 1, opportunities: 1, pipelineCreated: 500_000n },
    { date: '2026-11-04', spend: 50_001n, leads: 0, sqls: 2, won: 250_000n },
    { date: '2026-11-10', leads: 4, mqls: 2 },
    { date: '2026-11-30', spend: 999n, leads: 9 }, // outside the period
  ];

  it('sums each bucket and the total, with blank ratios when the divisor is zero', () => {
    const { rows, total } = computeKpis(period, 'week', days);
    expect(rows).toEqual([
      {
        bucketStart: '2026-11-02',
        spend: 150_001n,
        leads: 3,
        mqls: 1,
        sqls: 2,
        opportunities: 1,
        pipelineCreated: 500_000n,
        won: 250_000n,
        costPerLead: 50_000n, // 150,001 / 3 = 50,000.33
        costPerOpportunity: 150_001n,
        pipelineToSpend: 3.33, // 500,000 / 150,001
      },
      {
        bucketStart: '2026-11-09',
        spend: 0n,
        leads: 4,
        mqls: 2,
        sqls: 0,
        opportunities: 0,
        pipelineCreated: 0n,
        won: 0n,
        costPerLead: 0n,
        costPerOpportunity: null,
        pipelineToSpend: null,
      },
    ]);
    expect(total).toMatchObject({ bucketStart: 'TOTAL', spend: 150_001n, leads: 7, costPerLead: 21_429n });
  });
});
