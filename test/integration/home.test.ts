// The App Home tab over HTTP: a signed app_home_opened event in, views.publish out with a
// view Slack accepts; per person (owner, member, admin); its Acknowledge button acts on
// the alert and the tab is published again without it; the admin buttons open modals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_TEAM, loadDemo } from '../../src/demo.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { todayIn } from '../../src/services/mo.js';
import { requestMove } from '../../src/services/reallocation.js';
import { ACTION, ALERT, HOME } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type RecordedCall, validateView } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'home-secret';
const OWNER = 'U0DEMOPAID';
const MEMBER = 'U0MEMBER';
let app: TestApp;
let n = 0;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: DEMO_TEAM,
      users: { [DEMO_ADMIN]: {}, [OWNER]: {}, [MEMBER]: {} },
      channels: { C0MKT: { name: 'marketing' } },
    },
    '2026-11-16T15:00:00Z',
  );
  await loadDemo(app.t.mo, DEMO_TEAM);
});
afterAll(() => app?.close());

async function signedPost(body: string, contentType: string) {
  const res = await fetch(`${app.base}/slack/events`, {
    method: 'POST',
    body,
    headers: { ...signSlackRequest(SECRET, body), 'content-type': contentType },
  });
  expect(res.status).toBe(200);
  return res;
}

async function openHome(user: string, tab = 'home') {
  const body = JSON.stringify({
    token: 'x',
    team_id: DEMO_TEAM,
    api_app_id: 'A0MO',
    type: 'event_callback',
    event_id: `EvHome${++n}`,
    event_time: 1763300000,
    event: { type: 'app_home_opened', user, channel: `D${user}`, tab, event_ts: '1763300000.000100' },
  });
  await signedPost(body, 'application/json');
}

async function published(user: string, after = 0): Promise<RecordedCall> {
  const until = Date.now() + 10_000;
  for (;;) {
    const call = app.slack
      .callsTo('views.publish')
      .filter((c) => c.args.user_id === user)
      .slice(after)[0];
    if (call) return call;
    if (Date.now() > until) throw new Error(`no views.publish for ${user}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const publishes = (user: string) => app.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);

function buttons(view: unknown): { action_id: string; value?: string }[] {
  const blocks = (view as { blocks: { type: string; elements?: unknown[]; accessory?: unknown }[] }).blocks;
  return blocks.flatMap((b) =>
    b.type === 'actions' ? (b.elements as never[]) : b.accessory ? [b.accessory as never] : [],
  );
}

describe('the App Home tab over HTTP', () => {
  it('publishes an owner’s tab with the quarter, their lines and their alerts, valid for Slack', async () => {
    await openHome(OWNER);
    const call = await published(OWNER);
    const view = call.args.view as { type: string };
    expect(view.type).toBe('home');
    expect(validateView(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain('FY2027-Q4 budget');
    expect(text).toContain('Paid Media/Search');
    expect(text).not.toContain('Events/Conferences* · FY2027-Q4 — forecast'); // not theirs
    const ids = buttons(view).map((b) => b.action_id);
    expect(ids).toContain(ALERT.ack);
    expect(ids).not.toContain(HOME.settings);
  });

  it('shows a member no alerts of others and an admin the settings and import actions', async () => {
    await openHome(MEMBER);
    const member = JSON.stringify((await published(MEMBER)).args.view);
    expect(member).toContain('You own no live budget line');
    expect(member).toContain('Nothing waiting for you');

    await openHome(DEMO_ADMIN);
    const admin = (await published(DEMO_ADMIN)).args.view;
    expect(validateView(admin)).toEqual([]);
    const ids = buttons(admin).map((b) => b.action_id);
    expect(ids).toContain(HOME.settings);
    expect(ids).toContain(HOME.importFile);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const before = publishes(MEMBER).length;
    await openHome(MEMBER, 'messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(publishes(MEMBER)).toHaveLength(before);
  });

  it('acknowledges an alert from the tab, which is then published again without it', async () => {
    const prev = publishes(OWNER).length;
    await openHome(OWNER);
    const view = (await published(OWNER, prev)).args.view as { id?: string };
    const before = prev + 1;
    const ack = buttons(view).find((b) => b.action_id === ALERT.ack);
    expect(ack?.value).toBeTruthy();
    const payload = {
      type: 'block_actions',
      team: { id: DEMO_TEAM, domain: 'demo' },
      user: { id: OWNER, team_id: DEMO_TEAM },
      api_app_id: 'A0MO',
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', ...view },
      trigger_id: 'trigger-home-ack',
      actions: [{ type: 'button', action_id: ALERT.ack, block_id: 'b', value: ack?.value, action_ts: '1' }],
    };
    await signedPost(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
    // The action is acked at once and recorded after the ack: wait for the record.
    const ackedBy = async () =>
      (await app.t.mo.db.alert.findFirst({ where: { id: ack?.value as string } }))?.ackBy ?? null;
    const until = Date.now() + 10_000;
    while ((await ackedBy()) === null && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(await ackedBy()).toBe(OWNER);
    const again = await published(OWNER, before);
    expect(validateView(again.args.view)).toEqual([]);
    expect(buttons(again.args.view).map((b) => b.value)).not.toContain(ack?.value);
  });

  it('lists a budget move waiting for the owner, approved from the tab with the DM’s button', async () => {
    const settings = await app.t.mo.workspaces.ensure(DEMO_TEAM);
    const today = todayIn(app.t.mo, settings.timezone);
    const period = requirePeriod('this-quarter', today, settings.fiscalStartMonth);
    const lineOf = async (category: string) =>
      (await app.t.mo.db.budgetLine.findFirst({ where: { teamId: DEMO_TEAM, period: period.key, category } }))
        ?.plannedMinor;
    const [fromBefore, toBefore] = [await lineOf('Paid Media/Search'), await lineOf('Agency/Creative')];
    // The admin owns the receiving line (approved as they ask); the owner of the giving line decides.
    const outcome = await requestMove(app.t.mo.forTeam(settings.teamId), settings, {
      actor: DEMO_ADMIN,
      isAdmin: true,
      amountMinor: 100_000n,
      from: 'Paid Media/Search',
      to: 'Agency/Creative',
      period,
      reason: 'more display in Q4',
    });
    expect(outcome).toMatchObject({ applied: false, approvers: [OWNER] });
    const prev = publishes(OWNER).length;
    await openHome(OWNER);
    const view = (await published(OWNER, prev)).args.view;
    expect(validateView(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('Budget moves waiting for you (1)');
    const approve = buttons(view).find((b) => b.action_id === ACTION.moveApprove);
    expect(approve?.value).toBe(outcome.move.id);
    expect(buttons(view).find((b) => b.action_id === ACTION.moveReject)?.value).toBe(outcome.move.id);
    // A member sees nothing to decide.
    const memberPrev = publishes(MEMBER).length;
    await openHome(MEMBER);
    expect(JSON.stringify((await published(MEMBER, memberPrev)).args.view)).not.toContain(
      'Budget moves waiting',
    );

    const before = publishes(OWNER).length;
    const payload = {
      type: 'block_actions',
      team: { id: DEMO_TEAM, domain: 'demo' },
      user: { id: OWNER, team_id: DEMO_TEAM },
      api_app_id: 'A0MO',
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', ...(view as object) },
      trigger_id: 'trigger-home-move',
      actions: [
        {
          type: 'button',
          action_id: ACTION.moveApprove,
          block_id: 'b',
          value: approve?.value,
          action_ts: '1',
        },
      ],
    };
    await signedPost(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
    const status = async () =>
      (await app.t.mo.db.budgetMove.findFirst({ where: { id: outcome.move.id } }))?.status ?? null;
    const until = Date.now() + 10_000;
    while ((await status()) !== 'approved' && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(await status()).toBe('approved');
    expect([await lineOf('Paid Media/Search'), await lineOf('Agency/Creative')]).toEqual([
      (fromBefore ?? 0n) - 100_000n,
      (toBefore ?? 0n) + 100_000n,
    ]);
    const again = await published(OWNER, before);
    expect(JSON.stringify(again.args.view)).not.toContain('Budget moves waiting');
  });

  it('is published again for its viewers after a plan changes, once for a burst of changes', async () => {
    const prev = publishes(OWNER).length;
    await openHome(OWNER);
    await published(OWNER, prev);
    const before = publishes(OWNER).length;
    for (const amount of ['125000', '126000']) {
      const body = new URLSearchParams({
        token: 'x',
        team_id: DEMO_TEAM,
        channel_id: 'C0MKT',
        user_id: DEMO_ADMIN,
        command: '/mo',
        text: `budget set "Paid Media/Search" ${amount} FY2027-Q4`,
        response_url: app.slack.responseUrl(`plan-${amount}`),
        trigger_id: `trigger-plan-${amount}`,
      }).toString();
      await signedPost(body, 'application/x-www-form-urlencoded');
    }
    const until = Date.now() + 10_000;
    while (
      !publishes(OWNER).some((c, i) => i >= before && JSON.stringify(c.args.view).includes('of $126,000'))
    ) {
      if (Date.now() > until) throw new Error('the Home tab was not published again with the new plan');
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 2500));
    // Two commands signal four changes (each command, each plan's figures): debounced, fewer
    // publishes than signals (how many depends on how far apart a loaded machine serves them).
    expect(publishes(OWNER).length - before).toBeLessThan(4);
  });

  it('opens the settings modal and the import help from the admin buttons', async () => {
    for (const [action, trigger] of [
      [HOME.settings, 'trigger-settings'],
      [HOME.importFile, 'trigger-import'],
    ] as const) {
      const payload = {
        type: 'block_actions',
        team: { id: DEMO_TEAM, domain: 'demo' },
        user: { id: DEMO_ADMIN, team_id: DEMO_TEAM },
        api_app_id: 'A0MO',
        container: { type: 'view', view_id: 'VHOME' },
        trigger_id: trigger,
        actions: [{ type: 'button', action_id: action, block_id: 'home_admin', action_ts: '1' }],
      };
      await signedPost(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
    }
    const until = Date.now() + 5000;
    while (app.slack.callsTo('views.open').length < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 25));
    const opened = app.slack.callsTo('views.open');
    expect(opened.map((c) => c.args.trigger_id).sort()).toEqual(['trigger-import', 'trigger-settings']);
    const titles = opened.map((c) => (c.args.view as { title: { text: string } }).title.text).sort();
    expect(titles).toEqual(['Import a file', 'Mo settings']);
  });
});
