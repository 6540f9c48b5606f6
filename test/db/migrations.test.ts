// The committed migrations build exactly the schema prisma/models.prisma describes (no drift)
// on whichever database TEST_DATABASE_URL selects, the drift check notices when they do not,
// and the per-provider schemas are what scripts/db-schemas.mjs writes from the one models file.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { diffDatabaseToModels, isEmptyMigration } from '../../src/db/drift.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/db/schema-engine.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { providerOf, sqlitePath } from '../../src/db/url.js';
import { testDatabaseUrl } from '../support/db.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs SQL straight on the driver, around Prisma: what a hand edit of the database would do. */
async function rawSql<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  if (providerOf(url) === 'sqlite') {
    const db = new Sqlite(sqlitePath(url));
    try {
      if (/^\s*select/i.test(sql)) return db.prepare(sql).all() as T[];
      db.exec(sql);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const committedMigrations = (url: string) =>
  readdirSync(migrationsDir(providerOf(url)), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

let fresh: ScratchDatabase;

beforeAll(async () => {
  fresh = await createScratchDatabase(testDatabaseUrl());
});
afterAll(() => fresh.drop());

describe('migrations', () => {
  it('apply every committed migration, in order, on a fresh database; a second apply applies nothing', async () => {
    const names = committedMigrations(fresh.url);
    // The four migrations of the tree at the time of writing, at least.
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(
      names.every((name) => /^\d{14}_[a-z0-9_]+$/.test(name)),
      names.join(', '),
    ).toBe(true);
    expect(await applyMigrations(fresh.url)).toEqual(names);
    expect(await applyMigrations(fresh.url)).toEqual([]);
    const recorded = await rawSql<{ migration_name: string; finished: unknown; rolled_back_at: unknown }>(
      fresh.url,
      'SELECT "migration_name", "finished_at" IS NOT NULL AS "finished", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "migration_name"',
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(names);
    expect(recorded.every((r) => Boolean(Number(r.finished)) && r.rolled_back_at === null)).toBe(true);
  });

  it('leave no drift: the database matches the models exactly', async () => {
    const diff = await diffDatabaseToModels(fresh.url);
    expect(isEmptyMigration(diff), diff).toBe(true);
  });

  it('give a database the Prisma client can use', async () => {
    const database = openDatabase(fresh.url);
    try {
      const at = new Date('2026-11-16T12:00:00Z');
      await database.db.workspace.create({
        data: { teamId: 'T0MIGRATED', createdAt: at, updatedAt: at, digestChangedAt: at },
      });
      expect(await database.db.workspace.findUnique({ where: { teamId: 'T0MIGRATED' } })).toMatchObject({
        currency: 'USD',
        fiscalStartMonth: 1,
        timezone: 'UTC',
      });
    } finally {
      await database.close();
    }
  });
});

describe('the drift check', () => {
  let drifted: ScratchDatabase;
  beforeAll(async () => {
    drifted = await createScratchDatabase(testDatabaseUrl());
    await applyMigrations(drifted.url);
  });
  afterAll(() => drifted.drop());

  const INDEX = 'SpendDaily_teamId_date_category_status_amountMinor_idx';

  it('notices a dropped index, and the SQL it proposes closes the gap exactly', async () => {
    await rawSql(drifted.url, `DROP INDEX "${INDEX}"`);
    const diff = await diffDatabaseToModels(drifted.url);
    expect(isEmptyMigration(diff)).toBe(false);
    expect(diff).toContain(`CREATE INDEX "${INDEX}"`);
    await rawSql(drifted.url, diff);
    const again = await diffDatabaseToModels(drifted.url);
    expect(isEmptyMigration(again), again).toBe(true);
  });

  it('notices a dropped unique index: the import idempotency key', async () => {
    await rawSql(drifted.url, 'DROP INDEX "Spend_teamId_idempotencyKey_key"');
    const diff = await diffDatabaseToModels(drifted.url);
    expect(isEmptyMigration(diff)).toBe(false);
    expect(diff).toContain('Spend_teamId_idempotencyKey_key');
    await rawSql(drifted.url, diff);
  });

  it('notices a column the models do not have', async () => {
    await rawSql(drifted.url, 'ALTER TABLE "Workspace" ADD COLUMN "slackDomain" TEXT');
    const diff = await diffDatabaseToModels(drifted.url);
    expect(isEmptyMigration(diff)).toBe(false);
    // PostgreSQL drops the column; SQLite rebuilds the table without it.
    if (providerOf(drifted.url) === 'postgresql') expect(diff).toContain('DROP COLUMN "slackDomain"');
    else expect(diff).toContain('CREATE TABLE "new_Workspace"');
    expect(diff).not.toContain(INDEX);
  });
});

describe('per-provider schemas', () => {
  const providers = ['sqlite', 'postgresql'] as const;

  it('are what scripts/db-schemas.mjs writes from prisma/models.prisma', async () => {
    const script = (await import(pathToFileURL(join(root, 'scripts', 'db-schemas.mjs')).href)) as {
      schemaFor(provider: string): string;
    };
    for (const provider of providers) {
      const committed = readFileSync(join(root, 'prisma', provider, 'schema.prisma'), 'utf8');
      expect(committed, provider).toBe(script.schemaFor(provider));
      expect(committed).toContain(`provider = "${provider}"`);
    }
    const check = spawnSync(process.execPath, ['scripts/db-schemas.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('--check fails, naming each stale file, once the models change', () => {
    // A copy of the script and the prisma folder, so the real files are never touched.
    const copy = mkdtempSync(join(tmpdir(), 'mo-schemas-'));
    try {
      mkdirSync(join(copy, 'scripts'));
      cpSync(join(root, 'scripts', 'db-schemas.mjs'), join(copy, 'scripts', 'db-schemas.mjs'));
      for (const provider of providers) {
        mkdirSync(join(copy, 'prisma', provider), { recursive: true });
        cpSync(
          join(root, 'prisma', provider, 'schema.prisma'),
          join(copy, 'prisma', provider, 'schema.prisma'),
        );
      }
      const models = readFileSync(join(root, 'prisma', 'models.prisma'), 'utf8');
      writeFileSync(join(copy, 'prisma', 'models.prisma'), models);
      const check = () =>
        spawnSync(process.execPath, ['scripts/db-schemas.mjs', '--check'], { cwd: copy, encoding: 'utf8' });
      expect(check().status).toBe(0);

      writeFileSync(join(copy, 'prisma', 'models.prisma'), `${models}\nmodel Stray {\n  id String @id\n}\n`);
      const stale = check();
      expect(stale.status).toBe(1);
      for (const provider of providers)
        expect(stale.stderr).toContain(join(copy, 'prisma', provider, 'schema.prisma'));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
