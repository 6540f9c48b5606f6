// Bulk spend writes for imports, straight on the driver (better-sqlite3 or pg) inside one
// transaction of its own. Prisma's createMany runs at about 2,000 rows/s here; an import of a
// million rows needs tens of thousands a second. Only the import pipeline uses this; every
// other read and write goes through the Prisma repositories.
import { randomUUID } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { providerOf, sqlitePath } from './url.js';

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
] as const;
const quoted = COLUMNS.map((c) => `"${c}"`).join(', ');

// Time-ordered ids (UUIDv7) append to the primary-key index instead of scattering across it.
const rowValues = (r: NewSpend, now: string | Date) => [
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
  now,
  now,
];

const SELECT_EXISTING = (placeholders: string, teamParam: string) =>
  `SELECT "id", "idempotencyKey", "date", "amountMinor", "status", "category", "campaign", "vendor"
   FROM "Spend" WHERE "teamId" = ${teamParam} AND "idempotencyKey" IN (${placeholders})`;

const UPDATE = (p: (i: number) => string) =>
  `UPDATE "Spend" SET "date" = ${p(1)}, "amountMinor" = ${p(2)}, "status" = ${p(3)}, "category" = ${p(4)},
   "campaign" = ${p(5)}, "vendor" = ${p(6)}, "updatedAt" = ${p(7)} WHERE "id" = ${p(8)}`;

const ADD_TO_ROLLUP = (tuples: string) =>
  `INSERT INTO "SpendDaily" ("teamId", "date", "category", "status", "amountMinor") VALUES ${tuples}
   ON CONFLICT ("teamId", "date", "category", "status")
   DO UPDATE SET "amountMinor" = "SpendDaily"."amountMinor" + excluded."amountMinor"`;

const INSERT_AUDIT = (p: (i: number) => string) =>
  `INSERT INTO "AuditEvent" ("id", "teamId", "actor", "action", "entity", "entityId", "after", "createdAt")
   VALUES (${[1, 2, 3, 4, 5, 6, 7, 8].map(p).join(', ')})`;

type Row = {
  id: string;
  idempotencyKey: string;
  date: string;
  amountMinor: bigint | string | number;
  status: string;
  category: string;
  campaign: string;
  vendor: string;
};

function toMap(rows: Row[]): Map<string, StoredSpend> {
  return new Map(
    rows.map((r) => [
      r.idempotencyKey,
      {
        id: r.id,
        date: r.date,
        amountMinor: BigInt(r.amountMinor),
        status: r.status,
        category: r.category,
        campaign: r.campaign,
        vendor: r.vendor,
      },
    ]),
  );
}

// Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset.
const sqliteNow = () => new Date().toISOString().replace('Z', '+00:00');

function sqliteWriter(url: string): SpendBulkWriter {
  const db = new Sqlite(sqlitePath(url), { timeout: 5000 });
  db.defaultSafeIntegers(true);
  // WAL lets /mo budget keep reading while a big file is written; a larger page cache keeps
  // the key indexes in memory meanwhile.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.exec('BEGIN IMMEDIATE');
  const CHUNK = 500;
  // Statements by row count: full chunks reuse one, the last chunk of a batch gets its own.
  const cached = (make: (n: number) => string) => {
    const statements = new Map<number, Sqlite.Statement>();
    return (n: number) => {
      const existing = statements.get(n);
      if (existing) return existing;
      const statement = db.prepare(make(n));
      statements.set(n, statement);
      return statement;
    };
  };
  const select = cached((n) => SELECT_EXISTING(Array(n).fill('?').join(', '), '?'));
  const one = `(${COLUMNS.map(() => '?').join(', ')})`;
  const insertStmt = cached((n) => `INSERT INTO "Spend" (${quoted}) VALUES ${Array(n).fill(one).join(', ')}`);
  const rollupStmt = cached((n) => ADD_TO_ROLLUP(Array(n).fill('(?, ?, ?, ?, ?)').join(', ')));
  const update = db.prepare(UPDATE(() => '?'));
  const audit = db.prepare(INSERT_AUDIT(() => '?'));
  const close = () => {
    if (db.open) db.close();
  };
  const any = db.prepare('SELECT 1 FROM "Spend" WHERE "teamId" = ? LIMIT 1');
  return {
    async hasSpend(teamId) {
      return any.get(teamId) !== undefined;
    },
    async existing(teamId, keys) {
      const rows: Row[] = [];
      for (let i = 0; i < keys.length; i += CHUNK) {
        const part = keys.slice(i, i + CHUNK);
        rows.push(...(select(part.length).all(teamId, ...part) as Row[]));
      }
      return toMap(rows);
    },
    async insert(rows) {
      const now = sqliteNow();
      for (let i = 0; i < rows.length; i += CHUNK) {
        const part = rows.slice(i, i + CHUNK);
        insertStmt(part.length).run(...part.flatMap((r) => rowValues(r, now)));
      }
    },
    async addToRollup(deltas) {
      for (let i = 0; i < deltas.length; i += CHUNK) {
        const part = deltas.slice(i, i + CHUNK);
        rollupStmt(part.length).run(
          ...part.flatMap((d) => [d.teamId, d.date, d.category, d.status, d.amountMinor]),
        );
      }
    },
    async update(id, d) {
      update.run(d.date, d.amountMinor, d.status, d.category, d.campaign, d.vendor, sqliteNow(), id);
    },
    async audit(a) {
      audit.run(randomUUID(), a.teamId, a.actor, a.action, a.entity, a.entityId, a.after, sqliteNow());
    },
    async commit() {
      try {
        db.exec('COMMIT');
      } finally {
        close();
      }
    },
    async rollback() {
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } finally {
        close();
      }
    },
  };
}

async function postgresWriter(url: string): Promise<SpendBulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  const CHUNK = 1000;
  const end = () => client.end().catch(() => {});
  return {
    async hasSpend(teamId) {
      const res = await client.query('SELECT 1 FROM "Spend" WHERE "teamId" = $1 LIMIT 1', [teamId]);
      return (res.rowCount ?? 0) > 0;
    },
    async existing(teamId, keys) {
      const res = await client.query<Row>(
        `SELECT "id", "idempotencyKey", "date", "amountMinor"::text AS "amountMinor", "status", "category", "campaign", "vendor"
         FROM "Spend" WHERE "teamId" = $1 AND "idempotencyKey" = ANY($2::text[])`,
        [teamId, keys],
      );
      return toMap(res.rows);
    },
    async insert(rows) {
      const now = new Date();
      for (let i = 0; i < rows.length; i += CHUNK) {
        const part = rows.slice(i, i + CHUNK);
        const values: unknown[] = [];
        const tuples = part.map((r) => {
          const base = values.length;
          values.push(...rowValues(r, now).map((v) => (typeof v === 'bigint' ? v.toString() : v)));
          return `(${COLUMNS.map((_, j) => `$${base + j + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO "Spend" (${quoted}) VALUES ${tuples.join(', ')}`, values);
      }
    },
    async addToRollup(deltas) {
      for (let i = 0; i < deltas.length; i += CHUNK) {
        const part = deltas.slice(i, i + CHUNK);
        const values = part.flatMap((d) => [
          d.teamId,
          d.date,
          d.category,
          d.status,
          d.amountMinor.toString(),
        ]);
        const tuples = part
          .map((_, j) => `(${[1, 2, 3, 4, 5].map((k) => `$${j * 5 + k}`).join(', ')})`)
          .join(', ');
        await client.query(ADD_TO_ROLLUP(tuples), values);
      }
    },
    async update(id, d) {
      await client.query(
        UPDATE((i) => `$${i}`),
        [d.date, d.amountMinor.toString(), d.status, d.category, d.campaign, d.vendor, new Date(), id],
      );
    },
    async audit(a) {
      await client.query(
        INSERT_AUDIT((i) => `$${i}`),
        [randomUUID(), a.teamId, a.actor, a.action, a.entity, a.entityId, a.after, new Date()],
      );
    },
    async commit() {
      try {
        await client.query('COMMIT');
      } finally {
        await end();
      }
    },
    async rollback() {
      try {
        await client.query('ROLLBACK');
      } finally {
        await end();
      }
    },
  };
}

export async function openSpendBulkWriter(url: string): Promise<SpendBulkWriter> {
  return providerOf(url) === 'sqlite' ? sqliteWriter(url) : postgresWriter(url);
}
