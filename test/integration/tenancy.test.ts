// Many workspaces in one Mo, installed by OAuth over the real HTTP app: two workspaces and an
// Enterprise Grid org install through /slack/install -> /slack/oauth_redirect against the fake
// Slack's oauth.v2.access. Each is served with its own token and sees only its own data; a
// team with no installation, a user Slack places elsewhere and an admin of another team are
// refused; uninstalling stops a workspace at once; no token is stored in clear.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsJob } from '../../jobs/alerts.js';
import { digestJob } from '../../jobs/digest.js';
import { sqlitePath } from '../../src/db/url.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/log.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provider } from '../support/db.js';
import type { FakeSlack, FakeWorkspace } from '../support/fake-slack.js';
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
