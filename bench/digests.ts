// npm run bench (digests): Monday 09:00 for many workspaces. Every workspace (seeded: one
// workspace's demo year — spend, budgets, leads, pipeline — copied under N team ids) has its
// digest due at the same slot; one, then two Mo processes on one PostgreSQL run the real
// scheduler and digest job against a fake Slack answering every call in 100 ms. Checked:
// every digest posted once, with all its charts; printed: time to deliver them all.
// Sizes: --workspaces=N (or BENCH_DIGEST_WORKSPACES; 1,000), --processes=1,2,
// --concurrency=N runs in flight per process (BENCH_JOB_CONCURRENCY; 8), --latency=ms (100),
// --cpu-prof=DIR (V8 CPU profiles of the Mo processes and their threads).
// PostgreSQL: BENCH_DATABASE_URL (postgresql://postgres@127.0.0.1:55433/postgres); a scratch
// database is created there and dropped after.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { loadDemo } from '../src/demo.js';
import { lastWeeklySlot } from '../src/domain/schedule.js';
import { createMo } from '../src/services/mo.js';
import { startDigestSlack } from './digest-slack.js';

const flag = (name: string, env: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? process.env[env] ?? fallback;
const whole = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${v}`);
  return n;
};
const WORKSPACES = whole('workspaces', flag('workspaces', 'BENCH_DIGEST_WORKSPACES', '1000'));
const PROCESSES = flag('processes', 'BENCH_DIGEST_PROCESSES', '1,2')
  .split(',')
  .map((p) => whole('processes', p));
const CONCURRENCY = whole('concurrency', flag('concurrency', 'BENCH_JOB_CONCURRENCY', '8'));
const LATENCY = whole('latency', flag('latency', 'BENCH_SLACK_LATENCY_MS', '100'));
/** --cpu-prof=DIR: each Mo process (and each of its threads) writes a V8 CPU profile there. */
const PROFILE_DIR = process.argv.find((a) => a.startsWith('--cpu-prof='))?.split('=')[1];
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:55433/postgres';
const TEMPLATE = 'T0000';
/** Seeded on Monday 2026-11-16 before the 09:00 New York slot (14:00Z). */
const SEED_AT = new Date('2026-11-16T05:00:00Z');
const TARGET_S = 360;
/** Rows a digest run writes or that belong to the other jobs: not copied. */
const NOT_COPIED = new Set([
  'JobRun',
  'SlackPost',
  'AuditEvent',
  'ApiToken',
  'Alert',
  'AlertState',
  'AlertSnooze',
  'Survey',
]);
const teamId = (i: number) => `T${String(i).padStart(4, '0')}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Copies the template workspace's rows under N - 1 more team ids, in SQL (seconds, not an hour of imports). */
async function cloneWorkspaces(url: string, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name IN
          (SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'teamId')
        ORDER BY table_name, ordinal_position`,
    );
    const tables = new Map<string, string[]>();
    for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
    const order = ['Workspace', ...[...tables.keys()].filter((t) => t !== 'Workspace' && !NOT_COPIED.has(t))];
    for (const table of order) {
      const columns = tables.get(table) ?? [];
      const value = (c: string) =>
        c === 'teamId'
          ? 't.team'
          : c === 'id'
            ? 'gen_random_uuid()::text'
            : table === 'Workspace' && c === 'digestChannelId'
              ? `'C' || t.team`
              : `s."${c}"`;
      await client.query(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
         SELECT ${columns.map(value).join(', ')}
           FROM "${table}" s,
                (SELECT 'T' || lpad(g::text, 4, '0') AS team FROM generate_series(1, $2::int) g) t
          WHERE s."teamId" = $1`,
        [TEMPLATE, n - 1],
      );
    }
  } finally {
    await client.end();
  }
}

interface WorkerReport {
  owner: string;
  seconds: number;
  /** User + system CPU seconds of the process (all its threads) while it worked. */
  cpuSeconds: number;
  succeeded: number;
  skipped: number;
  failed: string[];
  charts: number[];
  peakRssMb: number;
  /** process.memoryUsage() at the end, in MB: how much of the RSS is the main heap. */
  mem: Record<string, number>;
}

interface Worker {
  ready: Promise<void>;
  go(): void;
  done: Promise<WorkerReport>;
}

/** A Mo process of the bench: ready once loaded and connected, ticking on go(). */
function startWorker(args: string[]): Worker {
  const script = fileURLToPath(new URL('./digests-worker.ts', import.meta.url));
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  const done = new Promise<WorkerReport>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}'))
        : reject(new Error(`worker exited ${code}`)),
    ),
  );
  return { ready, go: () => child.stdin.end('go\n'), done };
}

async function main() {
  console.log(
    `Digest delivery: ${WORKSPACES.toLocaleString('en-US')} workspaces, processes ${PROCESSES.join(' then ')}, ` +
      `${CONCURRENCY} runs in flight each, fake Slack ${LATENCY} ms; load average ${load()}`,
  );
  const scratch = await createScratchDatabase(BASE_URL);
  const slack = await startDigestSlack(LATENCY);
  try {
    await applyMigrations(scratch.url);
    const database = openDatabase(scratch.url);
    const mo = createMo(database, createClock(SEED_AT));
    const seeded = performance.now();
    await loadDemo(mo, TEMPLATE);
    await mo.db.workspace.update({ where: { teamId: TEMPLATE }, data: { digestChannelId: `C${TEMPLATE}` } });
    await cloneWorkspaces(scratch.url, WORKSPACES);
    const schedule = await mo.digestSchedules.get(TEMPLATE);
    if (!schedule) throw new Error('the template workspace is missing');
    const slot = lastWeeklySlot(schedule, new Date('2026-11-16T23:00:00Z'));
    const now = new Date(slot.getTime() + 30_000).toISOString();
    const spendRows = await mo.db.spend.count();
    console.log(
      `  seeded ${(await mo.db.workspace.count()).toLocaleString('en-US')} workspaces, ${spendRows.toLocaleString('en-US')} spend rows ` +
        `in ${((performance.now() - seeded) / 1000).toFixed(1)} s; slot ${slot.toISOString()}`,
    );
    for (const processes of PROCESSES) {
      await mo.db.jobRun.deleteMany({});
      await mo.db.slackPost.deleteMany({});
      slack.reset();
      const workers = Array.from({ length: processes }, (_, i) =>
        startWorker([scratch.url, slack.apiUrl, now, String(CONCURRENCY), `bench-${i + 1}`]),
      );
      await Promise.all(workers.map((w) => w.ready));
      const loadBefore = load();
      const start = performance.now();
      for (const w of workers) w.go();
      const reports = await Promise.all(workers.map((w) => w.done));
      for (const r of reports) console.log(`  ${r.owner} memory at the end (MB): ${JSON.stringify(r.mem)}`);
      const wall = (performance.now() - start) / 1000;
      const delivery = (slack.last - slack.first) / 1000;
      const charts = reports.flatMap((r) => r.charts);
      const cpu = reports.reduce((a, r) => a + r.cpuSeconds, 0);
      const perDigest = Math.max(...charts);
      const keys = [...slack.postsByKey.values()];
      const runs = await mo.db.jobRun.groupBy({ by: ['status'], _count: true });
      const succeeded = runs.find((r) => r.status === 'succeeded')?._count ?? 0;
      const teams = Array.from({ length: WORKSPACES }, (_, i) => `C${teamId(i)}`);
      const problems = [
        keys.length !== WORKSPACES && `${keys.length} digests posted, expected ${WORKSPACES}`,
        keys.some((k) => k !== 1) && `${keys.filter((k) => k !== 1).length} digests posted more than once`,
        succeeded !== WORKSPACES && `${succeeded} runs succeeded, expected ${WORKSPACES}`,
        new Set(charts).size !== 1 && `digests had different chart counts: ${charts.join(', ')}`,
        teams.some((c) => slack.filesByChannel.get(c) !== perDigest) &&
          `${teams.filter((c) => slack.filesByChannel.get(c) !== perDigest).length} digests without all ${perDigest} charts`,
        ...reports.flatMap((r) => r.failed.slice(0, 3)),
      ].filter(Boolean) as string[];
      const target = processes === 2 && WORKSPACES >= 1000 ? (wall <= TARGET_S ? 'PASS' : 'FAIL') : 'n/a';
      const line =
        `  ${processes} process${processes > 1 ? 'es' : ''}: ${WORKSPACES} digests (${perDigest} charts each) in ${wall.toFixed(1)} s wall ` +
        `(Slack busy ${delivery.toFixed(1)} s; ${((WORKSPACES / wall) * 60).toFixed(0)} digests/min; ` +
        `split ${reports.map((r) => `${r.owner} ${r.succeeded}`).join(', ')}; ` +
        `CPU ${reports.map((r) => `${r.cpuSeconds.toFixed(1)} s`).join(' + ')} = ${((cpu * 1000) / WORKSPACES).toFixed(0)} ms a digest; peak RSS ${reports.map((r) => `${r.peakRssMb} MB`).join(', ')}; ` +
        `Slack calls ${[...slack.calls].map(([m, c]) => `${m} ${c}`).join(', ')}) ` +
        `load ${loadBefore} -> ${load()}; target 1,000 in ≤ ${TARGET_S} s with 2: ${target}` +
        (problems.length ? `\n    PROBLEMS: ${problems.join('; ')}` : '; every digest once, with its charts');
      console.log(line);
    }
    await database.close();
  } finally {
    await slack.close();
    await scratch.drop();
  }
}

await main();
