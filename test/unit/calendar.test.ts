import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateInZone,
  daysInclusive,
  daysInMonth,
  fiscalQuarter,
  fiscalQuarterOf,
  fiscalYear,
  fiscalYearOf,
  isIsoDate,
  monthLastDay,
  PeriodError,
  parsePeriod,
  requirePeriod,
} from '../../src/domain/calendar.js';

describe('fiscal years', () => {
  it('are named by the year they end', () => {
    expect(fiscalYear(2027, 2)).toMatchObject({ key: 'FY2027', start: '2026-02-01', end: '2027-01-31' });
    expect(fiscalYear(2027, 1)).toMatchObject({ start: '2027-01-01', end: '2027-12-31' });
    expect(fiscalYear(2027, 7)).toMatchObject({ start: '2026-07-01', end: '2027-06-30' });
    expect(fiscalYear(2027, 12)).toMatchObject({ start: '2026-12-01', end: '2027-11-30' });
    expect(fiscalYear(2028, 2).end).toBe('2028-01-31');
  });

  it('have quarters of three months from the fiscal start', () => {
    expect(fiscalQuarter(2027, 1, 2)).toMatchObject({
      key: 'FY2027-Q1',
      start: '2026-02-01',
      end: '2026-04-30',
    });
    expect(fiscalQuarter(2027, 3, 2)).toMatchObject({
      start: '2026-08-01',
      end: '2026-10-31',
      label: 'FY2027 Q3 (Aug 1 – Oct 31, 2026)',
    });
    expect(fiscalQuarter(2027, 4, 2)).toMatchObject({ start: '2026-11-01', end: '2027-01-31' });
    expect(fiscalQuarter(2027, 4, 10)).toMatchObject({ start: '2027-07-01', end: '2027-09-30' });
    expect(fiscalQuarter(2024, 1, 12)).toMatchObject({ start: '2023-12-01', end: '2024-02-29' });
  });

  it('place a date in its fiscal year and quarter', () => {
    expect(fiscalYearOf('2026-01-31', 2)).toBe(2026);
    expect(fiscalYearOf('2026-02-01', 2)).toBe(2027);
    expect(fiscalYearOf('2026-12-31', 1)).toBe(2026);
    expect(fiscalQuarterOf('2026-10-31', 2)).toEqual({ fy: 2027, quarter: 3 });
    expect(fiscalQuarterOf('2026-11-01', 2)).toEqual({ fy: 2027, quarter: 4 });
    expect(fiscalQuarterOf('2027-01-31', 2)).toEqual({ fy: 2027, quarter: 4 });
    expect(fiscalQuarterOf('2026-06-30', 7)).toEqual({ fy: 2026, quarter: 4 });
    expect(fiscalQuarterOf('2026-07-01', 7)).toEqual({ fy: 2027, quarter: 1 });
  });
});

describe('parsePeriod', () => {
  const today = '2026-11-22';
  it.each([
    ['FY2027', 'FY2027', '2026-02-01', '2027-01-31'],
    ['fy2027-q3', 'FY2027-Q3', '2026-08-01', '2026-10-31'],
    ['FY2027Q1', 'FY2027-Q1', '2026-02-01', '2026-04-30'],
    ['2026-11', '2026-11', '2026-11-01', '2026-11-30'],
    ['2024-02', '2024-02', '2024-02-01', '2024-02-29'],
    ['this-quarter', 'FY2027-Q4', '2026-11-01', '2027-01-31'],
    ['last-quarter', 'FY2027-Q3', '2026-08-01', '2026-10-31'],
    ['this-month', '2026-11', '2026-11-01', '2026-11-30'],
    ['last-month', '2026-10', '2026-10-01', '2026-10-31'],
    ['this-year', 'FY2027', '2026-02-01', '2027-01-31'],
    ['last-year', 'FY2026', '2025-02-01', '2026-01-31'],
  ])('%s (fiscal year from February)', (text, key, start, end) => {
    expect(parsePeriod(text, today, 2)).toMatchObject({ key, start, end });
  });

  it('wraps last-quarter from Q1 into the previous fiscal year', () => {
    expect(parsePeriod('last-quarter', '2026-02-10', 2)).toMatchObject({
      key: 'FY2026-Q4',
      start: '2025-11-01',
    });
    expect(parsePeriod('last-month', '2026-01-10', 1)).toMatchObject({ key: '2025-12' });
  });

  it('returns undefined for text that is not a period, and explains a bad month', () => {
    expect(parsePeriod('Paid', today, 1)).toBeUndefined();
    expect(() => parsePeriod('2026-13', today, 1)).toThrow(PeriodError);
    expect(() => requirePeriod('Q3', today, 1)).toThrowError(/"Q3" is not a period: a period is FY2027/);
  });
});

describe('days and timezones', () => {
  it('counts calendar days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysInclusive('2026-08-01', '2026-10-31')).toBe(92);
    expect(daysInclusive('2026-03-01', '2026-03-31')).toBe(31); // across the US DST change
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-01')).toBe(false);
  });

  it('reads the calendar day in the workspace timezone', () => {
    const instant = new Date('2026-10-01T00:30:00Z');
    expect(dateInZone(instant, 'UTC')).toBe('2026-10-01');
    expect(dateInZone(instant, 'America/Los_Angeles')).toBe('2026-09-30');
    expect(dateInZone(new Date('2026-09-30T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-01');
    // DST ends in Berlin on Oct 25, 2026 at 03:00 CEST → 02:00 CET (01:00 UTC).
    expect(dateInZone(new Date('2026-10-25T22:59:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(dateInZone(new Date('2026-10-25T23:00:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
    // DST starts in New York on Mar 8, 2026: midnight is 05:00 UTC before, 04:00 UTC after.
    expect(dateInZone(new Date('2026-03-08T04:59:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(dateInZone(new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
  });
});

describe('month lengths', () => {
  it('agree with the calendar for every month from 1900 to 2400 (leap years by the Gregorian rule)', () => {
    for (let y = 1900; y <= 2400; y++)
      for (let m = 1; m <= 12; m++) {
        const month = `${y}-${String(m).padStart(2, '0')}`;
        const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
        expect(monthLastDay(month)).toBe(last);
        expect(daysInMonth(month)).toBe(Number(last.slice(8)));
      }
    expect(daysInMonth('2000-02')).toBe(29);
    expect(daysInMonth('1900-02')).toBe(28);
    expect(daysInMonth('2028-02')).toBe(29);
  });
});
