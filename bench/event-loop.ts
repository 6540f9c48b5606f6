// npm run bench, part: the event loop kept for Slack. One process draws the charts of 200
// weekly digests (4 charts each, as the Monday 09:00 burst does) while signed `/mo budget`
// requests arrive over HTTP every 100 ms; how long each waits for its ack (the HTTP answer
// Slack needs within 3 s) and for its reply (at response_url) is measured. Charts are drawn
// in the worker pool (src/charts/pool.ts), then, for comparison, on the main thread.
// Targets: ack p99 < 300 ms, reply p99 < 1 s. BENCH_DIGESTS (200) and BENCH_DIGESTS_INLINE
// (50, the comparison) set the sizes.
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMoApp } from '../src/app.js';
import { chartPool, configureChartPool, defaultChartThreads } from '../src/charts/pool.js';
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { DEMO_TEAM, loadDemo } from '../src/demo.js';
import { createLogger } from '../src/log.js';
import { renderDigest } from '../src/services/digest.js';
import { createMo } from '../src/services/mo.js';
import { startBenchSlack } from './fake-slack.js';
import { quantile, slashClient } from './slash.js';

const DIGESTS = Number(process.env.BENCH_DIGESTS ?? 200);
const DIGESTS_INLINE = Number(process.env.BENCH_DIGESTS_INLINE ?? 50);
const NOW = new Date('2026-11-23T14:00:00Z'); // Monday 09:00 in New York
const SECRET = 'bench-signing-secret';
const USER = 'U0DEMOADMIN';
const TARGET_ACK = 300;
const TARGET_REPLY = 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const scratch = await createScratchDatabase();
await applyMigrations(scratch.url);
const database = openDatabase(scratch.url);
const mo = createMo(database, createClock(NOW));
await loadDemo(mo, DEMO_TEAM);
const found = await mo.workspaces.get(DEMO_TEAM);
if (!found) throw new Error('the demo workspace is missing');
const settings = found;
const slack = await startBenchSlack({ teamId: DEMO_TEAM });
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
const port = await app.start();
const client = slashClient({
  port,
  secret: SECRET,
  slack,
  teamId: DEMO_TEAM,
  userId: USER,
  channelId: 'C0MKTG',
  maxSockets: 16,
});

async function budget(): Promise<{ ack: number; reply: number }> {
  const sample = await client.send('budget');
  return { ack: sample.ack, reply: sample.latency };
}

/** Draws `n` digests (4 at a time) while /mo budget comes in every 100 ms. */
async function burst(n: number) {
  // How long the main thread was held at a stretch: what an ack waits behind.
  const held = monitorEventLoopDelay({ resolution: 10 });
  held.enable();
  const started = performance.now();
  let drawn = 0;
  let missing = 0;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const digest = await renderDigest(mo.forTeam(settings.teamId), settings, { today: '2026-11-23' });
      drawn += digest.charts.length;
      missing += digest.missingCharts.length;
    }
  };
  const rendering = Promise.all([1, 2, 3, 4].map(worker));
  const samples: Promise<{ ack: number; reply: number }>[] = [];
  let done = false;
  void rendering.finally(() => {
    done = true;
  });
  while (!done) {
    samples.push(budget());
    await new Promise((r) => setTimeout(r, 100));
  }
  await rendering;
  held.disable();
  const seconds = (performance.now() - started) / 1000;
  const measured = await Promise.all(samples);
  const acks = measured.map((m) => m.ack);
  const replies = measured.map((m) => m.reply);
  const loop = { p99: held.percentile(99) / 1e6, max: held.max / 1e6 };
  return { seconds, drawn, missing, requests: measured.length, acks, replies, loop };
}

console.log(
  `\nEvent loop under a digest burst (${cpus().length} cores; chart pool of ${defaultChartThreads()} thread(s))`,
);
await budget(); // warm: users.info, query plans
await chartPool().warm();
const rows: string[] = [];
let pass = true;
for (const [label, n, threads] of [
  ['charts in the worker pool', DIGESTS, undefined],
  ['charts on the main thread (comparison)', DIGESTS_INLINE, 0],
] as const) {
  if (n <= 0) continue;
  if (threads === 0) await configureChartPool({ threads: 0 });
  const r = await burst(n);
  const ack99 = quantile(r.acks, 0.99);
  const reply99 = quantile(r.replies, 0.99);
  const ok = ack99 < TARGET_ACK && reply99 < TARGET_REPLY && r.missing === 0;
  if (threads === undefined) pass = ok;
  rows.push(
    `  ${label}: ${fmt(n)} digests, ${fmt(r.drawn)} charts in ${r.seconds.toFixed(1)} s (${r.missing} missing); ` +
      `${r.requests} × /mo budget: ack p50 ${fmt(quantile(r.acks, 0.5))} ms, p99 ${fmt(ack99)} ms (< ${TARGET_ACK}); ` +
      `reply p50 ${fmt(quantile(r.replies, 0.5))} ms, p99 ${fmt(reply99)} ms (< ${TARGET_REPLY}); ` +
      `event-loop delay p99 ${fmt(r.loop.p99)} ms, max ${fmt(r.loop.max)} ms` +
      (threads === undefined ? `  ${ok ? 'PASS' : 'FAIL'}` : ''),
  );
  console.log(rows[rows.length - 1]);
}
await app.stop();
client.close();
await slack.close();
await configureChartPool({});
await database.close();
await scratch.drop();
if (!pass) console.log('  event-loop target: FAIL');
