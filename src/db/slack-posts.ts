// Slack posts made under an idempotency key (src/slack/post.ts): a row is written `pending`
// before the call and `posted` with the message's ts after it.
import type { Db } from './client.js';

export interface SlackPostRow {
  teamId: string;
  key: string;
  channel: string;
  threadTs: string | null;
  ts: string | null;
  status: string;
  createdAt: Date;
}

export function slackPostRepository(db: Db) {
  return {
    async get(teamId: string, key: string): Promise<SlackPostRow | null> {
      return db.slackPost.findUnique({ where: { teamId_key: { teamId, key } } });
    },

    /** The pending row for a post about to be made (kept as it is when one exists). */
    async begin(row: {
      teamId: string;
      key: string;
      channel: string;
      threadTs?: string | null;
    }): Promise<SlackPostRow> {
      return db.slackPost.upsert({
        where: { teamId_key: { teamId: row.teamId, key: row.key } },
        create: { ...row, threadTs: row.threadTs ?? null, status: 'pending' },
        update: {},
      });
    },

    async posted(teamId: string, key: string, channel: string, ts: string): Promise<void> {
      await db.slackPost.update({
        where: { teamId_key: { teamId, key } },
        data: { status: 'posted', channel, ts },
      });
    },
  };
}

export type SlackPostRepository = ReturnType<typeof slackPostRepository>;
