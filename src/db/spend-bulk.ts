// Bulk spend writes for imports on a driver session (src/db/bulk.ts): rows found by key,
// inserted and updated in multi-row statements, the daily rollup (SpendDaily) kept in step
// in the same transaction.
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { type BulkSession, inChunks, insertAudit, keyLedger, openBulkSession, placeholders } from './bulk.js';

export interface StoredSpend {
  id: string;
  date: string;
  amountMinor: bigint;
  status: string;
  category: string;
  campaign: string;
  vendor: string;
}

export interface NewSpend extends Omit<StoredSpend, 'id'> {
  teamId: string;
  source: string;
  idempotencyKey: string;
}

/** An amount to add to one (day, category, status) of the SpendDaily rollup. */
export interface RollupDelta {
  teamId: string;
  date: string;
  category: string;
  status: string;
  amountMinor: bigint;
}

export interface AuditRow {
  teamId: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  after: string;
}

/** One import's connection and transaction: begin, read and write in batches, commit or roll back. */
export interface SpendBulkWriter {
  hasSpend(teamId: string): Promise<boolean>;
  existing(teamId: string, keys: string[]): Promise<Map<string, StoredSpend>>;
  insert(rows: NewSpend[]): Promise<void>;
  update(id: string, data: Omit<StoredSpend, 'id'>): Promise<void>;
  addToRollup(deltas: RollupDelta[]): Promise<void>;
  audit(row: AuditRow): Promise<void>;
  /** See keyLedger in src/db/bulk.ts. */
  claimKeys(entries: { key: string; line: number }[]): Promise<Map<number, number>>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

const COLUMNS = [
  'id',
  'teamId',
  'date',
  'amountMinor',
  'status',
  'category',
  'campaign',
  'vendor',
  'source',
  'idempotencyKey',
  'createdAt',
  'updatedAt',
];
const QUOTED = COLUMNS.map((c) => `"${c}"`).join(', ');

type Row = Omit<StoredSpend, 'amountMinor'> & {
  idempotencyKey: string;
  amountMinor: bigint | string | number;
};

export function spendWriter(session: BulkSession): SpendBulkWriter {
  const amount = session.provider === 'postgresql' ? '"amountMinor"::text AS "amountMinor"' : '"amountMinor"';
  return {
    async hasSpend(teamId) {
      return (
        (await session.all('SELECT 1 AS "one" FROM "Spend" WHERE "teamId" = ? LIMIT 1', [teamId])).length > 0
      );
    },
    async existing(teamId, keys) {
      const out = new Map<string, StoredSpend>();
      await inChunks(keys, async (part) => {
        const rows = await session.all<Row>(
          `SELECT "id", "idempotencyKey", "date", ${amount}, "status", "category", "campaign", "vendor"
           FROM "Spend" WHERE "teamId" = ? AND "idempotencyKey" IN (${part.map(() => '?').join(', ')})`,
          [teamId, ...part],
        );
        for (const r of rows) out.set(r.idempotencyKey, { ...r, amountMinor: BigInt(r.amountMinor) });
      });
      return out;
    },
    async insert(rows) {
      // Time-ordered ids (UUIDv7) append to the primary-key index instead of scattering across it.
      await inChunks(rows, (part) =>
        session.run(
          `INSERT INTO "Spend" (${QUOTED}) VALUES ${placeholders(part.length, COLUMNS.length)}`,
          part.flatMap((r) => [
            uuidv7(),
            r.teamId,
            r.date,
            r.amountMinor,
            r.status,
            r.category,
            r.campaign,
            r.vendor,
            r.source,
            r.idempotencyKey,
            session.now,
            session.now,
          ]),
        ),
      );
    },
    async update(id, d) {
      await session.run(
        `UPDATE "Spend" SET "date" = ?, "amountMinor" = ?, "status" = ?, "category" = ?, "campaign" = ?, "vendor" = ?, "updatedAt" = ? WHERE "id" = ?`,
        [d.date, d.amountMinor, d.status, d.category, d.campaign, d.vendor, session.now, id],
      );
    },
    async addToRollup(deltas) {
      await inChunks(deltas, (part) =>
        session.run(
          `INSERT INTO "SpendDaily" ("teamId", "date", "category", "status", "amountMinor") VALUES ${placeholders(part.length, 5)}
           ON CONFLICT ("teamId", "date", "category", "status")
           DO UPDATE SET "amountMinor" = "SpendDaily"."amountMinor" + excluded."amountMinor"`,
          part.flatMap((d) => [d.teamId, d.date, d.category, d.status, d.amountMinor]),
        ),
      );
    },
    audit: (row) => insertAudit(session, randomUUID(), row),
    claimKeys: keyLedger(session),
    commit: () => session.commit(),
    rollback: () => session.rollback(),
  };
}

export async function openSpendBulkWriter(url: string): Promise<SpendBulkWriter> {
  return spendWriter(await openBulkSession(url));
}
