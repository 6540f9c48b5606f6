import { createReadStream } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { importSpend } from '../src/ingest/import.js';
import { writeSpendCsv } from './data.js';

const url = 'file:/tmp/probe.db';
if (process.argv[2] === 'load') {
  await writeSpendCsv('/tmp/probe.csv', 1_000_000, '2025-02-01', 730);
  await applyMigrations(url);
  const d = openDatabase(url);
  await importSpend({
    db: d.db,
    databaseUrl: url,
    teamId: 'TB',
    currency: 'USD',
    fiscalStartMonth: 2,
    source: 'csv',
    actor: 'b',
    open: () => createReadStream('/tmp/probe.csv'),
  });
  await d.close();
}
const db = new Sqlite('/tmp/probe.db');
const q = `SELECT category, status, SUM(amountMinor) FROM Spend WHERE teamId = ? AND date >= ? AND date <= ? GROUP BY category, status`;
console.log(db.prepare('EXPLAIN QUERY PLAN ' + q).all('TB', '2026-02-01', '2027-01-31'));
for (const [a, b] of [
  ['2026-02-01', '2027-01-31'],
  ['2026-11-01', '2027-01-31'],
]) {
  const t = performance.now();
  const r = db.prepare(q).all('TB', a, b);
  console.log(a, b, r.length, (performance.now() - t).toFixed(1), 'ms raw');
}
const d = openDatabase(url);
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await d.db.spend.groupBy({
    by: ['category', 'status'],
    where: { teamId: 'TB', date: { gte: '2026-02-01', lte: '2027-01-31' } },
    _sum: { amountMinor: true },
  });
  console.log('prisma groupBy FY', (performance.now() - t).toFixed(1), 'ms');
}
const t = performance.now();
await d.db.spend.groupBy({ by: ['category'], where: { teamId: 'TB' } });
console.log('prisma categories', (performance.now() - t).toFixed(1), 'ms');
await d.close();
