// Latest estimates ("LE"): a line owner's or an admin's word on where a category will land in
// a period. It replaces the computed forecast of the period's months that have not ended,
// and status and alerts use it while it is set.
import type { WorkspaceSettings } from '../db/workspaces.js';
import { monthForecast, monthState } from '../domain/budget.js';
import { daysInMonth, monthsOfPeriod, type Period } from '../domain/calendar.js';
import { categoryKey } from '../domain/category.js';
import { UserError } from '../domain/errors.js';
import { formatMoney } from '../domain/money.js';
import { largestRemainder } from '../domain/phasing.js';
import { monthFigures, resolveCategory } from './budget.js';
import { todayIn, type WorkspaceMo } from './team-scope.js';

export interface EstimateRequest {
  category: string;
  period: Period;
  actor: string;
  /** Whether the actor is a Mo or Slack admin (the command surface knows). */
  isAdmin: boolean;
}

/** The owners of a category's lines in the period: they and admins may set its estimate. */
async function requireOwnerOrAdmin(mo: WorkspaceMo, req: EstimateRequest, category: string) {
  if (req.isAdmin) return;
  const lines = await mo.budgets.linesOverlapping(req.period);
  const owners = [
    ...new Set(
      lines
        .filter((l) => categoryKey(l.category) === categoryKey(category) && l.ownerUserId)
        .map((l) => l.ownerUserId as string),
    ),
  ];
  if (owners.includes(req.actor)) return;
  throw new UserError(
    'refused',
    `Only ${owners.length ? `the owner of ${category}'s line or ` : ''}an admin can set or clear the latest estimate for ${category}.`,
  );
}

/**
 * Sets the latest estimate of a category for a whole period: the months that have ended keep
 * their actual + committed, and the rest of the amount is phased over the months still open
 * by calendar days. Returns what the period's LE is and the months it covers.
 */
export async function setLatestEstimate(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  req: EstimateRequest & { amountMinor: bigint },
) {
  if (req.amountMinor < 0n)
    throw new UserError('invalid', 'a latest estimate cannot be negative', { field: 'amount' });
  const category = await resolveCategory(mo, req.category);
  await requireOwnerOrAdmin(mo, req, category);
  const today = todayIn(mo, settings.timezone);
  const months = monthsOfPeriod(req.period);
  const open = months.filter((m) => monthState(m, today) !== 'closed');
  if (!open.length) {
    throw new UserError(
      'invalid',
      `${req.period.key} has ended: its forecast is what was spent and committed. Set an estimate for a period still open.`,
    );
  }
  // What the ended months already hold, for this category only (not its sub-categories).
  const cells = await monthFigures(mo, req.period, today);
  const booked = cells
    .filter((c) => categoryKey(c.category) === categoryKey(category) && !open.includes(c.month))
    .reduce((sum, c) => sum + monthForecast(c, today), 0n);
  const rest = req.amountMinor - booked;
  if (rest < 0n) {
    throw new UserError(
      'invalid',
      `${category} already booked ${formatMoney(booked, settings.currency)} in the months of ${req.period.key} that have ended: ` +
        `a latest estimate for ${req.period.key} is at least that.`,
      { field: 'amount' },
    );
  }
  const shares = largestRemainder(
    rest,
    open.map((m) => BigInt(daysInMonth(m))),
  );
  const amounts = open.map((month, i) => ({ month, amountMinor: shares[i] as bigint }));
  await mo.budgets.replaceEstimates({ category, period: req.period.key, months: open, amounts }, req.actor);
  mo.figuresChanged();
  return { category, period: req.period, amountMinor: req.amountMinor, booked, months: amounts };
}

/** Clears a category's latest estimate for the period's months still open. */
export async function clearLatestEstimate(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  req: EstimateRequest,
) {
  const category = await resolveCategory(mo, req.category);
  await requireOwnerOrAdmin(mo, req, category);
  const today = todayIn(mo, settings.timezone);
  const open = monthsOfPeriod(req.period).filter((m) => monthState(m, today) !== 'closed');
  const before = open.length
    ? await mo.budgets.replaceEstimates(
        { category, period: req.period.key, months: open, amounts: [] },
        req.actor,
      )
    : [];
  if (!before.length) {
    throw new UserError(
      'not_found',
      `${category} has no latest estimate in the open months of ${req.period.key}.`,
    );
  }
  mo.figuresChanged();
  return { category, period: req.period, cleared: before.length };
}
