// npm run bench (budget at scale): `/mo budget` at 10,000,000 spend rows on PostgreSQL.
// A scratch database on BENCH_DATABASE_URL (postgresql://postgres@127.0.0.1:55433/postgres),
// created and dropped here, is seeded in SQL (an import would take the better part of an
// hour): the spend rows from generate_series, then SpendDaily and SpendMonthly summed from
// them, as Mo's writers keep them. Checked before anything is timed: the rollups sum to the
// rows, cell by cell, and the budget's totals for a fiscal year, a quarter and a category
// equal SQL sums over the raw rows, to the cent. Then signed slash commands over HTTP, one at
// a time and four at once; the target is a fiscal year's p99 < 200 ms four at once. The
// tables' scan counters show what the requests read (months, a few days, never the rows).
// Sizes: BENCH_SCALE_ROWS (10,000,000), BENCH_SCALE_REQUESTS (400), BENCH_WARMUP (20);
// BENCH_SCALE_KEEP=1 keeps the database (its URL is printed); BENCH_SCALE_DATABASE_URL=that URL
// runs on it again without seeding (minutes at 10M rows), once the seed is checked intact: the
// row count, the rows' total against the generator's (computed again in SQL), and both
// rollups against the rows, cell by cell. A reused database is kept.
import { cpus } from 'node:os';
import { Readable } from 'node:stream';
import pg from 'pg';
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { fiscalQuarter, requirePeriod } from '../src/domain/calendar.js';
import { formatMoney } from '../src/domain/money.js';
import { importBudgets } from '../src/ingest/import.js';
import { budgetReport } from '../src/services/budget.js';
import { createMo } from '../src/services/mo.js';
import { loadAverage, ms, quantile, type Sample, startBudgetHttp } from './budget-http.js';
import { CATEGORIES } from './data.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`${name} must be a whole number ≥ 1, got ${process.env[name]}`);
  return v;
};
const ROWS = int('BENCH_SCALE_ROWS', 10_000_000);
const REQUESTS = int('BENCH_SCALE_REQUESTS', 400);
const WARMUP = int('BENCH_WARMUP', 20);
/** Leaves the scratch database in place, to EXPLAIN the budget's queries against it. */
const REUSE = process.env.BENCH_SCALE_DATABASE_URL;
const KEEP = process.env.BENCH_SCALE_KEEP === '1' || Boolean(REUSE);
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:55433/postgres';
const NOW = new Date('2026-11-16T15:00:00Z');
const TODAY = '2026-11-16';
const TEAM = 'T1';
const FISCAL_START = 2; // the rows span FY2026 and FY2027 (2025-02-01..2027-01-31)
const FIRST_DAY = '2025-02-01';
const DAYS = 730;
const YEAR = 'budget FY2027';
const TEXTS = [YEAR, 'budget FY2026', 'budget FY2027-Q4', 'budget FY2027 Paid Media'];
const TARGET_P99 = 200; // ms, a fiscal year four at once

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
  return ok;
};

console.log(
  `Mo bench · /mo budget at scale on PostgreSQL · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} · now pinned at ${NOW.toISOString()}`,
);
console.log(`sizes: ${fmt(ROWS)} spend rows, ${fmt(REQUESTS)} requests per run after ${WARMUP} warm-up`);

const started = performance.now();
const scratch = REUSE ? { url: REUSE, drop: async () => {} } : await createScratchDatabase(BASE_URL);
const sql = new pg.Client({ connectionString: scratch.url });
try {
  await applyMigrations(scratch.url);
  await sql.connect();
  const database = openDatabase(scratch.url);
  const mo = createMo(database, createClock(NOW));
  await mo.workspaces.update(
    TEAM,
    { currency: 'USD', fiscalStartMonth: FISCAL_START, timezone: 'America/New_York' },
    'bench',
  );

  // -------------------------------------------------------------------------------------
  // Seed

  console.log(REUSE ? '\n1. Seed (reused, checked below)' : '\n1. Seed (SQL)');
  // The generator: day, category and amount from a multiplicative hash of the row number.
  const generated = `SELECT i, (i * 2654435761) % 4294967291 AS h FROM generate_series(0::bigint, $1::bigint - 1) AS i`;
  if (!REUSE) {
    // A scratch database: losing it in a crash loses nothing, and the sorts need memory.
    await sql.query(
      `SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'`,
    );
    let t0 = performance.now();
    // Spend's keys are dropped for the load and built after it from sorted input (a third of
    // the time of maintaining them row by row), exactly as the migrations define them.
    const { rows: keys } = await sql.query<{ name: string; def: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = '"Spend"'::regclass AND contype IN ('p', 'u')`,
    );
    const { rows: indexes } = await sql.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = 'Spend' AND indexname <> ALL($1)`,
      [keys.map((k) => k.name)],
    );
    for (const k of keys) await sql.query(`ALTER TABLE "Spend" DROP CONSTRAINT "${k.name}"`);
    for (const i of indexes) await sql.query(`DROP INDEX "${i.name}"`);
    // Day, category and amount from a multiplicative hash of the row number: the same rows on
    // every run. Every tenth row is committed (no purchase order: it counts in full), about one
    // in a hundred is a refund.
    await sql.query(
      `INSERT INTO "Spend" ("id", "teamId", "date", "amountMinor", "status", "category", "campaign", "vendor",
          "source", "idempotencyKey", "commitmentId", "enteredBy", "createdAt", "updatedAt")
       SELECT '00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), $1,
          to_char(DATE '${FIRST_DAY}' + (h % ${DAYS})::int, 'YYYY-MM-DD'),
          CASE WHEN i % 97 = 3 THEN -1 ELSE 1 END * (h % 499979 + 100),
          CASE WHEN i % 10 = 0 THEN 'committed' ELSE 'actual' END,
          ($2::text[])[1 + ((h / ${DAYS}) % ${CATEGORIES.length})::int],
          'Campaign ' || (i % 997), 'Vendor ' || (i % 89), 'csv', 'bench-' || i, NULL, 'bench', $3, $3
       FROM (${generated.replace('$1', '$4')}) AS g`,
      [TEAM, CATEGORIES, NOW, ROWS],
    );
    const inserted = seconds(t0);
    t0 = performance.now();
    for (const k of keys) await sql.query(`ALTER TABLE "Spend" ADD CONSTRAINT "${k.name}" ${k.def}`);
    for (const i of indexes) await sql.query(i.def);
    const indexed = seconds(t0);
    t0 = performance.now();
    await sql.query(
      `INSERT INTO "SpendDaily" ("teamId", "date", "category", "status", "amountMinor")
       SELECT "teamId", "date", "category", "status", SUM("amountMinor") FROM "Spend" WHERE "teamId" = $1
       GROUP BY "teamId", "date", "category", "status"`,
      [TEAM],
    );
    await sql.query(
      `INSERT INTO "SpendMonthly" ("teamId", "month", "category", "status", "amountMinor")
       SELECT "teamId", left("date", 7), "category", "status", SUM("amountMinor") FROM "SpendDaily" WHERE "teamId" = $1
       GROUP BY "teamId", left("date", 7), "category", "status"`,
      [TEAM],
    );
    // As autovacuum leaves them in a running Mo: statistics, and a visibility map for index-only scans.
    for (const table of ['Spend', 'SpendDaily', 'SpendMonthly']) await sql.query(`VACUUM ANALYZE "${table}"`);
    const rolled = seconds(t0);
    const { rows: sizes } = await sql.query<{ name: string; size: string }>(
      `SELECT relname AS name, pg_size_pretty(pg_total_relation_size(oid)) AS size
         FROM pg_class WHERE relname IN ('Spend', 'SpendDaily', 'SpendMonthly') AND relkind = 'r' ORDER BY relname`,
    );
    const [cellCounts] = (
      await sql.query<{ days: string; months: string }>(
        `SELECT (SELECT COUNT(*) FROM "SpendDaily")::text AS days, (SELECT COUNT(*) FROM "SpendMonthly")::text AS months`,
      )
    ).rows;
    console.log(
      `  ${fmt(ROWS)} spend rows in ${inserted}, their keys in ${indexed}, the rollups (${fmt(Number(cellCounts?.days))} day cells, ${fmt(Number(cellCounts?.months))} month cells) in ${rolled} · ` +
        sizes.map((s) => `${s.name} ${s.size}`).join(', '),
    );
  }

  // What a correct seed holds: both rollups equal the rows, in total and cell by cell.
  const [totals] = (
    await sql.query<{ rows: string; raw: string; daily: string; monthly: string }>(
      `SELECT (SELECT COUNT(*) FROM "Spend" WHERE "teamId" = $1)::text AS rows,
              (SELECT SUM("amountMinor") FROM "Spend" WHERE "teamId" = $1)::text AS raw,
              (SELECT SUM("amountMinor") FROM "SpendDaily" WHERE "teamId" = $1)::text AS daily,
              (SELECT SUM("amountMinor") FROM "SpendMonthly" WHERE "teamId" = $1)::text AS monthly`,
      [TEAM],
    )
  ).rows;
  const [cells] = (
    await sql.query<{ months: string; off: string }>(
      `SELECT COUNT(*)::text AS months,
              COUNT(*) FILTER (WHERE r.total IS DISTINCT FROM m."amountMinor")::text AS off
         FROM (SELECT left("date", 7) AS month, "category", "status", SUM("amountMinor") AS total
                 FROM "Spend" WHERE "teamId" = $1 GROUP BY 1, 2, 3) AS r
         FULL JOIN (SELECT * FROM "SpendMonthly" WHERE "teamId" = $1) AS m
           ON m."month" = r.month AND m."category" = r."category" AND m."status" = r."status"`,
      [TEAM],
    )
  ).rows;
  // A reused database must hold the generator's rows: their total is computed again from it.
  const [made] = REUSE
    ? (
        await sql.query<{ total: string }>(
          `SELECT SUM(CASE WHEN i % 97 = 3 THEN -1 ELSE 1 END * (h % 499979 + 100))::text AS total FROM (${generated}) AS g`,
          [ROWS],
        )
      ).rows
    : [{ total: totals?.raw }];
  const seedOk =
    check(Number(totals?.rows) === ROWS, `Spend holds ${totals?.rows} rows, expected ${ROWS}`) &&
    check(made?.total === totals?.raw, `Spend sums to ${totals?.raw}, the generator to ${made?.total}`) &&
    check(
      totals?.daily === totals?.raw && totals?.monthly === totals?.raw,
      `rollups off: Spend ${totals?.raw}, SpendDaily ${totals?.daily}, SpendMonthly ${totals?.monthly}`,
    ) &&
    check(cells?.off === '0', `${cells?.off} of ${cells?.months} SpendMonthly cells differ from the rows`);
  console.log(
    `  check: ${seedOk ? 'ok' : 'FAILED'}: ${fmt(Number(totals?.rows))} rows summing to ${totals?.raw} cents; ` +
      `SpendDaily and SpendMonthly sum to ${totals?.daily} and ${totals?.monthly}; ${cells?.off} of ${cells?.months} month cells differ`,
  );

  // Budget lines: every category for every quarter of both fiscal years, as in bench/run.ts.
  const lines = ['period,category,amount,owner'];
  for (const fy of [2026, 2027])
    for (const q of [1, 2, 3, 4])
      for (const [i, c] of CATEGORIES.entries())
        lines.push(`${fiscalQuarter(fy, q, FISCAL_START).key},${c},${250_000 + (i % 7) * 10_000},`);
  const budgets = await importBudgets({
    db: mo.db,
    databaseUrl: mo.databaseUrl,
    now: mo.clock(),
    teamId: TEAM,
    currency: 'USD',
    fiscalStartMonth: FISCAL_START,
    source: 'csv',
    actor: 'bench',
    open: () => Readable.from([`${lines.join('\n')}\n`]),
  });
  const lineCount = budgets.added + budgets.updated + budgets.unchanged;
  console.log(
    `  budget lines: ${fmt(lineCount)} (${CATEGORIES.length} categories × 8 quarters; ${fmt(budgets.added)} added)`,
  );

  // Each text's figures against SQL over the raw rows: actual dated in the period through
  // today, committed dated in the period; under a top category, its sub-categories.
  const settings = await mo.workspaces.get(TEAM);
  if (!settings) throw new Error('the bench workspace is missing');
  const expected = new Map<string, { actual: bigint; committed: bigint }>();
  for (const text of TEXTS) {
    const [, periodText, ...category] = text.split(' ');
    const period = requirePeriod(periodText as string, TODAY, FISCAL_START);
    const focus = category.length ? category.join(' ') : null;
    const [sums] = (
      await sql.query<{ actual: string | null; committed: string | null }>(
        `SELECT SUM("amountMinor") FILTER (WHERE "status" = 'actual' AND "date" <= $4)::text AS actual,
                SUM("amountMinor") FILTER (WHERE "status" = 'committed')::text AS committed
           FROM "Spend" WHERE "teamId" = $1 AND "date" >= $2 AND "date" <= $3
            AND ($5::text IS NULL OR "category" = $5 OR "category" LIKE $5 || '/%')`,
        [TEAM, period.start, period.end, TODAY, focus],
      )
    ).rows;
    const want = { actual: BigInt(sums?.actual ?? 0), committed: BigInt(sums?.committed ?? 0) };
    expected.set(text, want);
    const report = await budgetReport(mo.forTeam(settings.teamId), settings, {
      period,
      category: focus,
      today: TODAY,
    });
    check(
      report.total.actual === want.actual && report.total.committed === want.committed,
      `/mo ${text}: actual ${report.total.actual} + committed ${report.total.committed}, SQL over the rows ${want.actual} + ${want.committed}`,
    );
  }
  console.log(
    `  /mo ${YEAR}: actual ${expected.get(YEAR)?.actual} + committed ${expected.get(YEAR)?.committed} cents by SQL over the rows; the report ${problems.length ? 'DIFFERS' : 'agrees to the cent (and for the other texts)'}`,
  );
  await sql.query('SELECT pg_stat_force_next_flush()');

  // -------------------------------------------------------------------------------------
  // /mo budget over HTTP

  console.log(`\n2. /mo budget over HTTP (${fmt(ROWS)} spend rows, ${fmt(lineCount)} budget lines)`);
  const reads = async () =>
    new Map(
      (
        await sql.query<{ name: string; seq: string; idx: string; tuples: string }>(
          `SELECT relname AS name, (COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0))::text AS seq,
                  COALESCE(idx_scan, 0)::text AS idx,
                  (COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0))::text AS tuples
             FROM pg_stat_user_tables WHERE relname IN ('Spend', 'SpendDaily', 'SpendMonthly', 'Commitment')`,
        )
      ).rows.map((r) => [r.name, { scans: Number(r.seq), tuples: Number(r.tuples) }]),
    );
  const before = await reads();
  const http = await startBudgetHttp({ mo, database, teamId: TEAM, check });
  // The reply shows whole dollars: the figures the SQL sums round to.
  const replyAgrees = (s: Sample) => {
    const want = expected.get(s.text);
    const shown = JSON.stringify(s.reply.body.blocks ?? []);
    return check(
      !!want &&
        shown.includes(
          `Actual ${formatMoney(want.actual, 'USD')} + committed ${formatMoney(want.committed, 'USD')}`,
        ),
      `/mo ${s.text}: the reply does not show actual ${want?.actual} + committed ${want?.committed}`,
    );
  };
  const cold = await http.slashCommand(YEAR);
  console.log(
    `  first request (cold): ${ms(cold.latency)} ms · ${cold.reply.body.blocks?.length ?? 0} blocks · "${(cold.reply.body.text ?? '').split('\n')[0]?.slice(0, 80)}"`,
  );
  for (let i = 0; i < WARMUP; i++) replyAgrees(await http.slashCommand(TEXTS[i % TEXTS.length] as string));
  const results: { name: string; value: string; target: string; pass: boolean | null }[] = [];
  const measure = async (concurrency: number) => {
    const samples = await http.run(TEXTS, REQUESTS, concurrency);
    for (const s of samples) replyAgrees(s);
    const label = concurrency === 1 ? 'one at a time' : `${concurrency} at once`;
    const year = samples.filter((s) => s.text === YEAR).map((s) => s.latency);
    const all = samples.map((s) => s.latency);
    results.push(
      {
        name: `FY p50/p99, ${label}`,
        value: `${ms(quantile(year, 0.5))} / ${ms(quantile(year, 0.99))} ms`,
        target: concurrency === 4 ? `p99 < ${TARGET_P99} ms` : 'report',
        pass: concurrency === 4 ? quantile(year, 0.99) < TARGET_P99 : null,
      },
      {
        name: `all texts p50/p99, ${label}`,
        value: `${ms(quantile(all, 0.5))} / ${ms(quantile(all, 0.99))} ms`,
        target: 'report',
        pass: null,
      },
    );
  };
  await measure(1);
  await measure(4);
  console.log(`\n  fake Slack saw: ${http.calls()}`);
  await http.close();
  // Closing the pool ends its sessions, which hands their table counters to the statistics.
  await database.close();
  await new Promise((r) => setTimeout(r, 500));
  const after = await reads();
  const read = (t: string) => {
    const a = after.get(t) ?? { scans: 0, tuples: 0 };
    const b = before.get(t) ?? { scans: 0, tuples: 0 };
    return { scans: a.scans - b.scans, tuples: a.tuples - b.tuples };
  };
  const requests = 1 + WARMUP + 2 * REQUESTS;
  console.log(
    `  what ${fmt(requests)} requests read: ` +
      ['SpendMonthly', 'SpendDaily', 'Spend', 'Commitment']
        .map((t) => `${t} ${fmt(read(t).scans)} scans, ${fmt(read(t).tuples)} rows`)
        .join(' · '),
  );
  check(
    read('Spend').scans === 0,
    `the budget requests scanned the raw Spend table ${read('Spend').scans} times`,
  );

  console.log(
    `\nSummary (${((performance.now() - started) / 1000).toFixed(0)} s in all, load average ${loadAverage()})`,
  );
  results.push({
    name: 'checks (seed, totals, replies, reads)',
    value: problems.length ? `${problems.length} failed` : 'all ok',
    target: 'all ok',
    pass: problems.length === 0,
  });
  console.log(`  ${'measure'.padEnd(38)} ${'value'.padStart(18)}   ${'target'.padEnd(16)} result`);
  for (const r of results) {
    const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL';
    console.log(`  ${r.name.padEnd(38)} ${r.value.padStart(18)}   ${r.target.padEnd(16)} ${verdict}`);
  }
  for (const p of problems.slice(0, 10)) console.log(`  ! ${p}`);
} finally {
  await sql.end().catch(() => {});
  if (KEEP) console.log(`\n  kept for EXPLAIN: psql ${scratch.url} (drop it with DROP DATABASE when done)`);
  else await scratch.drop();
}
