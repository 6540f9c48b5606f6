// Backups of the embedded SQLite database while Mo serves, and restores into an empty one.
// A backup is SQLite's online backup API (better-sqlite3's backup()): a consistent copy of
// what was committed when it ran, taken beside writers (an import in progress is either
// wholly in it or not at all, since imports commit once). A restore copies the backup into
// an empty database and checks the copy: every table's row count and every money total
// must equal the backup's. PostgreSQL has its own tools (pg_dump/pg_restore): see
// postgresBackupCommands and the README.
import { existsSync, rmSync, statSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { UserError } from '../domain/errors.js';
import { providerOf, sqlitePath } from './url.js';

/** Money columns summed in a backup's summary: table -> columns. */
const MONEY: Record<string, string[]> = {
  Spend: ['amountMinor'],
  SpendDaily: ['amountMinor'],
  SpendMonthly: ['amountMinor'],
  BudgetLine: ['plannedMinor'],
  LatestEstimate: ['amountMinor'],
  BudgetMove: ['amountMinor'],
  Opportunity: ['amountMinor'],
};

export interface BackupSummary {
  /** Rows per table (Prisma's migration table excluded). */
  rows: Record<string, number>;
  /** `Table.column` -> sum in minor units, as a decimal string (exact beyond 2^53). */
  totals: Record<string, string>;
}

function summarize(db: Sqlite.Database): BackupSummary {
  db.defaultSafeIntegers(true);
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
  const rows: Record<string, number> = {};
  for (const t of tables)
    rows[t] = Number((db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: bigint }).n);
  const totals: Record<string, string> = {};
  for (const [t, columns] of Object.entries(MONEY)) {
    if (!tables.includes(t)) continue;
    for (const c of columns) {
      const { s } = db.prepare(`SELECT COALESCE(SUM("${c}"), 0) AS s FROM "${t}"`).get() as { s: bigint };
      totals[`${t}.${c}`] = String(s);
    }
  }
  return { rows, totals };
}

/** The row counts and money totals of a SQLite database file. */
export function summarizeSqliteFile(path: string): BackupSummary {
  const db = new Sqlite(path, { readonly: true, fileMustExist: true });
  try {
    return summarize(db);
  } finally {
    db.close();
  }
}

function requireSqlite(url: string, verb: string): string {
  if (providerOf(url) !== 'sqlite')
    throw new UserError(
      'refused',
      `mo ${verb} copies the embedded SQLite database; on PostgreSQL use pg_dump and pg_restore:\n${postgresBackupCommands().join('\n')}`,
    );
  return sqlitePath(url);
}

/**
 * Writes a consistent copy of the database at `url` to `out` while Mo may be serving and
 * writing. Returns what the copy holds.
 */
export async function backupDatabase(url: string, out: string): Promise<BackupSummary & { bytes: number }> {
  const source = requireSqlite(url, 'backup');
  if (!existsSync(source)) throw new UserError('not_found', `there is no database at ${source}`);
  if (existsSync(out))
    throw new UserError('conflict', `${out} already exists: choose a new file for the backup`);
  const db = new Sqlite(source, { fileMustExist: true, timeout: 5000 });
  try {
    // All pages in one step: the copy is taken under one read snapshot, so a write
    // committed meanwhile cannot restart it (WAL lets writers go on beside it).
    await db.backup(out, { progress: () => 1_000_000_000 });
  } catch (e) {
    rmSync(out, { force: true });
    throw e;
  } finally {
    db.close();
  }
  const copy = new Sqlite(out, { fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup failed its integrity check: ${String(check)}`);
    // A self-contained file: no WAL beside it.
    copy.pragma('journal_mode = DELETE');
    return { ...summarize(copy), bytes: statSync(out).size };
  } finally {
    copy.close();
  }
}

/**
 * Restores a backup into the empty database at `url` and checks the result against the
 * backup: the same rows in every table and the same money totals, else it is removed again.
 */
export async function restoreDatabase(url: string, file: string): Promise<BackupSummary> {
  const target = requireSqlite(url, 'restore');
  if (!existsSync(file)) throw new UserError('not_found', `there is no backup at ${file}`);
  const expected = summarizeSqliteFile(file);
  if (existsSync(target) && statSync(target).size > 0) {
    const present = summarizeSqliteFile(target);
    const nonEmpty = Object.entries(present.rows).filter(([, n]) => n > 0);
    if (nonEmpty.length)
      throw new UserError(
        'refused',
        `the database at ${target} is not empty (${nonEmpty.map(([t, n]) => `${t}: ${n}`).join(', ')}): restore into a new DATABASE_URL`,
      );
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  }
  const backup = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(target, { progress: () => 1_000_000_000 });
  } finally {
    backup.close();
  }
  const restored = summarizeSqliteFile(target);
  const differences = compareSummaries(expected, restored);
  if (differences.length) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    throw new Error(`the restored database does not match the backup: ${differences.join('; ')}`);
  }
  return restored;
}

/** What differs between two summaries, one phrase per table or total. */
export function compareSummaries(expected: BackupSummary, actual: BackupSummary): string[] {
  const out: string[] = [];
  for (const t of new Set([...Object.keys(expected.rows), ...Object.keys(actual.rows)]))
    if (expected.rows[t] !== actual.rows[t])
      out.push(`${t}: ${actual.rows[t] ?? 'missing'} rows, the backup has ${expected.rows[t] ?? 'none'}`);
  for (const k of new Set([...Object.keys(expected.totals), ...Object.keys(actual.totals)]))
    if (expected.totals[k] !== actual.totals[k])
      out.push(
        `${k}: total ${actual.totals[k] ?? 'missing'}, the backup has ${expected.totals[k] ?? 'none'}`,
      );
  return out;
}

/** The PostgreSQL equivalents, reading the URL from the environment (never printed). */
export function postgresBackupCommands(out = 'mo.dump'): string[] {
  return [
    `  back up:  pg_dump --format=custom --file=${out} "$DATABASE_URL"`,
    `  restore:  pg_restore --no-owner --exit-on-error --dbname="$NEW_DATABASE_URL" ${out}   (into an empty database)`,
  ];
}

export function describeSummary(s: BackupSummary): string {
  const rows = Object.entries(s.rows)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
    .join(', ');
  const totals = Object.entries(s.totals)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `rows: ${rows || 'none'}\nmoney totals (minor units): ${totals}`;
}
