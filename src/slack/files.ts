// Charts sent privately: ephemeral replies cannot carry files, so a person's own charts go
// to their DM with Mo (files.uploadV2: getUploadURLExternal, the bytes, completeUploadExternal).
import type { WebClient } from '@slack/web-api';

export interface ChartFile {
  name: string;
  title: string;
  altText: string;
  png: Buffer;
}

export async function uploadToDm(
  client: WebClient,
  userId: string,
  files: ChartFile[],
  comment: string,
): Promise<string> {
  const dm = await client.conversations.open({ users: userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error(`Slack did not open a DM with ${userId}`);
  await client.files.uploadV2({
    channel_id: channel,
    initial_comment: comment,
    file_uploads: files.map((f) => ({ file: f.png, filename: f.name, title: f.title, alt_text: f.altText })),
  });
  return channel;
}
