// Differences between the models (prisma/models.prisma) and a database or the committed
// migrations, as the SQL that would close them: an empty migration when there is none.
// The no-drift test and `npm run db:migration` use these.
import type { DiffTarget } from '@prisma/schema-engine-wasm';
import { noFilter, prismaDir, schemaFile, withSchemaEngine } from './schema-engine.js';
import { providerOf } from './url.js';

async function diffToModels(url: string, from: (provider: ReturnType<typeof providerOf>) => DiffTarget) {
  return withSchemaEngine(url, async (engine) => {
    const provider = providerOf(url);
    const out = await engine.diff({
      from: from(provider),
      to: { tag: 'schemaDatamodel', files: [schemaFile(provider)] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return out.stdout ?? '';
  });
}

/** What the live database at `url` lacks, or has too much, compared with the models. */
export function diffDatabaseToModels(url: string): Promise<string> {
  return diffToModels(url, (provider) => ({
    tag: 'schemaDatasource',
    files: [schemaFile(provider)],
    configDir: prismaDir,
  }));
}

export function isEmptyMigration(sql: string): boolean {
  return sql.trim() === '' || sql.trim() === '-- This is an empty migration.';
}
