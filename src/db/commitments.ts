// Commitments (purchase orders) and their invoiced totals, kept in the same transaction as
// every spend write that names them: through Prisma for single entries and corrections, on the
// driver for imports. src/domain/commitments.ts says what the open amount is.
import {
  type CommitmentState,
  type CommitmentView,
  openAmount,
  viewCommitment,
} from '../domain/commitments.js';
import type { BulkSession } from './bulk.js';
import { inChunks, placeholders } from './bulk.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

/** Loads and saves commitment state inside one write transaction. */
export interface CommitmentStore {
  load(teamId: string, ids: string[]): Promise<Map<string, CommitmentState>>;
  save(teamId: string, states: CommitmentState[], actor: string): Promise<void>;
}

type StoredRow = {
  commitmentId: string;
  openingKey: string | null;
  date: string | null;
  category: string | null;
  committedMinor: bigint;
  invoicedMinor: bigint;
  closedAt: Date | null;
};

const state = (r: StoredRow): CommitmentState => ({
  commitmentId: r.commitmentId,
  openingKey: r.openingKey,
  date: r.date,
  category: r.category,
  committedMinor: r.committedMinor,
  invoicedMinor: r.invoicedMinor,
  closed: r.closedAt !== null,
});

/** The store over a Prisma client or transaction. */
export function prismaCommitmentStore(db: Db, now: Date): CommitmentStore {
  return {
    async load(teamId, ids) {
      const rows = ids.length
        ? await db.commitment.findMany({ where: { teamId, commitmentId: { in: ids } } })
        : [];
      return new Map(rows.map((r) => [r.commitmentId, state(r)]));
    },
    async save(teamId, states, actor) {
      for (const c of states) {
        const data = {
          openingKey: c.openingKey,
          date: c.date,
          category: c.category,
          committedMinor: c.committedMinor,
          invoicedMinor: c.invoicedMinor,
          openMinor: openAmount(c),
        };
        const where = { teamId_commitmentId: { teamId, commitmentId: c.commitmentId } };
        const old = await db.commitment.findUnique({ where, select: { closedAt: true, closedBy: true } });
        const closing = c.closed && !old?.closedAt;
        const closedFields = closing
          ? { closedAt: now, closedBy: actor }
          : c.closed
            ? {}
            : { closedAt: null, closedBy: null };
        if (old) await db.commitment.update({ where, data: { ...data, ...closedFields } });
        else
          await db.commitment.create({
            data: clockStamped({ teamId, commitmentId: c.commitmentId, ...data, ...closedFields }),
          });
      }
    },
  };
}

/** The store on an import's driver session (one statement per chunk of commitments). */
export function bulkCommitmentStore(session: BulkSession): CommitmentStore {
  const text = (col: string) =>
    session.provider === 'postgresql' ? `"${col}"::text AS "${col}"` : `"${col}"`;
  return {
    async load(teamId, ids) {
      const out = new Map<string, CommitmentState>();
      await inChunks(ids, async (part) => {
        const rows = await session.all<Record<string, unknown>>(
          `SELECT "commitmentId", "openingKey", "date", "category", ${text('committedMinor')}, ${text('invoicedMinor')},
             CASE WHEN "closedAt" IS NULL THEN 0 ELSE 1 END AS "closed"
           FROM "Commitment" WHERE "teamId" = ? AND "commitmentId" IN (${part.map(() => '?').join(', ')})`,
          [teamId, ...part],
        );
        for (const r of rows)
          out.set(String(r.commitmentId), {
            commitmentId: String(r.commitmentId),
            openingKey: (r.openingKey as string | null) ?? null,
            date: (r.date as string | null) ?? null,
            category: (r.category as string | null) ?? null,
            committedMinor: BigInt(r.committedMinor as string),
            invoicedMinor: BigInt(r.invoicedMinor as string),
            closed: Number(r.closed) === 1,
          });
      });
      return out;
    },
    async save(teamId, states, actor) {
      await inChunks(states, (part) =>
        session.run(
          `INSERT INTO "Commitment" ("teamId", "commitmentId", "openingKey", "date", "category", "committedMinor",
             "invoicedMinor", "openMinor", "closedAt", "closedBy", "createdAt", "updatedAt")
           VALUES ${placeholders(part.length, 12)}
           ON CONFLICT ("teamId", "commitmentId") DO UPDATE SET
             "openingKey" = excluded."openingKey", "date" = excluded."date", "category" = excluded."category",
             "committedMinor" = excluded."committedMinor", "invoicedMinor" = excluded."invoicedMinor",
             "openMinor" = excluded."openMinor",
             "closedAt" = CASE WHEN excluded."closedAt" IS NULL THEN NULL ELSE COALESCE("Commitment"."closedAt", excluded."closedAt") END,
             "closedBy" = CASE WHEN excluded."closedAt" IS NULL THEN NULL ELSE COALESCE("Commitment"."closedBy", excluded."closedBy") END,
             "updatedAt" = excluded."updatedAt"`,
          part.flatMap((c) => [
            teamId,
            c.commitmentId,
            c.openingKey,
            c.date,
            c.category,
            c.committedMinor,
            c.invoicedMinor,
            openAmount(c),
            c.closed ? session.now : null,
            c.closed ? actor : null,
            session.now,
            session.now,
          ]),
        ),
      );
    },
  };
}

export interface CommitmentListing extends CommitmentView {
  /** When it was first recorded (its age is counted from its date). */
  closedAt: Date | null;
}

export function commitmentRepository(db: Db) {
  return {
    /**
     * Commitments dated in [start, end] (optionally in a category or under it), oldest first;
     * `openOnly` keeps those with something left to invoice or invoiced above their amount.
     */
    async list(
      teamId: string,
      query: { start?: string; end?: string; category?: string | null; openOnly?: boolean; take?: number },
    ): Promise<CommitmentListing[]> {
      const rows = await db.commitment.findMany({
        where: {
          teamId,
          openingKey: { not: null },
          ...(query.start || query.end
            ? {
                date: {
                  ...(query.start ? { gte: query.start } : {}),
                  ...(query.end ? { lte: query.end } : {}),
                },
              }
            : {}),
          AND: [
            query.category
              ? { OR: [{ category: query.category }, { category: { startsWith: `${query.category}/` } }] }
              : {},
            query.openOnly
              ? {
                  OR: [
                    { openMinor: { gt: 0n } },
                    { closedAt: null, invoicedMinor: { gt: db.commitment.fields.committedMinor } },
                  ],
                }
              : {},
          ],
        },
        orderBy: [{ date: 'asc' }, { commitmentId: 'asc' }],
        ...(query.take ? { take: query.take } : {}),
      });
      return rows.map((r) => ({ ...viewCommitment(state(r)), closedAt: r.closedAt }));
    },

    async get(teamId: string, commitmentId: string) {
      const row = await db.commitment.findUnique({
        where: { teamId_commitmentId: { teamId, commitmentId } },
      });
      return row && { ...viewCommitment(state(row)), closedAt: row.closedAt, closedBy: row.closedBy };
    },
  };
}

export type CommitmentRepository = ReturnType<typeof commitmentRepository>;
