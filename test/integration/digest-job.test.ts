// The weekly digest job end to end on a real database (PostgreSQL in CI) and the fake
// Slack: when it is due, where it goes, exactly once per slot across schedulers, caught up
// once, never reposted after a crash, charts in the thread.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../commands/router.js';
import type { CommandEnv } from '../../commands/types.js';
import { digestJob, digestKey } from '../../jobs/digest.js';
import { Scheduler } from '../../jobs/scheduler.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { digestScheduleRepository } from '../../src/db/digest.js';
import { createLogger } from '../../src/log.js';
import { createMo } from '../../src/services/mo.js';
import { POST_EVENT_TYPE } from '../../src/slack/post.js';
import { messageToText } from '../../src/slack/render-text.js';
import type { Tenancy } from '../../src/slack/tenancy.js';
import { singleWorkspace } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack, validateBlocks } from '../support/fake-slack.js';

const TEAM = 'T0DIGEST';
const ADMIN = 'U0ADMIN';
const MARKETING = 'C0MARKETING';
const logger = createLogger('error');
// Monday 2026-11-02 09:00 in Los Angeles, the first Monday after the fall-back (PST, UTC-8).
const SLOT = new Date('2026-11-02T17:00:00Z');

let t: TestDatabase;
let slack: FakeSlack;
let second: Database;
let workspaces: Tenancy;

const scheduler = (owner: string, mo = t.mo) =>
  new Scheduler({ mo, logger, owner, jobs: [digestJob({ mo, slack: workspaces, logger })] });
const digests = () => slack.messagesIn(MARKETING).filter((m) => !m.thread_ts);

beforeAll(async () => {
  t = await createTestDatabase('2026-10-01T12:00:00Z');
  second = openDatabase(t.mo.databaseUrl);
  slack = await FakeSlack.start({
    teamId: TEAM,
    users: { [ADMIN]: { is_admin: true, tz: 'America/Los_Angeles' } },
    channels: { C0GENERAL: { name: 'general' }, [MARKETING]: { name: 'marketing' } },
  });
  workspaces = await singleWorkspace(t.mo, slack.apiUrl);
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
  await t.mo.db.workspace.deleteMany({});
  // The workspace exists from October, in Los Angeles, fiscal year from February.
  t.setNow('2026-10-01T12:00:00Z');
  await t.mo.workspaces.ensure(TEAM, { timezone: 'America/Los_Angeles' });
  await t.mo.workspaces.update(TEAM, { fiscalStartMonth: 2 }, 'test');
  await t.mo.db.workspace.update({
    where: { teamId: TEAM },
    data: { createdAt: new Date('2026-10-01T12:00:00Z'), digestChangedAt: new Date('2026-10-01T12:00:00Z') },
  });
});

describe('the weekly digest job', () => {
  it('is due Monday 09:00 workspace time across the DST change, and posts to #marketing found by name', async () => {
    const s = scheduler('A');
    // A minute before: the latest slot is last Monday's (16:00Z, still PDT), a week old.
    expect(await s.tick(new Date('2026-11-02T16:59:00Z'))).toEqual([
      expect.objectContaining({
        slot: new Date('2026-10-26T16:00:00Z'),
        status: 'skipped',
        reason: 'too-old',
      }),
    ]);
    expect(digests()).toHaveLength(0);
    const [run] = await s.tick(new Date('2026-11-02T17:00:20Z'));
    expect(run).toMatchObject({ slot: SLOT, status: 'succeeded' });
    expect(digests()).toHaveLength(1);
    const [digest] = digests();
    expect(validateBlocks(digest?.blocks, 'message')).toEqual([]);
    expect(digest?.metadata?.event_payload).toEqual({ key: digestKey(TEAM, SLOT) });
    // The channel found by name is remembered as an id.
    expect((await digestScheduleRepository(t.mo.db).get(TEAM))?.channelId).toBe(MARKETING);
  });

  it('an empty workspace gets a helpful "no data yet" digest, not a wall of zeros', async () => {
    await scheduler('A').tick(new Date('2026-11-02T17:00:20Z'));
    const text = messageToText({ text: '', blocks: digests()[0]?.blocks as never });
    expect(text.toLowerCase()).toContain('no data yet');
    expect(text).toContain('/mo budget set');
    expect(text).not.toMatch(/\$0\.00.*\$0\.00.*\$0\.00/s);
  });

  it('two schedulers on one database post one digest per slot', async () => {
    const moB = createMo(second, () => new Date('2026-11-02T17:00:20Z'));
    const ticks = await Promise.all([
      scheduler('A').tick(new Date('2026-11-02T17:00:20Z')),
      scheduler('B', moB).tick(new Date('2026-11-02T17:00:20Z')),
      scheduler('C').tick(new Date('2026-11-02T17:01:00Z')),
    ]);
    expect(ticks.flat().filter((r) => r.status === 'succeeded')).toHaveLength(1);
    expect(digests()).toHaveLength(1);
  });

  it('a missed Monday is caught up once when Mo starts, and charts follow in the thread', async () => {
    await t.mo.spend.add(
      {
        teamId: TEAM,
        date: '2026-10-28',
        amountMinor: 123_456n,
        status: 'actual',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'e1',
      },
      'test',
    );
    const s = scheduler('A');
    // Down at 09:00; started at 14:00 local.
    await s.tick(new Date('2026-11-02T22:00:00Z'));
    await s.tick(new Date('2026-11-02T22:01:00Z'));
    await scheduler('B').tick(new Date('2026-11-03T10:00:00Z'));
    expect(digests()).toHaveLength(1);
    const ts = digests()[0]?.ts as string;
    const charts = slack.messagesIn(MARKETING, ts).filter((m) => m.files?.length);
    expect(charts.length).toBeGreaterThan(0);
    expect(slack.uploads.filter((u) => u.completed).every((u) => (u.altText ?? '').length > 20)).toBe(true);
    // Oct 28 is in FY2027-Q3 (fiscal year from February): the week counts it, Q4 to date does not.
    const table = JSON.stringify(digests()[0]?.blocks);
    expect(table).toMatch(/Spend +\$1,235 +\$0 +\$0/);
    expect(table).toContain('*Events* new ($0 → $1,235)');
  });

  it('a crash between posting and recording does not repost', async () => {
    const key = digestKey(TEAM, SLOT);
    await t.mo.posts.begin({ teamId: TEAM, key, channel: MARKETING });
    // Left by a process that crashed a minute ago.
    await t.mo.db.slackPost.updateMany({ data: { updatedAt: new Date(t.mo.clock().getTime() - 60_000) } });
    slack.addMessage({
      channel: MARKETING,
      text: 'Weekly digest',
      metadata: { event_type: POST_EVENT_TYPE, event_payload: { key } },
    });
    await t.mo.db.jobRun.create({
      data: {
        job: 'digest',
        key: `digest:${TEAM}`,
        teamId: TEAM,
        slot: SLOT,
        status: 'running',
        owner: 'crashed',
        leaseUntil: new Date('2026-11-02T17:01:00Z'),
        startedAt: SLOT,
      },
    });
    await digestScheduleRepository(t.mo.db).rememberChannel(TEAM, MARKETING);
    const [run] = await scheduler('A').tick(new Date('2026-11-02T17:02:00Z'));
    expect(run).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(run?.status === 'succeeded' && run.detail).toContain('already posted');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(digests()).toHaveLength(1);
  });

  it('a workspace without #marketing or a chosen channel records a failed run saying what to do', async () => {
    await t.mo.db.workspace.update({ where: { teamId: TEAM }, data: { digestChannelId: null } });
    const lonely = await FakeSlack.start({ teamId: TEAM, channels: { C0GENERAL: { name: 'general' } } });
    try {
      const s = new Scheduler({
        mo: t.mo,
        logger,
        owner: 'A',
        jobs: [digestJob({ mo: t.mo, slack: await singleWorkspace(t.mo, lonely.apiUrl), logger })],
      });
      const [run] = await s.tick(new Date('2026-11-02T17:00:20Z'));
      expect(run).toMatchObject({ status: 'failed' });
      expect(run?.status === 'failed' && run.detail).toContain('/mo digest schedule DAY HH:MM #channel');
    } finally {
      await lonely.close();
    }
  });
});

describe('/mo digest', () => {
  const env = (): CommandEnv => ({
    mo: t.mo.forTeam(TEAM),
    isAdmin: async (user) => user === ADMIN,
    userTimezone: async () => 'America/Los_Angeles',
  });
  const run = async (line: string, user = ADMIN) => {
    const r = await runCommand(line, { teamId: TEAM, userId: user, channelId: 'C1' }, env());
    if (r.kind !== 'message') throw new Error('expected a message');
    return messageToText(r.message);
  };

  it('schedules by day, time, zone and channel id (audited), and turns off', async () => {
    t.setNow('2026-11-04T12:00:00Z');
    expect(
      await run('digest schedule friday 16:30 Europe/London <#C0GENERAL|general>', 'U0MEMBER'),
    ).toContain('only Mo admins');
    const saved = await run('digest schedule friday 16:30 Europe/London <#C0GENERAL|general>');
    expect(saved).toContain('every Friday at 16:30 (Europe/London)');
    expect(await digestScheduleRepository(t.mo.db).get(TEAM)).toMatchObject({
      enabled: true,
      day: 5,
      time: '16:30',
      timeZone: 'Europe/London',
      channelId: 'C0GENERAL',
    });
    const audit = await t.mo.audit.recent(TEAM);
    expect(audit.find((e) => e.action === 'digest.schedule')).toMatchObject({ actor: ADMIN });
    // The new schedule's first slot is Friday 16:30 London; nothing before the change is due.
    const s = scheduler('A');
    expect(await s.tick(new Date('2026-11-04T12:01:00Z'))).toEqual([]);
    expect((await s.tick(new Date('2026-11-06T16:30:00Z')))[0]).toMatchObject({ status: 'succeeded' });
    expect(slack.messagesIn('C0GENERAL').filter((m) => !m.thread_ts)).toHaveLength(1);

    expect(await run('digest off')).toMatch(/The weekly digest is \*?off/);
    expect(await s.tick(new Date('2026-11-13T16:30:00Z'))).toEqual([]);
  });

  it('explains bad schedules precisely', async () => {
    expect(await run('digest schedule someday 09:00')).toContain('"someday" is not a day of the week');
    expect(await run('digest schedule monday 9am')).toContain('"9am" is not a time like 09:00');
    expect(await run('digest schedule monday 09:00 Mars/Olympus')).toContain('neither an IANA timezone');
    expect(await run('digest schedule monday 09:00 #marketing')).toContain(
      "pick #marketing from Slack's channel suggestions",
    );
  });

  it('previews the digest to the asker', async () => {
    t.setNow('2026-11-04T12:00:00Z');
    const text = await run('digest preview', 'U0MEMBER');
    expect(text.toLowerCase()).toContain('digest');
  });
});
