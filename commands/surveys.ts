// /mo survey start|close|results|list: maturity surveys run in a channel; the invitation's
// button opens the modal (commands/index.ts), answers are scored from the template's data.

import { z } from 'zod';
import { isIsoDate } from '../src/domain/calendar.js';
import { zonedInstant } from '../src/domain/schedule.js';
import type { SurveyRow } from '../src/domain/surveys.js';
import { DEFAULT_TEMPLATE, templateById, templates } from '../src/ingest/surveys.js';
import { closeSurvey, resultsReply, startSurvey, surveyResults } from '../src/services/surveys.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { channelMention, escapeMrkdwn, parseChannelRef } from '../src/slack/mrkdwn.js';
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

const DEFAULT_DAYS = 7;

export const surveyStartArgs = z.array(z.string()).transform((args, ctx) => {
  const out: { template: string; channel?: string; closes?: string; days?: number; anonymous: boolean } = {
    template: DEFAULT_TEMPLATE,
    anonymous: true,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--anonymous') out.anonymous = true;
    else if (a === '--named') out.anonymous = false;
    else if (a === '--closes') {
      const d = args[++i];
      if (!d || !isIsoDate(d))
        ctx.addIssue({ code: 'custom', message: '--closes takes a date like 2026-12-04' });
      else out.closes = d;
    } else if (a === '--days') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 90)
        ctx.addIssue({ code: 'custom', message: '--days takes 1 to 90' });
      else out.days = n;
    } else if (parseChannelRef(a)) out.channel = parseChannelRef(a);
    else if (a.startsWith('#'))
      ctx.addIssue({
        code: 'custom',
        message: `pick ${a} from Slack's channel suggestions so Mo gets its id`,
      });
    else if (a.startsWith('--')) ctx.addIssue({ code: 'custom', message: `unknown option ${a}` });
    else out.template = a.toLowerCase();
  }
  if (out.closes && out.days) ctx.addIssue({ code: 'custom', message: 'give --closes or --days, not both' });
  return out;
});

function templateList(): string {
  return [...templates().values()].map((t) => `\`${t.id}\` (${t.name})`).join(', ');
}

export const surveyStart = defineSubcommand({
  name: 'survey start',
  usage: '/mo survey start [template] [#channel] [--closes YYYY-MM-DD|--days N] [--anonymous|--named]',
  summary: 'invite a channel to a maturity survey (admins; anonymous by default, 7 days)',
  schema: surveyStartArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'start a survey');
    const slack = slackOf(env, 'a survey runs in Slack: start it there');
    const template = templateById(args.template);
    if (!template) throw new UsageError(`no survey template "${args.template}": ${templateList()}`);
    const settings = await workspaceFor(env, req);
    const now = env.mo.clock();
    const closesAt = args.closes
      ? zonedInstant(args.closes, '17:00', settings.timezone)
      : new Date(now.getTime() + (args.days ?? DEFAULT_DAYS) * 86_400_000);
    if (closesAt.getTime() <= now.getTime()) throw new UsageError('the closing date must be in the future');
    const channelId = args.channel ?? req.channelId;
    try {
      const survey = await startSurvey(env.mo, slack.client, {
        userId: req.userId,
        channelId,
        templateId: template.id,
        closesAt,
        anonymous: args.anonymous,
      });
      return message(
        textMessage(
          `:white_check_mark: The *${escapeMrkdwn(template.name)}* survey is open in ${channelMention(channelId)} ` +
            `until ${closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (${args.anonymous ? 'anonymous' : 'named'}). ` +
            `Survey id \`${survey.id}\`; close it early with \`/mo survey close\`.`,
        ),
      );
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error;
      if (code === 'not_in_channel' || code === 'channel_not_found')
        throw new UsageError(
          'Mo cannot post in that channel: invite it first (/invite @Mo), then start the survey again',
        );
      throw e;
    }
  },
});

async function pickSurvey(env: CommandEnv, id: string | undefined, open?: boolean): Promise<SurveyRow> {
  const surveys = env.mo.surveys;
  const survey = id ? await surveys.get(id) : await surveys.latest(open);
  if (!survey)
    throw new UsageError(
      id ? `no survey ${id}: see /mo survey list` : 'no survey yet: start one with /mo survey start',
    );
  return survey;
}

const optionalId = z.array(z.string()).max(1, 'takes at most a survey id');

export const surveyClose = defineSubcommand({
  name: 'survey close',
  usage: '/mo survey close [survey-id]',
  summary: 'close a survey now and post its results (admins)',
  schema: optionalId,
  async run([id], req, env) {
    await requireAdmin(env, req, 'close a survey');
    const slack = slackOf(env, 'closing posts the results in Slack: close it there');
    const survey = await pickSurvey(env, id, true);
    if (survey.closedAt) throw new UsageError('that survey is closed already: see /mo survey results');
    const detail = await closeSurvey(env.mo, slack.client, survey);
    return message(textMessage(`:white_check_mark: Survey ${survey.id} ${detail}.`));
  },
});

export const surveyResultsCommand = defineSubcommand({
  name: 'survey results',
  usage: '/mo survey results [survey-id]',
  summary: 'the results so far (from 3 responses)',
  schema: optionalId,
  async run([id], _req, env) {
    const survey = await pickSurvey(env, id);
    return message(resultsReply(await surveyResults(env.mo, survey), survey.closedAt !== null));
  },
});

export const surveyList = defineSubcommand({
  name: 'survey list',
  usage: '/mo survey list',
  summary: 'surveys, open and closed',
  schema: noArgs(),
  async run(_args, _req, env) {
    const surveys = env.mo.surveys;
    const rows = await surveys.list();
    if (!rows.length)
      return message(
        textMessage(`No surveys yet. Templates: ${templateList()}. Start one with \`/mo survey start\`.`),
      );
    const counts = await surveys.counts(rows.map((s) => s.id));
    const lines = rows.map((s) => {
      const name = templateById(s.templateId)?.name ?? s.templateId;
      const state = s.closedAt
        ? `closed ${s.closedAt.toISOString().slice(0, 10)}`
        : `open until ${s.closesAt.toISOString().slice(0, 10)}`;
      return `• \`${s.id}\` ${escapeMrkdwn(name)} in ${channelMention(s.channelId)} · ${state} · ${counts.get(s.id) ?? 0} responses`;
    });
    return message(textMessage(`*Surveys*\n${lines.join('\n')}`));
  },
});
