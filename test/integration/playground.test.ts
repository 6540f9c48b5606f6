// The playground without a browser: its page's API drives the real Mo over signed requests
// and shows what Mo sent the local Web API — an ephemeral reply, a replaced message, a modal
// with field errors, the Home tab — and records what Slack would refuse as a violation.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { DEMO_ADMIN, DEMO_TEAM } from '../../src/demo.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/log.js';
import { type Playground, startPlayground } from '../../src/playground/index.js';
import { createMo } from '../../src/services/mo.js';
import { ACTION, INPUT } from '../../src/slack/ids.js';
import { testDatabaseUrl } from '../support/db.js';

const NOW = new Date('2026-11-16T15:00:00Z');
const MEMBER = 'U0DEMOMEMBER';
let pg: Playground;
let drop: () => Promise<void>;

interface State {
  messages: { id: string; channel: string; text: string; blocks?: unknown; ephemeralFor?: string }[];
  views: { id: string; view: { title: { text: string } }; errors?: Record<string, string> }[];
  home: { view: { blocks: unknown[] } } | null;
  violations: { method: string; error: string; messages: string[] }[];
}

beforeAll(async () => {
  const scratch = await createScratchDatabase(testDatabaseUrl());
  drop = scratch.drop;
  // A small workspace of its own, so the playground does not load the (larger) demo.
  await applyMigrations(scratch.url);
  const database = openDatabase(scratch.url);
  const mo = createMo(database, () => NOW);
  await mo.workspaces.update(
    DEMO_TEAM,
    { currency: 'USD', fiscalStartMonth: 2, timezone: 'America/New_York', adminUserIds: [DEMO_ADMIN] },
    'test',
  );
  await mo.budgets.set(
    {
      teamId: DEMO_TEAM,
      period: requirePeriod('this-quarter', '2026-11-16', 2),
      category: 'Paid Media/Search',
      plannedMinor: 12_000_000n,
      ownerUserId: 'U0DEMOPAID',
    },
    'test',
  );
  await database.close();
  pg = await startPlayground(
    { ...loadConfig({}), databaseUrl: scratch.url, port: 0, now: NOW, scheduler: false },
    createLogger('error'),
  );
});
afterAll(async () => {
  await pg?.stop();
  await drop?.();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${pg.url}playground/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function state(user: string): Promise<State> {
  return (await (await fetch(`${pg.url}playground/state?user=${user}`)).json()) as State;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const end = Date.now() + 10_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the playground’s page API', () => {
  it('serves the page and its compiled script on Mo’s port, and 404s what it does not know', async () => {
    const page = await fetch(pg.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/playground/main.js">');
    const script = await fetch(`${pg.url}playground/main.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('renderBlocks');
    expect((await fetch(`${pg.url}favicon.ico`)).status).toBe(404);
    expect((await fetch(`${pg.url}healthz`)).status).toBe(200);
  });

  it('a slash command reaches Mo signed; the reply is ephemeral to the person who typed it', async () => {
    expect(
      (await post('command', { user: DEMO_ADMIN, channel: 'C0MARKETING', text: '/mo budget' })).status,
    ).toBe(200);
    const reply = await until(
      async () => (await state(DEMO_ADMIN)).messages.find((m) => m.text.startsWith('Budget · FY2027-Q4')),
      'the budget reply',
    );
    expect(reply.ephemeralFor).toBe(DEMO_ADMIN);
    expect((await state(MEMBER)).messages.find((m) => m.id === reply.id)).toBeUndefined();

    // Its "Edit plan" button opens the modal; a wrong amount comes back as a field error.
    const edit = (reply.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.budgetEdit);
    expect(edit).toBeDefined();
    await post('message-action', {
      user: DEMO_ADMIN,
      message: reply.id,
      action: {
        type: 'button',
        action_id: ACTION.budgetEdit,
        block_id: 'budget_actions',
        value: edit?.value,
      },
    });
    const modal = await until(async () => (await state(DEMO_ADMIN)).views[0], 'the edit modal');
    expect(modal.view.title.text).toBe('Edit budget line');
    const values = (amount: string) => ({
      [INPUT.category.block]: {
        [INPUT.category.action]: { type: 'plain_text_input', value: 'Paid Media/Search' },
      },
      [INPUT.period.block]: { [INPUT.period.action]: { type: 'plain_text_input', value: 'FY2027-Q4' } },
      [INPUT.amount.block]: { [INPUT.amount.action]: { type: 'plain_text_input', value: amount } },
      [INPUT.owner.block]: { [INPUT.owner.action]: { type: 'users_select', selected_user: 'U0DEMOPAID' } },
    });
    await post('submit', { user: DEMO_ADMIN, view: modal.id, values: values('lots') });
    const refused = (await state(DEMO_ADMIN)).views[0];
    expect(refused?.errors?.[INPUT.amount.block]).toContain('"lots" is not an amount');
    await post('submit', { user: DEMO_ADMIN, view: modal.id, values: values('130000') });
    expect((await state(DEMO_ADMIN)).views).toEqual([]);
    await until(
      async () =>
        (await state(DEMO_ADMIN)).messages.find((m) => m.text.includes('Plan for *Paid Media/Search*')),
      'the confirmation',
    );
  });

  it('opening the Home tab publishes it for that person', async () => {
    await post('home', { user: 'U0DEMOPAID' });
    const home = await until(async () => (await state('U0DEMOPAID')).home ?? undefined, 'the Home tab');
    expect(JSON.stringify(home.view.blocks)).toContain('Paid Media/Search');
    expect((await state(MEMBER)).home).toBeNull();
  });

  it('moves Mo’s clock (MO_NOW) from the page', async () => {
    const before = new Date(
      ((await (await fetch(`${pg.url}playground/state?user=${MEMBER}`)).json()) as { now: string }).now,
    );
    const target = new Date(before.getTime() + 7 * 86_400_000);
    const moved = await post('clock', { now: target.toISOString() });
    expect(moved.status).toBe(200);
    const now = new Date(String(moved.body.now));
    expect(Math.abs(now.getTime() - target.getTime())).toBeLessThan(5_000);
    expect(Math.abs(pg.running.mo.clock().getTime() - target.getTime())).toBeLessThan(5_000);
    expect((await post('clock', { now: 'next tuesday' })).status).toBe(400);
  });

  it('refuses what the page sends wrong, and records what Slack would refuse as a violation', async () => {
    expect((await post('submit', { user: DEMO_ADMIN, view: 'V404', values: {} })).status).toBe(400);
    expect((await post('command', { user: 'U0NOBODY', channel: 'C0MARKETING', text: '/mo' })).status).toBe(
      400,
    );
    expect((await state(DEMO_ADMIN)).violations).toEqual([]);
    const client = new WebClient('xoxb-playground', {
      slackApiUrl: pg.workspace.slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(
      client.chat.postMessage({
        channel: 'C0MARKETING',
        text: 'too long a header',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
      }),
    ).rejects.toThrow(/invalid_blocks/);
    const [violation] = (await state(DEMO_ADMIN)).violations;
    expect(violation?.method).toBe('chat.postMessage');
    expect(violation?.messages.join()).toContain('[json-pointer:/blocks/0/text/text]');
  });
});
