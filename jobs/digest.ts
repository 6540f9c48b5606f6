// The weekly digest job: for every workspace with the digest on, the latest slot of its
// schedule (default Monday 09:00 in the workspace timezone) is due; the digest for the week
// before it is posted to the digest channel once, with its charts in the thread.
import type { WebClient } from '@slack/web-api';
import { type DigestSchedule, digestScheduleRepository } from '../src/db/digest.js';
import { dateInZone } from '../src/domain/calendar.js';
import { InvalidError } from '../src/domain/errors.js';
import { lastWeeklySlot } from '../src/domain/schedule.js';
import type { Logger } from '../src/log.js';
import { renderDigest } from '../src/services/digest.js';
import type { Mo } from '../src/services/mo.js';
import { findChannelByName } from '../src/slack/channels.js';
import { postOnce, uploadOnce } from '../src/slack/post.js';
import type { DueRun, JobDefinition } from './scheduler.js';

export const DEFAULT_DIGEST_CHANNEL = 'marketing';

export interface DigestDeps {
  mo: Mo;
  client: WebClient;
  logger: Logger;
}

export class DigestChannelError extends InvalidError {}

/** The digest channel's id: the one set, else #marketing found by name (and remembered). */
export async function digestChannel(deps: DigestDeps, schedule: DigestSchedule): Promise<string> {
  if (schedule.channelId) return schedule.channelId;
  const found = await findChannelByName(deps.client, DEFAULT_DIGEST_CHANNEL);
  if (found) {
    await digestScheduleRepository(deps.mo.db).rememberChannel(schedule.teamId, found);
    return found;
  }
  throw new DigestChannelError(
    `No #${DEFAULT_DIGEST_CHANNEL} channel for the digest: choose one with /mo digest schedule DAY HH:MM #channel`,
  );
}

/**
 * Posts the digest for the week before `at` under `key`: the message once, then each
 * chart once in its thread. A chart that failed to render is named in the message instead.
 */
export async function postDigest(
  deps: DigestDeps,
  schedule: DigestSchedule,
  run: { key: string; at: Date },
): Promise<string> {
  const settings = await deps.mo.workspaces.ensure(schedule.teamId);
  const channel = await digestChannel(deps, schedule);
  // The week is the workspace's, whatever zone the schedule keeps time in.
  const digest = await renderDigest(deps.mo, settings, { today: dateInZone(run.at, settings.timezone) });
  const posts = deps.mo.posts;
  const posted = await postOnce(deps.client, posts, {
    teamId: schedule.teamId,
    key: run.key,
    channel,
    message: digest.message,
  });
  for (const chart of digest.charts) {
    await uploadOnce(deps.client, posts, {
      teamId: schedule.teamId,
      key: `${run.key}:${chart.name}`,
      channel: posted.channel,
      threadTs: posted.ts,
      filename: chart.name,
      title: chart.title,
      altText: chart.altText,
      bytes: chart.png,
    });
  }
  const missing = digest.missingCharts.length ? `; charts missing: ${digest.missingCharts.join(', ')}` : '';
  return `${posted.fresh ? 'posted' : 'already posted'} in ${posted.channel} (ts ${posted.ts}) with ${digest.charts.length} charts${missing}`;
}

export const digestKey = (teamId: string, slot: Date) => `digest:${teamId}:${slot.toISOString()}`;

export function digestJob(deps: DigestDeps): JobDefinition {
  return {
    name: 'digest',
    async due(now: Date): Promise<DueRun[]> {
      const schedules = await digestScheduleRepository(deps.mo.db).enabled();
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
          run: () => postDigest(deps, schedule, { key: digestKey(schedule.teamId, slot), at: slot }),
        });
      }
      return due;
    },
  };
}
