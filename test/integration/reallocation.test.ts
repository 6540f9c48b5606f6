// Moving budget between two lines over the real HTTP app: signed slash commands and button
// clicks in, the fake Slack's DMs and response_url out, a real database. The request, both
// approvals and the one change to both plans; a rejection with its reason (a modal);
// refusals for strangers; expiry; and the auto-approve threshold.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import { ACTION, INPUT, VIEW } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';
import { type FakeSlack, validateBlocks, validateView } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0MOVES';
const ADMIN = 'U0ADMIN';
const EVENTS = 'U0EVENTS'; // owns Events
const SEARCH = 'U0SEARCH'; // owns Paid Media/Search
const STRANGER = 'U0STRANGER';
const NOW = '2026-11-16T17:00:00Z';
let app: TestApp;
let t: TestDatabase;
let slack: FakeSlack;
let base: string;
let seq = 0;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { [ADMIN]: { is_admin: true }, [EVENTS]: {}, [SEARCH]: {}, [STRANGER]: {} },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    NOW,
  );
  ({ t, slack, base } = app);
});
afterAll(() => app?.close());
beforeEach(async () => {
  slack.reset();
  slack.messages = [];
  t.setNow(NOW);
  await t.mo.db.budgetMove.deleteMany({});
  await t.mo.db.budgetLine.deleteMany({});
  await t.mo.db.slackPost.deleteMany({});
  await t.mo.workspaces.update(
    TEAM,
    { fiscalStartMonth: 1, timezone: 'UTC', adminUserIds: [ADMIN], moveAutoApproveMinor: 0n },
    ADMIN,
  );
  const q4 = fiscalQuarter(2026, 4, 1);
  await t.mo.budgets.set(
    { teamId: TEAM, period: q4, category: 'Events', plannedMinor: 1_000_000n, ownerUserId: EVENTS },
    ADMIN,
  );
  await t.mo.budgets.set(
    { teamId: TEAM, period: q4, category: 'Paid Media/Search', plannedMinor: 500_000n, ownerUserId: SEARCH },
    ADMIN,
  );
});

const signedPost = (body: string) =>
  fetch(`${base}/slack/events`, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `/mo TEXT` as `user`; resolves with the reply's text. */
async function command(text: string, user: string): Promise<string> {
  const id = `cmd${++seq}`;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'acme',
    channel_id: 'C0MKTG',
    channel_name: 'marketing',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/mo',
    text,
    api_app_id: 'A0MO',
    is_enterprise_install: 'false',
    response_url: slack.responseUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  expect((await signedPost(body)).status).toBe(200);
  const reply = await waitFor(() => slack.responses().find((r) => r.args.__id === id), `reply ${id}`);
  expect(validateBlocks(reply.args.blocks, 'message')).toEqual([]);
  return String(reply.args.text);
}

/** The request's DM to `user`, once it has arrived. */
const dmTo = (user: string) =>
  waitFor(
    () => slack.messagesIn(user).find((m) => JSON.stringify(m.blocks).includes(ACTION.moveApprove)),
    `the request's DM to ${user}`,
  );

/** Clicks a button of a DM as `user`; resolves with what came back at the response_url. */
async function click(user: string, actionId: string, moveId: string, dm: { ts: string; channel: string }) {
  const id = `click${++seq}`;
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'acme' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0MO',
    channel: { id: dm.channel },
    trigger_id: `trigger-${id}`,
    response_url: slack.responseUrl(id),
    container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel },
    message: { ts: dm.ts },
    actions: [
      { type: 'button', action_id: actionId, block_id: 'move_actions', value: moveId, action_ts: '1' },
    ],
  };
  expect(
    (await signedPost(new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).status,
  ).toBe(200);
  return id;
}
const responseTo = (id: string) =>
  waitFor(() => slack.responses().find((r) => r.args.__id === id), `response ${id}`);

/** Waits until Mo has recorded a post as made (its work after the ack is done). */
async function settled(key: string) {
  const until = Date.now() + 5000;
  while ((await t.mo.db.slackPost.findFirst({ where: { teamId: TEAM, key } }))?.status !== 'posted') {
    if (Date.now() > until) throw new Error(`post ${key} never recorded`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const plans = async () =>
  Object.fromEntries(
    (await t.mo.db.budgetLine.findMany({ where: { teamId: TEAM } })).map((l) => [l.category, l.plannedMinor]),
  );
const onlyMove = async () => (await t.mo.db.budgetMove.findMany({ where: { teamId: TEAM } }))[0];

describe('/mo budget move over HTTP', () => {
  it('asks both owners by DM, and changes both plans once both approve', async () => {
    const reply = await command(
      'budget move 2500 Events "Paid Media/Search" FY2026-Q4 Summit moved online',
      ADMIN,
    );
    expect(reply).toContain(
      'Request to move $2,500 from *Events* to *Paid Media/Search* in *FY2026-Q4* filed',
    );
    expect(reply).toContain(`<@${EVENTS}>, <@${SEARCH}>`);
    const move = await onlyMove();
    expect(move).toMatchObject({ status: 'pending', amountMinor: 250_000n, reason: 'Summit moved online' });
    const [toEvents, toSearch] = [await dmTo(EVENTS), await dmTo(SEARCH)];
    expect(validateBlocks(toEvents.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(toEvents.blocks)).toContain('Summit moved online');

    // A stranger's click is refused and changes nothing.
    const refused = await responseTo(await click(STRANGER, ACTION.moveApprove, move?.id as string, toEvents));
    expect(String(refused.args.text)).toContain('Only the owners of the two lines');

    const first = await responseTo(await click(EVENTS, ACTION.moveApprove, move?.id as string, toEvents));
    expect(first.args.replace_original).toBe(true);
    expect(JSON.stringify(first.args.blocks)).toContain('Waiting for the other side');
    expect(await plans()).toEqual({ Events: 1_000_000n, 'Paid Media/Search': 500_000n });

    const second = await responseTo(await click(SEARCH, ACTION.moveApprove, move?.id as string, toSearch));
    expect(JSON.stringify(second.args.blocks)).toContain('Approved: both plans changed');
    expect(await plans()).toEqual({ Events: 750_000n, 'Paid Media/Search': 750_000n });
    // The requester hears of it; the trail says who asked and who approved.
    const told = await waitFor(() => slack.messagesIn(ADMIN)[0], 'the requester told');
    expect(told.text).toContain('approved');
    await settled(`move:${move?.id}:outcome`);
    const applied = await t.mo.db.auditEvent.findFirstOrThrow({
      where: { teamId: TEAM, action: 'budget.move.apply' },
    });
    expect(JSON.parse(applied.after ?? '{}')).toMatchObject({
      requestedBy: ADMIN,
      fromApprovedBy: EVENTS,
      toApprovedBy: SEARCH,
    });
    expect(await command('budget requests', STRANGER)).toBe('No open budget move requests.');
  });

  it('a rejection asks for a reason in a modal, and tells the requester', async () => {
    await command('budget move 1000 Events "Paid Media/Search" FY2026-Q4', EVENTS);
    const move = await onlyMove();
    // The requester owns the giving line: only the receiving owner is asked.
    expect(move?.fromApprovedBy).toBe(EVENTS);
    const dm = await dmTo(SEARCH);
    expect(slack.messagesIn(EVENTS)).toEqual([]);
    expect(await command('budget requests', STRANGER)).toBe('1 open budget move requests');

    await click(SEARCH, ACTION.moveReject, move?.id as string, dm);
    const open = await waitFor(() => slack.callsTo('views.open')[0], 'views.open');
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW.moveReject);
    expect(validateView(view)).toEqual([]);
    const submit = (reason: string, user = SEARCH) =>
      signedPost(
        new URLSearchParams({
          payload: JSON.stringify({
            type: 'view_submission',
            team: { id: TEAM, domain: 'acme' },
            user: { id: user, team_id: TEAM },
            api_app_id: 'A0MO',
            trigger_id: 'trigger-reject',
            view: {
              id: 'V1',
              type: 'modal',
              callback_id: VIEW.moveReject,
              private_metadata: view.private_metadata,
              state: {
                values: {
                  [INPUT.reason.block]: {
                    [INPUT.reason.action]: { type: 'plain_text_input', value: reason },
                  },
                },
              },
            },
          }),
        }).toString(),
      );
    const blank = await submit('   ');
    expect(await blank.json()).toEqual({
      response_action: 'errors',
      errors: { [INPUT.reason.block]: 'Say why the move is rejected.' },
    });
    const stranger = await submit('no', STRANGER);
    expect(
      ((await stranger.json()) as { errors: Record<string, string> }).errors[INPUT.reason.block],
    ).toContain('Only the owners of the two lines');
    expect((await submit('Search is pacing over already')).status).toBe(200);
    expect(await onlyMove()).toMatchObject({
      status: 'rejected',
      rejectReason: 'Search is pacing over already',
    });
    const told = await waitFor(() => slack.messagesIn(EVENTS)[0], 'the requester told');
    expect(JSON.stringify(told.blocks)).toContain('Search is pacing over already');
    await settled(`move:${move?.id}:outcome`);
    const updated = await waitFor(() => slack.callsTo('chat.update')[0], 'the DM updated');
    expect(JSON.stringify(updated.args.blocks)).toContain('Rejected by');
    expect(await plans()).toEqual({ Events: 1_000_000n, 'Paid Media/Search': 500_000n });
  });

  it('refuses strangers and moves that would go below actual + committed, writing nothing', async () => {
    expect(await command('budget move 10 Events "Paid Media/Search" FY2026-Q4', STRANGER)).toContain(
      'Only the owner of Events or Paid Media/Search in FY2026-Q4, or an admin',
    );
    await t.mo.spend.add(
      {
        teamId: TEAM,
        date: '2026-11-02',
        amountMinor: 900_000n,
        status: 'committed',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: `m${++seq}`,
      },
      ADMIN,
    );
    expect(await command('budget move 1000.01 Events "Paid Media/Search" FY2026-Q4', EVENTS)).toContain(
      'below the $9,000.00 it has already spent and committed: it can give at most $1,000.00',
    );
    expect(await t.mo.db.budgetMove.count({ where: { teamId: TEAM } })).toBe(0);
    await t.mo.db.spend.deleteMany({});
    await t.mo.db.spendDaily.deleteMany({});
    await t.mo.db.spendMonthly.deleteMany({});
  });

  it('expires after 14 days', async () => {
    await command('budget move 1000 Events "Paid Media/Search" FY2026-Q4', EVENTS);
    const move = await onlyMove();
    const dm = await dmTo(SEARCH);
    t.setNow('2026-12-01T17:00:01Z');
    const late = await responseTo(await click(SEARCH, ACTION.moveApprove, move?.id as string, dm));
    expect(String(late.args.text)).toContain('already expired');
    expect(await plans()).toEqual({ Events: 1_000_000n, 'Paid Media/Search': 500_000n });
  });

  it('applies at once at or under the auto-approve amount', async () => {
    await t.mo.workspaces.update(TEAM, { moveAutoApproveMinor: 100_000n }, ADMIN);
    expect(await command('budget move 1000 Events "Paid Media/Search" FY2026-Q4', EVENTS)).toContain(
      'Moved $1,000 from *Events* to *Paid Media/Search* in *FY2026-Q4*: both plans changed',
    );
    expect(await plans()).toEqual({ Events: 900_000n, 'Paid Media/Search': 600_000n });
    expect(await onlyMove()).toMatchObject({ status: 'approved', fromApprovedBy: 'auto-approve' });
  });
});
