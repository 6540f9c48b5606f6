// Finding a public channel by name (the digest's and alerts' default, #marketing): Mo then
// stores its id, never the name.
import type { WebClient } from '@slack/web-api';

export async function findChannelByName(client: WebClient, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  do {
    const page = await client.conversations.list({
      types: 'public_channel',
      exclude_archived: true,
      limit: 1000,
      cursor,
    });
    const found = page.channels?.find((c) => c.name === name);
    if (found?.id) return found.id;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}
