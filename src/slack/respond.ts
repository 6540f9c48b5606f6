// Posting to a response_url (a command's or a button's): how Mo answers after a modal
// closes, without needing to be a member of the channel.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Message } from './blocks/common.js';

// Every /mo reply is a POST to its response_url: node:http with kept-alive sockets costs a
// fraction of fetch's CPU per call (undici's web streams), which a busy Mo pays per command.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
const TIMEOUT_MS = 10_000;

/** POSTs `body` as JSON; rejects on a status other than 2xx, a network error or a timeout. */
export async function postJson(url: string, body: unknown): Promise<void> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`response_url answered ${status}`));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`response_url did not answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function postToResponseUrl(url: string, message: Message): Promise<void> {
  await postJson(url, { response_type: 'ephemeral', ...message });
}

/** Adds the response_url to a modal's private_metadata so its submission can answer there. */
export function withResponseUrl<V extends { private_metadata?: string }>(
  view: V,
  responseUrl: string | undefined,
): V {
  if (!responseUrl) return view;
  const meta = JSON.parse(view.private_metadata || '{}') as Record<string, unknown>;
  return { ...view, private_metadata: JSON.stringify({ ...meta, responseUrl }) };
}

export function responseUrlOf(privateMetadata: string | undefined): string | undefined {
  const { responseUrl } = metadataOf(privateMetadata);
  return typeof responseUrl === 'string' ? responseUrl : undefined;
}

/** A modal's private_metadata as Mo wrote it (an object), or nothing usable: {}. */
export function metadataOf(privateMetadata: string | undefined): Record<string, unknown> {
  try {
    const meta = JSON.parse(privateMetadata || '{}') as unknown;
    return typeof meta === 'object' && meta !== null && !Array.isArray(meta)
      ? (meta as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
