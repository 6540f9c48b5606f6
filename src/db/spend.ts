// Spend rows (actual and committed), keyed for idempotent imports, with the daily rollup and
// the commitments they name kept in step in the same transaction as every write.
import type { Clock } from '../clock.js';
import type { IsoDate } from '../domain/calendar.js';
import {
  applyLedgerChanges,
  closeCommitment,
  type LedgerChange,
  type LedgerRow,
  type RollupCell,
} from '../domain/commitments.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { prismaCommitmentStore } from './commitments.js';
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
  commitmentId?: string | null;
  /** A Slack user id, `cli`: who may correct or undo it. */
  enteredBy?: string;
}

export interface SpendSums {
  category: string;
  actual: bigint;
  committed: bigint;
  actualToDate: bigint;
}

/** A stored spend row as lists, corrections and the audit trail show it. */
export interface SpendEntryView {
  id: string;
  date: string;
  amountMinor: bigint;
  status: SpendStatus;
  category: string;
  campaign: string;
  vendor: string;
  source: string;
  commitmentId: string | null;
  enteredBy: string;
  createdAt: Date;
}

/** The fields a correction may change. */
export interface SpendPatch {
  amountMinor?: bigint;
  date?: IsoDate;
  category?: string;
  campaign?: string;
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

const ledgerRow = (r: {
  idempotencyKey: string;
  date: string;
  category: string;
  status: string;
  amountMinor: bigint;
  commitmentId?: string | null;
}): LedgerRow => ({
  key: r.idempotencyKey,
  date: r.date,
  category: r.category,
  status: r.status === 'committed' ? 'committed' : 'actual',
  amountMinor: r.amountMinor,
  commitmentId: r.commitmentId ?? null,
});

const entryView = (r: SpendEntryView): SpendEntryView => ({
  id: r.id,
  date: r.date,
  amountMinor: r.amountMinor,
  status: r.status === 'committed' ? 'committed' : 'actual',
  category: r.category,
  campaign: r.campaign,
  vendor: r.vendor,
  source: r.source,
  commitmentId: r.commitmentId,
  enteredBy: r.enteredBy,
  createdAt: r.createdAt,
});

/** Applies ledger changes to the commitments and the rollup, inside the caller's transaction. */
async function applyChanges(tx: Db, teamId: string, now: Date, actor: string, changes: LedgerChange[]) {
  const store = prismaCommitmentStore(tx, now);
  const ids = [
    ...new Set(changes.flatMap((c) => [c.before?.commitmentId, c.after?.commitmentId]).filter(Boolean)),
  ] as string[];
  const commitments = await store.load(teamId, ids);
  const { cells, touched } = applyLedgerChanges(changes, commitments);
  await store.save(teamId, touched, actor);
  await writeCells(tx, teamId, cells);
}

async function writeCells(tx: Db, teamId: string, cells: RollupCell[]) {
  for (const cell of cells) await addToRollup(tx, { teamId, ...cell });
}

export function spendRepository(db: Db, clock?: Clock) {
  const now = () => {
    if (!clock) throw new Error('spend writes need Mo’s clock');
    return clock();
  };
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
     * Committed is the open amount of commitments (src/domain/commitments.ts).
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

    /**
     * Actual and open committed per day and category in [start, end], from the rollup: the
     * figures every report is made of, for work that needs them by day (phased plans).
     */
    async dailyFigures(teamId: string, start: IsoDate, end: IsoDate) {
      const rows = await db.spendDaily.findMany({
        where: { teamId, date: { gte: start, lte: end } },
        select: { date: true, category: true, status: true, amountMinor: true },
        orderBy: [{ date: 'asc' }, { category: 'asc' }],
      });
      return rows.map((r) => ({
        date: r.date,
        category: r.category,
        status: r.status as SpendStatus,
        amount: r.amountMinor,
      }));
    },

    /** One spend entry typed by a person (/mo spend add or its modal), audited. */
    async add(input: SpendInput, actor: string) {
      return db.$transaction(async (tx) => {
        const row = await tx.spend.create({
          data: clockStamped({
            ...input,
            commitmentId: input.commitmentId ?? null,
            enteredBy: input.enteredBy ?? actor,
          }),
        });
        await applyChanges(tx as Db, input.teamId, now(), actor, [{ after: ledgerRow(row) }]);
        await recordAudit(tx as Db, {
          teamId: input.teamId,
          actor,
          action: 'spend.create',
          entity: 'spend',
          entityId: row.id,
          after: entryView(row as SpendEntryView),
        });
        return entryView(row as SpendEntryView);
      });
    },

    /** Entries whose id is `ref` or ends with it (the short id lists show), at most a few. */
    async find(teamId: string, ref: string): Promise<SpendEntryView[]> {
      const rows = await db.spend.findMany({
        where: { teamId, OR: [{ id: ref }, { id: { endsWith: ref } }] },
        take: 3,
      });
      return rows.map((r) => entryView(r as SpendEntryView));
    },

    /** Corrects a row in place: the rollup and its commitment follow; audited before and after. */
    async update(teamId: string, id: string, patch: SpendPatch, actor: string) {
      return db.$transaction(async (tx) => {
        const old = await tx.spend.findFirst({ where: { teamId, id } });
        if (!old) return null;
        const row = await tx.spend.update({ where: { id }, data: patch });
        await applyChanges(tx as Db, teamId, now(), actor, [
          { before: ledgerRow(old), after: ledgerRow(row) },
        ]);
        const before = entryView(old as SpendEntryView);
        const after = entryView(row as SpendEntryView);
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'spend.update',
          entity: 'spend',
          entityId: id,
          before,
          after,
        });
        return { before, after };
      });
    },

    /** Removes a row (delete or undo): the rollup and its commitment follow; audited. */
    async remove(teamId: string, id: string, actor: string, action: 'spend.delete' | 'spend.undo') {
      return db.$transaction(async (tx) => {
        const old = await tx.spend.findFirst({ where: { teamId, id } });
        if (!old) return null;
        await tx.spend.delete({ where: { id } });
        await applyChanges(tx as Db, teamId, now(), actor, [{ before: ledgerRow(old) }]);
        const before = entryView(old as SpendEntryView);
        await recordAudit(tx as Db, { teamId, actor, action, entity: 'spend', entityId: id, before });
        return before;
      });
    },

    /** Closes a commitment: nothing of it stays open. Null when no row names it. */
    async closeCommitment(teamId: string, commitmentId: string, actor: string) {
      return db.$transaction(async (tx) => {
        const store = prismaCommitmentStore(tx as Db, now());
        const c = (await store.load(teamId, [commitmentId])).get(commitmentId);
        if (!c) return null;
        if (c.closed) return { commitment: c, already: true };
        const cells = closeCommitment(c);
        await store.save(teamId, [c], actor);
        await writeCells(tx as Db, teamId, cells);
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'commitment.close',
          entity: 'commitment',
          entityId: commitmentId,
          before: { closed: false },
          after: { closed: true },
        });
        return { commitment: c, already: false };
      });
    },

    /**
     * Entries newest first (ids are time-ordered), optionally dated in [start, end] and in a
     * category or under it; one more than `take` tells whether another page follows.
     */
    async list(
      teamId: string,
      query: { start?: IsoDate; end?: IsoDate; category?: string | null; skip?: number; take: number },
    ): Promise<SpendEntryView[]> {
      const rows = await db.spend.findMany({
        where: {
          teamId,
          ...(query.start || query.end
            ? {
                date: {
                  ...(query.start ? { gte: query.start } : {}),
                  ...(query.end ? { lte: query.end } : {}),
                },
              }
            : {}),
          ...(query.category
            ? { OR: [{ category: query.category }, { category: { startsWith: `${query.category}/` } }] }
            : {}),
        },
        orderBy: { id: 'desc' },
        skip: query.skip ?? 0,
        take: query.take,
      });
      return rows.map((r) => entryView(r as SpendEntryView));
    },

    /** The person's latest entry typed in Slack or the CLI since `since` (for undo). */
    async lastEntryBy(teamId: string, userId: string, since: Date): Promise<SpendEntryView | null> {
      const row = await db.spend.findFirst({
        where: { teamId, enteredBy: userId, source: { in: ['manual', 'cli'] }, createdAt: { gte: since } },
        orderBy: { id: 'desc' },
      });
      return row && entryView(row as SpendEntryView);
    },

    async categories(teamId: string): Promise<string[]> {
      const groups = await db.spendDaily.groupBy({ by: ['category'], where: { teamId } });
      return groups.map((g) => g.category);
    },
  };
}

export type SpendRepository = ReturnType<typeof spendRepository>;
