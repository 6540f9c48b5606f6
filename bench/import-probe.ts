import { createReadStream } from 'node:fs';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { importSpend } from '../src/ingest/import.js';
import { writeSpendCsv } from './data.js';

const N = Number(process.argv[2] ?? 100000);
await writeSpendCsv('/tmp/bench-spend.csv', N, '2025-02-01', 730);
const s = await createScratchDatabase();
await applyMigrations(s.url);
const d = openDatabase(s.url);
const t0 = performance.now();
const c = await importSpend({
  db: d.db,
  databaseUrl: s.url,
  teamId: 'TB',
  currency: 'USD',
  fiscalStartMonth: 2,
  source: 'csv',
  actor: 'bench',
  open: () => createReadStream('/tmp/bench-spend.csv'),
});
const ms = performance.now() - t0;
console.log(c, Math.round(N / (ms / 1000)), 'rows/s', Math.round(process.memoryUsage().rss / 1e6), 'MB');
await d.close();
await s.drop();
