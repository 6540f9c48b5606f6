// npm run bench: reproducible figures for Mo's speed goals. A report, not a test: it prints
// PASS/FAIL per target and exits 0 either way (non-zero only if the bench itself breaks).
//   1. Spend import on SQLite: a seeded canonical CSV of 1,000,000 rows (100,000 of them
//      purchase orders and 300,000 invoices against them) imported into a fresh database
//      (rows/s, peak RSS sampled during the import), then the same file again (all unchanged);
//      the stored rows, the commitments and the daily rollup are checked against the file.
//      Then 200,000 leads through the same pipeline.
//   2. `/mo budget` over the real HTTP receiver with those rows and 320 budget lines: signed
//      slash commands in, latency until the reply reaches response_url at an in-process fake
//      Slack; four text variants, one at a time and four at once.
// Data is seeded and the clock pinned (NOW), so two runs do the same work.
// Sizes: BENCH_SPEND_ROWS (1,000,000), BENCH_LEAD_ROWS (200,000), BENCH_REQUESTS (300),
// BENCH_WARMUP (20).
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fiscalQuarter } from '../src/domain/calendar.js';
import { importBudgets, importLeads, importSpend } from '../src/ingest/import.js';
import { ms, quantile, startBudgetHttp } from './budget-http.js';
import { CATEGORIES, writeLeadsCsv, writeSpendCsv } from './data.js';
import { BENCH_FISCAL_START, BENCH_NOW, BENCH_TEAM, openBenchWorkspace } from './workspace.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
  return v;
};
const ROWS = int('BENCH_SPEND_ROWS', 1_000_000);
const LEADS = int('BENCH_LEAD_ROWS', 200_000);
const REQUESTS = int('BENCH_REQUESTS', 300);
const WARMUP = int('BENCH_WARMUP', 20);
const NOW = BENCH_NOW;
const TEAM = BENCH_TEAM;
const FISCAL_START = BENCH_FISCAL_START;
const VARIANTS = ['budget', 'budget FY2027', 'budget this-quarter Paid Media', 'budget FY2027-Q3'];

const TARGET_IMPORT = 20_000; // rows/s
const TARGET_P99 = 200; // ms

// ---------------------------------------------------------------------------------------
// Reporting helpers

interface Result {
  name: string;
  value: string;
  target: string;
  pass: boolean | null;
}
const results: Result[] = [];
const problems: string[] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${fmt(bytes / 1e6)} MB`;
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
  return ok;
};

/** Runs `work`, sampling RSS every 20 ms (between the import's batches) and timing wall and CPU. */
async function measured<T>(work: () => Promise<T>) {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBefore, peak };
  } finally {
    clearInterval(timer);
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'mo-bench-'));
console.log(
  `Mo bench · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · now pinned at ${NOW.toISOString()}`,
);
console.log(
  `sizes: ${fmt(ROWS)} spend rows, ${fmt(LEADS)} leads, ${fmt(REQUESTS)} requests per run after ${WARMUP} warm-up`,
);

// ---------------------------------------------------------------------------------------
// Data

const spendCsv = join(dir, 'spend.csv');
const t = performance.now();
const fileStats = await writeSpendCsv(spendCsv, ROWS, '2025-02-01', 730);
console.log(
  `\ngenerated spend.csv: ${fmt(ROWS)} rows, ${mb(statSync(spendCsv).size)}, ${fmt(fileStats.committed)} committed (${fmt(fileStats.commitments)} purchase orders, ${fmt(fileStats.invoices)} invoices against them), ${fmt(fileStats.refunds)} refunds, ${CATEGORIES.length} categories, 2025-02-01..2027-01-31 (FY2026-FY2027) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
console.log(`  sha256 ${(await sha256(spendCsv)).slice(0, 16)}… (the same on every run)`);

const { scratch, database, mo, importContext: ctx } = await openBenchWorkspace();

// ---------------------------------------------------------------------------------------
// 1. Import throughput

console.log('\n1. Spend import (SQLite, one transaction per file)');
const importRow = (label: string, m: Awaited<ReturnType<typeof measured>>, counts: string) => {
  const rate = ROWS / m.seconds;
  console.log(
    `  ${label.padEnd(22)} ${counts.padEnd(24)} ${m.seconds.toFixed(1).padStart(6)} s  ${fmt(rate).padStart(7)} rows/s  ` +
      `CPU ${m.cpuSeconds.toFixed(1)} s  RSS ${mb(m.rssBefore)} -> peak ${mb(m.peak)}`,
  );
  return rate;
};

const first = await measured(() =>
  importSpend({ ...ctx, open: () => createReadStream(spendCsv), label: 'bench spend.csv' }),
);
const firstRate = importRow('first import', first, `${fmt(first.value.added)} added`);
check(
  first.value.added === ROWS && first.value.updated === 0 && first.value.unchanged === 0,
  `first import counted ${JSON.stringify({ ...first.value, landing: undefined })}`,
);

// What a correct import holds: every row, and a rollup that sums to the file.
const [stored] = await mo.db.$queryRawUnsafe<{ n: bigint | number; total: bigint | number | null }[]>(
  'SELECT COUNT(*) AS n, SUM("amountMinor") AS total FROM "Spend" WHERE "teamId" = ?',
  TEAM,
);
const [rolled] = await mo.db.$queryRawUnsafe<{ total: bigint | number | null; days: bigint | number }[]>(
  'SELECT SUM("amountMinor") AS total, COUNT(*) AS days FROM "SpendDaily" WHERE "teamId" = ?',
  TEAM,
);
const [monthly] = await mo.db.$queryRawUnsafe<{ total: bigint | number | null }[]>(
  'SELECT SUM("amountMinor") AS total FROM "SpendMonthly" WHERE "teamId" = ?',
  TEAM,
);
const [commitments] = await mo.db.$queryRawUnsafe<{ n: bigint | number; over: bigint | number | null }[]>(
  'SELECT COUNT(*) AS n, SUM(CASE WHEN "invoicedMinor" > "committedMinor" THEN 1 ELSE 0 END) AS over FROM "Commitment" WHERE "teamId" = ?',
  TEAM,
);
const storedOk =
  check(Number(stored?.n) === ROWS, `Spend holds ${stored?.n} rows, expected ${ROWS}`) &&
  check(
    BigInt(stored?.total ?? 0) === fileStats.amountMinor,
    `Spend sums to ${stored?.total}, the file to ${fileStats.amountMinor}`,
  ) &&
  check(
    BigInt(rolled?.total ?? 0) === fileStats.rollupMinor,
    `SpendDaily sums to ${rolled?.total}, the file's actual + open committed to ${fileStats.rollupMinor}`,
  ) &&
  check(
    BigInt(monthly?.total ?? 0) === fileStats.rollupMinor,
    `SpendMonthly sums to ${monthly?.total}, the file's actual + open committed to ${fileStats.rollupMinor}`,
  ) &&
  check(
    Number(commitments?.n) === fileStats.commitments,
    `${commitments?.n} commitments stored, the file has ${fileStats.commitments}`,
  );
console.log(
  `  check: ${storedOk ? 'ok' : 'FAILED'}: ${fmt(Number(stored?.n))} rows stored summing to ${fileStats.amountMinor} cents; ` +
    `${fmt(Number(commitments?.n))} commitments (${fmt(Number(commitments?.over))} over-invoiced); ` +
    `${fmt(Number(rolled?.days))} rollup rows summing to ${fileStats.rollupMinor} cents (actual + open committed)`,
);

const again = await measured(() =>
  importSpend({ ...ctx, open: () => createReadStream(spendCsv), label: 'bench spend.csv again' }),
);
const againRate = importRow('same file again', again, `${fmt(again.value.unchanged)} unchanged`);
check(
  again.value.unchanged === ROWS && again.value.added === 0 && again.value.updated === 0,
  `re-import counted ${JSON.stringify({ ...again.value, landing: undefined })}`,
);

results.push(
  {
    name: `spend import, ${fmt(ROWS)} new rows`,
    value: `${fmt(firstRate)} rows/s`,
    target: `> ${fmt(TARGET_IMPORT)} rows/s`,
    pass: firstRate > TARGET_IMPORT,
  },
  {
    name: 'spend re-import, all unchanged',
    value: `${fmt(againRate)} rows/s`,
    target: `> ${fmt(TARGET_IMPORT)} rows/s`,
    pass: againRate > TARGET_IMPORT,
  },
  {
    name: 'peak RSS, spend imports',
    value: mb(Math.max(first.peak, again.peak)),
    target: 'report',
    pass: null,
  },
);

if (LEADS > 0) {
  const leadsCsv = join(dir, 'leads.csv');
  await writeLeadsCsv(leadsCsv, LEADS, '2025-02-01', 730);
  const leads = await measured(() =>
    importLeads({ ...ctx, open: () => createReadStream(leadsCsv), label: 'bench leads.csv' }),
  );
  const rate = LEADS / leads.seconds;
  console.log(
    `  ${'leads, first import'.padEnd(22)} ${`${fmt(leads.value.added)} added`.padEnd(24)} ${leads.seconds.toFixed(1).padStart(6)} s  ${fmt(rate).padStart(7)} rows/s  ` +
      `CPU ${leads.cpuSeconds.toFixed(1)} s  RSS ${mb(leads.rssBefore)} -> peak ${mb(leads.peak)}`,
  );
  check(leads.value.added === LEADS, `leads import added ${leads.value.added} of ${LEADS}`);
  results.push({
    name: `lead import, ${fmt(LEADS)} new rows`,
    value: `${fmt(rate)} rows/s`,
    target: `> ${fmt(TARGET_IMPORT)} rows/s`,
    pass: rate > TARGET_IMPORT,
  });
}

// Budget lines: every category for every quarter of both fiscal years.
const lines = ['period,category,amount,owner'];
for (const fy of [2026, 2027])
  for (const q of [1, 2, 3, 4])
    for (const [i, c] of CATEGORIES.entries())
      lines.push(`${fiscalQuarter(fy, q, FISCAL_START).key},${c},${250_000 + (i % 7) * 10_000},`);
const budgets = await importBudgets({ ...ctx, open: () => Readable.from([`${lines.join('\n')}\n`]) });
console.log(`  budget lines: ${fmt(budgets.added)} added (${CATEGORIES.length} categories × 8 quarters)`);

// ---------------------------------------------------------------------------------------
// 2. /mo budget over HTTP

console.log(
  `\n2. /mo budget over HTTP (${fmt(ROWS)} spend rows incl. ${fmt(fileStats.commitments)} commitments and ${fmt(fileStats.invoices)} invoices, ${fmt(budgets.added)} budget lines)`,
);
const http = await startBudgetHttp({ mo, database, teamId: TEAM, check });
const cold = await http.slashCommand(VARIANTS[0] as string);
console.log(
  `  first request (cold: users.info, query plans): ${ms(cold.latency)} ms · replies carry ${cold.reply.body.blocks?.length ?? 0} blocks`,
);
for (let i = 0; i < WARMUP; i++) await http.slashCommand(VARIANTS[i % VARIANTS.length] as string);
for (const v of VARIANTS) {
  const sample = await http.slashCommand(v);
  console.log(`    /mo ${v.padEnd(30)} -> "${(sample.reply.body.text ?? '').split('\n')[0]?.slice(0, 70)}"`);
}
const run = async (concurrency: number) =>
  (await http.run(VARIANTS, REQUESTS, concurrency)).map((s) => s.latency);

const latencyResults = (label: string, all: number[]) => {
  const p99 = quantile(all, 0.99);
  results.push(
    { name: `/mo budget p50, ${label}`, value: `${ms(quantile(all, 0.5))} ms`, target: 'report', pass: null },
    {
      name: `/mo budget p99, ${label}`,
      value: `${ms(p99)} ms`,
      target: `< ${TARGET_P99} ms`,
      pass: p99 < TARGET_P99,
    },
  );
};
latencyResults('one at a time', await run(1));
latencyResults('4 at once', await run(4));
console.log(`\n  fake Slack saw: ${http.calls()}`);

await http.close();
await database.close();
await scratch.drop();
rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------
// Summary

results.push({
  name: 'checks (counts, sums, replies)',
  value: problems.length ? `${problems.length} failed` : 'all ok',
  target: 'all ok',
  pass: problems.length === 0,
});
console.log(`\nSummary (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
console.log(`  ${'measure'.padEnd(38)} ${'value'.padStart(16)}   ${'target'.padEnd(18)} result`);
for (const r of results) {
  const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL';
  console.log(`  ${r.name.padEnd(38)} ${r.value.padStart(16)}   ${r.target.padEnd(18)} ${verdict}`);
}
for (const p of problems.slice(0, 10)) console.log(`  ! ${p}`);
if (problems.length > 10) console.log(`  ! …and ${problems.length - 10} more`);
