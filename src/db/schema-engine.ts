// Prisma's schema engine, in-process, from its official WASM build: migrations apply and
// diff without the native binary Prisma's CLI would download (which this project cannot).
// It writes Prisma's own `_prisma_migrations` table, so `prisma migrate deploy` stays
// compatible wherever the binary exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { adapterFactoryFor } from './client.js';
import { type Provider, providerOf } from './url.js';

type EngineModule = typeof import('@prisma/schema-engine-wasm');

const require = createRequire(import.meta.url);
// Node has WebAssembly; TypeScript's Node typings (without the DOM lib) do not declare it.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};
export const prismaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prisma');

let engineModule: Promise<EngineModule> | undefined;

// The package's entry imports the .wasm as an ES module, which Node 20 only does behind a
// flag; instantiate the bytes ourselves and hand them to its JS glue instead.
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const entry = require.resolve('@prisma/schema-engine-wasm');
    const glue = (await import(join(dirname(entry), 'schema_engine_bg.js'))) as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const bytes = readFileSync(join(dirname(entry), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': glue,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return engineModule;
}

export function schemaFile(provider: Provider): { path: string; content: string } {
  const path = join(prismaDir, provider, 'schema.prisma');
  return { path, content: readFileSync(path, 'utf8') };
}

export function migrationsDir(provider: Provider): string {
  return join(prismaDir, provider, 'migrations');
}

export function migrationList(provider: Provider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

// PostgreSQL's one-byte "char" type (pg_class.relkind and friends, read when the engine
// describes a schema) has no mapping in @prisma/adapter-pg 7.10 and fails the describe.
// For the schema engine only, report those columns as text, which is what they hold.
const PG_CHAR = 18;
const PG_TEXT = 25;
type QueryResultLike = { fields?: { dataTypeID: number }[] };
function charAsText<T>(result: T): T {
  for (const field of (result as QueryResultLike)?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
  }
  return result;
}
class CharAsTextClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads
  override query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (err: Error | null, res: unknown) => callback(err, charAsText(res));
      // biome-ignore lint/suspicious/noExplicitAny: see above
      return (super.query as any)(...args);
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const out = (super.query as any)(...args);
    return typeof out?.then === 'function' ? out.then(charAsText) : out;
  }
}

export function schemaEngineAdapterFor(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (providerOf(url) === 'sqlite') return adapterFactoryFor(url);
  return new PrismaPg({ connectionString: url, Client: CharAsTextClient } as pg.PoolConfig);
}

export const noFilter = { externalTables: [], externalEnums: [] };

export async function withSchemaEngine<T>(
  url: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const provider = providerOf(url);
  const adapterFactory = schemaEngineAdapterFor(url);
  const schema = schemaFile(provider);
  // The engine does not close the connections it opens; without this, a SQLite file
  // stays locked by the first run and a second migrate in the same process times out.
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => {
      const adapter = await adapterFactory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await adapterFactory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}
