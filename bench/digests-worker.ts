// One Mo process of the digest bench: the real scheduler and digest job on the shared
// database, ticking once at the slot and working through every due digest (taking the next
// run another process has not), then printing what it did as one JSON line.
import { digestJob } from '../jobs/digest.js';
import { Scheduler } from '../jobs/scheduler.js';
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import { createMo } from '../src/services/mo.js';
import { jobClient } from '../src/slack/client.js';
import type { WorkspaceClients } from '../src/slack/tenancy.js';

const [url, apiUrl, now, concurrency, owner] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const logger = createLogger('error');
const database = openDatabase(url);
const mo = createMo(database, createClock(new Date(now)));
const client = jobClient('xoxb-bench', apiUrl, logger);
// The bench measures the scheduler and Slack's pacing, not installations: every seeded
// workspace is served with the one bench token (the limiter still paces each workspace apart).
const slack: WorkspaceClients = {
  activeWorkspaceIds: async () => new Set((await mo.digestSchedules.enabled()).map((s) => s.teamId)),
  clientFor: async () => client,
};
const scheduler = new Scheduler({
  mo,
  logger,
  owner,
  concurrency: Number(concurrency),
  jobs: [digestJob({ mo, slack, logger })],
});
// Ready (modules loaded, database connected), then wait for the parent's go so that every
// process starts ticking together and start-up is not counted.
await mo.db.workspace.count();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const start = performance.now();
const cpuAtStart = process.resourceUsage();
const results = await scheduler.tick();
const cpuAtEnd = process.resourceUsage();
const by = (s: string) => results.filter((r) => r.status === s);
const charts = by('succeeded').map((r) =>
  Number(/with (\d+) charts/.exec('detail' in r ? r.detail : '')?.[1]),
);
process.stdout.write(
  `${JSON.stringify({
    owner,
    seconds: (performance.now() - start) / 1000,
    // CPU the process used meanwhile (getrusage: every thread, the chart pool's too), so the
    // figure can be judged when other work shares the machine.
    cpuSeconds:
      (cpuAtEnd.userCPUTime + cpuAtEnd.systemCPUTime - cpuAtStart.userCPUTime - cpuAtStart.systemCPUTime) /
      1e6,
    succeeded: by('succeeded').length,
    skipped: by('skipped').length,
    failed: by('failed').map((r) => ('detail' in r ? `${r.key}: ${r.detail}` : r.key)),
    charts: [...new Set(charts)],
    peakRssMb: Math.round(cpuAtEnd.maxRSS / 1e3),
    mem: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1e6)])),
  })}\n`,
);
await database.close();
