// Applies the committed migrations for the store DATABASE_URL selects (`npm start` and
// `mo migrate` both call this before anything reads the database).
import { openDatabase } from './client.js';
import { migrationList, noFilter, withSchemaEngine } from './schema-engine.js';
import { providerOf } from './url.js';

/**
 * Whether every committed migration is recorded as applied in `_prisma_migrations`. When it
 * is, Mo starts without the schema engine: faster, and the engine's SQLite connector waits
 * for exclusive access that another open Mo process (the shell, the CLI) never gives up.
 */
async function upToDate(url: string, names: string[]): Promise<boolean> {
  const database = openDatabase(url);
  try {
    const rows = await database.db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return names.every((n) => applied.has(n));
  } catch {
    // No migrations table yet (a new database): the engine creates it.
    return false;
  } finally {
    await database.close();
  }
}

export async function applyMigrations(url: string): Promise<string[]> {
  const migrations = migrationList(providerOf(url));
  if (
    await upToDate(
      url,
      migrations.migrationDirectories.map((d) => d.path),
    )
  )
    return [];
  return withSchemaEngine(url, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: migrations, filters: noFilter });
    return out.appliedMigrationNames;
  });
}
