// /mo perf over the real HTTP app: signed commands and button clicks in, the fake Slack and
// response_url out, a real database loaded from the fixtures.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ImportContext,
  importLeads,
  importOpportunities,
  importSpend,
} from '../../src/ingest/import.js';
import { ACTION } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type FakeSlack, validateBlocks } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'perf-signing-secret';
const TEAM = 'T0PERFHTTP';
let app: TestApp;
let slack: FakeSlack;
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { U0ADMIN: { is_admin: true, tz: 'UTC' }, U0MEMBER: { tz: 'UTC' } },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    '2026-11-22T15:00:00Z',
  );
  slack = app.slack;
  await app.t.mo.workspaces.ensure(TEAM, { timezone: 'UTC' });
  const ctx = (file: string): ImportContext => ({
    db: app.t.mo.db,
    databaseUrl: app.t.mo.databaseUrl,
    now: app.t.mo.clock(),
    teamId: TEAM,
    currency: 'USD',
    fiscalStartMonth: 1,
    source: 'csv',
    actor: 'test',
    open: () => createReadStream(fixture(file)),
  });
  await importSpend(ctx('perf-spend.csv'));
  await importLeads(ctx('perf-leads.csv'));
  await importOpportunities(ctx('perf-opportunities.csv'));
});
afterAll(() => app?.close());
beforeEach(() => slack.reset());

const signedPost = (body: string) =>
  fetch(`${app.base}/slack/events`, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });

function command(text: string, user: string, id: string) {
  return signedPost(
    new URLSearchParams({
      team_id: TEAM,
      channel_id: 'C0MKTG',
      user_id: user,
      command: '/mo',
      text,
      api_app_id: 'A0MO',
      response_url: slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
    }).toString(),
  );
}

function click(actionId: string, value: string, id: string, select = false) {
  const action = select
    ? {
        type: 'static_select',
        action_id: actionId,
        block_id: 'perf_actions',
        selected_option: { value, text: { type: 'plain_text', text: 'x' } },
        action_ts: '1.3',
      }
    : { type: 'button', action_id: actionId, block_id: 'perf_actions', value, action_ts: '1.3' };
  return signedPost(
    new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        team: { id: TEAM, domain: 'acme' },
        user: { id: 'U0MEMBER', team_id: TEAM },
        api_app_id: 'A0MO',
        channel: { id: 'C0MKTG', name: 'marketing' },
        trigger_id: `trigger-${id}`,
        response_url: slack.responseUrl(id),
        container: { type: 'message', message_ts: '1.2', channel_id: 'C0MKTG', is_ephemeral: true },
        actions: [action],
      }),
    }).toString(),
  );
}

async function responseTo(id: string) {
  const until = Date.now() + 8000;
  for (;;) {
    const r = slack.responses().find((x) => x.args.__id === id);
    if (r) return r;
    if (Date.now() > until) throw new Error(`timed out waiting for response ${id}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

const blocksText = (r: { args: Record<string, unknown> }) => JSON.stringify(r.args.blocks);

describe('/mo perf over HTTP', () => {
  it('answers with the table sorted by pipeline-to-spend, the total, status vs targets and the buttons', async () => {
    await command('perf 2026-10', 'U0MEMBER', 'perf');
    const reply = await responseTo('perf');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(validateBlocks(reply.args.blocks, 'message')).toEqual([]);
    expect(String(reply.args.text)).toBe(
      'Which channel pays · 2026-10: spend $3,700, pipeline $24,033 (6.50:1), won $15,000, 7 leads; 2 below target',
    );
    const text = blocksText(reply);
    // Search (9.52) before Events (4.10) before Webinars (0.00); blanks after.
    const order = ['Paid Media/Search', 'Events', 'Webinars', 'Sales/Outbound', 'Unattributed'].map((c) =>
      text.indexOf(c),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toMatch(
      /Paid Media\/Search +\$467 +\$700 +\$1,400 +\$700 +9\.52 +7\.14 +66\.7 % +50\.0 % +200\.0 % +✓/,
    );
    expect(text).toContain('Below target: Events, Webinars');
    expect(text).toContain('Marketing-sourced: *100 % of pipeline*');
    for (const id of [ACTION.perfShare, ACTION.perfChart, ACTION.perfDrill]) expect(text).toContain(id);
  });

  it('refuses a member setting targets; an admin sets a channel target and the status follows', async () => {
    await command('target set cpl 500 --category Events', 'U0MEMBER', 'nope');
    expect(String((await responseTo('nope')).args.text)).toContain('only Mo admins can set targets');
    await command('target set pipeline_to_spend 4:1 --category Events', 'U0ADMIN', 'p2s');
    expect(String((await responseTo('p2s')).args.text)).toContain(
      'Target for *pipeline_to_spend* for *Events* in every period is now *4.00:1*',
    );
    await command('perf 2026-10', 'U0MEMBER', 'again');
    expect(String((await responseTo('again')).args.text)).toContain('1 below target');
    await command('target set pipeline_to_spend lots', 'U0ADMIN', 'bad');
    expect(String((await responseTo('bad')).args.text)).toContain('"lots" is not a ratio');
  });

  it('marks categories not marketing (admins) and shows the marketing-sourced share', async () => {
    await command('perf not-marketing "Sales/Outbound"', 'U0ADMIN', 'nm');
    expect(String((await responseTo('nm')).args.text)).toContain(
      'Not marketing-sourced from now on: *Sales/Outbound*',
    );
    await command('perf 2026-10', 'U0MEMBER', 'share');
    expect(blocksText(await responseTo('share'))).toContain(
      'Marketing-sourced: *90 % of pipeline*, 100 % of won',
    );
  });

  it('drills into a category by campaign, and back', async () => {
    await click(
      ACTION.perfDrill,
      JSON.stringify({ p: '2026-10', c: 'Paid Media/Search', b: 'c' }),
      'drill',
      true,
    );
    const drilled = await responseTo('drill');
    expect(drilled.args.replace_original).toBe(true);
    expect(String(drilled.args.text)).toContain('Which channel pays · Paid Media/Search · 2026-10');
    const text = blocksText(drilled);
    expect(text.indexOf('Brand')).toBeLessThan(text.indexOf('Generic'));
    expect(text).toContain(ACTION.perfBack);
    expect(validateBlocks(drilled.args.blocks, 'message')).toEqual([]);
  });

  it('shares the view to the channel and sends the chart to a DM', async () => {
    const ref = JSON.stringify({ p: '2026-10', c: null, b: 'k' });
    await click(ACTION.perfShare, ref, 'pub');
    const shared = await responseTo('pub');
    expect(shared.args.response_type).toBe('in_channel');
    expect(blocksText(shared)).toContain('shared by <@U0MEMBER>');
    expect(blocksText(shared)).not.toContain(ACTION.perfShare);
    await click(ACTION.perfChart, ref, 'chart');
    expect(String((await responseTo('chart')).args.text)).toContain('sent to you in a DM');
    const upload = slack.uploads.find((u) => u.completed);
    expect(upload).toMatchObject({ filename: 'perf-2026-10.png' });
    expect(upload?.altText).toContain('with a 5:1 line');
    expect(upload?.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows the funnel cohorts against the period before, and a usage line for bad input', async () => {
    await command('perf funnel 2026-10', 'U0MEMBER', 'funnel');
    const f = await responseTo('funnel');
    expect(String(f.args.text)).toBe(
      'Lead funnel · 2026-10 vs 2026-09: 7 leads, 57.1 % reached MQL, 28.6 % reached SQL (before: 100.0 %, 100.0 %)',
    );
    expect(blocksText(f)).toMatch(/Median lead→MQL +4 d +3 d/);
    expect(validateBlocks(f.args.blocks, 'message')).toEqual([]);
    await command('perf 2026-10 --by week', 'U0MEMBER', 'usage');
    expect(String((await responseTo('usage')).args.text)).toContain('--by is category or campaign');
    await command('perf 2026-10 Radio', 'U0MEMBER', 'radio');
    expect(String((await responseTo('radio')).args.text)).toContain(
      'No spend, leads or opportunities are filed under "Radio"',
    );
  });
});
