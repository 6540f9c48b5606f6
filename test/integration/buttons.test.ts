// Budget and perf buttons over the real HTTP app, with the values Slack sends back: hostile
// category names at the longest Mo accepts still make values within Slack's limits that lead
// where they say, and a value Mo cannot read (an old message's, a forged one) is answered
// with what to do, logged at warn as input rather than as a bug, and changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requirePeriod } from '../../src/domain/calendar.js';
import { MAX_CATEGORY_LENGTH } from '../../src/domain/category.js';
import { ACTION } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type FakeSlack, validateBlocks } from '../support/fake-slack.js';
import { captureLogger } from '../support/log.js';
import { signSlackRequest } from '../support/signing.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'buttons-signing-secret';
const TEAM = 'T0BUTTONS';
let app: TestApp;
let slack: FakeSlack;
const { logger, lines } = captureLogger();

/** `length` UTF-16 units of what JSON and mrkdwn like least: quotes, backslashes, controls, <&>, emoji. */
function hostile(length: number, seed: string): string {
  const pieces = [seed, '"', '\\', '\u0001', '<', '&', '>', 'é', '😀', ' '];
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const next = pieces[i % pieces.length] as string;
    out += out.length + next.length <= length ? next : 'x';
  }
  return out;
}
// The longest names Mo takes: a top with a sub-category under it, 100 characters in all.
const TOP = hostile(MAX_CATEGORY_LENGTH - 2, 'T');
const SUB = `${TOP}/S`;
const OTHER = hostile(MAX_CATEGORY_LENGTH - 2, 'O');

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { U0ADMIN: { is_admin: true, tz: 'UTC' }, U0MEMBER: { tz: 'UTC' } },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    '2026-11-16T17:00:00Z',
    'single',
    logger,
  );
  slack = app.slack;
  const { mo } = app.t;
  await mo.workspaces.ensure(TEAM, { timezone: 'UTC' });
  const period = requirePeriod('FY2026-Q4', '2026-11-16', 1);
  for (const [category, planned] of [
    [SUB, 900_000n],
    [`${OTHER}/S`, 100_000n],
  ] as const)
    await mo.budgets.set(
      { teamId: TEAM, period, category, plannedMinor: planned, ownerUserId: null },
      'test',
    );
  await mo.spend.add(
    {
      teamId: TEAM,
      date: '2026-11-02',
      amountMinor: 250_000n,
      status: 'actual',
      category: SUB,
      campaign: hostile(200, 'C'),
      vendor: '',
      source: 'manual',
      idempotencyKey: 'buttons-1',
    },
    'test',
  );
});
afterAll(() => app?.close());
beforeEach(() => {
  slack.reset();
  lines.length = 0;
});

const signedPost = (body: string) =>
  fetch(`${app.base}/slack/events`, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });

let n = 0;
async function command(text: string, user = 'U0ADMIN') {
  const id = `cmd-${++n}`;
  await signedPost(
    new URLSearchParams({
      team_id: TEAM,
      channel_id: 'C0MKTG',
      user_id: user,
      command: '/mo',
      text,
      response_url: slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
    }).toString(),
  );
  return responseTo(id);
}

const responseTo = async (id: string, ms?: number) =>
  (await waitFor(() => slack.responses().find((r) => r.args.__id === id), `response ${id}`, ms)).args as {
    text?: string;
    blocks?: unknown[];
    response_type?: string;
    replace_original?: boolean;
  };

/** A click on a button (value) or a menu option (selected), as Slack posts it; the answer it gets. */
async function click(
  actionId: string,
  value: string,
  opts: { select?: boolean; user?: string; waitMs?: number } = {},
) {
  const id = `click-${++n}`;
  const action = opts.select
    ? {
        type: 'static_select',
        action_id: actionId,
        block_id: 'b',
        selected_option: { value },
        action_ts: '1',
      }
    : { type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' };
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'acme' },
    user: { id: opts.user ?? 'U0MEMBER', team_id: TEAM },
    api_app_id: 'A0MO',
    channel: { id: 'C0MKTG', name: 'marketing' },
    trigger_id: `trigger-${id}`,
    response_url: slack.responseUrl(id),
    container: { type: 'message', message_ts: '1.2', channel_id: 'C0MKTG', is_ephemeral: true },
    actions: [action],
  };
  const res = await signedPost(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  expect(res.status).toBe(200);
  return responseTo(id, opts.waitMs);
}

type Element = {
  type: string;
  action_id: string;
  value?: string;
  options?: { text: { text: string }; value: string }[];
};
const elements = (blocks: unknown[] | undefined): Element[] =>
  (blocks ?? []).flatMap((b) =>
    (b as { type: string }).type === 'actions' ? (b as { elements: Element[] }).elements : [],
  );
const buttonValue = (blocks: unknown[] | undefined, actionId: string) => {
  const value = elements(blocks).find((e) => e.action_id === actionId)?.value;
  expect(value, actionId).toBeDefined();
  return value as string;
};

/** Every button value within 2,000 characters and every option value within 75 (SLACK-FACTS). */
function expectWithinLimits(blocks: unknown[] | undefined) {
  expect(validateBlocks(blocks, 'message')).toEqual([]);
  for (const e of elements(blocks)) {
    if (e.value !== undefined) expect(e.value.length).toBeLessThanOrEqual(2000);
    for (const o of e.options ?? []) expect(o.value.length).toBeLessThanOrEqual(75);
    expect(e.action_id.length).toBeLessThanOrEqual(255);
  }
}

const noBugLogged = () => expect(lines.filter((l) => l.level === 'error')).toEqual([]);

describe('budget buttons with hostile category names at the longest Mo accepts', () => {
  it('drill down, share, chart and go back, every value within Slack’s limits', async () => {
    const top = await command('budget FY2026-Q4');
    expectWithinLimits(top.blocks);
    const drill = elements(top.blocks).find((e) => e.action_id === ACTION.budgetDrill);
    expect(drill?.options?.map((o) => o.text.text.length)).toEqual([75, 75]);
    const option = drill?.options?.find((o) => o.text.text.startsWith('T')) as { value: string };

    const drilled = await click(ACTION.budgetDrill, option.value, { select: true });
    expect(drilled.replace_original).toBe(true);
    expect(drilled.text).toContain(`Budget · ${TOP} · FY2026-Q4`);
    expect(drilled.text).toContain('planned $9,000, actual $2,500');
    expectWithinLimits(drilled.blocks);

    const shared = await click(ACTION.budgetShare, buttonValue(drilled.blocks, ACTION.budgetShare));
    expect(shared.response_type).toBe('in_channel');
    expect(shared.text).toContain(`Budget · ${TOP} · FY2026-Q4`);

    // Drawing the chart is CPU work in a worker thread: slow on a busy machine.
    const chart = await click(ACTION.budgetChart, buttonValue(drilled.blocks, ACTION.budgetChart), {
      waitMs: 30_000,
    });
    expect(chart.text).toContain('sent to you in a DM');

    const back = await click(ACTION.budgetBack, buttonValue(drilled.blocks, ACTION.budgetBack));
    expect(back.text).toContain('Budget · FY2026-Q4: planned $10,000, actual $2,500');
    noBugLogged();
  });

  it('opens a drill-down option from an older Mo, which named the category itself', async () => {
    const drilled = await click(
      ACTION.budgetDrill,
      JSON.stringify({ p: 'FY2026-Q4', c: TOP.toLowerCase() }),
      {
        select: true,
      },
    );
    expect(drilled.text).toContain(`Budget · ${TOP} · FY2026-Q4`);
  });
});

describe('perf buttons with hostile category names', () => {
  it('drill into a category and back, every value within Slack’s limits', async () => {
    const top = await command('perf FY2026-Q4');
    expectWithinLimits(top.blocks);
    const option = elements(top.blocks)
      .find((e) => e.action_id === ACTION.perfDrill)
      ?.options?.find((o) => o.text.text.startsWith('T')) as { value: string };
    const drilled = await click(ACTION.perfDrill, option.value, { select: true });
    expect(drilled.text).toContain(SUB);
    expect(drilled.text).toContain('spend $2,500');
    expectWithinLimits(drilled.blocks);
    const back = await click(ACTION.perfBack, buttonValue(drilled.blocks, ACTION.perfBack));
    expect(back.text).toContain('spend $2,500');
    noBugLogged();
  });
});

describe('a button value Mo cannot read', () => {
  const stale =
    /^:warning: That button is out of date or damaged, so Mo did nothing\. Run `\/mo (budget|perf)` again/;

  it.each([
    ['budget share, not JSON', ACTION.budgetShare, 'not json{', false],
    ['budget share, an array', ACTION.budgetShare, '[1,2]', false],
    [
      'budget back, a period that is no key',
      ACTION.budgetBack,
      JSON.stringify({ p: { $gt: '' }, c: null }),
      false,
    ],
    [
      'budget chart, a category of the wrong type',
      ACTION.budgetChart,
      JSON.stringify({ p: 'FY2026-Q4', c: 7 }),
      false,
    ],
    [
      'budget drill, a forged key',
      ACTION.budgetDrill,
      JSON.stringify({ p: 'FY2026-Q4', k: '../../x' }),
      true,
    ],
    ['budget edit, empty', ACTION.budgetEdit, '', false],
    ['perf share, not JSON', ACTION.perfShare, '{"p":', false],
    ['perf drill, null', ACTION.perfDrill, 'null', true],
    [
      'perf chart, a grouping Mo has none of',
      ACTION.perfChart,
      JSON.stringify({ p: 'FY2026-Q4', b: 'x' }),
      false,
    ],
  ])('%s: says so to the clicker alone, warns, writes nothing', async (_what, actionId, value, select) => {
    const audits = await app.t.mo.db.auditEvent.count({ where: { teamId: TEAM } });
    const reply = await click(actionId, value, { select, user: 'U0ADMIN' });
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.replace_original).toBe(false);
    expect(reply.text).toMatch(stale);
    expect(
      lines.filter((l) => l.level === 'warn').some((l) => l.text.includes('out of date or damaged')),
    ).toBe(true);
    noBugLogged();
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
    expect(slack.callsTo('views.open')).toEqual([]);
    expect(slack.uploads).toEqual([]);
    expect(await app.t.mo.db.auditEvent.count({ where: { teamId: TEAM } })).toBe(audits);
  });

  it('answers a well-formed key that names no category of the workspace (one deleted since)', async () => {
    const reply = await click(ACTION.budgetDrill, JSON.stringify({ p: 'FY2026-Q4', k: '0123456789abcdef' }), {
      select: true,
    });
    expect(reply.text).toContain('That category has no plan, spend or leads any more');
    expect(reply.replace_original).toBe(false);
    noBugLogged();
  });
});
