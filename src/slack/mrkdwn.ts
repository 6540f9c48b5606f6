// Every user- or file-supplied string that reaches mrkdwn goes through escapeMrkdwn: a
// campaign called <!channel> must never ping a channel.
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Safe inside a ``` block: escaped, and unable to close the block early. */
export function escapeCode(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, "'");
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const userMention = (userId: string) => `<@${userId.replace(/[^A-Z0-9]/gi, '')}>`;

const USER_REF = /^<?@?([UW][A-Z0-9]{2,})(\|[^>]*)?>?$/;

/** A Slack user id from what people or files write: `U012AB`, `@U012AB`, `<@U012AB|dana>`. */
export function parseUserRef(text: string): string | undefined {
  return USER_REF.exec(text.trim())?.[1];
}

const CHANNEL_REF = /^<#([CG][A-Z0-9]{2,})(\|[^>]*)?>$/;

/** A channel id from Slack's escaped mention (`<#C012AB|marketing>`) or a bare id. */
export function parseChannelRef(text: string): string | undefined {
  const t = text.trim();
  return CHANNEL_REF.exec(t)?.[1] ?? (/^C[A-Z0-9]{6,}$/.test(t) ? t : undefined);
}

export const channelMention = (channelId: string) => `<#${channelId.replace(/[^A-Z0-9]/gi, '')}>`;

/** A date Slack shows in each reader's own timezone (`<!date^…>`), with the ISO instant as fallback. */
export function slackDate(instant: Date, style: 'short' | 'long' = 'short'): string {
  const token = style === 'long' ? '{date_long_pretty} at {time}' : '{date_short_pretty} at {time}';
  return `<!date^${Math.floor(instant.getTime() / 1000)}^${token}|${instant.toISOString()}>`;
}
