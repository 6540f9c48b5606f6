// Applies the committed migrations for the store DATABASE_URL selects (`npm start` and
// `mo migrate` both call this before anything reads the database).
import { migrationList, noFilter, withSchemaEngine } from './schema-engine.js';
import { providerOf } from './url.js';

export async function applyMigrations(url: string): Promise<string[]> {
  return withSchemaEngine(url, async (engine) => {
    const out = await engine.applyMigrations({
      migrationsList: migrationList(providerOf(url)),
      filters: noFilter,
    });
    return out.appliedMigrationNames;
  });
}
