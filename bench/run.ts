// npm run bench: reproducible figures for Mo's speed goals (seeded data, pinned clock).
//   1. Spend import throughput on SQLite (1,000,000 rows), and peak memory while importing.
//   2. /mo budget latency over the real HTTP receiver with those rows: signed request in,
//      reply at the response_url out (the fake Slack records when it arrives).
// Sizes: BENCH_SPEND_ROWS (default 1,000,000), BENCH_LEAD_ROWS (200,000), BENCH_REQUESTS (300).
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createMoApp } from '../src/app.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { fiscalQuarter } from '../src/domain/calendar.js';
import { importBudgets, importLeads, importSpend } from '../src/ingest/import.js';
import { createLogger } from '../src/log.js';
import { createMo } from '../src/services/mo.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { signSlackRequest } from '../test/support/signing.js';
import { CATEGORIES, writeLeadsCsv, writeSpendCsv } from './data.js';

const ROWS = Number(process.env.BENCH_SPEND_ROWS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const NOW = new Date('2026-11-16T15:00:00Z');
const TEAM = 'T0BENCH';
const SECRET = 'bench-secret';

const results: { name: string; value: string; target: string; pass: boolean | null }[] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function peakRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

const dir = mkdtempSync(join(tmpdir(), 'mo-bench-'));
const csv = join(dir, 'spend.csv');
console.log(
  `Mo bench · node ${process.version} · ${ROWS.toLocaleString('en-US')} spend rows · now ${NOW.toISOString()}`,
);

// ---- data
let t = performance.now();
await writeSpendCsv(csv, ROWS, '2025-02-01', 730); // FY2026 and FY2027 with the fiscal year from February
console.log(`generated ${csv} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const scratch = await createScratchDatabase();
await applyMigrations(scratch.url);
const database = openDatabase(scratch.url);
const mo = createMo(database, () => new Date(NOW));
await mo.workspaces.update(
  TEAM,
  { currency: 'USD', fiscalStartMonth: 2, timezone: 'America/New_York' },
  'bench',
);
const ctx = {
  db: mo.db,
  databaseUrl: mo.databaseUrl,
  teamId: TEAM,
  currency: 'USD',
  fiscalStartMonth: 2,
  source: 'csv',
  actor: 'bench',
};

// ---- 1. import
const rssBefore = process.memoryUsage().rss;
let stop = peakRss();
t = performance.now();
const first = await importSpend({ ...ctx, open: () => createReadStream(csv), label: 'bench' });
let seconds = (performance.now() - t) / 1000;
let peak = stop();
console.log(
  `import: ${fmt(first.added)} added in ${seconds.toFixed(1)} s = ${fmt(ROWS / seconds)} rows/s, peak RSS ${fmt(peak / 1e6)} MB (${fmt(rssBefore / 1e6)} MB before)`,
);
results.push({
  name: 'spend import, new rows (SQLite)',
  value: `${fmt(ROWS / seconds)} rows/s`,
  target: '> 20,000 rows/s',
  pass: ROWS / seconds > 20_000,
});
results.push({
  name: 'peak RSS during import',
  value: `${fmt(peak / 1e6)} MB`,
  target: 'report',
  pass: null,
});

stop = peakRss();
t = performance.now();
const again = await importSpend({ ...ctx, open: () => createReadStream(csv), label: 'bench again' });
seconds = (performance.now() - t) / 1000;
peak = stop();
console.log(
  `re-import: ${fmt(again.unchanged)} unchanged in ${seconds.toFixed(1)} s = ${fmt(ROWS / seconds)} rows/s, peak RSS ${fmt(peak / 1e6)} MB`,
);
results.push({
  name: 'spend re-import, all unchanged',
  value: `${fmt(ROWS / seconds)} rows/s`,
  target: '> 20,000 rows/s',
  pass: ROWS / seconds > 20_000,
});

// 200,000 leads through the same pipeline.
const LEADS = Number(process.env.BENCH_LEAD_ROWS ?? 200_000);
const leadsCsv = join(dir, 'leads.csv');
await writeLeadsCsv(leadsCsv, LEADS, '2025-02-01', 730);
stop = peakRss();
t = performance.now();
const leads = await importLeads({ ...ctx, open: () => createReadStream(leadsCsv), label: 'bench leads' });
seconds = (performance.now() - t) / 1000;
peak = stop();
console.log(
  `leads import: ${fmt(leads.added)} added in ${seconds.toFixed(1)} s = ${fmt(LEADS / seconds)} rows/s, peak RSS ${fmt(peak / 1e6)} MB`,
);
results.push({
  name: `lead import (${fmt(LEADS)} rows)`,
  value: `${fmt(LEADS / seconds)} rows/s`,
  target: '> 20,000 rows/s',
  pass: LEADS / seconds > 20_000,
});

const lines = ['period,category,amount,owner'];
for (const fy of [2026, 2027]) {
  for (const q of [1, 2, 3, 4]) {
    for (const c of CATEGORIES)
      lines.push(`${fiscalQuarter(fy, q, 2).key},${c},${250_000 + (c.length % 7) * 10_000},`);
  }
}
await importBudgets({ ...ctx, open: () => Readable.from([`${lines.join('\n')}\n`]) });
console.log(`budget lines: ${lines.length - 1}`);

// ---- 2. /mo budget latency over HTTP
const slack = await FakeSlack.start({ teamId: TEAM, users: { U0BENCH: {} } });
const app = await createMoApp({
  signingSecret: SECRET,
  botToken: 'xoxb-bench',
  apiUrl: slack.apiUrl,
  port: 0,
  database,
  mo,
  logger: createLogger('error'),
  clientOptions: { retryConfig: { retries: 0 } },
});
const base = `http://127.0.0.1:${await app.start()}/slack/events`;

let seq = 0;
async function request(text: string): Promise<number> {
  const id = `b${++seq}`;
  const body = new URLSearchParams({
    token: 'x',
    team_id: TEAM,
    channel_id: 'C0BENCH',
    user_id: 'U0BENCH',
    command: '/mo',
    text,
    response_url: slack.responseUrl(id),
    trigger_id: `t${id}`,
  }).toString();
  const sent = performance.now();
  const sentWall = Date.now();
  const res = await fetch(base, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  for (;;) {
    const reply = slack.responses().find((r) => r.args.__id === id);
    if (reply) {
      if (!JSON.stringify(reply.args.blocks).includes('TOTAL'))
        throw new Error(`unexpected reply to ${text}`);
      // The fake stamps arrival in wall-clock ms; add the sub-ms part of the send time.
      return Math.max(reply.at - sentWall, performance.now() - sent - 1);
    }
    await new Promise((r) => setImmediate(r));
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};
const VARIANTS = ['budget', 'budget FY2027', 'budget this-quarter Paid Media', 'budget FY2027-Q3'];

for (let i = 0; i < 20; i++) await request(VARIANTS[i % VARIANTS.length] as string); // warm-up
slack.reset();

async function measure(concurrency: number) {
  const byVariant = new Map<string, number[]>(VARIANTS.map((v) => [v, []]));
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      const text = VARIANTS[next++ % VARIANTS.length] as string;
      byVariant.get(text)?.push(await request(text));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = (performance.now() - t0) / 1000;
  const all = [...byVariant.values()].flat();
  console.log(
    `\n/mo budget over HTTP, concurrency ${concurrency}: ${REQUESTS} requests, ${(REQUESTS / wall).toFixed(0)} req/s`,
  );
  console.log('  text                              p50      p95      p99      max  (ms)');
  for (const [text, xs] of [...byVariant, ['all', all] as const]) {
    const row = [0.5, 0.95, 0.99, 1]
      .map((q) =>
        quantile(xs as number[], q)
          .toFixed(1)
          .padStart(8),
      )
      .join(' ');
    console.log(`  ${`"${text}"`.padEnd(32)} ${row}`);
  }
  slack.reset();
  return all;
}

const sequential = await measure(1);
const p99 = quantile(sequential, 0.99);
results.push({
  name: '/mo budget p50, sequential',
  value: `${quantile(sequential, 0.5).toFixed(1)} ms`,
  target: 'report',
  pass: null,
});
results.push({
  name: '/mo budget p99, sequential',
  value: `${p99.toFixed(1)} ms`,
  target: '< 200 ms',
  pass: p99 < 200,
});
const parallel = await measure(4);
const p99c = quantile(parallel, 0.99);
results.push({
  name: '/mo budget p99, 4 at once',
  value: `${p99c.toFixed(1)} ms`,
  target: '< 200 ms',
  pass: p99c < 200,
});

await app.stop();
await slack.close();
await database.close();
await scratch.drop();
rmSync(dir, { recursive: true, force: true });

console.log('\nSummary');
for (const r of results) {
  const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL';
  console.log(`  ${r.name.padEnd(36)} ${r.value.padStart(18)}   target ${r.target.padEnd(16)} ${verdict}`);
}
