// The Prisma client for a DATABASE_URL: SQLite (better-sqlite3) or PostgreSQL (pg), each
// with its own generated client and driver adapter. The two clients come from the same
// models, so repositories are typed once, against the SQLite client's API.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient as PgClient } from './generated/postgresql/client.js';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { type Provider, providerOf, sqlitePath } from './url.js';

export type Db = SqliteClient;
export { Prisma } from './generated/sqlite/client.js';

export interface Database {
  db: Db;
  provider: Provider;
  url: string;
  close(): Promise<void>;
}

export function adapterFactoryFor(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (providerOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    // Waits up to 5 s for a writer lock rather than failing at once when two Mo
    // processes (or the CLI and the server) share one file.
    return new PrismaBetterSqlite3({ url: file, timeout: 5000 });
  }
  return new PrismaPg({ connectionString: url });
}

export function openDatabase(url: string): Database {
  const provider = providerOf(url);
  const adapter = adapterFactoryFor(url);
  const db =
    provider === 'sqlite' ? new SqliteClient({ adapter }) : (new PgClient({ adapter }) as unknown as Db);
  return { db, provider, url, close: () => db.$disconnect() };
}
