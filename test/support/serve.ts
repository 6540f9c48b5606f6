// `mo serve` spawned as production runs it (bin/mo.js, its own process), over the demo
// workspace in a test database, talking to the fake Slack: for the tests of the process as
// a whole (start, scheduler catch-up, logs and metrics, SIGTERM).
import { type ChildProcess, spawn } from 'node:child_process';
import { loadDemo } from '../../src/demo.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { FakeSlack, type FakeSlackOptions } from './fake-slack.js';

export const DEMO_TEAM = 'T0DEMO';
/** Monday Nov 23, 2026, 09:30 in New York (the demo's timezone): the 09:00 digest is due. */
export const MONDAY_0930 = '2026-11-23T14:30:00Z';

export interface ServeOptions {
  /** The process's clock (MO_NOW). */
  now?: string;
  signingSecret: string;
  botToken: string;
  /** More environment (LOG_LEVEL, MO_METRICS, ...). */
  env?: Record<string, string>;
  /** Who and what the fake Slack knows (default: the demo admin and #marketing). */
  slack?: Omit<FakeSlackOptions, 'teamId'>;
  /** Runs before the process starts (tokens, slow Slack methods). */
  prepare?: (t: TestDatabase, slack: FakeSlack) => Promise<void> | void;
}

export interface Serving {
  t: TestDatabase;
  slack: FakeSlack;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they came. */
  output(): string;
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
  /** The HTTP port once Mo says it is listening. */
  port(): Promise<number>;
  /** Polls `probe` (sync or async) until truthy; the error carries the process's output. */
  until<T>(
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    what: string,
    ms?: number,
  ): Promise<T>;
  /** Kills the process if it still runs, closes the fake Slack and the database. */
  close(): Promise<void>;
}

/**
 * The demo workspace as set up the week before (so a Monday slot before it existed is
 * skipped), then `mo serve` started at `now`.
 */
export async function serveDemo(opts: ServeOptions): Promise<Serving> {
  const now = opts.now ?? MONDAY_0930;
  const t = await createTestDatabase('2026-11-16T12:00:00Z');
  await loadDemo(t.mo, DEMO_TEAM);
  t.setNow(now);
  const slack = await FakeSlack.start({
    teamId: DEMO_TEAM,
    users: { U0DEMOADMIN: { is_admin: true } },
    channels: { C0MKTG: { name: 'marketing' } },
    ...opts.slack,
  });
  await opts.prepare?.(t, slack);
  let stdout = '';
  let stderr = '';
  let output = '';
  const child = spawn(process.execPath, ['bin/mo.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: t.mo.databaseUrl,
      MO_NOW: now,
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: opts.botToken,
      SLACK_SIGNING_SECRET: opts.signingSecret,
      SLACK_APP_TOKEN: '',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    stdout += d;
    output += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

  // Generous: a spawned `mo serve` starts slowly on a loaded two-core machine.
  async function until<T>(
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    what: string,
    ms = 90_000,
  ): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    t,
    slack,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    exited,
    until,
    port: async () =>
      Number(await until(() => /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1], 'the server')),
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await slack.close();
      await t.close();
    },
  };
}
