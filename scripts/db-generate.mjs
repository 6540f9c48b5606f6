#!/usr/bin/env node
// Generates the SQLite and PostgreSQL Prisma clients (src/db/generated/, not committed).
// Prisma's CLI wants a schema-engine binary it would download; generation does not use it,
// so any path satisfies the check on machines that cannot download it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { providers, schemaPath } from './db-schemas.mjs';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  // A production install (npm ci --omit=dev) has no Prisma CLI: it needs committed clients.
  if (providers.every((p) => existsSync(new URL(`../src/db/generated/${p}/client.ts`, import.meta.url)))) {
    process.exit(0);
  }
  console.error('The Prisma CLI (devDependency "prisma") is needed to generate the database clients.');
  process.exit(1);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
for (const provider of providers) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', schemaPath(provider)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}
