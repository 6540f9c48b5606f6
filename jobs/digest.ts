import { lastWeeklySlot } from '../src/domain/schedule.js';
import { type DigestDeps, postDigest } from '../src/services/digest.js';
import { forWorkspace } from '../src/slack/limiter.js';
import type { DueRun, JobDefinition } from './scheduler.js';

export const digestKey = (teamId: string, slot: Date) => `digest:${teamId}:${slot.toISOString()}`;

export function digestJob(deps: DigestDeps): JobDefinition {
  return {
    name: 'digest',
    async due(now: Date): Promise<DueRun[]> {
      const schedules = await deps.mo.digestSchedules.enabled();
      const due: DueRun[] = [];
      for (const schedule of schedules) {
        const slot = lastWeeklySlot(schedule, now);
        // A workspace or schedule newer than the slot has nothing to catch up.
        if (slot.getTime() < schedule.since.getTime()) continue;
        due.push({
          job: 'digest',
          key: `digest:${schedule.teamId}`,
          teamId: schedule.teamId,
          slot,
          run: () =>
            postDigest({ ...deps, client: forWorkspace(deps.client, schedule.teamId) }, schedule, {
              key: digestKey(schedule.teamId, slot),
              at: slot,
            }),
        });
      }
      return due;
    },
  };
}
