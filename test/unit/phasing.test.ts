import { describe, expect, it } from 'vitest';
import { fiscalQuarter, fiscalYear, monthsBetween, monthsOfPeriod } from '../../src/domain/calendar.js';
import { largestRemainder, PhasingError, parsePhasing, phasePlan } from '../../src/domain/phasing.js';

const q3 = fiscalQuarter(2027, 3, 2); // Aug 1 – Oct 31, 2026: 31 + 30 + 31 days
const line = (planned: bigint, phasing: string | null = null, period = q3) => ({
  periodStart: period.start,
  periodEnd: period.end,
  plannedMinor: planned,
  phasing,
});

describe('months of a period', () => {
  it('lists calendar months across a year end', () => {
    expect(monthsOfPeriod(q3)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(monthsBetween('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsOfPeriod(fiscalYear(2027, 2))).toHaveLength(12);
    expect(monthsBetween('2026-11-02', '2026-11-01')).toEqual([]);
  });
});

describe('largestRemainder', () => {
  it('rounds each share down and hands the units left to the largest remainders, earlier first on a tie', () => {
    expect(largestRemainder(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(largestRemainder(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    expect(largestRemainder(0n, [31n, 30n, 31n])).toEqual([0n, 0n, 0n]);
    expect(largestRemainder(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(largestRemainder(7n, [0n, 1n])).toEqual([0n, 7n]);
  });
});

describe('phasePlan', () => {
  it('phases a quarterly plan evenly by calendar days, summing exactly', () => {
    // 1,000,000 × 31/92 = 336,956 r 48; × 30/92 = 326,086 r 88: the 2 units left go to Sep, then Aug.
    expect(phasePlan(line(1_000_000n))).toEqual([
      { month: '2026-08', planned: 336_957n },
      { month: '2026-09', planned: 326_087n },
      { month: '2026-10', planned: 336_956n },
    ]);
  });

  it('phases by weights, summing exactly', () => {
    // 100,001 × 40 % = 40,000.4; × 30 % = 30,000.3 twice: the one unit left goes to Aug.
    expect(phasePlan(line(100_001n, '40;30;30')).map((m) => m.planned)).toEqual([40_001n, 30_000n, 30_000n]);
    expect(phasePlan(line(1_000_000n, '40;30;30')).map((m) => m.planned)).toEqual([
      400_000n,
      300_000n,
      300_000n,
    ]);
    // Weights are relative: 2;1;1 is 50/25/25. 499.5, 249.75, 249.75: the two units left go
    // to the larger remainders (.75), not to the largest share.
    expect(phasePlan(line(999n, '2;1;1')).map((m) => m.planned)).toEqual([499n, 250n, 250n]);
    expect(phasePlan(line(10n, '0;0;1')).map((m) => m.planned)).toEqual([0n, 0n, 10n]);
  });

  it('phases a year over 12 months and a month into itself', () => {
    const year = phasePlan(line(12_345_678n, null, fiscalYear(2027, 2)));
    expect(year.map((m) => m.month)).toEqual([
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
    ]);
    expect(year.reduce((a, m) => a + m.planned, 0n)).toBe(12_345_678n);
    // February 2026 has 28 of 365 days: 12,345,678 × 28 / 365 = 947,066.0…
    expect(year[0]?.planned).toBe(947_066n);
    expect(
      phasePlan({ periodStart: '2026-11-01', periodEnd: '2026-11-30', plannedMinor: 5n, phasing: null }),
    ).toEqual([{ month: '2026-11', planned: 5n }]);
  });
});

describe('parsePhasing', () => {
  it('reads commas or semicolons and stores them normalized', () => {
    expect(parsePhasing('40,30,30', 3)).toBe('40;30;30');
    expect(parsePhasing(' 40 ; 30 ; 30 ', 3)).toBe('40;30;30');
    expect(parsePhasing('33.30,33.3,033.4', 3)).toBe('33.3;33.3;33.4');
    expect(parsePhasing('1,0,0', 3)).toBe('1;0;0');
  });

  it('names what is wrong', () => {
    expect(() => parsePhasing('40,60', 3)).toThrowError('has 2 weights; the period has 3 months');
    expect(() => parsePhasing('40,-30,30', 3)).toThrowError('"-30" must be a number ≥ 0');
    expect(() => parsePhasing('a,b,c', 3)).toThrow(PhasingError);
    expect(() => parsePhasing('0,0,0', 3)).toThrowError('all zero');
    expect(() => parsePhasing('1.123456,1,1', 3)).toThrowError('at most 4 decimals');
    const e = (() => {
      try {
        parsePhasing('1', 3);
      } catch (error) {
        return error as PhasingError;
      }
    })();
    expect([e?.kind, e?.field]).toEqual(['invalid', 'phasing']);
  });
});
