// The committed migrations produce exactly the schema the models describe (no drift), on
// whichever database TEST_DATABASE_URL selects — and the check does notice drift.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDatabaseToModels, isEmptyMigration } from '../../src/db/drift.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { providerOf, sqlitePath } from '../../src/db/url.js';
import { testDatabaseUrl } from '../support/db.js';

let scratch: ScratchDatabase;

async function execSql(url: string, sql: string) {
  if (providerOf(url) === 'sqlite') {
    const db = new Database(sqlitePath(url));
    db.exec(sql);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

beforeAll(async () => {
  scratch = await createScratchDatabase(testDatabaseUrl());
});
afterAll(() => scratch.drop());

describe('migrations', () => {
  it('apply once, then report nothing left to apply', async () => {
    const first = await applyMigrations(scratch.url);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((name) => /^\d{14}_[a-z0-9_]+$/.test(name))).toBe(true);
    expect(await applyMigrations(scratch.url)).toEqual([]);
  });

  it('produce exactly the schema of prisma/models.prisma', async () => {
    const diff = await diffDatabaseToModels(scratch.url);
    expect(isEmptyMigration(diff), diff).toBe(true);
  });

  it('drift is detected: a dropped index and an extra column show in the diff', async () => {
    const other = await createScratchDatabase(testDatabaseUrl());
    try {
      await applyMigrations(other.url);
      await execSql(other.url, 'DROP INDEX "Spend_teamId_idempotencyKey_key"');
      await execSql(other.url, 'ALTER TABLE "Spend" ADD COLUMN "stray" TEXT');
      const diff = await diffDatabaseToModels(other.url);
      expect(isEmptyMigration(diff)).toBe(false);
      expect(diff).toContain('Spend_teamId_idempotencyKey_key');
      // PostgreSQL drops the column by name; SQLite rebuilds the table without it.
      expect(diff).toMatch(/DROP COLUMN "stray"|RedefineTables[\s\S]*"Spend"/);
    } finally {
      await other.drop();
    }
  });

  it('per-provider schemas are generated from the one models file', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/db-schemas.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
