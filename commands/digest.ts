// /mo digest [preview|now|schedule DAY HH:MM [timezone] [#channel]|off]: the weekly digest
// of spend, leads and pipeline, on demand and on its schedule.

import { z } from 'zod';
import { isTimeZone } from '../src/domain/calendar.js';
import type { DigestSchedule } from '../src/domain/digest.js';
import { nextWeeklySlot, parseClockTime, parseWeekday, weekdayName } from '../src/domain/schedule.js';
import { postDigestNow, renderDigest } from '../src/services/digest.js';
import { todayIn } from '../src/services/team-scope.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { uploadToDm } from '../src/slack/files.js';
import { channelMention, escapeMrkdwn, parseChannelRef, slackDate } from '../src/slack/mrkdwn.js';
import { noArgs } from './args.js';
import {
  type CommandEnv,
  defineSubcommand,
  message,
  requireAdmin,
  slackOf,
  UsageError,
  workspaceFor,
} from './types.js';

function describeSchedule(s: DigestSchedule, now: Date): string {
  if (!s.enabled) return 'The weekly digest is *off*. Turn it on with `/mo digest schedule monday 09:00`.';
  const where = s.channelId ? channelMention(s.channelId) : '#marketing';
  const next = nextWeeklySlot(s, now);
  const when = slackDate(next);
  return `The weekly digest goes to ${where} every *${weekdayName(s.day)} at ${s.time}* (${escapeMrkdwn(s.timeZone)}). Next: ${when}.`;
}

async function scheduleOf(env: CommandEnv): Promise<DigestSchedule> {
  return (await env.mo.digestSchedules.get()) as DigestSchedule;
}

export const digestStatus = defineSubcommand({
  name: 'digest',
  usage: '/mo digest [preview|now|schedule DAY HH:MM [timezone] [#channel]|off]',
  summary: 'the weekly digest: when and where it goes, and its last runs',
  schema: noArgs(),
  async run(_args, req, env) {
    await workspaceFor(env, req);
    const schedule = await scheduleOf(env);
    const runs = await env.mo.jobs.recent({ limit: 3 });
    const lines = runs.map(
      (r) =>
        `• ${r.slot.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${r.status}${r.detail ? ` · ${escapeMrkdwn(r.detail)}` : ''}`,
    );
    return message(
      textMessage(
        `${describeSchedule(schedule, env.mo.clock())}${lines.length ? `\n*Recent runs*\n${lines.join('\n')}` : ''}\n` +
          'Preview it with `/mo digest preview`.',
      ),
    );
  },
});

export const digestPreview = defineSubcommand({
  name: 'digest preview',
  usage: '/mo digest preview',
  summary: 'the digest as it stands, only to you, with its charts',
  schema: noArgs(),
  async run(_args, req, env) {
    const settings = await workspaceFor(env, req);
    const slack = env.slack;
    const digest = await renderDigest(env.mo, settings, {
      today: todayIn(env.mo, settings.timezone),
      chartsGo: slack ? 'dm' : 'none',
    });
    if (!slack || !digest.charts.length) return message(digest.message);
    // Ephemeral messages cannot carry files: the charts go to the asker in a DM.
    return {
      kind: 'message',
      message: digest.message,
      followUp: async () => {
        await uploadToDm(slack.client, req.userId, digest.charts, 'Charts for your digest preview');
        return undefined;
      },
    };
  },
});

export const digestNow = defineSubcommand({
  name: 'digest now',
  usage: '/mo digest now',
  summary: 'post the digest to its channel now (admins)',
  schema: noArgs(),
  async run(_args, req, env) {
    await requireAdmin(env, req, 'post the digest');
    const slack = slackOf(env, 'posting needs Slack; locally, use `mo digest --team T --out DIR`');
    await workspaceFor(env, req);
    const deps = { mo: env.mo, client: slack.client, logger: slack.logger };
    return {
      kind: 'message',
      message: textMessage(':hourglass_flowing_sand: Posting the digest…'),
      followUp: async () => {
        const outcome = await postDigestNow(deps, req.userId);
        if (outcome.status === 'succeeded')
          return textMessage(`:white_check_mark: Digest ${outcome.detail}.`);
        if (outcome.status === 'failed')
          return textMessage(`:warning: The digest was not posted: ${escapeMrkdwn(outcome.detail)}`);
        return textMessage('The digest is already being posted.');
      },
    };
  },
});

export const digestScheduleArgs = z
  .array(z.string())
  .min(2, 'give a day and a time, e.g. monday 09:00')
  .max(4, 'give a day, a time, and optionally a timezone and a #channel')
  .transform((args, ctx) => {
    const [dayText, timeText, ...rest] = args as [string, string, ...string[]];
    const day = parseWeekday(dayText);
    const time = parseClockTime(timeText);
    if (!day) ctx.addIssue({ code: 'custom', message: `"${dayText}" is not a day of the week` });
    if (!time) ctx.addIssue({ code: 'custom', message: `"${timeText}" is not a time like 09:00` });
    let timezone: string | undefined;
    let channelId: string | undefined;
    for (const word of rest) {
      const channel = parseChannelRef(word);
      if (channel) channelId = channel;
      else if (word.startsWith('#'))
        ctx.addIssue({
          code: 'custom',
          message: `pick ${word} from Slack's channel suggestions so Mo gets its id`,
        });
      else if (isTimeZone(word) && word.includes('/')) timezone = word;
      else if (word.toUpperCase() === 'UTC') timezone = 'UTC';
      else
        ctx.addIssue({
          code: 'custom',
          message: `"${word}" is neither an IANA timezone (America/New_York) nor a #channel`,
        });
    }
    return { day: day ?? 1, time: time ?? '09:00', timezone, channelId };
  });

export const digestSchedule = defineSubcommand({
  name: 'digest schedule',
  usage: '/mo digest schedule DAY HH:MM [IANA-timezone] [#channel]',
  summary: 'when and where the weekly digest goes (admins)',
  schema: digestScheduleArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'schedule the digest');
    await workspaceFor(env, req);
    if (args.channelId && env.slack) {
      const info = await env.slack.client.conversations
        .info({ channel: args.channelId })
        .catch(() => undefined);
      if (info?.channel && info.channel.is_member === false && info.channel.is_private)
        throw new UsageError('invite Mo to that private channel first (/invite @Mo)');
    }
    const after = await env.mo.digestSchedules.update(
      {
        enabled: true,
        day: args.day,
        time: args.time,
        ...(args.timezone ? { timezone: args.timezone } : {}),
        ...(args.channelId ? { channelId: args.channelId } : {}),
      },
      req.userId,
      env.mo.clock(),
    );
    return message(textMessage(`:calendar: Saved. ${describeSchedule(after, env.mo.clock())}`));
  },
});

export const digestOff = defineSubcommand({
  name: 'digest off',
  usage: '/mo digest off',
  summary: 'stop the weekly digest (admins)',
  schema: noArgs(),
  async run(_args, req, env) {
    await requireAdmin(env, req, 'turn the digest off');
    await workspaceFor(env, req);
    const after = await env.mo.digestSchedules.update({ enabled: false }, req.userId, env.mo.clock());
    return message(textMessage(describeSchedule(after, env.mo.clock())));
  },
});
