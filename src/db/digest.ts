// When and where each workspace's weekly digest goes: a weekday, a local time, a timezone
// (default: the workspace's) and a channel id (default: #marketing, looked up once).

import type { DigestSchedule } from '../domain/digest.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';

export type { DigestSchedule };

export type DigestSchedulePatch = Partial<
  Pick<DigestSchedule, 'enabled' | 'day' | 'time' | 'timezone' | 'channelId'>
>;

type Row = {
  teamId: string;
  timezone: string;
  digestEnabled: boolean;
  digestDay: number;
  digestTime: string;
  digestTimezone: string | null;
  digestChannelId: string | null;
  digestChangedAt: Date;
  createdAt: Date;
};

const select = {
  teamId: true,
  timezone: true,
  digestEnabled: true,
  digestDay: true,
  digestTime: true,
  digestTimezone: true,
  digestChannelId: true,
  digestChangedAt: true,
  createdAt: true,
} as const;

function toSchedule(row: Row): DigestSchedule {
  return {
    teamId: row.teamId,
    enabled: row.digestEnabled,
    day: row.digestDay,
    time: row.digestTime,
    timezone: row.digestTimezone,
    timeZone: row.digestTimezone ?? row.timezone,
    channelId: row.digestChannelId,
    since: new Date(Math.max(row.createdAt.getTime(), row.digestChangedAt.getTime())),
  };
}

export function digestScheduleRepository(db: Db) {
  return {
    async enabled(): Promise<DigestSchedule[]> {
      const rows = await db.workspace.findMany({ where: { digestEnabled: true }, select });
      return rows.map(toSchedule);
    },

    async get(teamId: string): Promise<DigestSchedule | null> {
      const row = await db.workspace.findUnique({ where: { teamId }, select });
      return row ? toSchedule(row) : null;
    },

    /** Changes the schedule (audited); the change time stops older slots being caught up. */
    async update(
      teamId: string,
      patch: DigestSchedulePatch,
      actor: string,
      now: Date,
    ): Promise<DigestSchedule> {
      return db.$transaction(async (tx) => {
        const before = await digestScheduleRepository(tx as Db).get(teamId);
        if (!before) throw new Error(`No workspace ${teamId}`);
        await tx.workspace.update({
          where: { teamId },
          data: {
            ...(patch.enabled !== undefined ? { digestEnabled: patch.enabled } : {}),
            ...(patch.day !== undefined ? { digestDay: patch.day } : {}),
            ...(patch.time !== undefined ? { digestTime: patch.time } : {}),
            ...(patch.timezone !== undefined ? { digestTimezone: patch.timezone } : {}),
            ...(patch.channelId !== undefined ? { digestChannelId: patch.channelId } : {}),
            digestChangedAt: now,
          },
        });
        const after = (await digestScheduleRepository(tx as Db).get(teamId)) as DigestSchedule;
        const { since: _b, ...b } = before;
        const { since: _a, ...a } = after;
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'digest.schedule',
          entity: 'workspace',
          entityId: teamId,
          before: b,
          after: a,
        });
        return after;
      });
    },

    /** Remembers the default channel found by name; not a change of schedule. */
    async rememberChannel(teamId: string, channelId: string): Promise<void> {
      await db.workspace.update({ where: { teamId }, data: { digestChannelId: channelId } });
    },
  };
}

export type DigestScheduleRepository = ReturnType<typeof digestScheduleRepository>;
