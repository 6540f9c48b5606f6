// SIGTERM to `mo serve` with work in flight: a slash command being answered and the Monday
// digest half-posted (Slack slowed down). Mo finishes what fits in its grace time, hands
// over the lease of a run that does not (another process may take it at once), and exits 0
// within 10 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRepository } from '../../src/db/jobs.js';
import { loadDemo } from '../../src/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';

const NOW = '2026-11-23T14:30:00Z';
const SLOT = new Date('2026-11-23T14:00:00Z');
const SECRET = 'shutdown-test-secret';
let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function until<T>(probe: () => T | undefined | false, what: string, output: () => string, ms = 45_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function serving(slowUploadMs: number) {
  const t: TestDatabase = await createTestDatabase('2026-11-16T12:00:00Z');
  await loadDemo(t.mo, 'T0DEMO');
  t.setNow(NOW);
  const slack = await FakeSlack.start({
    teamId: 'T0DEMO',
    users: { U0DEMOADMIN: { is_admin: true } },
    channels: { C0MKTG: { name: 'marketing' } },
  });
  // Each chart of the digest takes this long to reach Slack.
  slack.slowDown('files.completeUploadExternal', slowUploadMs);
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['bin/mo.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: t.mo.databaseUrl,
      MO_NOW: NOW,
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-shutdown-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: '',
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  cleanup.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await slack.close();
    await t.close();
  });
  const port = await until(
    () => /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1],
    'the server',
    () => output,
  );
  // The digest is posted and its first chart is on its way: the run is mid-step.
  await until(
    () => slack.callsTo('files.completeUploadExternal').length > 0,
    'a chart upload',
    () => output,
  );
  return { t, slack, child, exited, port, output: () => output };
}

describe('SIGTERM', () => {
  it('finishes the command and the digest run in flight, then exits 0', async () => {
    const { t, slack, child, exited, port, output } = await serving(1000);
    const body = new URLSearchParams({
      team_id: 'T0DEMO',
      channel_id: 'C0MKTG',
      user_id: 'U0DEMOADMIN',
      command: '/mo',
      text: 'budget',
      response_url: slack.responseUrl('budget'),
      trigger_id: 'trigger-budget',
    }).toString();
    const answered = fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      body,
      headers: signSlackRequest(SECRET, body),
    });
    await until(
      () => output().includes('ack() response sent') || slack.responses().length > 0,
      'the ack',
      output,
    );
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect((await answered).status).toBe(200);
    expect(slack.responses().filter((r) => r.args.__id === 'budget')).toHaveLength(1);
    const run = await jobRepository(t.mo.db).get('digest:T0DEMO', SLOT);
    expect(run?.status).toBe('succeeded');
    expect(slack.uploads.filter((u) => u.completed)).toHaveLength(4);
    expect(output()).toContain('"msg":"stopped"');
  }, 120_000);

  it('releases the lease of a run that cannot finish in time, so another process takes it at once', async () => {
    const { t, child, exited, output } = await serving(30_000);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(output()).toContain('released 1 lease');
    const runs = jobRepository(t.mo.db);
    const run = await runs.get('digest:T0DEMO', SLOT);
    expect(run?.status).toBe('running');
    // Another process, at the same instant: the slot is its to take, not in a minute.
    const attempt = await runs.claim({
      job: 'digest',
      key: 'digest:T0DEMO',
      teamId: 'T0DEMO',
      slot: SLOT,
      owner: 'other-process',
      leaseMs: 60_000,
      now: new Date(NOW),
    });
    expect(attempt).toBe(2);
  }, 120_000);
});
