// Composition root: builds the Bolt app on a receiver (HTTP or Socket Mode), registers the
// /mo commands, and serves GET /healthz. Returns start/stop for main.ts and the tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, isValidSlackRequest, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { registerCommands } from '../commands/index.js';
import type { CommandEnv } from '../commands/types.js';
import { importApi } from './api.js';
import type { Database } from './db/client.js';
import { type Logger, withCorrelation } from './log.js';
import { meterSlackCalls, metricsText, observeRequests, timed } from './metrics.js';
import type { Mo } from './services/mo.js';
import { slackDirectory } from './slack/admins.js';
import { registerLifecycle, tenancyGate } from './slack/gate.js';
import { answerEveryRequest, isSslCheck, slackBodyProblem } from './slack/inbound.js';
import { createTenancy, currentRequest, type RequestScope, type Tenancy } from './slack/tenancy.js';

/** Slack signs each request with a timestamp; Bolt rejects old ones, Mo future ones too. */
const MAX_CLOCK_SKEW_S = 300;
/** Bolt's own limit for a request body. */
const BODY_LIMIT = 4 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface MoAppOptions {
  signingSecret: string;
  /** Single-workspace mode (SLACK_BOT_TOKEN); else `oauth` (see src/slack/tenancy.ts). */
  botToken?: string;
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
  appToken?: string;
  apiUrl: string;
  port: number;
  database: Database;
  mo: Mo;
  logger: Logger;
  clientOptions?: WebClientOptions;
  /** Serves GET /metrics (Prometheus text format): MO_METRICS=on. */
  metrics?: boolean;
  /** Where to listen (default: every interface). The playground keeps to 127.0.0.1. */
  host?: string;
  /** More pages on the same port (the playground's); true when it answered the request. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface MoApp {
  app: InstanceType<typeof App>;
  /** Each workspace's installation and token: jobs post through `tenancy.clientFor`. */
  tenancy: Tenancy;
  /** Starts serving; resolves with the HTTP port (healthz, and Slack in HTTP mode). */
  start(): Promise<number>;
  /** Stops taking requests; those in flight get until `graceMs` to finish. */
  stop(graceMs?: number): Promise<void>;
}

export async function createMoApp(options: MoAppOptions): Promise<MoApp> {
  const { logger } = options;
  const socketMode = Boolean(options.appToken);
  meterSlackCalls();
  // The Socket Mode client has a Web API client of its own (for apps.connections.open):
  // it must reach the same Slack as the app's client.
  const socket = socketMode
    ? new SocketModeReceiver({
        appToken: options.appToken as string,
        logger,
        installerOptions: { clientOptions: { slackApiUrl: options.apiUrl, ...options.clientOptions } },
      })
    : undefined;
  // What /healthz reports in Socket Mode: Mo serves nobody until Slack's hello.
  let socketState = 'connecting';
  for (const state of ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected'] as const)
    socket?.client.on(state, () => {
      socketState = state;
    });
  const receiver = answerEveryRequest(
    socket ??
      new HTTPReceiver({
        signingSecret: options.signingSecret,
        logger,
        unhandledRequestTimeoutMillis: 3001,
        // toBolt below has verified every request it hands the receiver (and answers Slack's
        // unsigned ssl_check itself): a second HMAC per request would be CPU for nothing.
        signatureVerification: false,
      }),
    logger,
  );

  // --- tenancy: every request authorized from Mo's installations, gated before any listener.
  const tenancy = createTenancy({
    installations: options.mo.installations,
    logger,
    apiUrl: options.apiUrl,
    clientOptions: options.clientOptions,
    botToken: options.botToken,
    oauth: options.oauth,
  });
  // Single-workspace mode checks the bot token (auth.test) before serving: a bad one fails here.
  await tenancy.init();
  const app = new App({
    authorize: tenancy.authorize,
    receiver,
    // Mo keeps no per-conversation state in Bolt's context: its store is work on every
    // request and memory that only grows.
    convoStore: false,
    logger,
    deferInitialization: true,
    clientOptions: { slackApiUrl: options.apiUrl, ...options.clientOptions },
  });
  await app.init();

  // Handlers still running after their ack (a reply, a chart) are waited for on stop.
  const handling = new Set<Promise<void>>();
  app.use((args) => {
    const handled = observeRequests(args);
    handling.add(handled);
    return handled.finally(() => handling.delete(handled));
  });
  // A workspace's own client: the request's when serving that workspace, else its installation's.
  const clientFor = (teamId: string) => {
    const scope = currentRequest();
    return scope?.teamId === teamId ? Promise.resolve(scope.client) : tenancy.clientFor(teamId);
  };
  const directory = slackDirectory(clientFor, options.mo, () => currentRequest()?.teamId);
  const gateDeps = { installations: options.mo.installations, directory, logger };
  app.use(tenancyGate(gateDeps));
  registerLifecycle(app, gateDeps);
  const slack = {
    // The request's own client (its workspace's token); outside a request, none.
    get client() {
      const scope = currentRequest();
      if (!scope) throw new Error('No Slack request in progress: use tenancy.clientFor(teamId)');
      return scope.client;
    },
    logger,
    secret: options.signingSecret,
  };
  // One workspace's env: its scoped Mo (src/services/team-scope.ts) and its admins.
  const envFor = (teamId: string): CommandEnv => ({
    mo: options.mo.forTeam(teamId),
    isAdmin: (userId, settings) => directory.isAdmin(teamId, userId, settings),
    userTimezone: directory.userTimezone,
    slack,
  });
  // Each request's env is scoped to the team the gate verified (never a team a payload names),
  // made once per request.
  const envs = new WeakMap<RequestScope, CommandEnv>();
  const requestEnv = (): CommandEnv => {
    const scope = currentRequest();
    if (!scope) throw new Error('No Slack request in progress: a workspace is served only through the gate');
    const made = envs.get(scope) ?? envFor(scope.teamId);
    envs.set(scope, made);
    return made;
  };
  // --- end tenancy
  const home = registerCommands(
    app,
    {
      get mo() {
        return requestEnv().mo;
      },
      isAdmin: (userId, settings) => requestEnv().isAdmin(userId, settings),
      userTimezone: (userId) => requestEnv().userTimezone(userId),
      slack,
    },
    {
      envFor,
      onFiguresChanged: (listener) => {
        options.mo.events.on('figures', listener);
        return () => void options.mo.events.off('figures', listener);
      },
    },
    logger,
    clientFor,
  );
  app.error(async (error) => {
    logger.error('unhandled error in a listener', error);
  });

  const health = async (res: ServerResponse) => {
    try {
      await options.database.db.$queryRawUnsafe('SELECT 1');
      if (socketMode && socketState !== 'connected')
        return void res
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, mode: 'socket', socket: socketState }));
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
    if (importPath)
      return void withCorrelation({ surface: 'api' }, () =>
        timed('api', () => api(req, res, importPath[1] as string)),
      );
    if (req.method === 'GET' && path === '/metrics') {
      if (!options.metrics) return void res.writeHead(404).end();
      return void metricsText().then(({ contentType, body }) =>
        res.writeHead(200, { 'content-type': contentType }).end(body),
      );
    }
    // OAuth distribution: /slack/install and /slack/oauth_redirect.
    if (tenancy.http(req, res)) return;
    if (options.routes?.(req, res)) return;
    // Bolt answers only its own path; anything else (a browser's /favicon.ico) is a 404 here,
    // not an unhandled rejection inside the receiver.
    if (socketMode || path !== '/slack/events') return void res.writeHead(404).end();
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts > Date.now() / 1000 + MAX_CLOCK_SKEW_S) {
      logger.warn('rejected a Slack request stamped in the future');
      return void res.writeHead(401).end();
    }
    void toBolt(req, res);
  };

  // The signature is checked first (an unsigned request stays 401), then the shape: a body
  // Slack would never send is answered 400 here, before Bolt reads a field of it.
  const toBolt = async (req: IncomingMessage, res: ServerResponse) => {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      return void res.writeHead(e instanceof BodyTooLarge ? 413 : 400).end();
    }
    const text = raw.toString();
    const contentType = req.headers['content-type'];
    // Slack's connectivity probe, unsigned: answered here and never handed to Bolt, which
    // verifies nothing itself (anything it receives was signed).
    if (isSslCheck(text, contentType)) return void res.writeHead(200).end();
    const signed = isValidSlackRequest({
      signingSecret: options.signingSecret,
      body: text,
      headers: {
        'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
        'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
      },
    });
    if (!signed) return void res.writeHead(401).end();
    const problem = slackBodyProblem(text, contentType);
    if (problem) {
      logger.warn(`rejected a signed Slack request: ${problem}`);
      return void res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: problem }));
    }
    // Bolt reads a body already buffered on the request instead of the stream.
    Object.assign(req, { rawBody: raw });
    (receiver as InstanceType<typeof HTTPReceiver>).requestListener(req, res);
  };

  let server: Server | undefined;
  return {
    app,
    tenancy,
    async start() {
      server = createServer(listener);
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        if (options.host) server?.listen(options.port, options.host, resolve);
        else server?.listen(options.port, resolve);
      });
      if (socketMode) await (receiver as InstanceType<typeof SocketModeReceiver>).start();
      return (server.address() as AddressInfo).port;
    },
    async stop(graceMs = 8_000) {
      await home.stop();
      if (socketMode) await (receiver as InstanceType<typeof SocketModeReceiver>).stop();
      const closing = server
        ? new Promise<void>((resolve) => server?.close(() => resolve()))
        : Promise.resolve();
      // Requests in flight finish; idle keep-alive sockets are closed now.
      server?.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        Promise.allSettled([closing, ...handling]).then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        logger.warn(`stopped with ${handling.size} request(s) unfinished after ${graceMs} ms`);
        server?.closeAllConnections();
      }
    },
  };
}
