// Replies to a response_url (every /mo answer): the JSON arrives whole, and a refusal or a
// silent server is an error the caller sees, never a reply taken as sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, postToResponseUrl } from '../../src/slack/respond.js';

let server: Server;
let base = '';
const received: Array<{ path: string; type: string | undefined; body: unknown }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(raw) });
      if (req.url === '/expired') return void res.writeHead(404).end('expired_url');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('postJson', () => {
  it('posts the JSON whole, several times over kept-alive sockets', async () => {
    const text = 'Budget · FY2027 — 100 % ✓';
    for (let i = 0; i < 3; i++) await postJson(`${base}/r${i}`, { text, n: i });
    expect(received.slice(-3)).toEqual(
      [0, 1, 2].map((n) => ({ path: `/r${n}`, type: 'application/json', body: { text, n } })),
    );
  });

  it('rejects when Slack refuses the reply, or the URL cannot be reached', async () => {
    await expect(postJson(`${base}/expired`, { text: 'x' })).rejects.toThrow('response_url answered 404');
    await expect(postJson('http://127.0.0.1:1/nothing', { text: 'x' })).rejects.toThrow();
    await expect(postJson('not a url', { text: 'x' })).rejects.toThrow();
  });

  it('answers ephemerally unless told otherwise (postToResponseUrl)', async () => {
    await postToResponseUrl(`${base}/e`, { text: 'hi', blocks: [] });
    expect(received.at(-1)?.body).toEqual({ response_type: 'ephemeral', text: 'hi', blocks: [] });
  });
});
