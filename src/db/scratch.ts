// Throwaway databases for tests, benchmarks and migration tooling: a SQLite file in a temp
// folder, or a new database on the PostgreSQL server that `baseUrl` points at.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { providerOf } from './url.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(baseUrl?: string): Promise<ScratchDatabase> {
  if (!baseUrl || providerOf(baseUrl) === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'mo-db-'));
    return {
      url: `file:${join(dir, 'mo.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `mo_scratch_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
