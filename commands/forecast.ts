// /mo forecast set|clear: a latest estimate ("LE") for a category and period, by its line's
// owner or an admin; /mo budget shows it beside the computed forecast.
import { z } from 'zod';
import { requirePeriod } from '../src/domain/calendar.js';
import { formatMoney, type MoneyError, parseAmount } from '../src/domain/money.js';
import { clearLatestEstimate, setLatestEstimate } from '../src/services/forecast.js';
import { todayIn } from '../src/services/team-scope.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { looksLikePeriod } from './args.js';
import {
  type CommandEnv,
  type CommandRequest,
  defineSubcommand,
  message,
  UsageError,
  workspaceFor,
} from './types.js';

const tokens = z.array(z.string());

async function periodOf(env: CommandEnv, req: Pick<CommandRequest, 'userId'>, text?: string) {
  const settings = await workspaceFor(env, req);
  const today = todayIn(env.mo, settings.timezone);
  return { settings, period: requirePeriod(text ?? 'this-quarter', today, settings.fiscalStartMonth) };
}

/** `CATEGORY AMOUNT [PERIOD]`: the category may have spaces. */
export const forecastSetArgs = tokens.transform((words, ctx) => {
  const rest = [...words];
  const period = rest.length > 2 && looksLikePeriod(rest[rest.length - 1] ?? '') ? rest.pop() : undefined;
  const amount = rest.pop();
  if (!amount || rest.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give a category and an amount' });
    return z.NEVER;
  }
  return { category: rest.join(' '), amount, period };
});

export const forecastSet = defineSubcommand({
  name: 'forecast set',
  usage: '/mo forecast set CATEGORY AMOUNT [PERIOD]',
  summary: 'a latest estimate (LE) for where a category lands in the period (its owner or admins)',
  schema: forecastSetArgs,
  async run(args, req, env) {
    const { settings, period } = await periodOf(env, req, args.period);
    let amountMinor: bigint;
    try {
      amountMinor = parseAmount(args.amount, settings.currency);
    } catch (e) {
      throw new UsageError((e as MoneyError).message);
    }
    const set = await setLatestEstimate(env.mo, settings, {
      category: args.category,
      period,
      actor: req.userId,
      isAdmin: await env.isAdmin(req.userId),
      amountMinor,
    });
    const money = (m: bigint) => formatMoney(m, settings.currency);
    const ended =
      set.booked !== 0n ? ` (${money(set.booked)} already booked in the months that have ended)` : '';
    return message(
      textMessage(
        `:white_check_mark: Latest estimate for *${escapeMrkdwn(set.category)}* in *${period.key}* is now ` +
          `*${money(set.amountMinor)}*${ended}. \`/mo budget ${period.key}\` shows it as LE beside the forecast.`,
      ),
    );
  },
});

export const forecastClearArgs = tokens.transform((words, ctx) => {
  const rest = [...words];
  const period = rest.length > 1 && looksLikePeriod(rest[rest.length - 1] ?? '') ? rest.pop() : undefined;
  if (rest.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give a category' });
    return z.NEVER;
  }
  return { category: rest.join(' '), period };
});

export const forecastClear = defineSubcommand({
  name: 'forecast clear',
  usage: '/mo forecast clear CATEGORY [PERIOD]',
  summary: 'back to the computed forecast (its owner or admins)',
  schema: forecastClearArgs,
  async run(args, req, env) {
    const { settings, period } = await periodOf(env, req, args.period);
    const cleared = await clearLatestEstimate(env.mo, settings, {
      category: args.category,
      period,
      actor: req.userId,
      isAdmin: await env.isAdmin(req.userId),
    });
    return message(
      textMessage(
        `:white_check_mark: Latest estimate for *${escapeMrkdwn(cleared.category)}* in *${period.key}* cleared: the forecast is computed again.`,
      ),
    );
  },
});
