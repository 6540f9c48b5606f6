// The bench's Slack user: signed `/mo` slash commands POSTed to a running Mo over HTTP, as
// Slack sends them, timing the ack (the HTTP answer Slack needs within 3 s) and the reply
// (its arrival at response_url, at the bench's fake Slack). bench/budget-http.ts (run.ts,
// budget-scale.ts) and bench/event-loop.ts drive Mo through it.
import { Agent, request as httpRequest } from 'node:http';
import { type BenchSlack, type Reply, signedHeaders } from './fake-slack.js';

export interface SlashSample {
  text: string;
  /** Request sent -> HTTP ack received (client, fake Slack and app may share one event loop). */
  ack: number;
  /** Request sent -> reply arrived at response_url. */
  latency: number;
  reply: Reply;
}

export interface SlashClientOptions {
  port: number;
  secret: string;
  slack: BenchSlack;
  teamId: string;
  userId: string;
  channelId: string;
  /** Sockets kept alive to Mo (requests in flight at once). */
  maxSockets: number;
  /** A reply later than this fails the bench (default 10 s). */
  replyTimeoutMs?: number;
}

export interface SlashClient {
  /** Sends `/mo TEXT` and resolves once its reply has arrived. */
  send(text: string): Promise<SlashSample>;
  close(): void;
}

/** Nearest-rank quantile. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

export function slashClient(opts: SlashClientOptions): SlashClient {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const timeoutMs = opts.replyTimeoutMs ?? 10_000;
  let seq = 0;

  /** POSTs a signed body to /slack/events; resolves with the HTTP status once the ack is back. */
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: opts.port,
          path: '/slack/events',
          method: 'POST',
          agent,
          headers: signedHeaders(opts.secret, body),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  return {
    async send(text) {
      const id = `r${++seq}`;
      const body = new URLSearchParams({
        token: 'bench-verification-token',
        team_id: opts.teamId,
        team_domain: 'bench',
        user_id: opts.userId,
        user_name: 'bench',
        channel_id: opts.channelId,
        channel_name: 'marketing-ops',
        command: '/mo',
        text,
        api_app_id: 'A0BENCH',
        is_enterprise_install: 'false',
        response_url: opts.slack.responseUrl(id),
        trigger_id: `${seq}.1.bench`,
      }).toString();
      const replied = opts.slack.reply(id);
      const sent = performance.now();
      const status = await post(body);
      const ack = performance.now() - sent;
      if (status !== 200) throw new Error(`/mo ${text}: HTTP ${status}`);
      let timer: NodeJS.Timeout | undefined;
      const reply = await Promise.race([
        replied,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`/mo ${text}: no reply in ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return { text, ack, latency: reply.at - sent, reply };
    },
    close: () => agent.destroy(),
  };
}
