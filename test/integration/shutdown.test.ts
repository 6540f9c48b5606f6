// SIGTERM to `mo serve` with work in flight: a slash command being answered and the Monday
// digest half-posted (Slack slowed down). Mo finishes what fits in its grace time, hands
// over the lease of a run that does not (another process may take it at once), and exits 0
// within 10 s.
import { afterEach, describe, expect, it } from 'vitest';
import { jobRepository } from '../../src/db/jobs.js';
import { MONDAY_0930 as NOW, type Serving, serveDemo } from '../support/serve.js';
import { signSlackRequest } from '../support/signing.js';

const SLOT = new Date('2026-11-23T14:00:00Z');
const SECRET = 'shutdown-test-secret';
let running: Serving[] = [];

afterEach(async () => {
  for (const mo of running) await mo.close();
  running = [];
});

/** `mo serve` with the Monday digest mid-step: posted, its first chart on its way to Slack. */
async function serving(slowUploadMs: number) {
  const mo = await serveDemo({
    botToken: 'xoxb-shutdown-test',
    signingSecret: SECRET,
    // Each chart of the digest takes this long to reach Slack.
    prepare: (_t, slack) => slack.slowDown('files.completeUploadExternal', slowUploadMs),
  });
  running.push(mo);
  const port = await mo.port();
  await mo.until(() => mo.slack.callsTo('files.completeUploadExternal').length > 0, 'a chart upload', 45_000);
  return { ...mo, port };
}

describe('SIGTERM', () => {
  it('finishes the command and the digest run in flight, then exits 0', async () => {
    const { t, slack, child, exited, port, output, until } = await serving(1000);
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
    await until(() => output().includes('ack() response sent') || slack.responses().length > 0, 'the ack');
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect((await answered).status).toBe(200);
    expect(slack.responses().filter((r) => r.args.__id === 'budget')).toHaveLength(1);
    const run = await jobRepository(t.mo.db).get('digest:T0DEMO', SLOT);
    expect(run?.status).toBe('succeeded');
    // The demo digest's five charts, each uploaded once.
    expect(slack.uploads.filter((u) => u.completed)).toHaveLength(5);
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
