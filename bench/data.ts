// Seeded, reproducible benchmark data: a canonical spend CSV of N rows over two fiscal
// years and ~40 categories, and budget lines for every category and quarter.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { seededRandom } from '../src/demo.js';
import { addDays } from '../src/domain/calendar.js';

export const TOPS = ['Paid Media', 'Events', 'Content', 'Martech', 'Agency', 'Field', 'Partners', 'Brand'];
export const SUBS = ['North America', 'EMEA', 'APAC', 'LATAM', 'Global'];
export const CATEGORIES = TOPS.flatMap((t) => SUBS.map((s) => `${t}/${s}`));

/** Streams `header` and one line per row from `line(i)` to a file, in 64 KB writes. */
async function writeLines(
  path: string,
  header: string,
  rows: number,
  line: (i: number) => string,
): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    buf += `${line(i)}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}

export interface SpendFileStats {
  /** Sum of every amount, refunds included, in cents. */
  amountMinor: bigint;
  committed: number;
  refunds: number;
}

/** Writes N spend rows dated from `start` over `days` days; returns what a correct import must hold. */
export async function writeSpendCsv(
  path: string,
  rows: number,
  start: string,
  days: number,
): Promise<SpendFileStats> {
  const stats: SpendFileStats = { amountMinor: 0n, committed: 0, refunds: 0 };
  const rand = seededRandom(42);
  await writeLines(path, 'date,amount,category,campaign,vendor,status,external_id', rows, (i) => {
    const date = addDays(start, Math.floor(rand() * days));
    const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string;
    const refund = rand() < 0.01;
    const cents = Math.floor(rand() * 500_000) + 100;
    const amount = `${refund ? '-' : ''}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const status = rand() < 0.1 ? 'committed' : 'actual';
    stats.amountMinor += BigInt(refund ? -cents : cents);
    if (refund) stats.refunds++;
    if (status === 'committed') stats.committed++;
    return `${date},${amount},${category},Campaign ${i % 997},Vendor ${i % 89},${status},bench-${i}`;
  });
  return stats;
}

/** Writes N leads (canonical CSV): a third become MQLs a week later, a tenth SQLs. */
export async function writeLeadsCsv(path: string, rows: number, start: string, days: number): Promise<void> {
  const rand = seededRandom(7);
  await writeLines(path, 'created_date,mql_date,sql_date,category,campaign,external_id', rows, (i) => {
    const created = addDays(start, Math.floor(rand() * days));
    const mql = rand() < 0.33 ? addDays(created, 7) : '';
    const sql = mql && rand() < 0.3 ? addDays(created, 21) : '';
    const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string;
    return `${created},${mql},${sql},${category},Campaign ${i % 997},lead-${i}`;
  });
}

/** Writes N opportunities (canonical CSV): $5k–$100k, a quarter of them won within 60 days. */
export async function writeOpportunitiesCsv(
  path: string,
  rows: number,
  start: string,
  days: number,
): Promise<void> {
  const rand = seededRandom(9);
  await writeLines(path, 'created_date,amount,close_date,won,category,campaign,external_id', rows, (i) => {
    const created = addDays(start, Math.floor(rand() * days));
    const amount = 5_000 + Math.floor(rand() * 95_000);
    const r = rand();
    const close = r < 0.5 ? addDays(created, 10 + Math.floor(rand() * 50)) : '';
    const won = close ? (r < 0.25 ? 'true' : 'false') : '';
    const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string;
    return `${created},${amount},${close},${won},${category},Campaign ${i % 997},opp-${i}`;
  });
}
