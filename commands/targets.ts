// /mo target set METRIC AMOUNT PERIOD and /mo target list: goals the digest compares against.

import { z } from 'zod';
import { requirePeriod } from '../src/domain/calendar.js';
import { formatMoney, MAX_AMOUNT_MAJOR, parseAmount } from '../src/domain/money.js';
import { PERF_TARGET_METRICS } from '../src/domain/perf.js';
import {
  isFunnelMetric,
  isMoneyMetric,
  isPerfMetric,
  TARGET_METRICS,
  type TargetMetric,
} from '../src/domain/targets.js';
import { setPerfTarget, showPerfTarget } from '../src/services/perf.js';
import { todayIn } from '../src/services/team-scope.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { noArgs, takeFlags } from './args.js';
import { defineSubcommand, message, requireAdmin, UsageError, workspaceFor } from './types.js';

/**
 * `METRIC AMOUNT PERIOD` for the funnel's targets; `METRIC AMOUNT [PERIOD] [--category C]` for
 * the channel targets of /mo perf (without a period they stand for every period).
 */
export const targetSetArgs = z.array(z.string()).transform((all, ctx) => {
  const { flags, words } = takeFlags(all, ['category']);
  const metric = TARGET_METRICS.find((m) => m === words[0]?.toLowerCase());
  if (!metric) {
    ctx.addIssue({ code: 'custom', message: `the metric is one of ${TARGET_METRICS.join(', ')}` });
    return z.NEVER;
  }
  const [, amount, period, ...extra] = words;
  const category = flags.get('category');
  if (!amount || extra.length || (isFunnelMetric(metric) && !period)) {
    ctx.addIssue({
      code: 'custom',
      message: isFunnelMetric(metric)
        ? 'give a metric, an amount and a period'
        : 'give a metric, an amount and optionally a period',
    });
    return z.NEVER;
  }
  if (category !== undefined && (isFunnelMetric(metric) || typeof category !== 'string' || !category)) {
    ctx.addIssue({
      code: 'custom',
      message: isFunnelMetric(metric)
        ? `--category is for ${PERF_TARGET_METRICS.join(', ')}`
        : '--category needs a category',
    });
    return z.NEVER;
  }
  return { metric, amount, period, category: category as string | undefined };
});

const show = (metric: TargetMetric, value: bigint, currency: string) =>
  isMoneyMetric(metric) ? formatMoney(value, currency) : value.toLocaleString('en-US');

export const targetSet = defineSubcommand({
  name: 'target set',
  usage:
    '/mo target set leads|mqls|sqls|pipeline|won AMOUNT PERIOD · /mo target set cpl|pipeline_to_spend|cost_per_opportunity AMOUNT [PERIOD] [--category C]',
  summary: 'set a target the digest and /mo perf report against (admins)',
  schema: targetSetArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'set targets');
    const settings = await workspaceFor(env, req);
    if (isPerfMetric(args.metric)) {
      const metric = args.metric;
      const set = await setPerfTarget(env.mo, settings, { ...args, metric }, req.userId);
      const scope = `${set.category ? `*${escapeMrkdwn(set.category)}*` : 'every category'} in ${set.period ? `*${set.period.key}*` : 'every period'}`;
      const was =
        set.before === null ? '' : ` (was ${showPerfTarget(metric, set.before, settings.currency)})`;
      return message(
        textMessage(
          `:dart: Target for *${metric}* for ${scope} is now *${showPerfTarget(metric, set.value, settings.currency)}*${was}.`,
        ),
      );
    }
    const period = requirePeriod(
      args.period ?? '',
      todayIn(env.mo, settings.timezone),
      settings.fiscalStartMonth,
    );
    let value: bigint;
    if (isMoneyMetric(args.metric)) {
      value = parseAmount(args.amount, settings.currency);
    } else {
      if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(args.amount))
        throw new UsageError(`"${args.amount}" is not a whole number of ${args.metric}`);
      value = BigInt(args.amount.replace(/,/g, ''));
      if (value > MAX_AMOUNT_MAJOR) throw new UsageError(`"${args.amount}" is too large for a target`);
    }
    if (value < 0n) throw new UsageError('a target cannot be negative');
    const { before } = await env.mo.targets.set(args.metric, period.key, value, req.userId);
    const was = before === null ? '' : ` (was ${show(args.metric, before, settings.currency)})`;
    return message(
      textMessage(
        `:dart: Target for *${args.metric}* in *${period.key}* is now *${show(args.metric, value, settings.currency)}*${was}.`,
      ),
    );
  },
});

export const targetList = defineSubcommand({
  name: 'target list',
  usage: '/mo target list',
  summary: 'the targets, by period',
  schema: noArgs(),
  async run(_args, req, env) {
    const settings = await workspaceFor(env, req);
    const targets = await env.mo.targets.list();
    if (!targets.length) {
      return message(textMessage('No targets yet. Set one with `/mo target set leads 500 this-quarter`.'));
    }
    const lines = targets
      .slice(0, 60)
      .map(
        (t) =>
          `*${t.period || 'every period'}* · ${t.metric}${t.category ? ` (${escapeMrkdwn(t.category)})` : ''}: ` +
          (isPerfMetric(t.metric)
            ? showPerfTarget(t.metric, t.value, settings.currency)
            : show(t.metric as TargetMetric, t.value, settings.currency)),
      );
    return message(textMessage(`*Targets*\n${lines.join('\n')}`));
  },
});
