// Closed months lock: spend dated in a month that ended more than `lockDays` ago cannot be
// added, changed or deleted (an admin may, with --unlocked, audited), so last quarter's
// figures stay what finance reported.
import { addDays, type IsoDate, monthLastDay, monthOf } from './calendar.js';
import { UserError } from './errors.js';

export const DEFAULT_LOCK_DAYS = 10;

/** Whether spend dated `date` is locked on `today`. */
export function isLocked(date: IsoDate, today: IsoDate, lockDays: number): boolean {
  return addDays(monthLastDay(monthOf(date)), lockDays) < today;
}

export class LockedError extends UserError {
  constructor(date: IsoDate, lockDays: number) {
    super(
      'refused',
      `${monthOf(date)} is locked: the month ended more than ${lockDays} days ago (setting lock_days), so its spend stays what was reported. ` +
        'An admin can change it with --unlocked.',
      { field: 'date' },
    );
  }
}

/**
 * Refuses a change to spend dated `date` when its month is locked, unless an admin asked for
 * `--unlocked`. Returns whether the change goes through a lock (to be audited as such).
 */
export function checkLock(
  date: IsoDate,
  today: IsoDate,
  lockDays: number,
  override: { unlocked: boolean; isAdmin: boolean },
): boolean {
  if (!isLocked(date, today, lockDays)) return false;
  if (override.unlocked && override.isAdmin) return true;
  if (override.unlocked)
    throw new UserError(
      'refused',
      `${monthOf(date)} is locked (setting lock_days: ${lockDays}): only a Mo admin can change its spend with --unlocked.`,
      { field: 'date' },
    );
  throw new LockedError(date, lockDays);
}
