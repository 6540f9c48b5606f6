// Socket Mode against a fake Slack: the receiver's own Web API client honours SLACK_API_URL
// (apps.connections.open on the fake answers a ws:// URL), /healthz says 503 until Slack's
// hello and 200 with mode "socket" after, and a slash-command envelope is acked with its
// envelope_id.
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createMoApp, type MoApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack } from '../support/fake-slack.js';
import { waitFor } from '../support/wait.js';

const TEAM = 'T0SOCKET';
let t: TestDatabase;
let slack: FakeSlack;
let wss: WebSocketServer;
let moApp: MoApp;
let base: string;
const sockets: WebSocket[] = [];
const received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T17:00:00Z');
  slack = await FakeSlack.start({ teamId: TEAM, users: { U0ADMIN: { is_admin: true } } });
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
  });
  slack.socketModeUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
});
afterAll(async () => {
  await moApp?.stop();
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await slack.close();
  await t.close();
});

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL, reports its state, and acks an envelope', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    moApp = await createMoApp({
      signingSecret: 'unused-in-socket-mode',
      botToken: 'xoxb-test',
      appToken: 'xapp-1-test',
      apiUrl: slack.apiUrl,
      port,
      database: t.database,
      mo: t.mo,
      logger: createLogger('error'),
      clientOptions: { retryConfig: { retries: 0 } },
    });
    // start() resolves once the socket is connected; meanwhile /healthz answers.
    const starting = moApp.start();
    const ws = await waitFor(() => sockets[0], 'the receiver to connect');
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    const before = await fetch(`${base}/healthz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ ok: false, mode: 'socket' });

    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0MO' } }));
    await starting;
    const after = await fetch(`${base}/healthz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ok: true, mode: 'socket' });

    ws.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          team_id: TEAM,
          channel_id: 'C0MKTG',
          user_id: 'U0ADMIN',
          command: '/mo',
          text: 'help',
          response_url: slack.responseUrl('socket-help'),
          trigger_id: 'trigger-socket',
        },
      }),
    );
    const ack = await waitFor(() => received.find((m) => m.envelope_id === 'env-1'), 'the ack', 3000);
    expect(ack).toMatchObject({ envelope_id: 'env-1' });
    const reply = await waitFor(
      () => slack.responses().find((r) => r.args.__id === 'socket-help'),
      'the reply at response_url',
    );
    expect(String(reply.args.text)).toContain('/mo budget');

    // An envelope for an action Mo does not define is acked at once too.
    ws.send(
      JSON.stringify({
        envelope_id: 'env-2',
        type: 'interactive',
        accepts_response_payload: false,
        payload: {
          type: 'block_actions',
          user: { id: 'U0ADMIN' },
          team: { id: TEAM },
          actions: [{ action_id: 'not_mo' }],
        },
      }),
    );
    expect(
      await waitFor(() => received.find((m) => m.envelope_id === 'env-2'), 'the ack', 1500),
    ).toBeTruthy();
  });
});

/** A port free right now: start() only resolves once the socket is up, so the test picks it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
