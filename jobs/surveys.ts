// Maturity surveys on the scheduler: at most two reminders (halfway, and a day before the
// close) and the automatic close at the deadline, each run once across processes.
import type { Logger } from '../src/log.js';
import type { Mo } from '../src/services/mo.js';
import { closeSurvey, remindSurvey } from '../src/services/surveys.js';
import { forWorkspace } from '../src/slack/limiter.js';
import type { WorkspaceClients } from '../src/slack/tenancy.js';
import { CATCH_UP_MS, type DueRun, type JobDefinition } from './scheduler.js';

const DAY = 86_400_000;

/** Reminder instants: halfway, and a day before the close when that is later; at most two. */
export function reminderSlots(opensAt: Date, closesAt: Date): Date[] {
  const half = new Date(opensAt.getTime() + Math.floor((closesAt.getTime() - opensAt.getTime()) / 2));
  const dayBefore = new Date(closesAt.getTime() - DAY);
  return dayBefore.getTime() > half.getTime() ? [half, dayBefore] : [half];
}

export function surveysJob(deps: {
  mo: Mo;
  slack: WorkspaceClients;
  logger: Logger;
  secret: string;
}): JobDefinition {
  return {
    name: 'surveys',
    async due(now: Date): Promise<DueRun[]> {
      const [open, installed] = await Promise.all([deps.mo.surveys.open(), deps.slack.activeWorkspaceIds()]);
      const due: DueRun[] = [];
      for (const survey of open) {
        if (!installed.has(survey.teamId)) continue;
        if (survey.closesAt.getTime() <= now.getTime()) {
          // A close is never dropped: past the catch-up window it runs in the current hour.
          const late = now.getTime() - survey.closesAt.getTime() > CATCH_UP_MS;
          due.push({
            job: 'survey.close',
            key: `survey.close:${survey.id}`,
            teamId: survey.teamId,
            slot: late ? new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000) : survey.closesAt,
            run: async () =>
              closeSurvey(
                deps.mo.forTeam(survey.teamId),
                forWorkspace(await deps.slack.clientFor(survey.teamId), survey.teamId),
                survey,
              ),
          });
          continue;
        }
        reminderSlots(survey.opensAt, survey.closesAt).forEach((slot, i) => {
          if (slot.getTime() <= now.getTime())
            due.push({
              job: 'survey.remind',
              key: `survey.remind:${survey.id}:${i + 1}`,
              teamId: survey.teamId,
              slot,
              run: async () =>
                remindSurvey(
                  deps.mo.forTeam(survey.teamId),
                  forWorkspace(await deps.slack.clientFor(survey.teamId), survey.teamId),
                  deps.secret,
                  survey,
                  i + 1,
                ),
            });
        });
      }
      return due;
    },
  };
}
