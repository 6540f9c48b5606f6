import { lastWeeklySlot } from '../src/domain/schedule.js';
import type { Logger } from '../src/log.js';
import { postDigest } from '../src/services/digest.js';
import type { Mo } from '../src/services/mo.js';
import { forWorkspace } from '../src/slack/limiter.js';
import type { WorkspaceClients } from '../src/slack/tenancy.js';
import type { DueRun, JobDefinition } from './scheduler.js';

export const digestKey = (teamId: string, slot: Date) => `digest:${teamId}:${slot.toISOString()}`;

export function digestJob(deps: { mo: Mo; logger: Logger; slack: WorkspaceClients }): JobDefinition {
  return {
    name: 'digest',
    async due(now: Date): Promise<DueRun[]> {
      const [schedules, installed] = await Promise.all([
        deps.mo.digestSchedules.enabled(),
        deps.slack.activeWorkspaceIds(),
      ]);
      const due: DueRun[] = [];
      for (const schedule of schedules) {
        // An uninstalled workspace gets nothing posted, from the next tick on.
        if (!installed.has(schedule.teamId)) continue;
        const slot = lastWeeklySlot(schedule, now);
        // A workspace or schedule newer than the slot has nothing to catch up.
        if (slot.getTime() < schedule.since.getTime()) continue;
        due.push({
          job: 'digest',
          key: `digest:${schedule.teamId}`,
          teamId: schedule.teamId,
          slot,
          run: async () =>
            postDigest(
              {
                mo: deps.mo.forTeam(schedule.teamId),
                logger: deps.logger,
                client: forWorkspace(await deps.slack.clientFor(schedule.teamId), schedule.teamId),
              },
              schedule,
              {
                key: digestKey(schedule.teamId, slot),
                at: slot,
              },
            ),
        });
      }
      return due;
    },
  };
}
