// Moving plan between two categories in a period, with the approval of each line's owner
// (an admin where a line has no owner). A move never takes the giving line below zero or
// its category below what it already spent and committed; the request says so up front.
import type { BudgetMoveRow, MoveSide } from '../db/reallocations.js';
import type { WorkspaceSettings } from '../db/workspaces.js';
import type { Period } from '../domain/calendar.js';
import { canonicalCategory, categoryKey, normalizeCategory } from '../domain/category.js';
import { UserError } from '../domain/errors.js';
import { formatMoneyExact } from '../domain/money.js';
import { budgetReport, knownCategories, resolveCategory } from './budget.js';
import type { WorkspaceMo } from './team-scope.js';

/** A request not decided in this many days expires. */
export const MOVE_EXPIRY_DAYS = 14;

export interface Actor {
  actor: string;
  /** Whether the actor is a Mo or Slack admin (the command surface knows). */
  isAdmin: boolean;
}

export interface MoveOutcome {
  move: BudgetMoveRow;
  /** Both plans changed. */
  applied: boolean;
  /** Who still has to approve, to be asked by DM (owners, else the workspace's Mo admins). */
  approvers: string[];
}

/** Whether `who` approves the side whose line has `owner` (null: an admin does). */
const approves = (owner: string | null, who: Actor) => (owner ? owner === who.actor : who.isAdmin);

function sidesFor(
  move: Pick<BudgetMoveRow, 'fromOwner' | 'toOwner' | 'fromApprovedBy' | 'toApprovedBy'>,
  who: Actor,
) {
  const sides: MoveSide[] = [];
  if (!move.fromApprovedBy && approves(move.fromOwner, who)) sides.push('from');
  if (!move.toApprovedBy && approves(move.toOwner, who)) sides.push('to');
  return sides;
}

function pendingApprovers(move: BudgetMoveRow, settings: WorkspaceSettings): string[] {
  const out = new Set<string>();
  for (const [owner, approved] of [
    [move.fromOwner, move.fromApprovedBy],
    [move.toOwner, move.toApprovedBy],
  ] as const) {
    if (approved) continue;
    if (owner) out.add(owner);
    else for (const admin of settings.adminUserIds) out.add(admin);
  }
  return [...out];
}

/**
 * How much the giving category can give in the period: its plan there less what it already
 * spent and committed, and at most the giving line's own plan.
 */
async function headroom(mo: WorkspaceMo, settings: WorkspaceSettings, category: string, period: Period) {
  const report = await budgetReport(mo, settings, { period, category });
  return { planned: report.total.planned, booked: report.total.actual + report.total.committed };
}

function checkLimits(
  amount: bigint,
  from: { category: string; linePlanned: bigint },
  room: { planned: bigint; booked: bigint },
  period: Period,
  currency: string,
) {
  const money = (m: bigint) => formatMoneyExact(m, currency);
  if (from.linePlanned - amount < 0n) {
    throw new UserError(
      'invalid',
      `Moving ${money(amount)} would take ${from.category}'s ${period.key} plan below zero: it is ${money(from.linePlanned)}.`,
      { field: 'amount' },
    );
  }
  if (room.planned - amount < room.booked) {
    throw new UserError(
      'invalid',
      `Moving ${money(amount)} would leave ${from.category} ${money(room.planned - amount)} for ${period.key}, ` +
        `below the ${money(room.booked)} it has already spent and committed: it can give at most ${money(room.planned - room.booked > 0n ? room.planned - room.booked : 0n)}.`,
      { field: 'amount' },
    );
  }
}

export async function requestMove(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  req: Actor & { amountMinor: bigint; from: string; to: string; period: Period; reason: string },
): Promise<MoveOutcome> {
  const { currency } = settings;
  if (req.amountMinor <= 0n)
    throw new UserError('invalid', 'the amount to move must be more than zero', { field: 'amount' });
  const from = await resolveCategory(mo, req.from);
  const to = canonicalCategory(normalizeCategory(req.to), await knownCategories(mo));
  if (categoryKey(from) === categoryKey(to))
    throw new UserError('invalid', `${from} is both the giving and the receiving category`);
  const lines = (await mo.budgets.linesOverlapping(req.period)).filter((l) => l.period === req.period.key);
  const fromLine = lines.find((l) => categoryKey(l.category) === categoryKey(from));
  const toLine = lines.find((l) => categoryKey(l.category) === categoryKey(to));
  if (!fromLine) {
    throw new UserError('invalid', `${from} has no plan line for ${req.period.key} to move budget from.`, {
      field: 'from',
    });
  }
  const fromOwner = fromLine.ownerUserId;
  const toOwner = toLine?.ownerUserId ?? null;
  if (!req.isAdmin && req.actor !== fromOwner && req.actor !== toOwner) {
    throw new UserError(
      'refused',
      `Only the owner of ${fromLine.category} or ${toLine?.category ?? to} in ${req.period.key}, or an admin, can ask to move budget between them.`,
    );
  }
  checkLimits(
    req.amountMinor,
    { category: fromLine.category, linePlanned: fromLine.plannedMinor },
    await headroom(mo, settings, fromLine.category, req.period),
    req.period,
    currency,
  );
  const now = mo.clock();
  const created = await mo.moves.create({
    amountMinor: req.amountMinor,
    fromCategory: fromLine.category,
    toCategory: toLine?.category ?? to,
    period: req.period,
    reason: req.reason.trim(),
    requestedBy: req.actor,
    fromOwner,
    toOwner,
    expiresAt: new Date(now.getTime() + MOVE_EXPIRY_DAYS * 86_400_000),
  });
  const auto = settings.moveAutoApproveMinor > 0n && req.amountMinor <= settings.moveAutoApproveMinor;
  // The requester's own sides count as approved; under the threshold, both do.
  const sides: MoveSide[] = auto ? ['from', 'to'] : sidesFor(created, req);
  const move = sides.length
    ? await mo.moves.approve(created.id, sides, auto ? 'auto-approve' : req.actor, now)
    : created;
  return settle(mo, settings, move ?? created, req.actor);
}

/** Applies a move both sides have approved; otherwise says who is still to approve. */
async function settle(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  move: BudgetMoveRow,
  actor: string,
): Promise<MoveOutcome> {
  if (!move.fromApprovedBy || !move.toApprovedBy) {
    return { move, applied: false, approvers: pendingApprovers(move, settings) };
  }
  const period = { key: move.period, start: move.periodStart, end: move.periodEnd } as Period;
  const room = await headroom(mo, settings, move.fromCategory, period);
  const applied = await mo.moves.apply(move.id, actor, mo.clock(), async (fromAfter) =>
    checkLimits(
      move.amountMinor,
      { category: move.fromCategory, linePlanned: fromAfter + move.amountMinor },
      room,
      period,
      settings.currency,
    ),
  );
  if (applied) mo.figuresChanged();
  const after = (await mo.moves.get(move.id)) as BudgetMoveRow;
  return { move: after, applied: applied !== null, approvers: [] };
}

async function pendingMove(mo: WorkspaceMo, id: string) {
  const now = mo.clock();
  await mo.moves.expireOverdue(now);
  const move = await mo.moves.get(id);
  if (!move) throw new UserError('not_found', 'That budget move request does not exist in this workspace.');
  if (move.status !== 'pending') {
    throw new UserError('conflict', `This request to move budget is already ${move.status}.`);
  }
  return { move, now };
}

export async function approveMove(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  id: string,
  who: Actor,
): Promise<MoveOutcome> {
  const { move, now } = await pendingMove(mo, id);
  const sides = sidesFor(move, who);
  if (!sides.length) {
    if (
      (approves(move.fromOwner, who) && move.fromApprovedBy) ||
      (approves(move.toOwner, who) && move.toApprovedBy)
    ) {
      // Approved already; the other side may have approved since: settle again.
      return settle(mo, settings, move, who.actor);
    }
    throw new UserError(
      'refused',
      'Only the owners of the two lines (an admin for a line without one) can approve this move.',
    );
  }
  const approved = await mo.moves.approve(id, sides, who.actor, now);
  if (!approved)
    throw new UserError('conflict', 'This request to move budget was decided or expired meanwhile.');
  return settle(mo, settings, approved, who.actor);
}

export async function rejectMove(
  mo: WorkspaceMo,
  _settings: WorkspaceSettings,
  id: string,
  who: Actor & { reason: string },
): Promise<BudgetMoveRow> {
  const reason = who.reason.trim();
  const { move, now } = await pendingMove(mo, id);
  if (!approves(move.fromOwner, who) && !approves(move.toOwner, who)) {
    throw new UserError(
      'refused',
      'Only the owners of the two lines (an admin for a line without one) can reject this move.',
    );
  }
  if (!reason) throw new UserError('invalid', 'Say why the move is rejected.', { field: 'reason' });
  const rejected = await mo.moves.reject(id, who.actor, reason.slice(0, 500), now);
  if (!rejected)
    throw new UserError('conflict', 'This request to move budget was decided or expired meanwhile.');
  return rejected;
}

export type { BudgetMoveRow };

/**
 * Open requests waiting for `who`'s decision: a side whose line they own (an admin: a side
 * without an owner) that nobody has approved yet. The Home tab lists them with the DM's buttons.
 */
export async function movesAwaiting(mo: WorkspaceMo, who: Actor): Promise<BudgetMoveRow[]> {
  return (await openMoves(mo)).filter((m) => sidesFor(m, who).length > 0);
}

/** Requests still open (those past their 14 days are expired first). */
export async function openMoves(mo: WorkspaceMo) {
  await mo.moves.expireOverdue(mo.clock());
  return mo.moves.open();
}
