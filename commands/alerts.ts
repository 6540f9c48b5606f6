// /mo alerts: the budget alert rules, their thresholds and channel (admins change them,
// audited), the recent alerts; and what the alert buttons do (acknowledge, snooze, open).

import { z } from 'zod';
import {
  type AlertSettings,
  applyAlertSetting,
  describeSettings,
  setRuleEnabled,
} from '../src/domain/alerts.js';
import { alertHistoryMessage } from '../src/slack/blocks/alerts.js';
import { type Message, textMessage } from '../src/slack/blocks/common.js';
import { channelMention, escapeMrkdwn, parseChannelRef } from '../src/slack/mrkdwn.js';
import { noArgs } from './args.js';
import { showBudget } from './budget.js';
import {
  type CommandEnv,
  defineSubcommand,
  message,
  requireAdmin,
  UsageError,
  workspaceFor,
} from './types.js';

async function describe(env: CommandEnv, prefix = ''): Promise<Message> {
  const { settings, channelId } = await env.mo.alerts.settings();
  const where = channelId ? channelMention(channelId) : 'the digest channel (#marketing by default)';
  return textMessage(
    `${prefix}*Budget alerts* go to ${where}, and to each line's owner by DM. Rules:\n` +
      describeSettings(settings)
        .map((l) => `• ${l}`)
        .join('\n') +
      '\nAlerts found between 20:00 and 09:00 (workspace time) wait until 09:00. ' +
      'Change with `/mo alerts set RULE VALUE`, `/mo alerts off RULE`, `/mo alerts on RULE`, `/mo alerts channel #channel`.',
  );
}

export const alertsShow = defineSubcommand({
  name: 'alerts',
  usage: '/mo alerts [set RULE VALUE|off RULE|on RULE|channel #channel|history]',
  summary: 'budget alert rules, thresholds and channel; recent alerts',
  schema: noArgs(),
  async run(_args, req, env) {
    await workspaceFor(env, req);
    return message(await describe(env));
  },
});

const ruleArg = z.tuple([z.string()], { message: 'name the rule: consumed, forecast or pacing' });

async function changeRules(
  env: CommandEnv,
  req: { userId: string },
  change: (settings: AlertSettings) => AlertSettings,
): Promise<Message> {
  await requireAdmin(env, req, 'change alert rules');
  await workspaceFor(env, req);
  const repo = env.mo.alerts;
  const { settings } = await repo.settings();
  await repo.updateSettings({ settings: change(settings) }, req.userId);
  env.mo.figuresChanged();
  return describe(env, ':white_check_mark: Saved. ');
}

export const alertsSet = defineSubcommand({
  name: 'alerts set',
  usage: '/mo alerts set consumed|forecast|pacing VALUE',
  summary: 'a rule’s threshold in percent; consumed takes a list like 80,95,100 (admins)',
  schema: z.tuple([z.string(), z.string()], { message: 'give a rule and a value, e.g. forecast 8' }),
  async run([rule, value], req, env) {
    return message(await changeRules(env, req, (s) => applyAlertSetting(s, rule.toLowerCase(), value)));
  },
});

export const alertsOff = defineSubcommand({
  name: 'alerts off',
  usage: '/mo alerts off consumed|forecast|pacing',
  summary: 'turn a rule off (admins)',
  schema: ruleArg,
  async run([rule], req, env) {
    return message(await changeRules(env, req, (s) => setRuleEnabled(s, rule.toLowerCase(), false)));
  },
});

export const alertsOn = defineSubcommand({
  name: 'alerts on',
  usage: '/mo alerts on consumed|forecast|pacing',
  summary: 'turn a rule back on (admins)',
  schema: ruleArg,
  async run([rule], req, env) {
    return message(await changeRules(env, req, (s) => setRuleEnabled(s, rule.toLowerCase(), true)));
  },
});

export const alertsChannel = defineSubcommand({
  name: 'alerts channel',
  usage: '/mo alerts channel #channel',
  summary: 'where budget alerts go (admins)',
  schema: z.tuple([z.string()], { message: 'name the channel, e.g. #marketing-ops' }),
  async run([ref], req, env) {
    await requireAdmin(env, req, 'choose the alerts channel');
    const channelId = parseChannelRef(ref);
    if (!channelId) throw new UsageError(`pick ${ref} from Slack's channel suggestions so Mo gets its id`);
    await workspaceFor(env, req);
    await env.mo.alerts.updateSettings({ channelId }, req.userId);
    return message(await describe(env, ':white_check_mark: Saved. '));
  },
});

export const alertsHistory = defineSubcommand({
  name: 'alerts history',
  usage: '/mo alerts history',
  summary: 'recent budget alerts and their state',
  schema: noArgs(),
  async run(_args, req, env) {
    const settings = await workspaceFor(env, req);
    const rows = await env.mo.alerts.history(40);
    return message(alertHistoryMessage(rows, settings.currency));
  },
});

/** "Open budget": the /mo budget view of the alert's line. */
export async function alertBudgetView(env: CommandEnv, who: { userId: string }, alertId: string) {
  const alert = await env.mo.alerts.get(alertId);
  if (!alert) return textMessage('That alert no longer exists.');
  try {
    return await showBudget(env, who, { period: alert.period, category: alert.category });
  } catch (e) {
    return textMessage(`:warning: ${escapeMrkdwn((e as Error).message)}`);
  }
}
