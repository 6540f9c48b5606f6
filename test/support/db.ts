// A real, migrated database per test file: a SQLite file by default, or a new database on
// the PostgreSQL server named by TEST_DATABASE_URL (CI runs the database tests on both).
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { parseKeyring } from '../../src/db/secrets.js';
import { createMo, type Mo } from '../../src/services/mo.js';

export interface TestDatabase {
  database: Database;
  mo: Mo;
  /** Pins "now" for this database's Mo (a mutable pin tests can move). */
  setNow(instant: string | Date): void;
  close(): Promise<void>;
}

/** The tests' MO_ENCRYPTION_KEY: tokens stored by tests are sealed with it. */
export const TEST_ENCRYPTION_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

export const testDatabaseUrl = () => loadConfig().testDatabaseUrl;
export const provider = () => (testDatabaseUrl()?.startsWith('postgres') ? 'postgresql' : 'sqlite');

export async function createTestDatabase(now: string | Date = '2026-11-16T12:00:00Z'): Promise<TestDatabase> {
  const scratch = await createScratchDatabase(testDatabaseUrl());
  await applyMigrations(scratch.url);
  const database = openDatabase(scratch.url);
  let pinned = new Date(now);
  const clock = () => new Date(pinned.getTime());
  return {
    database,
    mo: createMo(database, clock, parseKeyring(TEST_ENCRYPTION_KEY)),
    setNow(instant) {
      pinned = new Date(instant);
    },
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}
