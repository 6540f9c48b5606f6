// Budget lines: one planned amount per (period, category).
import type { IsoDate, Period } from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import { type Db, Prisma } from './client.js';
import { clockStamped } from './stamps.js';

export interface BudgetLineInput {
  teamId: string;
  period: Period;
  category: string;
  plannedMinor: bigint;
  ownerUserId?: string | null;
  /** Weights per month (`40;30;30`), null for calendar days; undefined keeps what is set. */
  phasing?: string | null;
}

/** What a budget view is made of for a range: its plan lines, spend per month, estimates. */
export interface MonthCellSources {
  lines: {
    period: string;
    periodStart: string;
    periodEnd: string;
    category: string;
    plannedMinor: bigint;
    phasing: string | null;
  }[];
  /** Actual dated before `asOf`'s month, and in it through `asOf`; committed in the month. */
  spent: { category: string; month: string; actual: bigint; committed: bigint }[];
  estimates: { category: string; month: string; amountMinor: bigint }[];
}

// Drivers return SUM and BIGINT columns as bigint, number or numeric text: read all exactly.
const exact = (v: unknown) => BigInt(typeof v === 'bigint' ? v : String(v ?? 0));
const KIND_RANK = { line: 1, month: 2, day: 3, estimate: 4 } as const;

export interface BudgetLineView {
  period: string;
  category: string;
  plannedMinor: bigint;
  ownerUserId: string | null;
  phasing: string | null;
}

const view = (row: BudgetLineView | null): BudgetLineView | null =>
  row && {
    period: row.period,
    category: row.category,
    plannedMinor: row.plannedMinor,
    ownerUserId: row.ownerUserId,
    phasing: row.phasing,
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
          ...(input.phasing !== undefined ? { phasing: input.phasing } : {}),
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
     * Every line whose months overlap [start, end], whatever fiscal calendar it was set in:
     * plans keep their own dates, and views take the phased months that fall inside them.
     */
    linesOverlapping(teamId: string, range: Pick<Period, 'start' | 'end'>) {
      return db.budgetLine.findMany({
        where: { teamId, periodStart: { lte: range.end }, periodEnd: { gte: range.start } },
        select: {
          id: true,
          period: true,
          periodStart: true,
          periodEnd: true,
          category: true,
          ownerUserId: true,
          plannedMinor: true,
          phasing: true,
        },
        orderBy: [{ category: 'asc' }, { periodStart: 'asc' }],
      });
    },

    /**
     * linesOverlapping, the month rollup summed as `spend.monthSums` does and estimatesWithin,
     * in ONE statement: a budget view is the hottest read, and each statement costs far more
     * CPU in Prisma and the driver (about 1 ms) than the database spends answering it.
     */
    async monthCells(
      teamId: string,
      range: Pick<Period, 'start' | 'end'>,
      asOf: IsoDate,
    ): Promise<MonthCellSources> {
      const first = range.start.slice(0, 7);
      const last = range.end.slice(0, 7);
      const asOfMonth = asOf.slice(0, 7);
      // This month's actual runs through `asOf` only: it comes from the daily rollup.
      const thisMonth =
        asOfMonth >= first && asOfMonth <= last
          ? Prisma.sql`
          UNION ALL
          SELECT 3, "category", ${asOfMonth}, NULL, NULL, NULL, NULL,
            CAST(SUM("amountMinor") AS BIGINT), CAST(0 AS BIGINT)
          FROM "SpendDaily"
          WHERE "teamId" = ${teamId} AND "status" = 'actual'
            AND "date" >= ${`${asOfMonth}-01`} AND "date" <= ${asOf}
          GROUP BY "category"`
          : Prisma.empty;
      const rows = await db.$queryRaw<
        {
          kind: unknown;
          category: string;
          month: string | null;
          period: string | null;
          periodStart: string | null;
          periodEnd: string | null;
          phasing: string | null;
          amount: unknown;
          committed: unknown;
        }[]
      >`
        SELECT 1 AS "kind", "category", NULL AS "month", "period", "periodStart", "periodEnd", "phasing",
          CAST("plannedMinor" AS BIGINT) AS "amount", CAST(0 AS BIGINT) AS "committed"
        FROM "BudgetLine"
        WHERE "teamId" = ${teamId} AND "periodStart" <= ${range.end} AND "periodEnd" >= ${range.start}
        UNION ALL
        SELECT 2, "category", "month", NULL, NULL, NULL, NULL,
          CAST(SUM(CASE WHEN "status" = 'actual' AND "month" < ${asOfMonth} THEN "amountMinor" ELSE 0 END) AS BIGINT),
          CAST(SUM(CASE WHEN "status" = 'committed' THEN "amountMinor" ELSE 0 END) AS BIGINT)
        FROM "SpendMonthly"
        WHERE "teamId" = ${teamId} AND "month" >= ${first} AND "month" <= ${last}
        GROUP BY "category", "month"
        ${thisMonth}
        UNION ALL
        SELECT 4, "category", "month", NULL, NULL, NULL, NULL, CAST("amountMinor" AS BIGINT), CAST(0 AS BIGINT)
        FROM "LatestEstimate"
        WHERE "teamId" = ${teamId} AND "month" >= ${first} AND "month" <= ${last}
        ORDER BY 1, 2, 5`;
      const out: MonthCellSources = { lines: [], spent: [], estimates: [] };
      for (const r of rows) {
        switch (Number(r.kind)) {
          case KIND_RANK.line:
            out.lines.push({
              period: r.period as string,
              periodStart: r.periodStart as string,
              periodEnd: r.periodEnd as string,
              category: r.category,
              plannedMinor: exact(r.amount),
              phasing: r.phasing,
            });
            break;
          case KIND_RANK.month:
          case KIND_RANK.day:
            out.spent.push({
              category: r.category,
              month: r.month as string,
              actual: exact(r.amount),
              committed: exact(r.committed),
            });
            break;
          case KIND_RANK.estimate:
            out.estimates.push({
              category: r.category,
              month: r.month as string,
              amountMinor: exact(r.amount),
            });
            break;
        }
      }
      return out;
    },

    /** Every budget line a period's plan is made of, for owners and exports. */
    linesWithin(teamId: string, period: Pick<Period, 'start' | 'end'>) {
      return db.budgetLine.findMany({
        where: { teamId, periodStart: { gte: period.start }, periodEnd: { lte: period.end } },
        orderBy: [{ category: 'asc' }, { periodStart: 'asc' }],
      });
    },

    /** Latest estimates for the months of [start, end]. */
    estimatesWithin(teamId: string, range: Pick<Period, 'start' | 'end'>) {
      return db.latestEstimate.findMany({
        where: { teamId, month: { gte: range.start.slice(0, 7), lte: range.end.slice(0, 7) } },
        select: { category: true, month: true, amountMinor: true },
      });
    },

    /**
     * Replaces a category's latest estimates for `months` with `amounts` (none: clears them),
     * audited as one change. Returns the estimates before.
     */
    async replaceEstimates(
      input: {
        teamId: string;
        category: string;
        period: string;
        months: string[];
        amounts: { month: string; amountMinor: bigint }[];
      },
      actor: string,
    ) {
      return db.$transaction(async (tx) => {
        const where = { teamId: input.teamId, category: input.category, month: { in: input.months } };
        const before = await tx.latestEstimate.findMany({
          where,
          select: { month: true, amountMinor: true, period: true, setBy: true },
          orderBy: { month: 'asc' },
        });
        if (!before.length && !input.amounts.length) return before;
        await tx.latestEstimate.deleteMany({ where });
        if (input.amounts.length) {
          await tx.latestEstimate.createMany({
            data: input.amounts.map((a) =>
              clockStamped({
                teamId: input.teamId,
                category: input.category,
                month: a.month,
                amountMinor: a.amountMinor,
                period: input.period,
                setBy: actor,
              }),
            ),
          });
        }
        await recordAudit(tx as Db, {
          teamId: input.teamId,
          actor,
          action: input.amounts.length ? 'forecast.set' : 'forecast.clear',
          entity: 'latest_estimate',
          entityId: `${input.category}|${input.period}`,
          before: before.length ? before : null,
          after: input.amounts.length ? input.amounts : null,
        });
        return before;
      });
    },

    /** The categories of the lines this person owns (spend_entry: owners). */
    async ownedCategories(teamId: string, ownerUserId: string): Promise<string[]> {
      const owned = await db.budgetLine.findMany({
        where: { teamId, ownerUserId },
        select: { category: true },
        distinct: ['category'],
      });
      return owned.map((l) => l.category);
    },

    async categories(teamId: string): Promise<string[]> {
      const groups = await db.budgetLine.groupBy({ by: ['category'], where: { teamId } });
      return groups.map((g) => g.category);
    },
  };
}

export type BudgetRepository = ReturnType<typeof budgetRepository>;
