// CPU of one digest, stage by stage, on this machine (npx tsx bench/digest-cpu.ts [N] [scale]):
// the quick loop for bench/digests.ts, whose 1,000-workspace runs take minutes. The demo
// workspace on a scratch PostgreSQL (BENCH_DATABASE_URL). Printed, per digest (5 charts):
// - each stage of drawing its charts on this thread, compiled afresh as before shapes were
//   kept compiled (Vega-Lite compile, Vega parse, View run, toSVG, resvg, PNG), and drawChart
//   as Mo draws them now;
// - a whole postDigest against the bench's fake Slack (no latency), charts in the pool: the
//   process's CPU (all threads) and the database queries it made.
import '../src/charts/allocator.js';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { closeChartPool } from '../src/charts/pool.js';
import { drawChart, FONT_FAMILY, FONT_FILES, THEME } from '../src/charts/render.js';
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { loadDemo } from '../src/demo.js';
import { dateInZone } from '../src/domain/calendar.js';
import { createLogger } from '../src/log.js';
import { digestCharts, digestData, postDigest } from '../src/services/digest.js';
import { createMo } from '../src/services/mo.js';
import { jobClient } from '../src/slack/client.js';
import { forWorkspace } from '../src/slack/limiter.js';
import { startDigestSlack } from './digest-slack.js';

const N = Number(process.argv[2] ?? 20);
const SCALE = Number(process.argv[3] ?? 2);
const TEAM = 'T0000';
const BASE = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:55433/postgres';
const SLOT = new Date('2026-11-16T14:00:00Z');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const scratch = await createScratchDatabase(BASE);
const slack = await startDigestSlack(0);
try {
  await applyMigrations(scratch.url);
  const database = openDatabase(scratch.url);
  let queries = 0;
  const counted = database.db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        queries++;
        if (process.env.LIST_QUERIES) console.log('   ', model, operation);
        return query(args);
      },
    },
  }) as unknown as typeof database.db;
  const mo = createMo(database, createClock(new Date('2026-11-16T05:00:00Z')));
  await loadDemo(mo, TEAM);
  await mo.db.workspace.update({ where: { teamId: TEAM }, data: { digestChannelId: `C${TEAM}` } });
  const ws = mo.forTeam(TEAM);
  const settings = await ws.workspaces.ensure();
  const today = dateInZone(SLOT, settings.timezone);

  const stages: Record<string, number> = {};
  const add = (k: string, since: number) => {
    stages[k] = (stages[k] ?? 0) + cpuMs() - since;
  };
  for (let i = 0; i < N + 2; i++) {
    // Two rounds to warm up (JIT, compiled shapes), then N measured.
    if (i === 2) for (const k of Object.keys(stages)) delete stages[k];
    let s = cpuMs();
    const data = await digestData(ws, settings, { today });
    add('digest figures (queries + domain)', s);
    s = cpuMs();
    const specs = await digestCharts(ws, settings, data);
    add('chart specs (+ burn-up query)', s);
    for (const c of specs) {
      s = cpuMs();
      await drawChart(c.spec, SCALE);
      add('drawChart, as Mo draws', s);
      s = cpuMs();
      const { spec: vegaSpec } = compile({ ...c.spec, config: THEME } as unknown as TopLevelSpec);
      add('  fresh: Vega-Lite compile', s);
      s = cpuMs();
      const runtime = parse(vegaSpec);
      add('  fresh: Vega parse', s);
      s = cpuMs();
      const view = new View(runtime, { renderer: 'none' });
      await view.runAsync();
      add('  View run', s);
      s = cpuMs();
      const svg = await view.toSVG();
      view.finalize();
      add('  toSVG', s);
      s = cpuMs();
      const resvg = new Resvg(svg, {
        fitTo: { mode: 'zoom', value: SCALE },
        background: 'white',
        font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
      });
      add('  resvg: parse SVG, fonts, text', s);
      s = cpuMs();
      const image = resvg.render();
      add('  resvg: render', s);
      s = cpuMs();
      image.asPng();
      add('  resvg: PNG', s);
    }
  }
  console.log(`One digest's CPU, mean of ${N} (charts at ${SCALE}x), on this thread:`);
  for (const [k, v] of Object.entries(stages)) console.log(`  ${k.padEnd(36)} ${(v / N).toFixed(1)} ms`);

  const client = jobClient('xoxb-bench', slack.apiUrl, createLogger('error'));
  const schedule = await ws.digestSchedules.get();
  if (!schedule) throw new Error('no digest schedule');
  const post = async (mo_: typeof ws, i: number) =>
    postDigest({ mo: mo_, client: forWorkspace(client, TEAM), logger: createLogger('error') }, schedule, {
      key: `digest:${TEAM}:${i}`,
      at: SLOT,
    });
  for (let i = 0; i < 2; i++) await post(ws, -1 - i);
  let s = cpuMs();
  for (let i = 0; i < N; i++) await post(ws, i);
  const whole = (cpuMs() - s) / N;
  const countingMo = createMo(
    { db: counted, url: scratch.url },
    createClock(new Date('2026-11-16T05:00:00Z')),
  );
  s = queries;
  await post(countingMo.forTeam(TEAM), N);
  console.log(
    `A whole postDigest (charts in the pool, fake Slack): ${whole.toFixed(0)} ms of CPU (all threads), ` +
      `${queries - s} database queries`,
  );
  await closeChartPool();
  await database.close();
} finally {
  await slack.close();
  await scratch.drop();
}
