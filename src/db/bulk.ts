// A bulk-write session for imports, straight on the driver (better-sqlite3 or pg) inside one
// transaction of its own. Prisma's createMany runs at about 2,000 rows/s here; an import of a
// million rows needs tens of thousands a second. Only the import pipeline uses this; every
// other read and write goes through the Prisma repositories.
import { randomFillSync } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { UserError } from '../domain/errors.js';
import { providerOf, sqlitePath } from './url.js';

export type Param = string | number | bigint | boolean | Date | null;

/** SQL with `?` placeholders; the session rewrites them for PostgreSQL. */
export interface BulkSession {
  provider: 'sqlite' | 'postgresql';
  /** The timestamp every row written in this session carries (createdAt/updatedAt). */
  now: Param;
  all<T>(sql: string, params: Param[]): Promise<T[]>;
  /** Resolves with the number of rows the statement inserted, updated or deleted. */
  run(sql: string, params: Param[]): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Rows per multi-row statement: well under SQLite's and PostgreSQL's parameter limits. */
export const CHUNK = 500;

/** Runs `statement(part)` over `rows` in chunks. */
export async function inChunks<T>(rows: T[], statement: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await statement(rows.slice(i, i + CHUNK));
}

const placeholderCache = new Map<string, string>();
/** `(?, ?), (?, ?)` for n rows of width columns (cached: full chunks repeat the same shape). */
export function placeholders(n: number, width: number): string {
  const key = `${n}x${width}`;
  let text = placeholderCache.get(key);
  if (!text) {
    text = Array.from({ length: n }, () => `(${Array(width).fill('?').join(', ')})`).join(', ');
    placeholderCache.set(key, text);
  }
  return text;
}

/**
 * Time-ordered ids (UUIDv7, as the schema's default makes them) for rows inserted in bulk:
 * the same ids `uuid`'s v7() makes, monotonic within a millisecond, but with the random bits
 * drawn from a pool refilled 1,024 ids at a time rather than from the system per id (that
 * was a fortieth of an import's CPU time).
 */
export function timeOrderedIds(): () => string {
  const pool = new Uint8Array(16 * 1024);
  let at = pool.length;
  let msecs = Number.NEGATIVE_INFINITY;
  let seq = 0;
  return () => {
    if (at + 16 > pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const random = pool.subarray(at, at + 16);
    at += 16;
    const now = Date.now();
    if (now > msecs) {
      // As uuid does: a random start for the millisecond's counter, counting up within it.
      seq =
        ((random[6] as number) << 23) |
        ((random[7] as number) << 16) |
        ((random[8] as number) << 8) |
        (random[9] as number);
      msecs = now;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs++;
    }
    return uuidv7({ random, msecs, seq });
  };
}

/**
 * Every audit event's id in this process, whichever way it is written (the Prisma client or a
 * bulk session): one monotonic source, so events written in one tick of Mo's clock still list
 * in the order they happened (audit.recent orders by createdAt, then id).
 */
export const nextAuditId = timeOrderedIds();

const INT64_MAX = 2n ** 63n - 1n;

/**
 * A bigint past a 64-bit column would fail in the driver with a RangeError (SQLite) or an
 * out-of-range error (PostgreSQL) mid-import; the transaction is rolled back, and the user
 * is told why instead of getting a bug report.
 */
function checkedParams(params: Param[]): Param[] {
  for (const p of params)
    if (typeof p === 'bigint' && (p > INT64_MAX || p < -INT64_MAX - 1n))
      throw new UserError(
        'invalid',
        'a total in this file is beyond what Mo can store; nothing was imported',
      );
  return params;
}

const STATEMENTS_KEPT = 16;

function sqliteSession(url: string, now: Date): BulkSession {
  const db = new Sqlite(sqlitePath(url), { timeout: 5000 });
  db.defaultSafeIntegers(true);
  // WAL lets /mo budget keep reading while a big file is written. The page caches are what
  // an import holds beyond its batch: 8 MB for the tables, 4 MB for the temporary key
  // tables (written to a temporary file, never kept in memory). With 64 MB a million-row
  // import peaked at 640 MB RSS; the operating system's file cache serves the pages these
  // small caches let go.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -8192');
  db.pragma('temp_store = FILE');
  db.pragma('temp.cache_size = -4096');
  db.exec('BEGIN IMMEDIATE');
  // Prepared statements by SQL, the most recently used kept. A multi-row statement compiles
  // to a program of about a megabyte, and shapes vary with each batch (how many commitments
  // it touches, how many keys it looks up): kept without a bound they were ~30 MB of an
  // import's native memory.
  const statements = new Map<string, Sqlite.Statement>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (s) statements.delete(sql);
    else {
      s = db.prepare(sql);
      if (statements.size >= STATEMENTS_KEPT) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, s);
    return s;
  };
  // SQLite has no booleans (Prisma stores 0/1).
  const bind = (params: Param[]) =>
    checkedParams(params).some((p) => typeof p === 'boolean')
      ? params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p))
      : params;
  const close = () => {
    if (db.open) db.close();
  };
  return {
    provider: 'sqlite',
    // Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset.
    now: now.toISOString().replace('Z', '+00:00'),
    async all<T>(sql: string, params: Param[]) {
      return prepared(sql).all(...bind(params)) as T[];
    },
    async run(sql, params) {
      return prepared(sql).run(...bind(params)).changes;
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

async function postgresSession(url: string, now: Date): Promise<BulkSession> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  let n = 0;
  const numbered = (sql: string) => {
    n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const bind = (params: Param[]) =>
    checkedParams(params).map((p) => (typeof p === 'bigint' ? p.toString() : p));
  const end = () => client.end().catch(() => {});
  return {
    provider: 'postgresql',
    now,
    async all<T>(sql: string, params: Param[]) {
      return (await client.query(numbered(sql), bind(params))).rows as T[];
    },
    async run(sql, params) {
      return (await client.query(numbered(sql), bind(params))).rowCount ?? 0;
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

/** `now` is Mo's clock: the createdAt/updatedAt of every row the session writes. */
export async function openBulkSession(url: string, now: Date): Promise<BulkSession> {
  return providerOf(url) === 'sqlite' ? sqliteSession(url, now) : postgresSession(url, now);
}

/**
 * Generic keyed records (leads, opportunities): look up by key, insert new, update changed.
 * `columns` are the record's own columns; id, teamId, source and timestamps are added here.
 */
export function recordTable<R extends Record<string, Param>>(
  session: BulkSession,
  table: string,
  key: keyof R & string,
  columns: (keyof R & string)[],
  ids: () => string,
  /** Columns whose stored form differs by driver: SQLite keeps booleans as 0/1, PostgreSQL bigints as text here. */
  types: Partial<Record<keyof R & string, 'boolean' | 'bigint'>> = {},
) {
  const read = (row: Record<string, unknown>) => {
    for (const [c, t] of Object.entries(types)) {
      const v = row[c];
      if (v === null || v === undefined) continue;
      row[c] = t === 'boolean' ? Boolean(Number(v)) : BigInt(v as string);
    }
    return row as R & { id: string };
  };
  const q = (c: string) => `"${c}"`;
  const insertColumns = ['id', 'teamId', ...columns, 'source', 'createdAt', 'updatedAt'];
  const selectList = ['id', ...columns]
    .map((c) =>
      session.provider === 'postgresql' && c === 'amountMinor' ? `${q(c)}::text AS ${q(c)}` : q(c),
    )
    .join(', ');
  return {
    async existing(teamId: string, keys: string[]): Promise<Map<string, R & { id: string }>> {
      const out = new Map<string, R & { id: string }>();
      await inChunks(keys, async (part) => {
        const rows = await session.all<Record<string, unknown>>(
          `SELECT ${selectList} FROM ${q(table)} WHERE "teamId" = ? AND ${q(key)} IN (${part.map(() => '?').join(', ')})`,
          [teamId, ...part],
        );
        for (const r of rows) out.set(String(r[key]), read(r));
      });
      return out;
    },
    async insert(teamId: string, source: string, rows: R[]) {
      await inChunks(rows, (part) =>
        session.run(
          `INSERT INTO ${q(table)} (${insertColumns.map(q).join(', ')}) VALUES ${placeholders(part.length, insertColumns.length)}`,
          part.flatMap((r) => [
            ids(),
            teamId,
            ...columns.map((c) => r[c] ?? null),
            source,
            session.now,
            session.now,
          ]),
        ),
      );
    },
    async update(id: string, data: R) {
      await session.run(
        `UPDATE ${q(table)} SET ${columns.map((c) => `${q(c)} = ?`).join(', ')}, "updatedAt" = ? WHERE "id" = ?`,
        [...columns.map((c) => data[c] ?? null), session.now, id],
      );
    },
  };
}

/**
 * Remembers every key an import has seen, in a temporary table of the session rather than in
 * memory, so memory stays flat however long the file. Returns the repeated rows: the line of
 * each repeat, and the line where its key was first seen.
 */
export function keyLedger(session: BulkSession) {
  let created = false;
  return async (entries: { key: string; line: number }[]): Promise<Map<number, number>> => {
    if (!created) {
      await session.run(
        'CREATE TEMPORARY TABLE "mo_import_keys" ("k" TEXT PRIMARY KEY, "line" INTEGER NOT NULL)',
        [],
      );
      created = true;
    }
    const repeats = new Map<number, number>();
    await inChunks(entries, async (part) => {
      // Counting the claimed keys rather than RETURNING them makes this ~2.5x cheaper: it is
      // one statement per 500 rows on every import, and repeats are rare.
      const claimed = await session.run(
        `INSERT INTO "mo_import_keys" ("k", "line") VALUES ${placeholders(part.length, 2)} ON CONFLICT ("k") DO NOTHING`,
        part.flatMap((e) => [e.key, e.line]),
      );
      if (claimed === part.length) return;
      // Each key now holds the line that claimed it first (earlier or in this chunk); every
      // other line with that key repeats it.
      const first = await session.all<{ k: string; line: number | bigint }>(
        `SELECT "k", "line" FROM "mo_import_keys" WHERE "k" IN (${part.map(() => '?').join(', ')})`,
        part.map((e) => e.key),
      );
      const lines = new Map(first.map((f) => [f.k, Number(f.line)]));
      for (const e of part) {
        const line = lines.get(e.key);
        if (line !== undefined && line !== e.line) repeats.set(e.line, line);
      }
    });
    return repeats;
  };
}

/**
 * Counts identical rows without an id across the whole file, in a temporary table of the
 * session: for each base key, adds the batch's count and returns how many came before.
 */
export function occurrenceCounter(session: BulkSession) {
  let created = false;
  return async (bases: Map<string, number>): Promise<Map<string, number>> => {
    if (!created) {
      await session.run(
        'CREATE TEMPORARY TABLE "mo_import_counts" ("k" TEXT PRIMARY KEY, "n" INTEGER NOT NULL)',
        [],
      );
      created = true;
    }
    const before = new Map<string, number>();
    await inChunks([...bases], async (part) => {
      const totals = await session.all<{ k: string; n: number | bigint }>(
        `INSERT INTO "mo_import_counts" ("k", "n") VALUES ${placeholders(part.length, 2)}
         ON CONFLICT ("k") DO UPDATE SET "n" = "mo_import_counts"."n" + excluded."n" RETURNING "k", "n"`,
        part.flat(),
      );
      for (const t of totals) before.set(t.k, Number(t.n) - (bases.get(t.k) ?? 0));
    });
    return before;
  };
}

export async function insertAudit(
  session: BulkSession,
  row: { teamId: string; actor: string; action: string; entity: string; entityId: string; after: string },
) {
  await session.run(
    'INSERT INTO "AuditEvent" ("id", "teamId", "actor", "action", "entity", "entityId", "after", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [nextAuditId(), row.teamId, row.actor, row.action, row.entity, row.entityId, row.after, session.now],
  );
}
