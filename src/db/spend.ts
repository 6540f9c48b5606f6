// Spend rows (actual and committed), keyed for idempotent imports.
import type { IsoDate } from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';

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

export function spendRepository(db: Db) {
  return {
    /** Sums per category for [start, end], and actual through `today` for the run rate. */
    async sumsByCategory(teamId: string, start: IsoDate, end: IsoDate, today: IsoDate): Promise<SpendSums[]> {
      const toDate = today < end ? today : end;
      // Reads the daily rollup (SpendDaily), kept with every spend write, not the spend rows.
      const [byStatus, actualToDate] = await Promise.all([
        db.spendDaily.groupBy({
          by: ['category', 'status'],
          where: { teamId, date: { gte: start, lte: end } },
          _sum: { amountMinor: true },
        }),
        toDate >= start
          ? db.spendDaily.groupBy({
              by: ['category'],
              where: { teamId, status: 'actual', date: { gte: start, lte: toDate } },
              _sum: { amountMinor: true },
            })
          : Promise.resolve([]),
      ]);
      const sums = new Map<string, SpendSums>();
      const entry = (category: string) => {
        let s = sums.get(category);
        if (!s) {
          s = { category, actual: 0n, committed: 0n, actualToDate: 0n };
          sums.set(category, s);
        }
        return s;
      };
      for (const g of byStatus) {
        const amount = g._sum.amountMinor ?? 0n;
        if (g.status === 'actual') entry(g.category).actual += amount;
        else entry(g.category).committed += amount;
      }
      for (const g of actualToDate) entry(g.category).actualToDate += g._sum.amountMinor ?? 0n;
      return [...sums.values()];
    },

    /** One spend entry typed by a person (/mo spend add or its modal), audited. */
    async add(input: SpendInput, actor: string) {
      return db.$transaction(async (tx) => {
        const row = await tx.spend.create({ data: input });
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
