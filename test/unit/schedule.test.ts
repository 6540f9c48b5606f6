import { describe, expect, it } from 'vitest';
import {
  isoWeekday,
  lastHourlySlot,
  lastWeeklySlot,
  nextWeeklySlot,
  parseClockTime,
  parseWeekday,
  weekdayName,
  zonedInstant,
  zoneOffsetMinutes,
} from '../../src/domain/schedule.js';

const iso = (d: Date) => d.toISOString();

describe('zonedInstant', () => {
  it('maps a wall time to UTC on both sides of a change', () => {
    expect(iso(zonedInstant('2026-11-02', '09:00', 'America/Los_Angeles'))).toBe('2026-11-02T17:00:00.000Z');
    expect(iso(zonedInstant('2026-10-26', '09:00', 'America/Los_Angeles'))).toBe('2026-10-26T16:00:00.000Z');
    expect(iso(zonedInstant('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(zonedInstant('2026-11-23', '09:00', 'Asia/Kolkata'))).toBe('2026-11-23T03:30:00.000Z');
    expect(iso(zonedInstant('2026-11-23', '00:00', 'UTC'))).toBe('2026-11-23T00:00:00.000Z');
  });

  it('moves a time skipped by spring-forward past the change, and takes the first of a repeated one', () => {
    // 02:30 does not exist in New York on 2026-03-08: it is 03:30 EDT.
    expect(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: first in EDT.
    expect(iso(zonedInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('knows the offset', () => {
    expect(zoneOffsetMinutes(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(new Date('2026-12-01T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(new Date('2026-12-01T12:00:00Z'), 'Asia/Kathmandu')).toBe(345);
  });
});

describe('weekly slots', () => {
  const mondayNine = { day: 1, time: '09:00', timeZone: 'America/Los_Angeles' };

  it('the last slot is at or before now, across the fall-back week', () => {
    expect(iso(lastWeeklySlot(mondayNine, new Date('2026-11-02T17:00:00Z')))).toBe(
      '2026-11-02T17:00:00.000Z',
    );
    expect(iso(lastWeeklySlot(mondayNine, new Date('2026-11-02T16:59:59Z')))).toBe(
      '2026-10-26T16:00:00.000Z',
    );
    // Sunday evening local (Monday UTC) is still the week before.
    expect(iso(lastWeeklySlot(mondayNine, new Date('2026-11-09T06:00:00Z')))).toBe(
      '2026-11-02T17:00:00.000Z',
    );
  });

  it('the next slot is strictly after now', () => {
    expect(iso(nextWeeklySlot(mondayNine, new Date('2026-11-02T17:00:00Z')))).toBe(
      '2026-11-09T17:00:00.000Z',
    );
    expect(iso(nextWeeklySlot(mondayNine, new Date('2026-10-30T12:00:00Z')))).toBe(
      '2026-11-02T17:00:00.000Z',
    );
    const friday = { day: 5, time: '17:30', timeZone: 'Europe/London' };
    expect(iso(nextWeeklySlot(friday, new Date('2026-03-27T18:00:00Z')))).toBe('2026-04-03T16:30:00.000Z');
  });

  it('hourly slots are tops of hours', () => {
    expect(iso(lastHourlySlot(new Date('2026-11-23T17:59:59.999Z')))).toBe('2026-11-23T17:00:00.000Z');
  });
});

describe('parsing', () => {
  it('reads days and times the way people type them', () => {
    expect(parseWeekday('Mon')).toBe(1);
    expect(parseWeekday('SUNDAY')).toBe(7);
    expect(parseWeekday('th')).toBeUndefined();
    expect(parseWeekday('thu')).toBe(4);
    expect(parseWeekday('someday')).toBeUndefined();
    expect(parseClockTime('9:00')).toBe('09:00');
    expect(parseClockTime('23:59')).toBe('23:59');
    expect(parseClockTime('24:00')).toBeUndefined();
    expect(parseClockTime('9am')).toBeUndefined();
    expect(weekdayName(3)).toBe('Wednesday');
    expect(isoWeekday('2026-11-22')).toBe(7);
    expect(isoWeekday('2026-11-23')).toBe(1);
  });
});
