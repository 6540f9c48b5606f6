// Many workspaces in one Mo, installed by OAuth over the real HTTP app: two workspaces and an
// Enterprise Grid org install through /slack/install -> /slack/oauth_redirect against the fake
// Slack's oauth.v2.access. Each is served with its own token and sees only its own data; a
// team with no installation, a user Slack places elsewhere and an admin of another team are
// refused; uninstalling stops a workspace at once; no token is stored in clear.
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsJob, alertsOnChange } from '../../jobs/alerts.js';
import { digestJob } from '../../jobs/digest.js';
import { servingSecrets } from '../../src/config.js';
import { sqlitePath } from '../../src/db/url.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/log.js';
import { evaluateAlerts } from '../../src/services/alerts.js';
import { encodeRef } from '../../src/slack/blocks/budget.js';
import { ACTION, ALERT, INPUT, VIEW } from '../../src/slack/ids.js';
import { startTestApp, TEST_OAUTH, type TestApp } from '../support/app.js';
import { provider, TEST_ENCRYPTION_KEY } from '../support/db.js';
import { type FakeSlack, type FakeWorkspace, validateView } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'tenancy-signing-secret';
const ACME: FakeWorkspace = { teamId: 'T0ACME', teamName: 'Acme' };
const BETA: FakeWorkspace = { teamId: 'T0BETA', teamName: 'Beta' };
const ORG: FakeWorkspace = {
  teamId: 'T0GRID1',
  enterpriseId: 'E0GRID',
  enterpriseName: 'Grid Co',
  isEnterpriseInstall: true,
};

let app: TestApp;
let slack: FakeSlack;
let base: string;
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
});

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: 'T0NOBODY',
      users: {
        UACME_ADMIN: { team_id: 'T0ACME', is_admin: true },
        UACME: { team_id: 'T0ACME' },
        UBETA_ADMIN: { team_id: 'T0BETA', is_admin: true },
        UBETA: { team_id: 'T0BETA' },
        // A Grid user in both Acme and Beta, admin of Acme (their own team) only.
        UBOTH: { team_id: 'T0ACME', is_admin: true, enterprise_id: 'E0SHARED', teams: ['T0ACME', 'T0BETA'] },
        UGRID_ADMIN: { team_id: 'T0GRID1', is_admin: true, enterprise_id: 'E0GRID', teams: ['T0GRID1'] },
        UGRID2: { team_id: 'T0GRID2', enterprise_id: 'E0GRID', teams: ['T0GRID2'] },
        // Slack Connect: someone from another organisation in a shared channel.
        UOUTSIDER: { team_id: 'T0OTHERORG' },
      },
      channels: {
        C0ACME: { name: 'marketing' },
        C0BETA: { name: 'marketing' },
        C0GRID: { name: 'marketing' },
      },
    },
    '2026-11-16T17:00:00Z',
    'oauth',
    // Every line Mo, Bolt, the OAuth installer and the Web API clients write, down to debug.
    // Scrubbed as `mo serve` scrubs them: the secrets it is configured with.
    createLogger('debug', {
      destination: logSink,
      pretty: false,
      secrets: servingSecrets(
        {
          signingSecret: SECRET,
          appToken: undefined,
          apiUrl: '',
          mode: { kind: 'oauth', ...TEST_OAUTH, encryptionKey: TEST_ENCRYPTION_KEY },
        },
        TEST_ENCRYPTION_KEY,
      ),
    }),
  );
  ({ slack, base } = app);
});
afterAll(() => app?.close());

async function install(workspace: FakeWorkspace, opts: { rotation?: boolean } = {}) {
  const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.get('location') ?? '');
  expect(authorizeUrl.searchParams.get('scope')).toContain('commands');
  const state = authorizeUrl.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const code = slack.approveInstall(workspace, opts);
  return fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
}

interface Who {
  team: string;
  user: string;
  enterprise?: string;
  orgInstall?: boolean;
}

let seq = 0;
async function command(who: Who, text: string) {
  const id = `r${++seq}`;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: who.team,
    team_domain: who.team.toLowerCase(),
    ...(who.enterprise ? { enterprise_id: who.enterprise, enterprise_name: 'Grid Co' } : {}),
    channel_id: 'C0ACME',
    channel_name: 'marketing',
    user_id: who.user,
    user_name: who.user.toLowerCase(),
    command: '/mo',
    text,
    api_app_id: 'A0MO',
    is_enterprise_install: who.orgInstall ? 'true' : 'false',
    response_url: slack.responseUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    body,
    headers: signSlackRequest(SECRET, body),
  });
  return { id, res, text: await res.text() };
}

async function reply(id: string, ms = 5000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const r = slack.responses().find((c) => c.args.__id === id);
    if (r) return `${String(r.args.text)}\n${JSON.stringify(r.args.blocks ?? [])}`;
    if (Date.now() > until) throw new Error(`no reply to ${id}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function event(
  teamId: string,
  type: string,
  extra: Record<string, unknown> = {},
  enterpriseId?: string,
) {
  const body = JSON.stringify({
    token: 'legacy',
    team_id: teamId,
    ...(enterpriseId ? { enterprise_id: enterpriseId } : {}),
    api_app_id: 'A0MO',
    type: 'event_callback',
    event_id: `Ev${++seq}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type, ...extra, event_ts: `${Date.now() / 1000}` },
  });
  const headers = { ...signSlackRequest(SECRET, body), 'content-type': 'application/json' };
  return fetch(`${base}/slack/events`, { method: 'POST', body, headers });
}

const jobs = () => {
  const deps = { mo: app.t.mo, slack: app.moApp.tenancy, logger: createLogger('error') };
  return { digest: digestJob(deps), alerts: alertsJob(deps) };
};
// The Monday after the workspaces were made, past 09:00 in New York (the users' timezone).
const MONDAY = new Date('2026-11-23T15:00:00Z');
const teamsDue = async (job: { due(now: Date): Promise<Array<{ teamId?: string }>> }) =>
  (await job.due(MONDAY)).map((r) => r.teamId).sort();

const rows = () => app.t.mo.db.installation.findMany({ orderBy: { installKey: 'asc' } });

describe('install by OAuth', () => {
  it('refuses a redirect whose state is not from this browser, and stores nothing', async () => {
    const code = slack.approveInstall(ACME);
    const forged = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=forged`, {
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(slack.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(await rows()).toHaveLength(0);
  });

  it('installs two workspaces and an org, each with its own sealed token', async () => {
    for (const w of [ACME, BETA, ORG]) expect((await install(w)).status).toBe(200);
    const stored = await rows();
    expect(stored.map((r) => [r.installKey, r.status, r.isEnterpriseInstall])).toEqual([
      ['E:E0GRID', 'active', true],
      ['T:T0ACME', 'active', false],
      ['T:T0BETA', 'active', false],
    ]);
    for (const r of stored) {
      expect(r.botTokenSealed).toMatch(/^v1\./);
      expect(r.keyId).toBe('k1');
      expect(r.botTokenSealed).not.toContain('xoxb');
    }
    // Opened with the key, each row gives back the token Slack issued for it.
    expect(app.t.mo.installations.openTokens(stored[1] as (typeof stored)[number]).botToken).toBe(
      slack.tokensOf('T0ACME')[0],
    );
  });

  it('serves each workspace with its own token', async () => {
    slack.reset();
    await reply((await command({ team: 'T0ACME', user: 'UACME' }, 'help')).id);
    await reply((await command({ team: 'T0BETA', user: 'UBETA' }, 'help')).id);
    const byTeam = slack.callsTo('users.info').map((c) => [c.args.user, c.teamId]);
    expect(byTeam).toEqual([
      ['UACME', 'T0ACME'],
      ['UBETA', 'T0BETA'],
    ]);
  });
});

describe('isolation between workspaces', () => {
  it('keeps each workspace to its own budget', async () => {
    const set = await command(
      { team: 'T0ACME', user: 'UACME_ADMIN' },
      'budget set Events 5000 FY2026-Q4 --new',
    );
    expect(await reply(set.id)).toContain('$5,000');
    const acme = await command({ team: 'T0ACME', user: 'UACME' }, 'budget FY2026-Q4');
    expect(await reply(acme.id)).toContain('Events');
    const beta = await command({ team: 'T0BETA', user: 'UBETA' }, 'budget FY2026-Q4');
    expect(await reply(beta.id)).not.toContain('Events');
  });

  it('gives an org install one Mo workspace per Grid workspace', async () => {
    const grid1 = { team: 'T0GRID1', user: 'UGRID_ADMIN', enterprise: 'E0GRID', orgInstall: true };
    const set = await command(grid1, 'budget set Field 700 FY2026-Q4 --new');
    expect(await reply(set.id)).toContain('$700');
    const grid2 = { team: 'T0GRID2', user: 'UGRID2', enterprise: 'E0GRID', orgInstall: true };
    expect(await reply((await command(grid2, 'budget FY2026-Q4')).id)).not.toContain('Field');
    expect(await reply((await command(grid1, 'budget FY2026-Q4')).id)).toContain('Field');
    const org = await app.t.mo.db.orgWorkspace.findMany({ orderBy: { teamId: 'asc' } });
    expect(org.map((o) => [o.teamId, o.enterpriseId])).toEqual([
      ['T0GRID1', 'E0GRID'],
      ['T0GRID2', 'E0GRID'],
    ]);
    // Jobs for a Grid workspace find the org's token.
    expect((await app.moApp.tenancy.clientFor('T0GRID2')).token).toBe(slack.tokensOf('E0GRID')[0]);
  });

  it('refuses a team with no installation politely, and does nothing', async () => {
    slack.reset();
    const r = await command({ team: 'T0STRANGER', user: 'UACME' }, 'budget');
    expect(r.res.status).toBe(200);
    expect(r.text).toContain('not installed in this workspace');
    await new Promise((done) => setTimeout(done, 100));
    expect(slack.calls).toEqual([]);
  });

  it('refuses a user Slack places in another team, except for help', async () => {
    const r = await command({ team: 'T0ACME', user: 'UOUTSIDER' }, 'budget');
    expect(r.res.status).toBe(200);
    expect(r.text).toContain('only `/mo help` is open to you');
    const spoofed = await command(
      { team: 'T0BETA', user: 'UACME_ADMIN' },
      'budget set Events 1 FY2026-Q4 --new',
    );
    expect(spoofed.text).toContain('Nothing was done');
    const help = await command({ team: 'T0ACME', user: 'UOUTSIDER' }, 'help');
    expect(await reply(help.id)).toContain('/mo budget');
    expect(await app.t.mo.db.budgetLine.count({ where: { teamId: 'T0BETA' } })).toBe(0);
  });

  it('takes admin rights from the workspace itself only', async () => {
    // UBOTH is in Beta too, but an admin of Acme only.
    const inBeta = await command({ team: 'T0BETA', user: 'UBOTH' }, 'budget set Events 1 FY2026-Q4 --new');
    expect(await reply(inBeta.id)).toContain('only Mo admins');
    const inAcme = await command({ team: 'T0ACME', user: 'UBOTH' }, 'budget set Print 10 FY2026-Q4 --new');
    expect(await reply(inAcme.id)).toContain('$10');
    expect(await app.t.mo.db.budgetLine.count({ where: { teamId: 'T0BETA' } })).toBe(0);
  });
});

async function action(who: Who, actionId: string, value: string, responseId: string) {
  const payload = {
    type: 'block_actions',
    team: { id: who.team, domain: who.team.toLowerCase() },
    user: { id: who.user, team_id: who.team },
    api_app_id: 'A0MO',
    channel: { id: 'C0ACME', name: 'marketing' },
    container: { type: 'message', message_ts: '1.000100', channel_id: 'C0ACME' },
    response_url: slack.responseUrl(responseId),
    trigger_id: `trigger-${responseId}`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    body,
    headers: signSlackRequest(SECRET, body),
  });
  expect(res.status).toBe(200);
}

const openHome = (who: Who) =>
  event(
    who.team,
    'app_home_opened',
    { user: who.user, channel: `D${who.user}`, tab: 'home' },
    who.enterprise,
  );

/** The views.publish calls for `user` made with a token of `team` (a workspace or an org). */
const homePublishes = (user: string, team?: string) =>
  slack.callsTo('views.publish').filter((c) => c.args.user_id === user && (!team || c.teamId === team));

const ACME_ADMIN: Who = { team: 'T0ACME', user: 'UACME_ADMIN' };
const BETA_ADMIN: Who = { team: 'T0BETA', user: 'UBETA_ADMIN' };
// What only Acme has: a campaign, a mapping pattern, an API token label, a target, a plan, a spend.
const ACME_ONLY = /AcmeLaunch|acmepattern|acme-sync|4,242|5,000|6,000/;

describe("every surface shows a workspace's own data only", () => {
  it('answers every read command in each workspace from its own rows', async () => {
    for (const text of [
      'spend add 6000 Events AcmeLaunch 2026-11-10',
      'map add acmepattern Events',
      'target set leads 4242 FY2026-Q4',
      'token acme-sync',
    ]) {
      expect(await reply((await command(ACME_ADMIN, text)).id), text).not.toMatch(/:no_entry:|:warning:/);
    }
    await evaluateAlerts(app.t.mo.forTeam('T0ACME'));
    const reads: Array<[string, string | undefined]> = [
      ['budget FY2026-Q4', '5,000'],
      ['spend list FY2026-Q4', 'AcmeLaunch'],
      ['spend commitments', undefined],
      ['alerts', undefined],
      ['alerts history', 'Events'],
      ['map list', 'acmepattern'],
      ['target list', '4,242'],
      ['token list', 'acme-sync'],
      ['survey list', undefined],
    ];
    for (const [text, acmeSees] of reads) {
      const acme = await reply((await command(ACME_ADMIN, text)).id);
      if (acmeSees) expect(acme, text).toContain(acmeSees);
      const beta = await reply((await command(BETA_ADMIN, text)).id);
      expect(beta, text).not.toMatch(ACME_ONLY);
      const grid = await reply(
        (await command({ team: 'T0GRID2', user: 'UGRID2', enterprise: 'E0GRID', orgInstall: true }, text)).id,
      );
      expect(grid, text).not.toMatch(ACME_ONLY);
    }
  });

  it("answers a button from another workspace with that workspace's rows, never the named one", async () => {
    const acmeAlert = (await app.t.mo.alerts.open('T0ACME', app.t.mo.clock(), { take: 5 })).alerts[0];
    expect(acmeAlert?.id).toBeTruthy();
    // Beta's admin clicks Acknowledge with Acme's alert id: nothing of Acme's is found or changed.
    await action(BETA_ADMIN, ALERT.ack, acmeAlert?.id ?? '', 'btn-ack');
    expect(await reply('btn-ack')).toContain('no longer exists');
    expect((await app.t.mo.db.alert.findFirst({ where: { id: acmeAlert?.id } }))?.ackBy).toBeNull();
    // "Share to channel" from Beta shares Beta's budget, whatever the button names.
    await action(
      BETA_ADMIN,
      ACTION.budgetShare,
      encodeRef({ period: 'FY2026-Q4', category: null }),
      'btn-share',
    );
    expect(await reply('btn-share')).not.toMatch(ACME_ONLY);
    await action(
      ACME_ADMIN,
      ACTION.budgetShare,
      encodeRef({ period: 'FY2026-Q4', category: null }),
      'btn-share-a',
    );
    expect(await reply('btn-share-a')).toContain('5,000');
    // Someone Slack places in Acme clicking in Beta is refused before any handler.
    slack.reset();
    await action({ team: 'T0BETA', user: 'UACME_ADMIN' }, ALERT.ack, acmeAlert?.id ?? '', 'btn-cross');
    expect(await reply('btn-cross')).toContain('Nothing was done');
    expect((await app.t.mo.db.alert.findFirst({ where: { id: acmeAlert?.id } }))?.ackBy).toBeNull();
  });

  it("saves a modal's answers in the submitter's own workspace only", async () => {
    const settingsOf = async (team: string) => (await app.t.mo.workspaces.get(team))?.timezone;
    const acmeBefore = await settingsOf('T0ACME');
    const submitSettings = async (who: Who, timezone: string, responseId: string) => {
      const payload = {
        type: 'view_submission',
        team: { id: who.team, domain: who.team.toLowerCase() },
        user: { id: who.user, team_id: who.team },
        api_app_id: 'A0MO',
        view: {
          id: 'VSET',
          type: 'modal',
          callback_id: VIEW.settings,
          private_metadata: JSON.stringify({ responseUrl: slack.responseUrl(responseId) }),
          state: {
            values: {
              [INPUT.currency.block]: { [INPUT.currency.action]: { type: 'plain_text_input', value: 'USD' } },
              [INPUT.fiscalStart.block]: {
                [INPUT.fiscalStart.action]: { type: 'static_select', selected_option: { value: '1' } },
              },
              [INPUT.timezone.block]: {
                [INPUT.timezone.action]: { type: 'plain_text_input', value: timezone },
              },
            },
          },
        },
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const res = await fetch(`${base}/slack/events`, {
        method: 'POST',
        body,
        headers: signSlackRequest(SECRET, body),
      });
      return res.text();
    };
    await submitSettings(BETA_ADMIN, 'Europe/Berlin', 'modal-beta');
    expect(await reply('modal-beta')).toContain('Settings saved');
    expect(await settingsOf('T0BETA')).toBe('Europe/Berlin');
    expect(await settingsOf('T0ACME')).toBe(acmeBefore);
    // Acme's admin submitting as Beta is stopped by the gate: the modal says so, nothing saved.
    expect(
      await submitSettings({ team: 'T0BETA', user: 'UACME_ADMIN' }, 'Asia/Tokyo', 'modal-cross'),
    ).toContain('Nothing was done');
    expect(await settingsOf('T0BETA')).toBe('Europe/Berlin');
  });

  it("publishes each person's Home tab from their own workspace with its own token", async () => {
    slack.reset();
    await openHome(ACME_ADMIN);
    await openHome(BETA_ADMIN);
    await openHome({ team: 'T0GRID2', user: 'UGRID2', enterprise: 'E0GRID' });
    await expect.poll(() => homePublishes('UACME_ADMIN').length).toBe(1);
    await expect.poll(() => homePublishes('UBETA_ADMIN').length).toBe(1);
    await expect.poll(() => homePublishes('UGRID2').length).toBe(1);
    const [acme] = homePublishes('UACME_ADMIN', 'T0ACME');
    const [beta] = homePublishes('UBETA_ADMIN', 'T0BETA');
    const [grid] = homePublishes('UGRID2', 'E0GRID');
    expect(acme?.token).toBe(slack.tokensOf('T0ACME')[0]);
    expect(beta?.token).toBe(slack.tokensOf('T0BETA')[0]);
    expect(grid?.token).toBe(slack.tokensOf('E0GRID')[0]);
    for (const call of [acme, beta, grid]) expect(validateView(call?.args.view)).toEqual([]);
    expect(JSON.stringify(acme?.args.view)).toContain('5,000');
    expect(JSON.stringify(beta?.args.view)).not.toMatch(ACME_ONLY);
    expect(JSON.stringify(grid?.args.view)).not.toMatch(ACME_ONLY);
    expect(JSON.stringify(grid?.args.view)).not.toContain('Field'); // Grid 1's plan, not Grid 2's
  });

  it('publishes no Home tab for a user of another team or a team without Mo', async () => {
    slack.reset();
    await openHome({ team: 'T0BETA', user: 'UACME' });
    await openHome({ team: 'T0ACME', user: 'UOUTSIDER' });
    await openHome({ team: 'T0STRANGER', user: 'UACME' });
    await new Promise((done) => setTimeout(done, 300));
    expect(slack.callsTo('views.publish')).toEqual([]);
  });

  it("refreshes a workspace's open Home tabs after its changes only, with its own token", async () => {
    await openHome(ACME_ADMIN);
    await openHome(BETA_ADMIN);
    await expect.poll(() => homePublishes('UBETA_ADMIN').length).toBeGreaterThan(0);
    await expect.poll(() => homePublishes('UACME_ADMIN').length).toBeGreaterThan(0);
    await new Promise((done) => setTimeout(done, 2000)); // the refresh after the opening settles
    slack.reset();
    expect(await reply((await command(ACME_ADMIN, 'budget set Events 5100 FY2026-Q4')).id)).toContain(
      '5,100',
    );
    await expect
      .poll(() => homePublishes('UACME_ADMIN').some((c) => JSON.stringify(c.args.view).includes('5,100')), {
        timeout: 10_000,
      })
      .toBe(true);
    await new Promise((done) => setTimeout(done, 2000));
    expect(homePublishes('UACME_ADMIN').every((c) => c.teamId === 'T0ACME')).toBe(true);
    expect(homePublishes('UBETA_ADMIN')).toEqual([]);
  });
});

describe('jobs per workspace', () => {
  it('runs the digest and alerts of every installed workspace, each with its own token', async () => {
    const period = requirePeriod('FY2026-Q4', '2026-11-16', 1);
    await app.t.mo.budgets.set(
      { teamId: 'T0BETA', period, category: 'Events', plannedMinor: 100_00n, ownerUserId: null },
      'test',
    );
    await app.t.mo.db.workspace.update({ where: { teamId: 'T0ACME' }, data: { digestChannelId: 'C0ACME' } });
    await app.t.mo.db.workspace.update({ where: { teamId: 'T0BETA' }, data: { digestChannelId: 'C0BETA' } });
    const { digest, alerts } = jobs();
    expect(await teamsDue(digest)).toEqual(['T0ACME', 'T0BETA', 'T0GRID1', 'T0GRID2']);
    expect(await teamsDue(alerts)).toEqual(['T0ACME', 'T0BETA', 'T0GRID1']);
    slack.reset();
    for (const run of await digest.due(MONDAY)) await run.run();
    const posts = slack.callsTo('chat.postMessage').map((c) => [c.args.channel, c.teamId]);
    expect(posts).toEqual(
      expect.arrayContaining([
        ['C0ACME', 'T0ACME'],
        ['C0BETA', 'T0BETA'],
      ]),
    );
    expect(
      slack
        .messagesIn('C0ACME')
        .map((m) => JSON.stringify(m.blocks))
        .join(),
    ).not.toContain('$100');
  });
});

describe('uninstall', () => {
  it('deactivates on tokens_revoked then app_uninstalled, idempotently, and refuses from then on', async () => {
    expect((await event('T0BETA', 'tokens_revoked', { tokens: { bot: ['UBOT'] } })).status).toBe(200);
    await expect
      .poll(async () => (await rows()).find((r) => r.installKey === 'T:T0BETA')?.status)
      .toBe('revoked');
    expect((await event('T0BETA', 'app_uninstalled')).status).toBe(200);
    expect((await event('T0BETA', 'app_uninstalled')).status).toBe(200);
    const beta = (await rows()).find((r) => r.installKey === 'T:T0BETA');
    expect(beta).toMatchObject({ status: 'revoked', botTokenSealed: null, refreshTokenSealed: null });
    const r = await command({ team: 'T0BETA', user: 'UBETA' }, 'budget');
    expect(r.text).toContain('not installed');
    await expect(app.moApp.tenancy.clientFor('T0BETA')).rejects.toThrow(/no active installation/);
    const { digest, alerts } = jobs();
    expect(await teamsDue(digest)).toEqual(['T0ACME', 'T0GRID1', 'T0GRID2']);
    expect(await teamsDue(alerts)).toEqual(['T0ACME', 'T0GRID1']);
    expect([...(await app.t.mo.installations.activeWorkspaceIds())].sort()).toEqual([
      'T0ACME',
      'T0GRID1',
      'T0GRID2',
    ]);
  });

  it("stops an uninstalled workspace's alerts and Home refreshes at once", async () => {
    // Beta is over plan (its Events plan is $100) while it is uninstalled.
    await app.t.mo.spend.add(
      {
        teamId: 'T0BETA',
        date: '2026-11-10',
        amountMinor: 500_00n,
        status: 'actual',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'beta-over',
      },
      'UBETA_ADMIN',
    );
    const infoLines: string[] = [];
    const logger = { ...createLogger('error'), info: (...a: unknown[]) => void infoLines.push(a.join(' ')) };
    const onChange = alertsOnChange({ mo: app.t.mo, slack: app.moApp.tenancy, logger }, 10);
    slack.reset();
    try {
      app.t.mo.figuresChanged('T0BETA');
      await expect.poll(() => infoLines.join('\n')).toContain('alerts for T0BETA: skipped: not installed');
    } finally {
      await onChange.stop();
    }
    await new Promise((done) => setTimeout(done, 2500)); // past the Home refresh's debounce
    expect(await app.t.mo.db.alert.count({ where: { teamId: 'T0BETA' } })).toBe(0);
    expect(slack.calls.filter((c) => c.teamId === 'T0BETA')).toEqual([]);
  });

  it("refuses the import API for an uninstalled workspace's token, and imports nothing", async () => {
    const token = await app.t.mo.tokens.create('T0BETA', 'sync', 'UBETA_ADMIN');
    const rows = [
      { date: '2026-11-02', amount: '10.00', category: 'Events', campaign: 'x', external_id: 'b1' },
    ];
    const before = await app.t.mo.db.spend.count({ where: { teamId: 'T0BETA' } });
    const res = await fetch(`${base}/api/v1/import/spend`, {
      method: 'POST',
      body: JSON.stringify(rows),
      headers: { authorization: `Bearer ${token.secret}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('not installed');
    expect(await app.t.mo.db.spend.count({ where: { teamId: 'T0BETA' } })).toBe(before);
  });

  it('reinstalling brings a workspace back', async () => {
    expect((await install(BETA)).status).toBe(200);
    expect((await rows()).find((r) => r.installKey === 'T:T0BETA')?.status).toBe('active');
    expect(await reply((await command({ team: 'T0BETA', user: 'UBETA' }, 'help')).id)).toContain('/mo');
  });
});

describe('token rotation', () => {
  it('refreshes a token within 2 h of expiry once, with the single-use refresh token', async () => {
    const ROT: FakeWorkspace = { teamId: 'T0ROT', teamName: 'Rot' };
    slack.setUser('UROT', { team_id: 'T0ROT' });
    expect((await install(ROT, { rotation: true })).status).toBe(200);
    const row = (await rows()).find((r) => r.installKey === 'T:T0ROT');
    expect(row?.refreshTokenSealed).toMatch(/^v1\./);
    expect(row?.botTokenExpiresAt).not.toBeNull();
    // An hour left: the next requests refresh it, one refresh for two requests at once.
    await app.t.mo.db.installation.update({
      where: { installKey: 'T:T0ROT' },
      data: { botTokenExpiresAt: new Date(Date.now() + 3_600_000) },
    });
    slack.reset();
    const [a, b] = await Promise.all([
      command({ team: 'T0ROT', user: 'UROT' }, 'help'),
      command({ team: 'T0ROT', user: 'UROT' }, 'help'),
    ]);
    await reply(a.id);
    await reply(b.id);
    const refreshes = slack.callsTo('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    const tokens = slack.tokensOf('T0ROT');
    expect(tokens).toHaveLength(2);
    const after = (await rows()).find((r) => r.installKey === 'T:T0ROT');
    expect(after && app.t.mo.installations.openTokens(after).botToken).toBe(tokens[1]);
    expect(after?.botTokenExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    expect(slack.callsTo('users.info').every((c) => c.token === tokens[1])).toBe(true);
  });
});

describe("deleting a workspace's data from Slack", () => {
  async function submit(team: string, user: string, typed: string, responseId: string) {
    const payload = {
      type: 'view_submission',
      team: { id: team, domain: team.toLowerCase() },
      user: { id: user, team_id: team },
      api_app_id: 'A0MO',
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'mo_workspace_delete_modal',
        private_metadata: JSON.stringify({ responseUrl: slack.responseUrl(responseId) }),
        state: {
          values: { confirm_delete: { confirm_delete_input: { type: 'plain_text_input', value: typed } } },
        },
      },
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await fetch(`${base}/slack/events`, {
      method: 'POST',
      body,
      headers: signSlackRequest(SECRET, body),
    });
    return res.text();
  }

  it('asks an admin to confirm in a modal, then removes every row of that workspace only', async () => {
    expect(await reply((await command({ team: 'T0ACME', user: 'UACME' }, 'workspace delete')).id)).toContain(
      'only Mo admins',
    );
    slack.reset();
    await command({ team: 'T0ACME', user: 'UACME_ADMIN' }, 'workspace delete');
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const view = slack.callsTo('views.open')[0]?.args.view as { callback_id: string };
    expect(view.callback_id).toBe('mo_workspace_delete_modal');

    expect(await submit('T0ACME', 'UACME_ADMIN', 'delete', 'del-typo')).toContain('Type DELETE');
    expect(await app.t.mo.db.budgetLine.count({ where: { teamId: 'T0ACME' } })).toBeGreaterThan(0);
    expect(await submit('T0ACME', 'UACME', 'DELETE', 'del-member')).toContain('Only Mo admins');

    const betaLines = await app.t.mo.db.budgetLine.count({ where: { teamId: 'T0BETA' } });
    await submit('T0ACME', 'UACME_ADMIN', 'DELETE', 'del-ok');
    expect(await reply('del-ok')).toMatch(/Deleted workspace T0ACME: \d+ rows/);
    expect(await app.t.mo.db.budgetLine.count({ where: { teamId: 'T0ACME' } })).toBe(0);
    expect(await app.t.mo.db.workspace.count({ where: { teamId: 'T0ACME' } })).toBe(0);
    expect(await app.t.mo.db.budgetLine.count({ where: { teamId: 'T0BETA' } })).toBe(betaLines);
    // Mo stays installed and starts afresh.
    expect((await rows()).find((r) => r.installKey === 'T:T0ACME')?.status).toBe('active');
    expect(
      await reply((await command({ team: 'T0ACME', user: 'UACME' }, 'budget FY2026-Q4')).id),
    ).not.toContain('Events');
  });
});

describe('tokens at rest', () => {
  it('writes no token to the logs, at debug level either', async () => {
    const issued = ['T0ACME', 'T0BETA', 'E0GRID', 'T0ROT'].flatMap((t) => slack.tokensOf(t));
    const text = logLines.join('');
    // The logs are there (installs, refusals, Web API calls): an empty log would prove nothing.
    expect(text).toContain('installed in workspace');
    expect(text).toContain('oauth.v2.access');
    for (const token of issued) expect(text).not.toContain(token);
    expect(text).not.toMatch(/xox[bpe]-\d|xox[bpe]-[A-Z0-9]{3}/);
    expect(text).not.toContain(TEST_OAUTH.clientSecret);
    expect(text).not.toContain(TEST_ENCRYPTION_KEY.slice(3));
  });

  it('leaves no token in clear in the database', async () => {
    const issued = ['T0ACME', 'T0BETA', 'E0GRID', 'T0ROT'].flatMap((t) => slack.tokensOf(t));
    expect(issued.length).toBeGreaterThanOrEqual(5);
    if (provider() === 'sqlite') {
      const file = sqlitePath(app.t.database.url);
      const bytes = [file, `${file}-wal`]
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString('latin1'))
        .join('');
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes).not.toContain('xoxb-');
      expect(bytes).not.toContain('xoxe-');
    } else {
      const dump = JSON.stringify(await app.t.mo.db.installation.findMany());
      expect(dump).not.toContain('xoxb-');
      expect(dump).not.toContain('xoxe-');
    }
  });
});
