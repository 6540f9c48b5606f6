// Budget alerts end to end on a real database (PostgreSQL in CI) and the fake Slack: fire
// once per crossing however many imports follow, 90 then 100, resolve and fire again,
// snooze, two evaluators, quiet hours, who may acknowledge, escaping.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../commands/router.js';
import type { CommandEnv } from '../../commands/types.js';
import { alertRepository } from '../../src/db/alerts.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/log.js';
import {
  type AlertAction,
  actOnAlert,
  deliverAlerts,
  evaluateAlerts,
  evaluateAndDeliver,
} from '../../src/services/alerts.js';
import { createMo } from '../../src/services/mo.js';
import { jobClient } from '../../src/slack/client.js';
import { messageToText } from '../../src/slack/render-text.js';
import { createTestDatabase, provider, type TestDatabase } from '../support/db.js';
import { FakeSlack, validateBlocks } from '../support/fake-slack.js';

const TEAM = 'T0ALERT';
const ADMIN = 'U0ADMIN';
const OWNER = 'U0OWNER';
const MEMBER = 'U0MEMBER';
const ALERTS = 'C0ALERTS';
const logger = createLogger('error');
// Monday Nov 16, 2026, noon in New York.
const NOON = new Date('2026-11-16T17:00:00Z');

let t: TestDatabase;
let slack: FakeSlack;
let second: Database;
let n = 0;

const client = () => jobClient('xoxb-test', slack.apiUrl, logger, { retries: 0 });
const isAdmin = async (user: string) => user === ADMIN;
/** A click on an alert's button by this user. */
const click = (userId: string, alertId: string | undefined, action: AlertAction) =>
  actOnAlert(t.mo.forTeam(TEAM), { userId }, alertId as string, action, isAdmin);
const env = (): CommandEnv => ({
  mo: t.mo.forTeam(TEAM),
  isAdmin,
  userTimezone: async () => 'America/New_York',
});
const channelPosts = () => slack.messagesIn(ALERTS);
const dms = (user: string) => slack.messagesIn(user);

async function spend(amountMinor: bigint, category = 'Events', status: 'actual' | 'committed' = 'actual') {
  await t.mo.spend.add(
    {
      teamId: TEAM,
      date: '2026-11-10',
      amountMinor,
      status,
      category,
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: `k${++n}`,
    },
    'test',
  );
}

async function plan(amountMinor: bigint, category = 'Events') {
  const settings = await t.mo.workspaces.ensure(TEAM);
  const period = requirePeriod('2026-11', '2026-11-16', settings.fiscalStartMonth);
  await t.mo.budgets.set(
    { teamId: TEAM, period, category, plannedMinor: amountMinor, ownerUserId: OWNER },
    ADMIN,
  );
}

beforeAll(async () => {
  t = await createTestDatabase(NOON);
  second = openDatabase(t.mo.databaseUrl);
  slack = await FakeSlack.start({
    teamId: TEAM,
    users: { [ADMIN]: { is_admin: true }, [OWNER]: {}, [MEMBER]: {} },
    channels: { [ALERTS]: { name: 'marketing-ops' } },
  });
});
afterAll(async () => {
  await slack.close();
  await second.close();
  await t.close();
});
beforeEach(async () => {
  slack.reset();
  slack.messages = [];
  t.setNow(NOON);
  const db = t.mo.db;
  await db.alert.deleteMany({});
  await db.alertState.deleteMany({});
  await db.alertSnooze.deleteMany({});
  await db.slackPost.deleteMany({});
  await db.spend.deleteMany({});
  await db.spendDaily.deleteMany({});
  await db.spendMonthly.deleteMany({});
  await db.budgetLine.deleteMany({});
  await t.mo.workspaces.ensure(TEAM, { timezone: 'America/New_York' });
  const repo = alertRepository(t.mo.db);
  // Only the consumed rule, so each test sees the crossings it makes.
  await repo.updateSettings(
    TEAM,
    {
      channelId: ALERTS,
      settings: {
        consumed: { enabled: true, thresholds: [90, 100] },
        forecast: { enabled: false, threshold: 5 },
        pacing: { enabled: false, threshold: 20 },
      },
    },
    ADMIN,
  );
  await plan(1_000_000n);
});

describe('budget alerts', () => {
  it('a crossing fires once however many imports follow, to the channel and the owner', async () => {
    await spend(950_000n);
    for (let i = 0; i < 4; i++) {
      await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
      await spend(1_000n); // still between 90 % and 100 %
    }
    expect(channelPosts()).toHaveLength(1);
    expect(dms(OWNER)).toHaveLength(1);
    const text = messageToText({ text: '', blocks: channelPosts()[0]?.blocks as never });
    expect(text).toContain('Events · 2026-11 — actual + committed reached 90 % of plan');
    expect(text).toContain('Planned $10,000 · actual $9,500 · committed $0');
    expect(validateBlocks(channelPosts()[0]?.blocks, 'message')).toEqual([]);
  });

  it('90 % then 100 % fire in turn; a jump past both fires once', async () => {
    await spend(900_000n);
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    await spend(100_000n, 'Events', 'committed');
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    const history = await alertRepository(t.mo.db).history(TEAM);
    expect(history.map((a) => a.threshold).sort()).toEqual([100, 90]);
    expect(channelPosts()).toHaveLength(2);

    await plan(1_000_000n, 'Content');
    await spend(1_200_000n, 'Content');
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    const content = (await alertRepository(t.mo.db).history(TEAM)).filter((a) => a.category === 'Content');
    expect(content.map((a) => a.threshold)).toEqual([100]);
  });

  it('a refund below the threshold resolves quietly; a later crossing fires again', async () => {
    await spend(950_000n);
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    await spend(-200_000n);
    const quiet = await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    expect(quiet).toContain('1 resolved');
    expect(channelPosts()).toHaveLength(1);
    expect((await alertRepository(t.mo.db).history(TEAM))[0]?.resolvedAt).not.toBeNull();
    await spend(200_000n);
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    expect(channelPosts()).toHaveLength(2);
  });

  it('raising the plan resolves too', async () => {
    await spend(950_000n);
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    await plan(2_000_000n);
    expect(await evaluateAndDeliver(t.mo.forTeam(TEAM), client())).toContain('1 resolved');
  });

  it('a snooze holds the line until it expires', async () => {
    await spend(900_000n);
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    const [alert] = await alertRepository(t.mo.db).history(TEAM);
    const snoozed = await click(OWNER, alert?.id, 'snoozeDay');
    expect('message' in snoozed && JSON.stringify(snoozed.message.blocks)).toContain('Snoozed by <@U0OWNER>');
    await spend(100_000n); // crosses 100 % while snoozed
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    expect(channelPosts()).toHaveLength(1);
    t.setNow(new Date(NOON.getTime() + 25 * 3_600_000));
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    expect(channelPosts()).toHaveLength(2);
    expect((await alertRepository(t.mo.db).history(TEAM))[0]?.threshold).toBe(100);
  });

  it('two evaluators at once send one alert', async () => {
    await spend(950_000n);
    // A second connection on PostgreSQL, as two processes would have. SQLite serves one
    // process (better-sqlite3 blocks the event loop while it waits for a lock), so there
    // the same client runs the evaluations concurrently.
    const moB = provider() === 'postgresql' ? createMo(second, () => NOON) : t.mo;
    await Promise.all([
      evaluateAndDeliver(t.mo.forTeam(TEAM), client()),
      evaluateAndDeliver(moB.forTeam(TEAM), client()),
      evaluateAndDeliver(t.mo.forTeam(TEAM), client()),
    ]);
    expect(await alertRepository(t.mo.db).history(TEAM)).toHaveLength(1);
    expect(channelPosts()).toHaveLength(1);
    expect(dms(OWNER)).toHaveLength(1);
  });

  it('holds what it finds at night until 09:00 in the workspace timezone', async () => {
    await spend(950_000n);
    const night = new Date('2026-11-17T03:00:00Z'); // 22:00 in New York
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client(), night);
    expect(channelPosts()).toHaveLength(0);
    expect(await deliverAlerts(t.mo.forTeam(TEAM), client(), new Date('2026-11-17T13:59:00Z'))).toBe(
      'nothing to deliver',
    );
    await deliverAlerts(t.mo.forTeam(TEAM), client(), new Date('2026-11-17T14:00:00Z'));
    expect(channelPosts()).toHaveLength(1);
  });

  it('only the owner and admins acknowledge; the message then says who', async () => {
    await spend(950_000n);
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    const [alert] = await alertRepository(t.mo.db).history(TEAM);
    const refused = await click(MEMBER, alert?.id, 'ack');
    expect(refused).toEqual({
      refused: expect.stringContaining('only this budget line’s owner and Mo admins'),
    });
    expect((await alertRepository(t.mo.db).get(TEAM, alert?.id as string))?.ackBy).toBeNull();
    const done = await click(ADMIN, alert?.id, 'ack');
    expect('message' in done && JSON.stringify(done.message.blocks)).toContain('Acknowledged by <@U0ADMIN>');
    expect((await alertRepository(t.mo.db).get(TEAM, alert?.id as string))?.ackBy).toBe(ADMIN);
  });

  it('an owner who cannot be DMed does not hold back the channel message', async () => {
    const settings = await t.mo.workspaces.ensure(TEAM);
    const period = requirePeriod('2026-11', '2026-11-16', settings.fiscalStartMonth);
    await t.mo.budgets.set(
      { teamId: TEAM, period, category: 'Events', plannedMinor: 1_000_000n, ownerUserId: 'U0GONE' },
      ADMIN,
    );
    await spend(950_000n);
    const detail = await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    expect(detail).toContain('not DMed: U0GONE (user_not_found)');
    expect(channelPosts()).toHaveLength(1);
    expect((await alertRepository(t.mo.db).history(TEAM))[0]?.deliveredAt).not.toBeNull();
    expect(await deliverAlerts(t.mo.forTeam(TEAM), client())).toBe('nothing to deliver');
  });

  it('escapes a category named <!channel>', async () => {
    await plan(1_000n, '<!channel>');
    await spend(1_000n, '<!channel>');
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client());
    const json = JSON.stringify(channelPosts()[0]?.blocks);
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
    expect(String(channelPosts()[0]?.text)).not.toContain('<!channel>');
  });

  it('/mo alerts set, off and history, audited', async () => {
    const run = async (line: string, user = ADMIN) => {
      const r = await runCommand(line, { teamId: TEAM, userId: user, channelId: 'C1' }, env());
      if (r.kind !== 'message') throw new Error('expected a message');
      return messageToText(r.message);
    };
    expect(await run('alerts set forecast 8', MEMBER)).toContain('only Mo admins');
    expect(await run('alerts set forecast 8')).toContain('forecast (on): forecast more than 8 % over plan');
    expect(await run('alerts set forecast lots')).toContain('"lots" is not a whole percent');
    expect(await run('alerts off pacing')).toContain('pacing (off)');
    // Audit events written within one tick of the test clock tie on createdAt: look the change up.
    expect(
      (await t.mo.audit.recent(TEAM)).find(
        (e) => e.action === 'alerts.update' && e.after?.includes('pacing'),
      ),
    ).toMatchObject({ actor: ADMIN });
    await spend(950_000n);
    await evaluateAlerts(t.mo.forTeam(TEAM));
    expect(await run('alerts history', MEMBER)).toContain(
      'Events · 2026-11 — actual + committed reached 90 % of plan',
    );
  });
});
