import { describe, expect, it } from 'vitest';
import type { UserError } from '../../src/domain/errors.js';
import { checkLock, isLocked, LockedError } from '../../src/domain/lock.js';

describe('closed months lock', () => {
  it('locks a month once it ended more than lock_days ago', () => {
    // October ends on the 31st: with 10 days, it is open through Nov 10 and locked from Nov 11.
    expect(isLocked('2026-10-15', '2026-11-10', 10)).toBe(false);
    expect(isLocked('2026-10-01', '2026-11-11', 10)).toBe(true);
    expect(isLocked('2026-11-01', '2026-11-11', 10)).toBe(false);
    // Across a year end, and with no grace at all.
    expect(isLocked('2026-12-31', '2027-01-11', 10)).toBe(true);
    expect(isLocked('2026-12-31', '2027-01-01', 0)).toBe(true);
    expect(isLocked('2026-12-31', '2026-12-31', 0)).toBe(false);
    // February in a leap year ends on the 29th.
    expect(isLocked('2028-02-10', '2028-03-10', 10)).toBe(false);
    expect(isLocked('2028-02-10', '2028-03-11', 10)).toBe(true);
  });

  it('lets only an admin through with --unlocked', () => {
    const open = { unlocked: false, isAdmin: false };
    expect(checkLock('2026-11-01', '2026-11-20', 10, open)).toBe(false);
    expect(() => checkLock('2026-09-30', '2026-11-20', 10, open)).toThrow(LockedError);
    expect(() => checkLock('2026-09-30', '2026-11-20', 10, { unlocked: false, isAdmin: true })).toThrowError(
      '2026-09 is locked: the month ended more than 10 days ago (setting lock_days)',
    );
    const member = (() => {
      try {
        checkLock('2026-09-30', '2026-11-20', 10, { unlocked: true, isAdmin: false });
      } catch (e) {
        return e as UserError;
      }
    })();
    expect([member?.kind, member?.message]).toEqual([
      'refused',
      '2026-09 is locked (setting lock_days: 10): only a Mo admin can change its spend with --unlocked.',
    ]);
    expect(checkLock('2026-09-30', '2026-11-20', 10, { unlocked: true, isAdmin: true })).toBe(true);
  });
});
