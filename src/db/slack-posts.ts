// Slack posts made under an idempotency key (src/slack/post.ts): a row is written `pending`
// before the call and `posted` with the message's ts after it.
import type { Clock } from '../clock.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export interface SlackPostRow {
  teamId: string;
  key: string;
  channel: string;
  ts: string | null;
  status: string;
  createdAt: Date;
}

export function slackPostRepository(db: Db, clock: Clock) {
  return {
    async get(teamId: string, key: string): Promise<SlackPostRow | null> {
      return db.slackPost.findUnique({ where: { teamId_key: { teamId, key } } });
    },

    /** Writes the pending row for a post about to be made; false when one exists (another poster has it). */
    async begin(row: { teamId: string; key: string; channel: string }): Promise<boolean> {
      try {
        await db.slackPost.create({ data: clockStamped({ ...row, status: 'pending' }) });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return false;
        throw error;
      }
    },

    /**
     * Takes over a pending row untouched for `staleMs` on Mo's clock (its poster crashed);
     * false when it is fresh (someone is posting it now) or gone.
     */
    async takeOver(teamId: string, key: string, staleMs: number): Promise<boolean> {
      const now = clock();
      const staleBefore = new Date(now.getTime() - staleMs);
      const r = await db.slackPost.updateMany({
        where: { teamId, key, status: 'pending', updatedAt: { lt: staleBefore } },
        data: { updatedAt: now },
      });
      return r.count === 1;
    },

    /** After a failed call: the row stays pending (the post may have landed) but any later attempt may take it over. */
    async release(teamId: string, key: string): Promise<void> {
      await db.slackPost.updateMany({
        where: { teamId, key, status: 'pending' },
        data: { updatedAt: new Date(0) },
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
