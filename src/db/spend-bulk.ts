// Bulk spend writes for imports on a driver session (src/db/bulk.ts): rows found by key,
// inserted and updated in multi-row statements, the daily rollup (SpendDaily) kept in step
// in the same transaction.

import { inner } from '../domain/nested.js';
import {
  type BulkSession,
  inChunks,
  insertAudit,
  keyLedger,
  occurrenceCounter,
  openBulkSession,
  type Param,
  placeholders,
  timeOrderedIds,
} from './bulk.js';
import { bulkCommitmentStore, type CommitmentStore } from './commitments.js';

export interface StoredSpend {
  id: string;
  date: string;
  amountMinor: bigint;
  status: string;
  category: string;
  campaign: string;
  vendor: string;
  commitmentId: string | null;
}

export interface NewSpend extends Omit<StoredSpend, 'id'> {
  teamId: string;
  source: string;
  idempotencyKey: string;
  enteredBy: string;
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
  /** Sums deltas in memory; they reach SpendDaily and SpendMonthly before commit() commits (same transaction). */
  addToRollup(deltas: RollupDelta[]): Promise<void>;
  audit(row: AuditRow): Promise<void>;
  /** The commitments the rows name, in the same transaction. */
  commitments: CommitmentStore;
  /** See keyLedger in src/db/bulk.ts. */
  claimKeys(entries: { key: string; line: number }[]): Promise<Map<number, number>>;
  /** See occurrenceCounter in src/db/bulk.ts. */
  countOccurrences(bases: Map<string, number>): Promise<Map<string, number>>;
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
  'commitmentId',
  'enteredBy',
  'createdAt',
  'updatedAt',
];
const QUOTED = COLUMNS.map((c) => `"${c}"`).join(', ');

type Row = Omit<StoredSpend, 'amountMinor'> & {
  idempotencyKey: string;
  amountMinor: bigint | string | number;
};

// Rollup deltas are summed across batches and written before the commit (or when this many
// days x categories x statuses have sums pending). A file's rows spread over a bounded set of
// days and categories, so a million rows come down to tens of thousands of upserts instead of
// one per row, the same in a fraction of the time (an upsert per batch row was a quarter of
// an import).
const ROLLUP_FLUSH = 50_000;
// The cells are kept across flushes (the same days and categories recur all through a file):
// dropping and re-creating 50,000 of them at each flush was most of what an import promoted
// to V8's old generation. Past this many they are let go, so memory stays bounded (~15 MB).
const ROLLUP_CELLS_KEPT = 100_000;

/**
 * One (team, day, category, status) of the rollup with the sum pending for it. The sum is
 * kept as a double while it is an exact integer (|sum| <= 2^53 - 1), and in a bigint past
 * that: a bigint is immutable, so adding to one stored in a long-lived cell made a new one per
 * row, and those were the largest share of what an import promoted to the old generation.
 */
interface RollupCell {
  teamId: string;
  date: string;
  category: string;
  status: string;
  small: number;
  big: bigint;
  pending: boolean;
}

function addToCell(cell: RollupCell, amount: bigint): void {
  const n = Number(amount);
  const sum = cell.small + n;
  if (Number.isSafeInteger(n) && Number.isSafeInteger(sum)) cell.small = sum;
  else {
    cell.big += BigInt(cell.small) + amount;
    cell.small = 0;
  }
}

const cellSum = (cell: RollupCell): bigint => cell.big + BigInt(cell.small);

/**
 * When an import adds many rows on SQLite, the non-unique indexes of Spend are dropped inside
 * its transaction and built again just before it commits. The per-campaign index (category,
 * date, status, campaign, amount) takes each new row at a random place: once it outgrows the
 * page cache every insert reads and spills pages, and it was most of an import's time (a
 * 200,000-row import spent 4.3 of its 12 CPU seconds inserting into Spend, three quarters of
 * that in this index); building it in one sorted pass costs about a tenth as much per row.
 * Nothing outside the transaction sees the difference: readers keep their snapshot (WAL), a
 * rollback restores the index, and the index is built from the same SQL the migration wrote.
 * Unique indexes stay (they check the keys as rows go in). PostgreSQL keeps its indexes: there
 * dropping one would lock the table against readers for the whole import. Only a process of
 * its own asks for this (`mo import`): the rebuild is one synchronous statement over the whole
 * table, which in `mo serve` would hold up the event loop Slack's acks need.
 */
export interface DeferIndexes {
  /** Rows inserted before the indexes are dropped (small imports never rebuild them). */
  afterRows: number;
  /**
   * And at least this share of the rows Spend held before: rebuilding reads every workspace's
   * rows, worth it only while the rows still to come are many beside the table.
   */
  tableShare: number;
}

export const DEFER_INDEXES: DeferIndexes = { afterRows: 20_000, tableShare: 0.25 };

function indexDeferral(session: BulkSession, options: DeferIndexes | undefined) {
  if (!options || session.provider !== 'sqlite')
    return { beforeInsert: async (_rows: number) => {}, rebuild: async () => {} };
  let inserted = 0;
  let state: { rowsBefore: number; dropped: { name: string; sql: string }[] | null } | undefined;
  return {
    async beforeInsert(rows: number) {
      inserted += rows;
      if (state?.dropped) return;
      if (inserted < options.afterRows) return;
      if (!state) {
        // The largest rowid bounds the row count at once (COUNT(*) reads the whole table).
        const [top] = await session.all<{ top: bigint | number | null }>(
          'SELECT MAX(rowid) AS "top" FROM "Spend"',
          [],
        );
        state = { rowsBefore: Number(top?.top ?? 0), dropped: null };
      }
      if (inserted < state.rowsBefore * options.tableShare) return;
      const indexes = await session.all<{ name: string; sql: string }>(
        `SELECT m."name" AS "name", m."sql" AS "sql" FROM pragma_index_list('Spend') AS i
         JOIN "sqlite_master" AS m ON m."name" = i."name"
         WHERE i."unique" = 0 AND i."origin" = 'c' AND m."sql" IS NOT NULL`,
        [],
      );
      for (const index of indexes) await session.run(`DROP INDEX "${index.name}"`, []);
      state.dropped = indexes;
    },
    async rebuild() {
      for (const index of state?.dropped ?? []) await session.run(index.sql, []);
    },
  };
}

export function spendWriter(
  session: BulkSession,
  /** Set the non-unique indexes aside past these many rows (see DeferIndexes); never without it. */
  deferIndexes?: DeferIndexes,
): SpendBulkWriter {
  const deferral = indexDeferral(session, deferIndexes);
  const newId = timeOrderedIds();
  const amount = session.provider === 'postgresql' ? '"amountMinor"::text AS "amountMinor"' : '"amountMinor"';
  // By team, day, category and status: looking a cell up builds no key string (a key per row,
  // concatenated and hashed, was a twentieth of an import's CPU time).
  const cells = new Map<string, Map<string, Map<string, Map<string, RollupCell>>>>();
  let cellCount = 0;
  const cellFor = (d: RollupDelta): RollupCell => {
    const statuses = inner(inner(inner(cells, d.teamId), d.date), d.category);
    let cell = statuses.get(d.status);
    if (!cell) {
      const { teamId, date, category, status } = d;
      cell = { teamId, date, category, status, small: 0, big: 0n, pending: false };
      statuses.set(d.status, cell);
      cellCount++;
    }
    return cell;
  };
  let pending: RollupCell[] = [];
  const flushRollup = async () => {
    // Zero sums are written too: a rollup row marks a category as in use, as it did per batch.
    await inChunks(pending, (part) =>
      session.run(
        `INSERT INTO "SpendDaily" ("teamId", "date", "category", "status", "amountMinor") VALUES ${placeholders(part.length, 5)}
         ON CONFLICT ("teamId", "date", "category", "status")
         DO UPDATE SET "amountMinor" = "SpendDaily"."amountMinor" + excluded."amountMinor"`,
        part.flatMap((c) => [c.teamId, c.date, c.category, c.status, cellSum(c)]),
      ),
    );
    // The monthly rollup, from the same sums in the same transaction (few cells: a month's
    // days fold into one, so these are short-lived).
    const months = new Map<string, RollupDelta>();
    for (const c of pending) {
      const month = c.date.slice(0, 7);
      const key = `${c.teamId}\u001f${month}\u001f${c.category}\u001f${c.status}`;
      const sum = months.get(key);
      if (sum) sum.amountMinor += cellSum(c);
      else
        months.set(key, {
          teamId: c.teamId,
          date: month,
          category: c.category,
          status: c.status,
          amountMinor: cellSum(c),
        });
    }
    await inChunks([...months.values()], (part) =>
      session.run(
        `INSERT INTO "SpendMonthly" ("teamId", "month", "category", "status", "amountMinor") VALUES ${placeholders(part.length, 5)}
         ON CONFLICT ("teamId", "month", "category", "status")
         DO UPDATE SET "amountMinor" = "SpendMonthly"."amountMinor" + excluded."amountMinor"`,
        part.flatMap((d) => [d.teamId, d.date, d.category, d.status, d.amountMinor]),
      ),
    );
    for (const c of pending) {
      c.small = 0;
      c.big = 0n;
      c.pending = false;
    }
    pending = [];
    if (cellCount >= ROLLUP_CELLS_KEPT) {
      cells.clear();
      cellCount = 0;
    }
  };
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
          `SELECT "id", "idempotencyKey", "date", ${amount}, "status", "category", "campaign", "vendor", "commitmentId"
           FROM "Spend" WHERE "teamId" = ? AND "idempotencyKey" IN (${part.map(() => '?').join(', ')})`,
          [teamId, ...part],
        );
        for (const r of rows)
          out.set(r.idempotencyKey, {
            ...r,
            amountMinor: BigInt(r.amountMinor),
            commitmentId: r.commitmentId ?? null,
          });
      });
      return out;
    },
    async insert(rows) {
      await deferral.beforeInsert(rows.length);
      // Time-ordered ids (UUIDv7) append to the primary-key index instead of scattering across it.
      await inChunks(rows, (part) => {
        // Filled in place: a 14-value array per row, flattened, cost a tenth of an import.
        const params = new Array<Param>(part.length * COLUMNS.length);
        let i = 0;
        for (const r of part) {
          params[i++] = newId();
          params[i++] = r.teamId;
          params[i++] = r.date;
          params[i++] = r.amountMinor;
          params[i++] = r.status;
          params[i++] = r.category;
          params[i++] = r.campaign;
          params[i++] = r.vendor;
          params[i++] = r.source;
          params[i++] = r.idempotencyKey;
          params[i++] = r.commitmentId;
          params[i++] = r.enteredBy;
          params[i++] = session.now;
          params[i++] = session.now;
        }
        return session.run(
          `INSERT INTO "Spend" (${QUOTED}) VALUES ${placeholders(part.length, COLUMNS.length)}`,
          params,
        );
      });
    },
    async update(id, d) {
      await session.run(
        `UPDATE "Spend" SET "date" = ?, "amountMinor" = ?, "status" = ?, "category" = ?, "campaign" = ?, "vendor" = ?, "commitmentId" = ?, "updatedAt" = ? WHERE "id" = ?`,
        [d.date, d.amountMinor, d.status, d.category, d.campaign, d.vendor, d.commitmentId, session.now, id],
      );
    },
    async addToRollup(deltas) {
      for (const d of deltas) {
        const cell = cellFor(d);
        addToCell(cell, d.amountMinor);
        if (!cell.pending) {
          cell.pending = true;
          pending.push(cell);
        }
      }
      if (pending.length >= ROLLUP_FLUSH) await flushRollup();
    },
    audit: (row) => insertAudit(session, row),
    commitments: bulkCommitmentStore(session),
    claimKeys: keyLedger(session),
    countOccurrences: occurrenceCounter(session),
    async commit() {
      await flushRollup();
      await deferral.rebuild();
      await session.commit();
    },
    rollback: () => session.rollback(),
  };
}

export async function openSpendBulkWriter(
  url: string,
  now: Date,
  deferIndexes?: DeferIndexes,
): Promise<SpendBulkWriter> {
  return spendWriter(await openBulkSession(url, now), deferIndexes);
}
