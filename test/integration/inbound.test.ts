// Inputs that used to break Mo, driven over the real HTTP app with signed requests: bodies
// Slack never sends get 400 before Bolt reads them, and every action, view or shortcut gets
// an answer at once even when Mo defines no listener for it. /healthz stays 200 throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0INBOUND';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    { teamId: TEAM, users: { U0ADMIN: { is_admin: true } } },
    '2026-11-16T17:00:00Z',
  );
});
afterAll(() => app?.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function signed(body: string, contentType = 'application/x-www-form-urlencoded') {
  const headers = { ...signSlackRequest(SECRET, body), 'content-type': contentType };
  const started = Date.now();
  const res = await fetch(`${app.base}/slack/events`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

const health = async () => (await fetch(`${app.base}/healthz`)).status;

const user = { id: 'U0ADMIN', team_id: TEAM };
const team = { id: TEAM, domain: 'acme' };

describe('bodies Slack never sends', () => {
  const malformed: Array<[string, string, string?]> = [
    ['payload=null', form({ payload: 'null' })],
    ['JSON null', 'null', 'application/json'],
    ['JSON array', '[]', 'application/json'],
    ['JSON string', '"hello"', 'application/json'],
    ['bad JSON', '{"type":', 'application/json'],
    ['JSON without type', '{"token":"x"}', 'application/json'],
    [
      'event_callback without event',
      JSON.stringify({ type: 'event_callback', team_id: TEAM }),
      'application/json',
    ],
    ['payload a number', form({ payload: '42' })],
    ['payload an array', form({ payload: '[1,2]' })],
    ['payload bad JSON', form({ payload: '{"type":"block_actions"' })],
    ['payload without type', form({ payload: JSON.stringify({ user, team }) })],
    [
      'block_actions without user',
      form({
        payload: JSON.stringify({ type: 'block_actions', team, actions: [{ action_id: 'mo_budget_back' }] }),
      }),
    ],
    [
      'block_actions without actions',
      form({ payload: JSON.stringify({ type: 'block_actions', team, user }) }),
    ],
    [
      'view_submission without view',
      form({ payload: JSON.stringify({ type: 'view_submission', team, user }) }),
    ],
    ['two payloads', `${form({ payload: '{}' })}&${form({ payload: '{}' })}`],
    ['empty form', ''],
    ['command without user', form({ command: '/mo', text: 'budget', team_id: TEAM })],
    ['form of nothing Slack sends', form({ hello: 'world' })],
  ];

  it.each(malformed)('%s: 400 after the signature check, and Mo keeps serving', async (_, body, type) => {
    const res = await signed(body, type);
    expect(res.status).toBe(400);
    expect(await health()).toBe(200);
  });

  it('an unsigned malformed body is still 401, not 400', async () => {
    const res = await fetch(`${app.base}/slack/events`, {
      method: 'POST',
      body: form({ payload: 'null' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(401);
  });

  it('a url_verification challenge is still answered', async () => {
    const res = await signed(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123' }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('c-123');
  });
});

describe('requests no listener answers are acked at once', () => {
  const view = { id: 'V1', callback_id: 'somebody_elses_modal', state: { values: {} } };
  const cases: Array<[string, object]> = [
    [
      'an unknown action_id',
      { type: 'block_actions', user, team, actions: [{ action_id: 'not_mo', type: 'button' }] },
    ],
    [
      'view_closed of a Mo modal',
      { type: 'view_closed', user, team, view: { ...view, callback_id: 'mo_budget_edit_modal' } },
    ],
    ['a submission of a view Mo does not define', { type: 'view_submission', user, team, view }],
    [
      'a Mo submission without state',
      { type: 'view_submission', user, team, view: { id: 'V2', callback_id: 'mo_budget_edit_modal' } },
    ],
    [
      'a global shortcut Mo does not define',
      { type: 'shortcut', user, team, callback_id: 'mo_unknown', trigger_id: 't' },
    ],
    [
      'a message shortcut Mo does not define',
      {
        type: 'message_action',
        user,
        team,
        callback_id: 'mo_unknown',
        trigger_id: 't',
        channel: { id: 'C1' },
      },
    ],
    ['an options request', { type: 'block_suggestion', user, team, action_id: 'not_mo', value: 'x' }],
  ];

  it.each(cases)('%s: 200 well inside 3 s', async (_, payload) => {
    const res = await signed(form({ payload: JSON.stringify(payload) }));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1500);
    expect(await health()).toBe(200);
  });
});
