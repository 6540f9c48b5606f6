// /mo target set METRIC AMOUNT PERIOD and /mo target list: goals the digest compares against.

import { z } from 'zod';
import { requirePeriod } from '../src/domain/calendar.js';
import { formatMoney, MAX_AMOUNT_MAJOR, parseAmount } from '../src/domain/money.js';
import { isMoneyMetric, TARGET_METRICS, type TargetMetric } from '../src/domain/targets.js';
import { todayIn } from '../src/services/mo.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { noArgs } from './args.js';
import { defineSubcommand, message, requireAdmin, UsageError, workspaceFor } from './types.js';

export const targetSetArgs = z
  .tuple(
    [
      z.enum(TARGET_METRICS, { message: `the metric is one of ${TARGET_METRICS.join(', ')}` }),
      z.string(),
      z.string(),
    ],
    {
      message: 'give a metric, an amount and a period',
    },
  )
  .transform(([metric, amount, period]) => ({ metric, amount, period }));

const show = (metric: TargetMetric, value: bigint, currency: string) =>
  isMoneyMetric(metric) ? formatMoney(value, currency) : value.toLocaleString('en-US');

export const targetSet = defineSubcommand({
  name: 'target set',
  usage: '/mo target set leads|mqls|sqls|pipeline|won AMOUNT PERIOD',
  summary: 'set a target the digest reports against (admins)',
  schema: targetSetArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'set targets');
    const settings = await workspaceFor(env, req);
    const period = requirePeriod(args.period, todayIn(env.mo, settings.timezone), settings.fiscalStartMonth);
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
    const { before } = await env.mo.targets.set(req.teamId, args.metric, period.key, value, req.userId);
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
    const targets = await env.mo.targets.list(req.teamId);
    if (!targets.length) {
      return message(textMessage('No targets yet. Set one with `/mo target set leads 500 this-quarter`.'));
    }
    const lines = targets
      .slice(0, 60)
      .map(
        (t) => `*${t.period}* · ${t.metric}: ${show(t.metric as TargetMetric, t.value, settings.currency)}`,
      );
    return message(textMessage(`*Targets*\n${lines.join('\n')}`));
  },
});
