// The bench's own Slack: a tiny in-process HTTP server answering the few Web API methods a
// `/mo budget` needs (auth.test at start, users.info for the admin check) and receiving the
// replies Bolt posts to `response_url`, stamped with performance.now() the moment each has
// arrived in full. Kept apart from test/support/fake-slack.ts, which validates Block Kit on
// every reply: that is the tests' job, and it would be measured here as Mo's latency.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  /** performance.now() when the whole POST body had arrived. */
  at: number;
  body: { text?: string; blocks?: unknown[]; response_type?: string; [k: string]: unknown };
}

export interface BenchSlack {
  /** For WebClient's slackApiUrl. */
  apiUrl: string;
  responseUrl(id: string): string;
  /** Resolves when the reply for `id` arrives (or at once if it already has). */
  reply(id: string): Promise<Reply>;
  /** Web API calls by method, response_url posts included. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function startBenchSlack(opts: { teamId: string }): Promise<BenchSlack> {
  const arrived = new Map<string, Reply>();
  const waiting = new Map<string, (r: Reply) => void>();
  const calls = new Map<string, number>();

  const methods: Record<string, (args: URLSearchParams) => unknown> = {
    'auth.test': () => ({
      ok: true,
      user_id: 'UBOT',
      team_id: opts.teamId,
      bot_id: 'B1',
      url: 'https://bench/',
    }),
    'users.info': (args) => ({
      ok: true,
      user: {
        id: args.get('user') ?? 'U0',
        team_id: opts.teamId,
        name: 'bench',
        is_admin: false,
        is_owner: false,
        is_primary_owner: false,
        tz: 'America/New_York',
      },
    }),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const raw = Buffer.concat(chunks).toString('utf8');
      const respond = /^\/respond\/([\w-]+)$/.exec(path);
      if (respond && req.method === 'POST') {
        const id = respond[1] as string;
        calls.set('response_url', (calls.get('response_url') ?? 0) + 1);
        const reply: Reply = { at, body: JSON.parse(raw || '{}') };
        arrived.set(id, reply);
        waiting.get(id)?.(reply);
        waiting.delete(id);
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
      const api = /^\/api\/([\w.]+)$/.exec(path);
      if (!api) return json(res, 404, { ok: false, error: 'not_found' });
      const method = api[1] as string;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const args = req.headers['content-type']?.includes('json')
        ? new URLSearchParams(
            Object.entries(JSON.parse(raw || '{}')).map(([k, v]): [string, string] => [k, String(v)]),
          )
        : new URLSearchParams(raw);
      json(res, 200, methods[method]?.(args) ?? { ok: true });
    });
  });
  // Node's 5 s default closes an idle kept-alive socket just as Mo's fetch (undici, 4 s idle)
  // may reuse it for the next reply after a slow request: "fetch failed" that Slack, which
  // keeps connections far longer, would never cause.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    reply(id) {
      const done = arrived.get(id);
      if (done) {
        arrived.delete(id);
        return Promise.resolve(done);
      }
      return new Promise((resolve) =>
        waiting.set(id, (r) => {
          arrived.delete(id);
          resolve(r);
        }),
      );
    },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Slack's request signature: v0=HMAC-SHA256(secret, `v0:${timestamp}:${body}`) in hex. */
export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}
