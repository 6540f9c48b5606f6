// Posting to a response_url (a command's or a button's): how Mo answers after a modal
// closes, without needing to be a member of the channel.
import type { Message } from './blocks/common.js';

export async function postToResponseUrl(url: string, message: Message): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
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
