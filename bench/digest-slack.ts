// The digest bench's Slack: a separate in-process HTTP server answering the calls a digest
// makes (chat.postMessage, files.getUploadURLExternal, the upload, files.completeUploadExternal,
// and conversations.history/replies should a post be retried), each after a fixed latency
// (100 ms: Slack's typical answer), and counting what landed per channel so the bench can
// check that every digest arrived once with its charts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DigestSlack {
  apiUrl: string;
  /** Web API calls by method (uploads as 'upload'). */
  calls: Map<string, number>;
  /** Top-level messages by idempotency key (from the message metadata): 1 each when all is well. */
  postsByKey: Map<string, number>;
  /** Files completed per channel. */
  filesByChannel: Map<string, number>;
  /** performance.now() of the first and the last call. */
  first: number;
  last: number;
  reset(): void;
  close(): Promise<void>;
}

const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export async function startDigestSlack(latencyMs: number): Promise<DigestSlack> {
  let ids = 0;
  const state: Omit<DigestSlack, 'apiUrl' | 'close' | 'reset'> = {
    calls: new Map(),
    postsByKey: new Map(),
    filesByChannel: new Map(),
    first: 0,
    last: 0,
  };
  const json = (res: ServerResponse, body: unknown) =>
    setTimeout(() => {
      state.last = performance.now();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, latencyMs);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!state.first) state.first = performance.now();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path.startsWith('/upload/')) {
        count(state.calls, 'upload');
        return json(res, { ok: true });
      }
      const method = /^\/api\/([\w.]+)$/.exec(path)?.[1] ?? 'unknown';
      count(state.calls, method);
      const raw = Buffer.concat(chunks).toString('utf8');
      const args = req.headers['content-type']?.includes('json')
        ? new Map(Object.entries(JSON.parse(raw || '{}')).map(([k, v]) => [k, String(v)]))
        : new Map(new URLSearchParams(raw));
      const base = `http://${req.headers.host}`;
      switch (method) {
        case 'chat.postMessage': {
          const channel = args.get('channel') ?? '';
          const key = JSON.parse(args.get('metadata') ?? '{}')?.event_payload?.key ?? '';
          if (!args.get('thread_ts')) count(state.postsByKey, key);
          return json(res, { ok: true, channel, ts: `1763000000.${String(++ids).padStart(6, '0')}` });
        }
        case 'files.getUploadURLExternal': {
          const id = `F${++ids}`;
          return json(res, { ok: true, upload_url: `${base}/upload/${id}`, file_id: id });
        }
        case 'files.completeUploadExternal': {
          const files = JSON.parse(args.get('files') ?? '[]') as Array<{ id: string; title?: string }>;
          for (let i = 0; i < files.length; i++) count(state.filesByChannel, args.get('channel_id') ?? '');
          return json(res, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) });
        }
        case 'conversations.history':
        case 'conversations.replies':
          return json(res, { ok: true, messages: [], has_more: false });
        default:
          return json(res, { ok: true });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    reset() {
      state.calls.clear();
      state.postsByKey.clear();
      state.filesByChannel.clear();
      state.first = 0;
      state.last = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
