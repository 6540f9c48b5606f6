// The playground's page and its small JSON API, served on Mo's own port: `/` is the page,
// `/playground/…` what it reads (state, a stream of changes, uploaded files) and what it
// does (a slash command, a click, a submission, the Home tab, the clock).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { dmOf, PlaygroundError, type PlaygroundWorkspace } from './workspace.js';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');
const MAX_BODY = 1_000_000;

export interface PlaygroundClock {
  now(): Date;
  /** Moves Mo's clock to `instant`, then runs what the scheduler finds due; says what ran. */
  moveTo(instant: Date): Promise<string[]>;
}

/** The page's script, compiled from TypeScript once per process (esbuild, in memory). */
async function pageScript(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(PAGE_DIR, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: ['es2022'],
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

const action = z
  .object({ type: z.string(), action_id: z.string(), block_id: z.string() })
  .catchall(z.unknown());
const values = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())));

const requests = {
  command: z.object({ user: z.string(), channel: z.string(), text: z.string().max(4000) }),
  messageAction: z.object({ user: z.string(), message: z.string(), action }),
  viewAction: z.object({ user: z.string(), view: z.string(), values, action }),
  submit: z.object({ user: z.string(), view: z.string(), values }),
  close: z.object({ user: z.string(), view: z.string() }),
  home: z.object({ user: z.string() }),
  clock: z.object({ now: z.iso.datetime({ offset: true }) }),
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new PlaygroundError('request too large');
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export function playgroundRoutes(
  ws: PlaygroundWorkspace,
  clock: PlaygroundClock,
  logger: Logger,
): { routes: (req: IncomingMessage, res: ServerResponse) => boolean; close(): void } {
  const html = readFileSync(join(PAGE_DIR, 'index.html'), 'utf8');
  const css = readFileSync(join(PAGE_DIR, 'style.css'), 'utf8');
  let script: Promise<string> | undefined;
  const streams = new Set<ServerResponse>();
  ws.changes.on('change', () => {
    for (const s of streams) s.write('event: change\ndata: {}\n\n');
  });

  const state = (user: string) => ({
    team: ws.team,
    botUserId: ws.slack.botUserId,
    people: ws.people.map(({ id, name, role, slack }) => ({ id, name, role, tz: slack.tz ?? 'UTC' })),
    channels: ws.channels.map(({ id, name }) => ({ id, name })),
    user,
    dm: dmOf(user),
    now: clock.now().toISOString(),
    messages: ws.messagesFor(user),
    views: ws.viewsOf(user),
    home: ws.homeOf(user) ?? null,
    calls: ws.slack.calls.slice(-300).map((c) => ({
      method: c.method,
      at: c.at,
      ok: c.answer?.ok !== false,
      error: c.answer?.ok === false ? c.answer.error : undefined,
      args: c.args,
    })),
    violations: ws.violations,
  });

  const post = async (req: IncomingMessage, res: ServerResponse, what: string) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      const body = await readJson(req);
      let detail: unknown = { ok: true };
      switch (what) {
        case 'command': {
          const r = requests.command.parse(body);
          await ws.command(r.user, r.channel, r.text.replace(/^\/mo\b\s*/, ''));
          break;
        }
        case 'message-action': {
          const r = requests.messageAction.parse(body);
          await ws.messageAction(r.user, r.message, r.action as never);
          break;
        }
        case 'view-action': {
          const r = requests.viewAction.parse(body);
          await ws.viewAction(r.user, r.view, r.values, r.action as never);
          break;
        }
        case 'submit': {
          const r = requests.submit.parse(body);
          await ws.submit(r.user, r.view, r.values);
          break;
        }
        case 'close': {
          const r = requests.close.parse(body);
          ws.closeView(r.user, r.view);
          break;
        }
        case 'home': {
          await ws.openHome(requests.home.parse(body).user);
          break;
        }
        case 'clock': {
          const ran = await clock.moveTo(new Date(requests.clock.parse(body).now));
          detail = { ok: true, now: clock.now().toISOString(), ran };
          break;
        }
        default:
          return send(404, { ok: false, error: 'unknown action' });
      }
      send(200, detail);
    } catch (e) {
      if (e instanceof z.ZodError || e instanceof PlaygroundError || e instanceof SyntaxError)
        return send(400, { ok: false, error: e instanceof z.ZodError ? z.prettifyError(e) : e.message });
      logger.error('playground request failed', e);
      send(500, { ok: false, error: 'the playground failed; see Mo’s log' });
    }
  };

  const routes = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://playground.local');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path === '/playground' || path === '/playground/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return true;
    }
    if (!path.startsWith('/playground/')) return false;
    const rest = path.slice('/playground/'.length);
    if (req.method === 'GET' && rest === 'style.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(css);
      return true;
    }
    if (req.method === 'GET' && rest === 'main.js') {
      script ??= pageScript();
      script.then(
        (js) => res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(js),
        (e) => {
          logger.error('could not compile the playground page', e);
          res.writeHead(500).end();
        },
      );
      return true;
    }
    if (req.method === 'GET' && rest === 'state') {
      const user = url.searchParams.get('user') ?? ws.people[0]?.id ?? '';
      try {
        ws.person(user);
      } catch {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"ok":false,"error":"no such person"}');
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state(user), bigints));
      return true;
    }
    if (req.method === 'GET' && rest === 'events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write('event: change\ndata: {}\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return true;
    }
    if (req.method === 'GET' && rest.startsWith('files/')) {
      const file = ws.file(decodeURIComponent(rest.slice('files/'.length)));
      if (!file) res.writeHead(404).end();
      else
        res
          .writeHead(200, {
            'content-type': file.name.endsWith('.png') ? 'image/png' : 'application/octet-stream',
          })
          .end(file.bytes);
      return true;
    }
    if (req.method === 'POST') {
      void post(req, res, rest);
      return true;
    }
    res.writeHead(404).end();
    return true;
  };
  return {
    routes,
    /** Ends the page's change streams, so the server can stop. */
    close() {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}

const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
