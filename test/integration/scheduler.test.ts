// The scheduler's promises, on a real database (PostgreSQL in CI) and the fake Slack: one
// run per (job, slot) across processes, a dead runner replaced after its lease, failed runs
// recorded and retried, Slack's 429 and 5xx handled, and no repost after a crash.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DueRun, type JobDefinition, Scheduler } from '../../jobs/scheduler.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { jobRepository } from '../../src/db/jobs.js';
import { lastWeeklySlot } from '../../src/domain/schedule.js';
import { createLogger } from '../../src/log.js';
import { createMo, type Mo } from '../../src/services/mo.js';
import { textMessage } from '../../src/slack/blocks/common.js';
import { jobClient } from '../../src/slack/client.js';
import { POST_EVENT_TYPE, postOnce, uploadOnce } from '../../src/slack/post.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack } from '../support/fake-slack.js';

const TEAM = 'T0SCHED';
const CHANNEL = 'C0MARKETING';
const logger = createLogger('error');
const MONDAY_9_LA = { day: 1, time: '09:00', timeZone: 'America/Los_Angeles' };

let t: TestDatabase;
let slack: FakeSlack;
let second: Database;

beforeAll(async () => {
  t = await createTestDatabase('2026-11-23T17:00:00Z');
  second = openDatabase(t.mo.databaseUrl);
  slack = await FakeSlack.start({ teamId: TEAM, channels: { [CHANNEL]: { name: 'marketing' } } });
});
afterAll(async () => {
  await slack.close();
  await second.close();
  await t.close();
});
beforeEach(async () => {
  slack.reset();
  slack.messages = [];
  await t.mo.db.jobRun.deleteMany({});
  await t.mo.db.slackPost.deleteMany({});
});

const client = (retries = 0) =>
  jobClient('xoxb-test', slack.apiUrl, logger, { retries, factor: 1, minTimeout: 5, maxTimeout: 5 });

/** A weekly job that posts one message per slot, the way the digest does. */
function weeklyPost(mo: Mo, retries = 0): JobDefinition {
  const c = client(retries);
  return {
    name: 'weekly',
    async due(now: Date): Promise<DueRun[]> {
      const slot = lastWeeklySlot(MONDAY_9_LA, now);
      return [
        {
          job: 'weekly',
          key: `weekly:${TEAM}`,
          teamId: TEAM,
          slot,
          run: async () => {
            const posted = await postOnce(c, mo.forTeam(TEAM).posts, {
              key: `weekly:${TEAM}:${slot.toISOString()}`,
              channel: CHANNEL,
              message: textMessage(`Week of ${slot.toISOString()}`),
            });
            return `${posted.fresh ? 'posted' : 'found'} ${posted.ts}`;
          },
        },
      ];
    },
  };
}

const posts = () => slack.callsTo('chat.postMessage');

/** The run of a process that died mid-run: its lease ran out at 17:01. */
const deadRunner = (slot: Date) =>
  t.mo.db.jobRun.create({
    data: {
      job: 'weekly',
      key: `weekly:${TEAM}`,
      teamId: TEAM,
      slot,
      status: 'running',
      owner: 'dead-process',
      leaseUntil: new Date('2026-11-23T17:01:00Z'),
      startedAt: slot,
    },
  });

describe('one run per slot', () => {
  it('two schedulers on one database post once for the same slot', async () => {
    const now = new Date('2026-11-23T17:00:30Z');
    const moB = createMo(second, () => now);
    const a = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo)], owner: 'A' });
    const b = new Scheduler({ mo: moB, logger, jobs: [weeklyPost(moB)], owner: 'B' });
    const [ra, rb] = await Promise.all([a.tick(now), b.tick(now)]);
    const statuses = [...ra, ...rb].map((r) => r.status).sort();
    expect(statuses).toEqual(['skipped', 'succeeded']);
    expect(posts()).toHaveLength(1);
    // Later ticks in either process change nothing.
    await Promise.all([a.tick(new Date('2026-11-23T17:01:00Z')), b.tick(new Date('2026-11-23T17:02:00Z'))]);
    expect(posts()).toHaveLength(1);
    const runs = await jobRepository(t.mo.db).recent();
    expect(runs.map((r) => [r.key, r.slot.toISOString(), r.status, r.attempts])).toEqual([
      [`weekly:${TEAM}`, '2026-11-23T17:00:00.000Z', 'succeeded', 1],
    ]);
  });

  it('two processes share one queue: each keeps its runs in flight bounded and neither idles', async () => {
    const now = new Date('2026-11-23T17:00:30Z');
    const slot = new Date('2026-11-23T17:00:00Z');
    const inFlight = { A: 0, B: 0 };
    const most = { A: 0, B: 0 };
    // The first runs hold until both processes have two in flight: A's slots are full, so the
    // gate opens only if B takes runs of the same tick rather than idling (else 10 s, and fails).
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = Promise.race([gate, new Promise((r) => setTimeout(r, 10_000))]);
    /** Ten workspaces' runs, counted by the process that runs them. */
    const fanout = (owner: 'A' | 'B'): JobDefinition => ({
      name: 'fanout',
      due: async () =>
        Array.from({ length: 10 }, (_, i) => ({
          job: 'fanout',
          key: `fanout:T${i}`,
          teamId: `T${i}`,
          slot,
          run: async () => {
            most[owner] = Math.max(most[owner], ++inFlight[owner]);
            if (inFlight.A === 2 && inFlight.B === 2) open();
            await held;
            await new Promise((r) => setTimeout(r, 20));
            inFlight[owner]--;
            return owner;
          },
        })),
    });
    const a = new Scheduler({ mo: t.mo, logger, jobs: [fanout('A')], owner: 'A', concurrency: 2 });
    const b = new Scheduler({
      mo: createMo(second, () => now),
      logger,
      jobs: [fanout('B')],
      owner: 'B',
      concurrency: 2,
    });
    // B starts while A is busy with its first two: it takes the next ones rather than waiting.
    const ra = a.tick(now);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const rb = await b.tick(now);
    const all = [...(await ra), ...rb];
    expect(performance.now() - started).toBeLessThan(9_000);
    const won = (o: string) => all.filter((r) => r.status === 'succeeded' && r.detail === o).length;
    expect(won('A') + won('B')).toBe(10);
    expect(won('A')).toBeGreaterThanOrEqual(2);
    expect(won('B')).toBeGreaterThanOrEqual(2);
    expect(most).toEqual({ A: 2, B: 2 });
    const runs = await t.mo.db.jobRun.findMany({ where: { job: 'fanout' } });
    expect(runs.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(runs.every((r) => r.attempts === 1)).toBe(true);
  });

  it('takes the workspaces in turn, so one with many due runs does not hold the others back', async () => {
    const slot = new Date('2026-11-23T17:00:00Z');
    const order: string[] = [];
    const run = (team: string, n: number): DueRun => ({
      job: 'many',
      key: `many:${team}:${n}`,
      teamId: team,
      slot,
      run: async () => {
        order.push(`${team}${n}`);
        return 'done';
      },
    });
    const jobs: JobDefinition[] = [
      { name: 'many', due: async () => [1, 2, 3, 4].map((n) => run('TX', n)) },
      { name: 'few', due: async () => [run('TY', 1), run('TZ', 1)] },
    ];
    const s = new Scheduler({ mo: t.mo, logger, jobs, owner: 'A', concurrency: 1 });
    await s.tick(new Date('2026-11-23T17:00:30Z'));
    expect(order).toEqual(['TX1', 'TY1', 'TZ1', 'TX2', 'TX3', 'TX4']);
  });

  it('a missed Monday is caught up once at start, and not after 24 hours', async () => {
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo)], owner: 'A' });
    // Mo was down at 09:00 (17:00Z); it starts at 15:00 local.
    const results = await s.tick(new Date('2026-11-23T23:00:00Z'));
    expect(results.map((r) => r.status)).toEqual(['succeeded']);
    await s.tick(new Date('2026-11-23T23:01:00Z'));
    await s.tick(new Date('2026-11-24T16:00:00Z'));
    expect(posts()).toHaveLength(1);
    // Down over the next Monday until Tuesday 10:00 local: 25 hours late, it is dropped.
    const late = await s.tick(new Date('2026-12-01T18:00:01Z'));
    expect(late).toEqual([
      expect.objectContaining({
        slot: new Date('2026-11-30T17:00:00Z'),
        status: 'skipped',
        reason: 'too-old',
      }),
    ]);
    expect(posts()).toHaveLength(1);
  });
});

describe('a runner that dies', () => {
  it('is replaced once its lease has expired, and not before', async () => {
    const slot = new Date('2026-11-23T17:00:00Z');
    await deadRunner(slot);
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo)], owner: 'A' });
    expect((await s.tick(new Date('2026-11-23T17:00:50Z')))[0]).toMatchObject({
      status: 'skipped',
      reason: 'taken',
    });
    expect(posts()).toHaveLength(0);
    expect((await s.tick(new Date('2026-11-23T17:01:10Z')))[0]).toMatchObject({
      status: 'succeeded',
      attempt: 2,
    });
    expect(posts()).toHaveLength(1);
  });

  it('does not repost when it crashed between posting and recording', async () => {
    const slot = new Date('2026-11-23T17:00:00Z');
    const key = `weekly:${TEAM}:${slot.toISOString()}`;
    // The dead runner's state: the post pending in Mo, the message already in the channel.
    await t.mo.posts.begin({ teamId: TEAM, key, channel: CHANNEL });
    // Left by a process that crashed a minute ago.
    await t.mo.db.slackPost.updateMany({ data: { updatedAt: new Date(t.mo.clock().getTime() - 60_000) } });
    const message = slack.addMessage({
      channel: CHANNEL,
      text: 'Week of …',
      metadata: { event_type: POST_EVENT_TYPE, event_payload: { key } },
    });
    await deadRunner(slot);
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo)], owner: 'A' });
    const [result] = await s.tick(new Date('2026-11-23T17:05:00Z'));
    expect(result).toMatchObject({ status: 'succeeded', detail: `found ${message.ts}` });
    expect(posts()).toHaveLength(0);
    expect(slack.callsTo('conversations.history')).toHaveLength(1);
    expect(await t.mo.posts.get(TEAM, key)).toMatchObject({
      status: 'posted',
      ts: message.ts,
    });
  });

  it('posts when the crash came before the message reached Slack', async () => {
    const slot = new Date('2026-11-23T17:00:00Z');
    await t.mo.posts.begin({
      teamId: TEAM,
      key: `weekly:${TEAM}:${slot.toISOString()}`,
      channel: CHANNEL,
    });
    // Left by a process that crashed a minute ago.
    await t.mo.db.slackPost.updateMany({ data: { updatedAt: new Date(t.mo.clock().getTime() - 60_000) } });
    // Another message with another key in the channel is not mistaken for it.
    slack.addMessage({
      channel: CHANNEL,
      text: 'older',
      metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: `weekly:${TEAM}:earlier` } },
    });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo)], owner: 'A' });
    const [result] = await s.tick(new Date('2026-11-23T17:05:00Z'));
    expect(result?.status).toBe('succeeded');
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.args.metadata).toBeDefined();
  });

  it('does not post while another process is posting the same key', async () => {
    const slot = new Date('2026-11-23T17:00:00Z');
    await t.mo.posts.begin({
      teamId: TEAM,
      key: `weekly:${TEAM}:${slot.toISOString()}`,
      channel: CHANNEL,
    });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo)], owner: 'A' });
    const [result] = await s.tick(new Date('2026-11-23T17:05:00Z'));
    expect(result).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('being made by another process'),
    });
    expect(posts()).toHaveLength(0);
  });
});

describe('Slack errors', () => {
  it('waits out a 429 for its Retry-After, then posts once', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo, 2)], owner: 'A' });
    const started = Date.now();
    const [result] = await s.tick(new Date('2026-11-23T17:00:05Z'));
    expect(result?.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(posts()).toHaveLength(2); // the refused call and the one that went through
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it('retries 5xx answers with backoff within the run', async () => {
    slack.failNext('chat.postMessage', { status: 503 });
    slack.failNext('chat.postMessage', { status: 500 });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo, 2)], owner: 'A' });
    const [result] = await s.tick(new Date('2026-11-23T17:00:05Z'));
    expect(result).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it('records a failed run visibly and tries the slot again after the backoff', async () => {
    for (let i = 0; i < 3; i++) slack.failNext('chat.postMessage', { status: 500 });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo, 2)], owner: 'A' });
    const [first] = await s.tick(new Date('2026-11-23T17:00:05Z'));
    expect(first).toMatchObject({ status: 'failed', attempt: 1, detail: 'Slack: HTTP 500' });
    const row = await jobRepository(t.mo.db).get(`weekly:${TEAM}`, new Date('2026-11-23T17:00:00Z'));
    expect(row).toMatchObject({ status: 'failed', attempts: 1, detail: 'Slack: HTTP 500' });
    expect(row?.retryAt?.getTime()).toBeGreaterThan(new Date('2026-11-23T17:01:00Z').getTime());
    expect(slack.messagesIn(CHANNEL)).toHaveLength(0);
    // Before the backoff ends nothing happens; after it the run succeeds, once.
    expect((await s.tick(new Date('2026-11-23T17:00:30Z')))[0]).toMatchObject({ status: 'skipped' });
    expect((await s.tick(new Date('2026-11-23T17:02:00Z')))[0]).toMatchObject({
      status: 'succeeded',
      attempt: 2,
    });
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
  });
});

describe('a write that lands but is answered with an error', () => {
  it('502 after the message was stored: one message, and the run says attempt 1 succeeded', async () => {
    slack.failNext('chat.postMessage', { status: 502, landed: true });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo, 2)], owner: 'A' });
    const [result] = await s.tick(new Date('2026-11-23T17:00:05Z'));
    expect(result).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    // The ts recorded is the one Slack stored, found by the post's key.
    const row = await t.mo.posts.get(TEAM, `weekly:${TEAM}:2026-11-23T17:00:00.000Z`);
    expect(row).toMatchObject({ status: 'posted', ts: slack.messagesIn(CHANNEL)[0]?.ts });
  });

  it('a 502 that did not land is posted again, once', async () => {
    slack.failNext('chat.postMessage', { status: 502 });
    const s = new Scheduler({ mo: t.mo, logger, jobs: [weeklyPost(t.mo, 2)], owner: 'A' });
    const [result] = await s.tick(new Date('2026-11-23T17:00:05Z'));
    expect(result).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(posts()).toHaveLength(2);
    expect(slack.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it('completeUploadExternal answered 502 after sharing the file: one file, found by its title', async () => {
    slack.failNext('files.completeUploadExternal', { status: 502, landed: true });
    const upload = {
      key: `chart:${TEAM}:1`,
      channel: CHANNEL,
      filename: 'spend.png',
      title: 'Spend by week (1)',
      altText: 'spend',
      bytes: Buffer.from('png'),
    };
    const done = await uploadOnce(client(2), t.mo.forTeam(TEAM).posts, upload);
    const shared = slack.messagesIn(CHANNEL).filter((m) => m.files?.length);
    expect(shared).toHaveLength(1);
    expect(done).toMatchObject({ fresh: true, ts: shared[0]?.files?.[0]?.id });
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });
});
