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

/** Adds one spend row to the daily and monthly rollups, inside the caller's transaction. */
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
  const month = date.slice(0, 7);
  await tx.spendMonthly.upsert({
    where: { teamId_month_category_status: { teamId, month, category, status } },
    create: { teamId, month, category, status, amountMinor },
    update: { amountMinor: { increment: amountMinor } },
  });
}

export interface SpendMonthSums {
  category: string;
  /** YYYY-MM */
  month: string;
  actual: bigint;
  committed: bigint;
}

// Drivers return SUM as bigint, number or numeric text: read all three exactly.
const exact = (v: unknown) => BigInt(typeof v === 'bigint' ? v : String(v ?? 0));

export function spendRepository(db: Db) {
  return {
    /**
     * Per category and calendar month of [start, end] (whole months): actual dated on or
     * before `asOf` and committed dated in the month. Months before asOf's month are read
     * from the monthly rollup (a year is a few hundred rows, not a row per day); asOf's own
     * month from the daily one, to leave out what is dated after asOf.
     */
    async monthSums(teamId: string, start: IsoDate, end: IsoDate, asOf: IsoDate): Promise<SpendMonthSums[]> {
      const asOfMonth = asOf.slice(0, 7);
      const [months, days] = await Promise.all([
        db.$queryRaw<{ category: string; month: string; actual: unknown; committed: unknown }[]>`
          SELECT "category", "month",
            CAST(SUM(CASE WHEN "status" = 'actual' AND "month" < ${asOfMonth} THEN "amountMinor" ELSE 0 END) AS BIGINT) AS "actual",
            CAST(SUM(CASE WHEN "status" = 'committed' THEN "amountMinor" ELSE 0 END) AS BIGINT) AS "committed"
          FROM "SpendMonthly"
          WHERE "teamId" = ${teamId} AND "month" >= ${start.slice(0, 7)} AND "month" <= ${end.slice(0, 7)}
          GROUP BY "category", "month"`,
        asOfMonth >= start.slice(0, 7) && asOfMonth <= end.slice(0, 7)
          ? db.$queryRaw<{ category: string; actual: unknown }[]>`
              SELECT "category", CAST(SUM("amountMinor") AS BIGINT) AS "actual"
              FROM "SpendDaily"
              WHERE "teamId" = ${teamId} AND "status" = 'actual'
                AND "date" >= ${`${asOfMonth}-01`} AND "date" <= ${asOf}
              GROUP BY "category"`
          : Promise.resolve([]),
      ]);
      const out = months.map((r) => ({
        category: r.category,
        month: r.month,
        actual: exact(r.actual),
        committed: exact(r.committed),
      }));
      for (const d of days)
        out.push({ category: d.category, month: asOfMonth, actual: exact(d.actual), committed: 0n });
      return out;
    },

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
