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
  /**
   * What the daily rollup must sum to: actual rows, committed rows without a commitment, and
   * each commitment's open amount (committed − invoiced, never below zero).
   */
  rollupMinor: bigint;
  committed: number;
  refunds: number;
  /** Committed rows with a commitment_id (purchase orders) and actual rows invoicing them. */
  commitments: number;
  invoices: number;
}

/**
 * Writes N spend rows dated from `start` over `days` days; returns what a correct import must
 * hold. Every tenth row opens a purchase order (committed, commitment_id PO-k) and the three
 * rows after it invoice it in its category, a few days later: 100,000 commitments and 300,000
 * invoices in a million rows, some invoiced above their amount.
 */
export async function writeSpendCsv(
  path: string,
  rows: number,
  start: string,
  days: number,
): Promise<SpendFileStats> {
  const stats: SpendFileStats = {
    amountMinor: 0n,
    rollupMinor: 0n,
    committed: 0,
    refunds: 0,
    commitments: 0,
    invoices: 0,
  };
  const rand = seededRandom(42);
  let po = { id: '', day: 0, category: '', committed: 0n, invoiced: 0n };
  const closePo = () => {
    if (!po.id) return;
    const open = po.committed - po.invoiced;
    stats.rollupMinor += open > 0n ? open : 0n;
  };
  const money = (cents: number) =>
    `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  await writeLines(
    path,
    'date,amount,category,campaign,vendor,status,external_id,commitment_id',
    rows,
    (i) => {
      const slot = i % 10;
      if (slot === 0) {
        closePo();
        const day = Math.floor(rand() * (days - 40));
        const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string;
        const cents = Math.floor(rand() * 1_500_000) + 30_000;
        po = { id: `PO-${i / 10}`, day, category, committed: BigInt(cents), invoiced: 0n };
        stats.amountMinor += BigInt(cents);
        stats.committed++;
        stats.commitments++;
        return `${addDays(start, day)},${money(cents)},${category},Campaign ${i % 997},Vendor ${i % 89},committed,bench-${i},${po.id}`;
      }
      if (slot <= 3) {
        // Each invoice about a third of the PO, give or take a tenth: some POs end over-invoiced.
        const cents = Math.round((Number(po.committed) / 3) * (0.9 + rand() * 0.2));
        po.invoiced += BigInt(cents);
        stats.amountMinor += BigInt(cents);
        stats.rollupMinor += BigInt(cents);
        stats.invoices++;
        const date = addDays(start, po.day + slot * 10);
        return `${date},${money(cents)},${po.category},Campaign ${i % 997},Vendor ${i % 89},actual,bench-${i},${po.id}`;
      }
      const date = addDays(start, Math.floor(rand() * days));
      const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string;
      const refund = rand() < 0.01;
      const cents = Math.floor(rand() * 500_000) + 100;
      const status = rand() < 0.1 ? 'committed' : 'actual';
      const signed = refund ? -cents : cents;
      stats.amountMinor += BigInt(signed);
      stats.rollupMinor += BigInt(signed);
      if (refund) stats.refunds++;
      if (status === 'committed') stats.committed++;
      return `${date},${money(signed)},${category},Campaign ${i % 997},Vendor ${i % 89},${status},bench-${i},`;
    },
  );
  closePo();
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
