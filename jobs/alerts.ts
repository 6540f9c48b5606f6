// Budget alerts, hourly: the safety net behind the evaluation that follows every import,
// spend entry and plan change. Each workspace with a live plan is evaluated once an hour
// (one process, by the scheduler's lease), and alerts held by quiet hours go out at 09:00.
import { addDays, dateInZone } from '../src/domain/calendar.js';
import { lastHourlySlot } from '../src/domain/schedule.js';
import type { Logger } from '../src/log.js';
import { evaluateAndDeliver } from '../src/services/alerts.js';
import type { Mo } from '../src/services/mo.js';
import { forWorkspace } from '../src/slack/limiter.js';
import type { WorkspaceClients } from '../src/slack/tenancy.js';
import type { DueRun, JobDefinition } from './scheduler.js';

type AlertsDeps = { mo: Mo; slack: WorkspaceClients; logger: Logger };

export function alertsJob(deps: AlertsDeps): JobDefinition {
  return {
    name: 'alerts',
    async due(now: Date): Promise<DueRun[]> {
      const slot = lastHourlySlot(now);
      // A day's margin for timezones ahead of UTC: lines that ended are skipped per workspace.
      const [teams, installed] = await Promise.all([
        deps.mo.alerts.teamsWithLines(addDays(dateInZone(now, 'UTC'), -1)),
        deps.slack.activeWorkspaceIds(),
      ]);
      // An uninstalled workspace is not evaluated, so nothing is posted for it.
      return teams
        .filter((teamId) => installed.has(teamId))
        .map((teamId) => ({
          job: 'alerts',
          key: `alerts:${teamId}`,
          teamId,
          slot,
          run: async () =>
            evaluateAndDeliver(
              deps.mo.forTeam(teamId),
              forWorkspace(await deps.slack.clientFor(teamId), teamId),
              now,
            ),
        }));
    },
  };
}

/**
 * Evaluates a workspace soon after its figures change (an import, a spend entry, a new
 * plan), coalescing a burst of changes into one evaluation.
 */
export function alertsOnChange(deps: AlertsDeps, delayMs = 2000) {
  const pending = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const listener = (teamId: string) => {
    clearTimeout(pending.get(teamId));
    const timer = setTimeout(() => {
      pending.delete(teamId);
      const run = deps.slack
        .activeWorkspaceIds()
        .then(async (installed) =>
          installed.has(teamId)
            ? evaluateAndDeliver(
                deps.mo.forTeam(teamId),
                forWorkspace(await deps.slack.clientFor(teamId), teamId),
              )
            : 'skipped: not installed',
        )
        .then((detail) => deps.logger.info(`alerts for ${teamId}: ${detail}`))
        .catch((error) => deps.logger.error(`alerts for ${teamId} failed`, error))
        .finally(() => inFlight.delete(run));
      inFlight.add(run);
    }, delayMs);
    timer.unref();
    pending.set(teamId, timer);
  };
  deps.mo.events.on('figures', listener);
  return {
    async stop() {
      deps.mo.events.off('figures', listener);
      for (const t of pending.values()) clearTimeout(t);
      await Promise.allSettled([...inFlight]);
    },
  };
}
