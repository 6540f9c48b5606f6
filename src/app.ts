// Composition root: builds the Bolt app on a receiver (HTTP or Socket Mode), registers the
// /mo commands, and serves GET /healthz. Returns start/stop for main.ts and the tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { registerCommands } from '../commands/index.js';
import { importApi } from './api.js';
import type { Database } from './db/client.js';
import type { Logger } from './log.js';
import type { Mo } from './services/mo.js';
import { slackDirectory } from './slack/admins.js';

/** Slack signs each request with a timestamp; Bolt rejects old ones, Mo future ones too. */
const MAX_CLOCK_SKEW_S = 300;

export interface MoAppOptions {
  signingSecret: string;
  botToken: string;
  appToken?: string;
  apiUrl: string;
  port: number;
  database: Database;
  mo: Mo;
  logger: Logger;
  clientOptions?: WebClientOptions;
}

export interface MoApp {
  app: InstanceType<typeof App>;
  /** Starts serving; resolves with the HTTP port (healthz, and Slack in HTTP mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export async function createMoApp(options: MoAppOptions): Promise<MoApp> {
  const { logger } = options;
  const socketMode = Boolean(options.appToken);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: options.appToken as string, logger })
    : new HTTPReceiver({ signingSecret: options.signingSecret, logger, unhandledRequestTimeoutMillis: 3001 });

  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    deferInitialization: true,
    clientOptions: { slackApiUrl: options.apiUrl, ...options.clientOptions },
  });
  // Verifies the bot token (auth.test) before serving: a bad token fails at start, clearly.
  await app.init();

  const directory = slackDirectory(app.client, options.mo);
  registerCommands(
    app,
    { mo: options.mo, ...directory, slack: { client: app.client, logger, secret: options.signingSecret } },
    logger,
  );
  app.error(async (error) => {
    logger.error('unhandled error in a listener', error);
  });

  const health = async (res: ServerResponse) => {
    try {
      await options.database.db.$queryRawUnsafe('SELECT 1');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: true, mode: socketMode ? 'socket' : 'http' }));
    } catch {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: 'database unavailable' }));
    }
  };

  const api = importApi(options.mo, logger);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/healthz') return void health(res);
    const importPath = /^\/api\/v1\/import\/([a-z]+)$/.exec(path);
    if (importPath) return void api(req, res, importPath[1] as string);
    if (socketMode) return void res.writeHead(404).end();
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts > Date.now() / 1000 + MAX_CLOCK_SKEW_S) {
      logger.warn('rejected a Slack request stamped in the future');
      return void res.writeHead(401).end();
    }
    (receiver as InstanceType<typeof HTTPReceiver>).requestListener(req, res);
  };

  let server: Server | undefined;
  return {
    app,
    async start() {
      server = createServer(listener);
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(options.port, resolve);
      });
      if (socketMode) await (receiver as InstanceType<typeof SocketModeReceiver>).start();
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      if (socketMode) await (receiver as InstanceType<typeof SocketModeReceiver>).stop();
      if (server) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
        // Requests in flight finish; idle keep-alive sockets are closed now.
        server.closeIdleConnections();
        await closing;
      }
    },
  };
}
