// The real Bolt app over HTTP: signed requests in, a fake Slack Web API and response_url
// out, a real database. Forged, stale, future-dated and unsigned requests get 401.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertRepository } from '../../src/db/alerts.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/log.js';
import { evaluateAndDeliver } from '../../src/services/alerts.js';
import { jobClient } from '../../src/slack/client.js';
import { ACTION, ALERT as ACTION_ALERT, INPUT, VIEW } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';
import { type FakeSlack, validateBlocks, validateView } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0HTTP';
let app: TestApp;
let t: TestDatabase;
let slack: FakeSlack;
let base: string;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { U0ADMIN: { is_admin: true, tz: 'America/Chicago' }, U0MEMBER: { tz: 'Europe/Berlin' } },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    '2026-11-16T17:00:00Z',
  );
  ({ t, slack, base } = app);
});
afterAll(() => app?.close());
beforeEach(() => slack.reset());

function commandBody(text: string, user: string, responseId: string): string {
  return new URLSearchParams({
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
    response_url: slack.responseUrl(responseId),
    trigger_id: `trigger-${responseId}`,
  }).toString();
}

async function post(body: string, headers: Record<string, string>) {
  return fetch(`${base}/slack/events`, { method: 'POST', body, headers });
}

const signedPost = (body: string) => post(body, signSlackRequest(SECRET, body));

const responseTo = (id: string, ms?: number) =>
  waitFor(() => slack.responses().find((r) => r.args.__id === id), `response ${id}`, ms);

async function interact(payload: object) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signedPost(body);
}

describe('request signing', () => {
  const body = () => commandBody('budget', 'U0MEMBER', 'sig');

  it('serves a correctly signed command', async () => {
    const res = await signedPost(body());
    expect(res.status).toBe(200);
    await responseTo('sig');
  });

  it('rejects a forged signature', async () => {
    const headers = signSlackRequest('not-the-secret', body());
    expect((await post(body(), headers)).status).toBe(401);
  });

  it('rejects a stale request (replay) and one stamped in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body(), signSlackRequest(SECRET, body(), now - 6 * 60))).status).toBe(401);
    expect((await post(body(), signSlackRequest(SECRET, body(), now + 6 * 60))).status).toBe(401);
  });

  it('rejects an unsigned request', async () => {
    expect((await post(body(), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(401);
  });

  it("answers Slack's unsigned ssl_check, and runs nothing smuggled in one", async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await post('ssl_check=1&token=legacy', form)).status).toBe(200);
    // Bolt verifies nothing itself (Mo has): an unsigned command must not pass as a probe.
    for (const [id, probe] of [
      ['smuggled', 'ssl_check=1&'],
      ['smuggled-twice', 'ssl_check=1&ssl_check=0&'],
      ['smuggled-late', 'ssl_check=0&ssl_check=1&'],
    ] as const) {
      const res = await post(`${probe}${commandBody('budget', 'U0ADMIN', id)}`, form);
      expect([200, 401]).toContain(res.status);
    }
    // A signed command after them is answered: had any of them run, its reply came first.
    await signedPost(commandBody('help', 'U0MEMBER', 'after-probes'));
    await responseTo('after-probes');
    expect(slack.responses().map((r) => r.args.__id)).toEqual(['after-probes']);
  });

  it('answers GET /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, mode: 'http' });
  });
});

describe('/mo over HTTP', () => {
  it('replies ephemerally with blocks Slack accepts, and a text fallback', async () => {
    await signedPost(commandBody('help', 'U0MEMBER', 'help'));
    const reply = await responseTo('help');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(String(reply.args.text)).toContain('/mo budget');
    expect(validateBlocks(reply.args.blocks, 'message')).toEqual([]);
  });

  it('lets a Slack admin set the plan, refuses a member, and shows the budget', async () => {
    await signedPost(commandBody('budget set "Paid Media/Search" 9000 FY2026-Q4', 'U0MEMBER', 'refused'));
    expect(String((await responseTo('refused')).args.text)).toContain('only Mo admins');

    await signedPost(commandBody('budget set "Paid Media/Search" 9000 FY2026-Q4 --new', 'U0ADMIN', 'set'));
    expect(String((await responseTo('set')).args.text)).toContain('$9,000');
    expect(slack.callsTo('users.info').length).toBeGreaterThan(0);

    await signedPost(commandBody('budget FY2026-Q4', 'U0MEMBER', 'show'));
    const shown = await responseTo('show');
    expect(JSON.stringify(shown.args.blocks)).toContain('$9,000');
    expect(validateBlocks(shown.args.blocks, 'message')).toEqual([]);
  });

  it('shares the view to the channel from the button', async () => {
    await interact({
      type: 'block_actions',
      team: { id: TEAM, domain: 'acme' },
      user: { id: 'U0MEMBER', team_id: TEAM },
      api_app_id: 'A0MO',
      channel: { id: 'C0MKTG', name: 'marketing' },
      trigger_id: 'trigger-share',
      response_url: slack.responseUrl('share'),
      container: { type: 'message', message_ts: '1.2', channel_id: 'C0MKTG', is_ephemeral: true },
      actions: [
        {
          type: 'button',
          action_id: ACTION.budgetShare,
          block_id: 'budget_actions',
          value: JSON.stringify({ p: 'FY2026-Q4', c: null }),
          action_ts: '1.3',
        },
      ],
    });
    const shared = await responseTo('share');
    expect(shared.args.response_type).toBe('in_channel');
    expect(String(shared.args.text)).toContain('Budget · FY2026-Q4');
    expect(JSON.stringify(shared.args.blocks)).toContain('shared by <@U0MEMBER>');
    expect(validateBlocks(shared.args.blocks, 'message')).toEqual([]);
  });

  it('sends the chart of the view to the asker in a DM, with alt text', async () => {
    await interact({
      type: 'block_actions',
      team: { id: TEAM, domain: 'acme' },
      user: { id: 'U0MEMBER', team_id: TEAM },
      api_app_id: 'A0MO',
      channel: { id: 'C0MKTG', name: 'marketing' },
      trigger_id: 'trigger-chart',
      response_url: slack.responseUrl('chart'),
      container: { type: 'message', message_ts: '1.2', channel_id: 'C0MKTG', is_ephemeral: true },
      actions: [
        {
          type: 'button',
          action_id: ACTION.budgetChart,
          block_id: 'budget_actions',
          value: JSON.stringify({ p: 'FY2026-Q4', c: 'Paid Media' }),
          action_ts: '1.3',
        },
      ],
    });
    // Drawing the chart is CPU work in a worker thread: slow on a busy machine.
    const reply = await responseTo('chart', 30_000);
    expect(String(reply.args.text)).toContain('Budget burn-up · Paid Media · FY2026-Q4: sent to you in a DM');
    const upload = slack.uploads.find((u) => u.completed);
    expect(upload).toMatchObject({ channelId: 'D0MEMBER', filename: 'burn-up-FY2026-Q4.png' });
    expect(upload?.altText).toContain('forecast $');
    expect(upload?.altText).toContain('against a plan of $9,000');
    expect(upload?.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('acknowledges a budget alert from its button for the owner, and refuses a member', async () => {
    const period = requirePeriod('2026-11', '2026-11-16', 1);
    await t.mo.budgets.set(
      { teamId: TEAM, period, category: 'Field', plannedMinor: 100_000n, ownerUserId: 'U0ADMIN' },
      'U0ADMIN',
    );
    await t.mo.spend.add(
      {
        teamId: TEAM,
        date: '2026-11-10',
        amountMinor: 95_000n,
        status: 'actual',
        category: 'Field',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'http-alert',
      },
      'test',
    );
    await alertRepository(t.mo.db).updateSettings(TEAM, { channelId: 'C0MKTG' }, 'U0ADMIN');
    const client = jobClient('xoxb-test', slack.apiUrl, createLogger('error'), { retries: 0 });
    await evaluateAndDeliver(t.mo.forTeam(TEAM), client);
    const posted = slack
      .messagesIn('C0MKTG')
      .find((m) => JSON.stringify(m.blocks).includes(ACTION_ALERT.ack));
    const alert = (await alertRepository(t.mo.db).history(TEAM)).find((a) => a.category === 'Field');
    const click = (user: string, id: string) =>
      interact({
        type: 'block_actions',
        team: { id: TEAM, domain: 'acme' },
        user: { id: user, team_id: TEAM },
        channel: { id: 'C0MKTG', name: 'marketing' },
        trigger_id: `trigger-${id}`,
        response_url: slack.responseUrl(id),
        container: { type: 'message', message_ts: posted?.ts, channel_id: 'C0MKTG' },
        message: { ts: posted?.ts },
        actions: [
          {
            type: 'button',
            action_id: ACTION_ALERT.ack,
            block_id: `alert_${alert?.id}`,
            value: alert?.id,
            action_ts: '1',
          },
        ],
      });
    await click('U0MEMBER', 'ack-member');
    expect(String((await responseTo('ack-member')).args.text)).toContain(
      'only this budget line’s owner and Mo admins',
    );
    await click('U0ADMIN', 'ack-owner');
    const redrawn = await responseTo('ack-owner');
    expect(redrawn.args.replace_original).toBe(true);
    expect(JSON.stringify(redrawn.args.blocks)).toContain('Acknowledged by <@U0ADMIN>');
    expect(validateBlocks(redrawn.args.blocks, 'message')).toEqual([]);
    expect((await alertRepository(t.mo.db).get(TEAM, alert?.id as string))?.ackBy).toBe('U0ADMIN');
  });

  it('opens the settings modal for an admin and saves a valid submission, audited', async () => {
    await signedPost(commandBody('settings', 'U0ADMIN', 'settings'));
    const open = await waitFor(() => slack.callsTo('views.open')[0], 'views.open');
    expect(open.args.trigger_id).toBe('trigger-settings');
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW.settings);

    const submit = (values: object, privateMetadata = view.private_metadata) =>
      interact({
        type: 'view_submission',
        team: { id: TEAM, domain: 'acme' },
        user: { id: 'U0ADMIN', team_id: TEAM },
        api_app_id: 'A0MO',
        trigger_id: 'trigger-submit',
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: VIEW.settings,
          private_metadata: privateMetadata,
          state: { values },
        },
      });
    const values = (currency: string, lockDays = '15', autoApprove = '250.50', confirm?: string[]) => ({
      ...(confirm
        ? {
            [INPUT.confirmFiscalStart.block]: {
              [INPUT.confirmFiscalStart.action]: {
                type: 'checkboxes',
                selected_options: confirm.map((value) => ({ value })),
              },
            },
          }
        : {}),
      [INPUT.lockDays.block]: { [INPUT.lockDays.action]: { type: 'plain_text_input', value: lockDays } },
      [INPUT.moveAutoApprove.block]: {
        [INPUT.moveAutoApprove.action]: { type: 'plain_text_input', value: autoApprove },
      },
      [INPUT.currency.block]: { [INPUT.currency.action]: { type: 'plain_text_input', value: currency } },
      [INPUT.fiscalStart.block]: {
        [INPUT.fiscalStart.action]: { type: 'static_select', selected_option: { value: '2' } },
      },
      [INPUT.timezone.block]: {
        [INPUT.timezone.action]: { type: 'plain_text_input', value: 'America/Los_Angeles' },
      },
      [INPUT.admins.block]: {
        [INPUT.admins.action]: { type: 'multi_users_select', selected_users: ['U0MEMBER'] },
      },
    });

    const bad = await submit(values('DOLLARS'));
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({
      response_action: 'errors',
      errors: { [INPUT.currency.block]: 'must be an ISO 4217 currency code such as USD, EUR or GBP' },
    });

    const lock = (await (await submit(values('usd', '-1'))).json()) as { errors: Record<string, string> };
    expect(lock.errors[INPUT.lockDays.block]).toBe('must be a whole number of days, 0 to 366');
    const auto = (await (await submit(values('usd', '10', '1.234'))).json()) as {
      errors: Record<string, string>;
    };
    expect(auto.errors[INPUT.moveAutoApprove.block]).toContain('1.234');

    // Amounts are stored in USD: Mo never converts, so the currency stays.
    const refused = await submit(values('eur'));
    const body = (await refused.json()) as { errors: Record<string, string> };
    expect(body.errors[INPUT.currency.block]).toMatch(
      /^The currency cannot change from USD to EUR: \d+ amounts are stored in USD and Mo never converts them\./,
    );
    expect((await t.mo.workspaces.get(TEAM))?.currency).toBe('USD');

    // A new fiscal-year start (January -> February) is not saved at once: the form comes back
    // with this year's plans in the new quarters (the CLI's preview) and a tick to confirm.
    const previewed = (await (await submit(values('usd'))).json()) as {
      response_action: string;
      view: { private_metadata: string; blocks: { block_id?: string }[] };
    };
    expect(previewed.response_action).toBe('update');
    expect(validateView(previewed.view)).toEqual([]);
    const shown = JSON.stringify(previewed.view.blocks);
    expect(shown).toContain('The fiscal year would start in February instead of January');
    expect(shown).toContain('With the fiscal year starting in February, this year is FY2027');
    expect(shown).toContain('Paid Media/Search (FY2026-Q4 line): $');
    expect(shown).toContain('Yes, start the fiscal year in February');
    // What was typed stays in the form: the lock days, not the saved 10.
    expect(shown).toContain('"initial_value":"15"');
    expect(await t.mo.workspaces.get(TEAM)).toMatchObject({ fiscalStartMonth: 1, lockDays: 10 });

    // Saved again without the tick: asked to tick it (or to set the month back), nothing saved.
    const unticked = (await (
      await submit(values('usd', '15', '250.50', []), previewed.view.private_metadata)
    ).json()) as {
      errors: Record<string, string>;
    };
    expect(unticked.errors).toEqual({
      [INPUT.confirmFiscalStart.block]:
        'Tick this to start the fiscal year in February, or set the start back to January.',
    });
    // A tick for another month than the one now chosen confirms nothing: the form asks again.
    const otherMonth = (await (
      await submit(values('usd', '15', '250.50', ['3']), previewed.view.private_metadata)
    ).json()) as {
      errors?: unknown;
    };
    expect(otherMonth.errors).toBeDefined();
    expect((await t.mo.workspaces.get(TEAM))?.fiscalStartMonth).toBe(1);
    expect(slack.responses().filter((r) => r.args.__id === 'settings')).toEqual([]);

    const good = await submit(values('usd', '15', '250.50', ['2']), previewed.view.private_metadata);
    expect(good.status).toBe(200);
    // The write follows the ack: the confirmation says it is done.
    expect(String((await responseTo('settings')).args.text)).toContain('Settings saved');
    expect(await t.mo.workspaces.get(TEAM)).toMatchObject({
      currency: 'USD',
      fiscalStartMonth: 2,
      timezone: 'America/Los_Angeles',
      adminUserIds: ['U0MEMBER'],
      lockDays: 15,
      moveAutoApproveMinor: 25_050n,
    });
    const [audit] = await t.mo.audit.recent(TEAM, 1);
    expect(audit).toMatchObject({ action: 'settings.update', actor: 'U0ADMIN' });
    expect(JSON.parse(audit?.before ?? '{}')).toMatchObject({ fiscalStartMonth: 1 });
    expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({ fiscalStartMonth: 2 });
  });

  it('acks a submission whose handling fails with an error view carrying a reference, in time', async () => {
    // Slack fails the lookup of who is submitting (a 500): nothing is saved, and an apology.
    slack.failNext('users.info', { status: 500 });
    const started = Date.now();
    const res = await interact({
      type: 'view_submission',
      team: { id: TEAM, domain: 'acme' },
      user: { id: 'U0GHOST', team_id: TEAM },
      api_app_id: 'A0MO',
      trigger_id: 'trigger-ghost',
      view: {
        id: 'V2',
        type: 'modal',
        callback_id: VIEW.budgetEdit,
        private_metadata: '',
        state: { values: {} },
      },
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const ack = (await res.json()) as { response_action: string; view: { blocks: unknown[] } };
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view.blocks)).toMatch(
      /Nothing was saved\. Something went wrong on Mo’s side \(ref [0-9a-f]{8}\)/,
    );
    expect(validateBlocks(ack.view.blocks as never, 'modal')).toEqual([]);
  });
});
