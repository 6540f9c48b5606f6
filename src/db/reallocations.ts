// Budget moves: requests to move plan between two categories' lines in a period, and the
// one transaction that changes both lines when both sides have approved.
import type { Period } from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export type MoveStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export type MoveSide = 'from' | 'to';

export interface MoveInput {
  teamId: string;
  amountMinor: bigint;
  fromCategory: string;
  toCategory: string;
  period: Period;
  reason: string;
  requestedBy: string;
  fromOwner: string | null;
  toOwner: string | null;
  expiresAt: Date;
}

export function reallocationRepository(db: Db) {
  return {
    async create(input: MoveInput) {
      return db.$transaction(async (tx) => {
        const row = await tx.budgetMove.create({
          data: clockStamped({
            teamId: input.teamId,
            amountMinor: input.amountMinor,
            fromCategory: input.fromCategory,
            toCategory: input.toCategory,
            period: input.period.key,
            periodStart: input.period.start,
            periodEnd: input.period.end,
            reason: input.reason,
            requestedBy: input.requestedBy,
            fromOwner: input.fromOwner,
            toOwner: input.toOwner,
            status: 'pending',
            expiresAt: input.expiresAt,
          }),
        });
        await recordAudit(tx as Db, {
          teamId: input.teamId,
          actor: input.requestedBy,
          action: 'budget.move.request',
          entity: 'budget_move',
          entityId: row.id,
          after: {
            amountMinor: input.amountMinor,
            from: input.fromCategory,
            to: input.toCategory,
            period: input.period.key,
            reason: input.reason,
          },
        });
        return row;
      });
    },

    get(teamId: string, id: string) {
      return db.budgetMove.findFirst({ where: { teamId, id } });
    },

    /** Pending requests past their expiry become expired (one conditional write). */
    async expireOverdue(teamId: string, now: Date) {
      await db.budgetMove.updateMany({
        where: { teamId, status: 'pending', expiresAt: { lt: now } },
        data: { status: 'expired', decidedAt: now },
      });
    },

    open(teamId: string) {
      return db.budgetMove.findMany({
        where: { teamId, status: 'pending' },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },

    /**
     * Records an approval of some sides, only while the request is still pending. Returns the
     * request after, or null when it was no longer pending.
     */
    async approve(teamId: string, id: string, sides: MoveSide[], actor: string, now: Date) {
      const data = {
        ...(sides.includes('from') ? { fromApprovedBy: actor, fromApprovedAt: now } : {}),
        ...(sides.includes('to') ? { toApprovedBy: actor, toApprovedAt: now } : {}),
      };
      return db.$transaction(async (tx) => {
        const { count } = await tx.budgetMove.updateMany({
          where: { teamId, id, status: 'pending', expiresAt: { gte: now } },
          data,
        });
        if (count !== 1) return null;
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'budget.move.approve',
          entity: 'budget_move',
          entityId: id,
          after: { sides },
        });
        return tx.budgetMove.findFirstOrThrow({ where: { teamId, id } });
      });
    },

    async reject(teamId: string, id: string, actor: string, reason: string, now: Date) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.budgetMove.updateMany({
          where: { teamId, id, status: 'pending', expiresAt: { gte: now } },
          data: { status: 'rejected', decidedBy: actor, decidedAt: now, rejectReason: reason },
        });
        if (count !== 1) return null;
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'budget.move.reject',
          entity: 'budget_move',
          entityId: id,
          after: { reason },
        });
        return tx.budgetMove.findFirstOrThrow({ where: { teamId, id } });
      });
    },

    /**
     * Both sides approved: the giving line loses the amount and the receiving line gains it
     * (created without an owner when it has none), in one transaction with the request's
     * status, each line change audited. `check` runs inside the transaction against the
     * giving line's plan after the move and may throw to change nothing.
     */
    async apply(
      teamId: string,
      id: string,
      actor: string,
      now: Date,
      check: (fromPlannedAfter: bigint) => Promise<void>,
    ) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.budgetMove.updateMany({
          where: {
            teamId,
            id,
            status: 'pending',
            fromApprovedBy: { not: null },
            toApprovedBy: { not: null },
          },
          data: { status: 'approved', decidedBy: actor, decidedAt: now },
        });
        if (count !== 1) return null;
        const move = await tx.budgetMove.findFirstOrThrow({ where: { teamId, id } });
        const key = (category: string) => ({
          teamId_period_category: { teamId, period: move.period, category },
        });
        const from = await tx.budgetLine.findUniqueOrThrow({ where: key(move.fromCategory) });
        await check(from.plannedMinor - move.amountMinor);
        const to = await tx.budgetLine.findUnique({ where: key(move.toCategory) });
        const fromAfter = await tx.budgetLine.update({
          where: { id: from.id },
          data: { plannedMinor: from.plannedMinor - move.amountMinor },
        });
        const toAfter = to
          ? await tx.budgetLine.update({
              where: { id: to.id },
              data: { plannedMinor: to.plannedMinor + move.amountMinor },
            })
          : await tx.budgetLine.create({
              data: clockStamped({
                teamId,
                period: move.period,
                periodStart: move.periodStart,
                periodEnd: move.periodEnd,
                category: move.toCategory,
                plannedMinor: move.amountMinor,
              }),
            });
        const view = (l: {
          period: string;
          category: string;
          plannedMinor: bigint;
          ownerUserId: string | null;
        }) => ({
          period: l.period,
          category: l.category,
          plannedMinor: l.plannedMinor,
          ownerUserId: l.ownerUserId,
        });
        // Who asked and who approved are on the move; the lines' audit says which move.
        const by = `${actor} (move ${id}, asked by ${move.requestedBy})`;
        await recordAudit(tx as Db, {
          teamId,
          actor: by,
          action: 'budget.update',
          entity: 'budget_line',
          entityId: from.id,
          before: view(from),
          after: view(fromAfter),
        });
        await recordAudit(tx as Db, {
          teamId,
          actor: by,
          action: to ? 'budget.update' : 'budget.create',
          entity: 'budget_line',
          entityId: toAfter.id,
          before: to ? view(to) : null,
          after: view(toAfter),
        });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'budget.move.apply',
          entity: 'budget_move',
          entityId: id,
          after: {
            requestedBy: move.requestedBy,
            fromApprovedBy: move.fromApprovedBy,
            fromApprovedAt: move.fromApprovedAt,
            toApprovedBy: move.toApprovedBy,
            toApprovedAt: move.toApprovedAt,
            amountMinor: move.amountMinor,
          },
        });
        return move;
      });
    },
  };
}

export type ReallocationRepository = ReturnType<typeof reallocationRepository>;
export type BudgetMoveRow = NonNullable<Awaited<ReturnType<ReallocationRepository['get']>>>;
