// Creates the next migration for each provider from the difference between the committed
// migrations and prisma/models.prisma: `npm run db:migration -- NAME`.
// Replays the migrations on a scratch database (a temp SQLite file; a new database on the
// PostgreSQL server named by TEST_DATABASE_URL), then diffs it against the models.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffDatabaseToModels, isEmptyMigration } from '../src/db/drift.js';
import { applyMigrations } from '../src/db/migrate.js';
import { migrationsDir } from '../src/db/schema-engine.js';
import { createScratchDatabase } from '../src/db/scratch.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- NAME   (lower-case letters, digits, _)');
  process.exit(2);
}
const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl?.startsWith('postgres')) {
  console.error('Set TEST_DATABASE_URL to a PostgreSQL server: the PostgreSQL migration is made there.');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
for (const [provider, base] of [
  ['sqlite', undefined],
  ['postgresql', pgUrl],
] as const) {
  const scratch = await createScratchDatabase(base);
  try {
    await applyMigrations(scratch.url);
    const sql = await diffDatabaseToModels(scratch.url);
    if (isEmptyMigration(sql)) {
      console.log(`${provider}: no changes`);
      continue;
    }
    const dir = join(migrationsDir(provider), `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    console.log(`${provider}: wrote ${dir}/migration.sql`);
  } finally {
    await scratch.drop();
  }
}
