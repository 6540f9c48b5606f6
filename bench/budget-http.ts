// `/mo budget` over the real HTTP receiver, for the benches that measure it (bench/run.ts on
// SQLite, bench/budget-scale.ts on PostgreSQL): signed slash commands in, latency until the
// reply reaches response_url at an in-process fake Slack; a set of texts one at a time or N
// at once, with p50/p95/p99/max per text.
import { Agent, request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { createMoApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import type { Mo } from '../src/services/mo.js';
import { type Reply, signedHeaders, startBenchSlack } from './fake-slack.js';

const SECRET = 'bench-signing-secret';
const USER = 'U0BENCH';
const REPLY_TIMEOUT_MS = 10_000;

export const ms = (x: number) => x.toFixed(1);
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Nearest-rank quantile. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

export interface Sample {
  text: string;
  /** Request sent -> reply arrived at response_url. */
  latency: number;
  /** Request sent -> HTTP ack received. */
  ack: number;
  reply: Reply;
}

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
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });

  /** POSTs a signed body to /slack/events; resolves with the HTTP status once the ack has come back. */
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/slack/events',
          method: 'POST',
          agent,
          headers: signedHeaders(SECRET, body),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  let seq = 0;
  async function slashCommand(text: string): Promise<Sample> {
    const id = `r${++seq}`;
    const body = new URLSearchParams({
      token: 'bench-verification-token',
      team_id: teamId,
      team_domain: 'bench',
      user_id: USER,
      user_name: 'bench',
      channel_id: 'C0BENCH',
      channel_name: 'marketing-ops',
      command: '/mo',
      text,
      api_app_id: 'A0BENCH',
      is_enterprise_install: 'false',
      response_url: slack.responseUrl(id),
      trigger_id: `${seq}.1.bench`,
    }).toString();
    const replied = slack.reply(id);
    const sent = performance.now();
    const status = await post(body);
    const ack = performance.now() - sent;
    if (status !== 200) throw new Error(`/mo ${text}: HTTP ${status}`);
    let timer: NodeJS.Timeout | undefined;
    const reply = await Promise.race([
      replied,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`/mo ${text}: no reply in ${REPLY_TIMEOUT_MS} ms`)),
          REPLY_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const blocks = JSON.stringify(reply.body.blocks ?? []);
    check(
      Array.isArray(reply.body.blocks) && reply.body.blocks.length > 0 && blocks.includes('TOTAL'),
      `/mo ${text}: the reply is not a budget (${(reply.body.text ?? '').slice(0, 120)})`,
    );
    return { text, latency: reply.at - sent, ack, reply };
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
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wall = (performance.now() - t0) / 1000;
    console.log(
      `\n  ${concurrency === 1 ? 'one at a time' : `${concurrency} at once`}: ${samples.length} requests in ${wall.toFixed(1)} s (${(samples.length / wall).toFixed(0)} req/s), load average ${loadAverage()}`,
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
      agent.destroy();
      await slack.close();
    },
  };
}
