// Budget lines: one planned amount per (period, category).
import type { Period } from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export interface BudgetLineInput {
  teamId: string;
  period: Period;
  category: string;
  plannedMinor: bigint;
  ownerUserId?: string | null;
}

export interface BudgetLineView {
  period: string;
  category: string;
  plannedMinor: bigint;
  ownerUserId: string | null;
}

const view = (row: BudgetLineView | null): BudgetLineView | null =>
  row && {
    period: row.period,
    category: row.category,
    plannedMinor: row.plannedMinor,
    ownerUserId: row.ownerUserId,
  };

export function budgetRepository(db: Db) {
  return {
    /** Creates or changes a budget line and audits it. Returns the line before and after. */
    async set(input: BudgetLineInput, actor: string) {
      return db.$transaction(async (tx) => {
        const where = {
          teamId_period_category: {
            teamId: input.teamId,
            period: input.period.key,
            category: input.category,
          },
        };
        const before = view(await tx.budgetLine.findUnique({ where }));
        const data = {
          plannedMinor: input.plannedMinor,
          periodStart: input.period.start,
          periodEnd: input.period.end,
          ...(input.ownerUserId !== undefined ? { ownerUserId: input.ownerUserId } : {}),
        };
        const row = await tx.budgetLine.upsert({
          where,
          create: clockStamped({
            teamId: input.teamId,
            period: input.period.key,
            category: input.category,
            ...data,
          }),
          update: data,
        });
        const after = view(row);
        await recordAudit(tx as Db, {
          teamId: input.teamId,
          actor,
          action: before ? 'budget.update' : 'budget.create',
          entity: 'budget_line',
          entityId: row.id,
          before,
          after,
        });
        return { before, after: after as BudgetLineView };
      });
    },

    /**
     * Planned amount per category for a period: the lines set for it and for the months and
     * quarters inside it (a line for a larger period does not count toward a smaller one).
     */
    async plannedByCategory(teamId: string, period: Pick<Period, 'start' | 'end'>) {
      const groups = await db.budgetLine.groupBy({
        by: ['category'],
        where: { teamId, periodStart: { gte: period.start }, periodEnd: { lte: period.end } },
        _sum: { plannedMinor: true },
      });
      return groups.map((g) => ({ category: g.category, planned: g._sum.plannedMinor ?? 0n }));
    },

    /** Every budget line a period's plan is made of, for owners and exports. */
    linesWithin(teamId: string, period: Pick<Period, 'start' | 'end'>) {
      return db.budgetLine.findMany({
        where: { teamId, periodStart: { gte: period.start }, periodEnd: { lte: period.end } },
        orderBy: [{ category: 'asc' }, { periodStart: 'asc' }],
      });
    },

    async categories(teamId: string): Promise<string[]> {
      const groups = await db.budgetLine.groupBy({ by: ['category'], where: { teamId } });
      return groups.map((g) => g.category);
    },
  };
}

export type BudgetRepository = ReturnType<typeof budgetRepository>;
