// `/mo budget` over the real HTTP receiver, for the benches that measure it (bench/run.ts on
// SQLite, bench/budget-scale.ts on PostgreSQL): signed slash commands in, latency until the
// reply reaches response_url at an in-process fake Slack; a set of texts one at a time or N
// at once, with p50/p95/p99/max per text.
import { loadavg } from 'node:os';
import { createMoApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import type { Mo } from '../src/services/mo.js';
import { startBenchSlack } from './fake-slack.js';
import { quantile, type SlashSample, slashClient } from './slash.js';

export { quantile };

const SECRET = 'bench-signing-secret';
const USER = 'U0BENCH';

export const ms = (x: number) => x.toFixed(1);
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export type Sample = SlashSample;

export interface BudgetHttp {
  slashCommand(text: string): Promise<Sample>;
  /** `requests` commands cycling through `texts`, `concurrency` in flight; prints the table. */
  run(texts: string[], requests: number, concurrency: number): Promise<Sample[]>;
  /** Web API calls the fake Slack saw, response_url posts included. */
  calls(): string;
  close(): Promise<void>;
}

/**
 * Starts Mo's Bolt app on a free port against a bench Slack. `check` hears every reply that is
 * not a budget (a failed check, not a thrown error: the run goes on and the summary says so).
 */
export async function startBudgetHttp(opts: {
  mo: Mo;
  database: Database;
  teamId: string;
  check: (ok: boolean, what: string) => boolean;
}): Promise<BudgetHttp> {
  const { teamId, check } = opts;
  const slack = await startBenchSlack({ teamId });
  const app = await createMoApp({
    signingSecret: SECRET,
    botToken: 'xoxb-bench',
    apiUrl: slack.apiUrl,
    port: 0,
    database: opts.database,
    mo: opts.mo,
    logger: createLogger('error'),
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const port = await app.start();
  const client = slashClient({
    port,
    secret: SECRET,
    slack,
    teamId,
    userId: USER,
    channelId: 'C0BENCH',
    maxSockets: 8,
  });

  async function slashCommand(text: string): Promise<Sample> {
    const sample = await client.send(text);
    const { reply } = sample;
    const blocks = JSON.stringify(reply.body.blocks ?? []);
    check(
      Array.isArray(reply.body.blocks) && reply.body.blocks.length > 0 && blocks.includes('TOTAL'),
      `/mo ${text}: the reply is not a budget (${(reply.body.text ?? '').slice(0, 120)})`,
    );
    return sample;
  }

  async function run(texts: string[], requests: number, concurrency: number) {
    const samples: Sample[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const text = texts[next++ % texts.length] as string;
        samples.push(await slashCommand(text));
      }
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    // CPU of this one process (client, fake Slack and Mo): steadier than latency on a busy machine.
    const cpuMs = (cpu.user + cpu.system) / 1000 / samples.length;
    console.log(
      `\n  ${concurrency === 1 ? 'one at a time' : `${concurrency} at once`}: ${samples.length} requests in ${wall.toFixed(1)} s (${(samples.length / wall).toFixed(0)} req/s), ${cpuMs.toFixed(1)} ms CPU per request, load average ${loadAverage()}`,
    );
    console.log(
      `    ${'text'.padEnd(34)} ${'n'.padStart(4)} ${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(7)).join(' ')}  (ms)`,
    );
    const row = (label: string, xs: number[]) =>
      console.log(
        `    ${label.padEnd(34)} ${String(xs.length).padStart(4)} ${[0.5, 0.95, 0.99, 1].map((q) => ms(quantile(xs, q)).padStart(7)).join(' ')}`,
      );
    for (const v of texts)
      row(
        `/mo ${v}`,
        samples.filter((s) => s.text === v).map((s) => s.latency),
      );
    row(
      'all',
      samples.map((s) => s.latency),
    );
    // Client, fake Slack and app share one event loop, so the ack is seen late: an upper bound.
    row(
      '(HTTP 200 ack, seen by client)',
      samples.map((s) => s.ack),
    );
    return samples;
  }

  return {
    slashCommand,
    run,
    calls: () => [...slack.calls].map(([m, n]) => `${m} ×${n}`).join(', '),
    async close() {
      await app.stop();
      client.close();
      await slack.close();
    },
  };
}
