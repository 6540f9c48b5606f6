// Spend rows (actual and committed), keyed for idempotent imports.
import type { IsoDate } from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export type SpendStatus = 'actual' | 'committed';

export interface SpendInput {
  teamId: string;
  date: IsoDate;
  amountMinor: bigint;
  status: SpendStatus;
  category: string;
  campaign: string;
  vendor: string;
  source: string;
  idempotencyKey: string;
}

export interface SpendSums {
  category: string;
  actual: bigint;
  committed: bigint;
  actualToDate: bigint;
}

/** Adds one spend row to the daily rollup, inside the caller's transaction. */
export async function addToRollup(
  tx: Db,
  row: Pick<SpendInput, 'teamId' | 'date' | 'category' | 'status' | 'amountMinor'>,
): Promise<void> {
  const { teamId, date, category, status, amountMinor } = row;
  await tx.spendDaily.upsert({
    where: { teamId_date_category_status: { teamId, date, category, status } },
    create: { teamId, date, category, status, amountMinor },
    update: { amountMinor: { increment: amountMinor } },
  });
}

/** A where clause for a category and everything under it (`Paid Media` takes `Paid Media/Search`). */
export function categoryWithin(category: string | undefined) {
  if (category === undefined) return {};
  return { OR: [{ category }, { category: { startsWith: `${category}/` } }] };
}

export function spendRepository(db: Db) {
  return {
    /**
     * Sums per category for [start, end], and actual through `today` for the run rate, in one
     * pass over the daily rollup (SpendDaily, kept with every spend write), not the spend rows.
     */
    async sumsByCategory(teamId: string, start: IsoDate, end: IsoDate, today: IsoDate): Promise<SpendSums[]> {
      const rows = await db.$queryRaw<
        { category: string; actual: unknown; committed: unknown; actualToDate: unknown }[]
      >`SELECT "category",
          CAST(SUM(CASE WHEN "status" = 'actual' THEN "amountMinor" ELSE 0 END) AS BIGINT) AS "actual",
          CAST(SUM(CASE WHEN "status" = 'committed' THEN "amountMinor" ELSE 0 END) AS BIGINT) AS "committed",
          CAST(SUM(CASE WHEN "status" = 'actual' AND "date" <= ${today} THEN "amountMinor" ELSE 0 END) AS BIGINT) AS "actualToDate"
        FROM "SpendDaily"
        WHERE "teamId" = ${teamId} AND "date" >= ${start} AND "date" <= ${end}
        GROUP BY "category"`;
      // Drivers return SUM as bigint, number or numeric text: read all three exactly.
      const exact = (v: unknown) => BigInt(typeof v === 'bigint' ? v : String(v ?? 0));
      return rows.map((r) => ({
        category: r.category,
        actual: exact(r.actual),
        committed: exact(r.committed),
        actualToDate: exact(r.actualToDate),
      }));
    },

    /** Actual spend per day and category in [start, end] (the burn-up's data), from the rollup. */
    async dailyActual(teamId: string, start: IsoDate, end: IsoDate) {
      const rows = await db.spendDaily.groupBy({
        by: ['date', 'category'],
        where: { teamId, status: 'actual', date: { gte: start, lte: end } },
        _sum: { amountMinor: true },
      });
      return rows.map((r) => ({ date: r.date, category: r.category, amount: r._sum.amountMinor ?? 0n }));
    },

    /** Actual spend per category in [start, end] (optionally within one category), from the rollup. */
    async actualByCategory(teamId: string, start: IsoDate, end: IsoDate, within?: string) {
      const rows = await db.spendDaily.groupBy({
        by: ['category'],
        where: { teamId, status: 'actual', date: { gte: start, lte: end }, ...categoryWithin(within) },
        _sum: { amountMinor: true },
      });
      return rows.map((r) => ({ category: r.category, amount: r._sum.amountMinor ?? 0n }));
    },

    /**
     * Actual spend per category and campaign in [start, end] (optionally within one category):
     * the rollup has no campaigns, so this one reads the spend rows' covering index.
     */
    async actualByCampaign(teamId: string, start: IsoDate, end: IsoDate, within?: string) {
      const rows = await db.spend.groupBy({
        by: ['category', 'campaign'],
        where: { teamId, status: 'actual', date: { gte: start, lte: end }, ...categoryWithin(within) },
        _sum: { amountMinor: true },
      });
      return rows.map((r) => ({
        category: r.category,
        campaign: r.campaign,
        amount: r._sum.amountMinor ?? 0n,
      }));
    },

    /** One spend entry typed by a person (/mo spend add or its modal), audited. */
    async add(input: SpendInput, actor: string) {
      return db.$transaction(async (tx) => {
        const row = await tx.spend.create({ data: clockStamped(input) });
        await addToRollup(tx as Db, input);
        await recordAudit(tx as Db, {
          teamId: input.teamId,
          actor,
          action: 'spend.create',
          entity: 'spend',
          entityId: row.id,
          after: { ...input },
        });
        return row;
      });
    },

    async categories(teamId: string): Promise<string[]> {
      const groups = await db.spendDaily.groupBy({ by: ['category'], where: { teamId } });
      return groups.map((g) => g.category);
    },
  };
}

export type SpendRepository = ReturnType<typeof spendRepository>;
