// /mo budget, /mo budget set and /mo budget edit: plan vs actual vs committed vs forecast.
import { z } from 'zod';
import { requirePeriod } from '../src/domain/calendar.js';
import { normalizeCategory } from '../src/domain/category.js';
import { formatMinorExact, formatMoney, type MoneyError, parseAmount } from '../src/domain/money.js';
import { budgetReport, entryCategory } from '../src/services/budget.js';
import { todayIn } from '../src/services/mo.js';
import { budgetMessage } from '../src/slack/blocks/budget.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { budgetEditModal } from '../src/slack/blocks/modals.js';
import { escapeMrkdwn, parseUserRef, userMention } from '../src/slack/mrkdwn.js';
import { looksLikePeriod, takeFlags } from './args.js';
import {
  type CommandEnv,
  type CommandRequest,
  defineSubcommand,
  message,
  requireAdmin,
  UsageError,
  workspaceFor,
} from './types.js';

const tokens = z.array(z.string());

/** `[period] [category]` in either order: a token that reads as a period is the period. */
export const budgetArgs = tokens.transform((words, ctx) => {
  const periods = words.filter(looksLikePeriod);
  if (periods.length > 1) {
    ctx.addIssue({ code: 'custom', message: `two periods given (${periods.join(', ')}): name one` });
    return z.NEVER;
  }
  const rest = words.filter((w) => !looksLikePeriod(w)).join(' ');
  return { period: periods[0], category: rest || undefined };
});

export async function showBudget(
  env: CommandEnv,
  req: Pick<CommandRequest, 'teamId' | 'userId'>,
  query: { period?: string; category?: string | null },
  opts: { sharedBy?: string } = {},
) {
  const settings = await workspaceFor(env, req);
  const report = await budgetReport(env.mo, settings, query);
  const canEdit = !opts.sharedBy && (await env.isAdmin(req.teamId, req.userId));
  return budgetMessage(report, { currency: settings.currency, canEdit, ...opts });
}

/** The workspace's settings and the period a person named (default: this quarter). */
async function workspacePeriod(
  env: CommandEnv,
  req: Pick<CommandRequest, 'teamId' | 'userId'>,
  text?: string,
) {
  const settings = await workspaceFor(env, req);
  const today = todayIn(env.mo, settings.timezone);
  return { settings, period: requirePeriod(text ?? 'this-quarter', today, settings.fiscalStartMonth) };
}

export const budget = defineSubcommand({
  name: 'budget',
  usage: '/mo budget [period] [category]',
  summary: 'plan vs actual vs committed vs forecast, with pacing and variance (default: this quarter)',
  schema: budgetArgs,
  async run(args, req, env) {
    return message(await showBudget(env, req, args));
  },
});

/** `CATEGORY AMOUNT [PERIOD] [--owner @user]`: category may have spaces. */
export const budgetSetArgs = tokens.transform((all, ctx) => {
  const { flags, words } = takeFlags(all, ['owner']);
  const period = words.length > 2 && looksLikePeriod(words[words.length - 1] ?? '') ? words.pop() : undefined;
  const amount = words.pop();
  if (!amount || words.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give a category and an amount' });
    return z.NEVER;
  }
  const owner = flags.get('owner');
  return {
    category: words.join(' '),
    amount,
    period,
    owner: typeof owner === 'string' ? owner : undefined,
    createCategory: flags.has('new'),
  };
});

export const budgetSet = defineSubcommand({
  name: 'budget set',
  usage: '/mo budget set CATEGORY AMOUNT [PERIOD] [--owner @user] [--new]',
  summary: 'set the plan for a category (admins; --new creates the category)',
  schema: budgetSetArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'change the budget');
    const { settings, period } = await workspacePeriod(env, req, args.period);
    const category = normalizeCategory(args.category);
    let planned: bigint;
    try {
      planned = parseAmount(args.amount, settings.currency);
    } catch (e) {
      throw new UsageError((e as MoneyError).message);
    }
    if (planned < 0n) throw new UsageError('a plan cannot be negative');
    let ownerUserId: string | undefined;
    if (args.owner !== undefined) {
      ownerUserId = parseUserRef(args.owner);
      if (!ownerUserId) throw new UsageError(`--owner "${args.owner}" must be a person, like @dana`);
    }
    // A typo must not become a new category: refused with the closest ones unless --new.
    const { category: spelled } = await entryCategory(env.mo, req.teamId, category, args.createCategory);
    const { before, after } = await env.mo.budgets.set(
      { teamId: req.teamId, period, category: spelled, plannedMinor: planned, ownerUserId },
      req.userId,
    );
    env.mo.figuresChanged(req.teamId);
    const from = before ? ` (was ${formatMoney(before.plannedMinor, settings.currency)})` : '';
    const owner = after.ownerUserId ? ` · owner ${userMention(after.ownerUserId)}` : '';
    return message(
      textMessage(
        `:white_check_mark: Plan for *${escapeMrkdwn(after.category)}* in *${period.key}* is now ` +
          `*${formatMoney(after.plannedMinor, settings.currency)}*${from}${owner}. ` +
          `See it with \`/mo budget ${period.key}\`.`,
      ),
    );
  },
});

export const budgetEdit = defineSubcommand({
  name: 'budget edit',
  usage: '/mo budget edit [period] [category]',
  summary: 'edit a budget line in a form (admins)',
  schema: budgetArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'change the budget');
    return { kind: 'modal', view: await budgetEditView(env, req, args) };
  },
});

export async function budgetEditView(
  env: CommandEnv,
  req: Pick<CommandRequest, 'teamId' | 'userId' | 'channelId'>,
  args: { period?: string; category?: string | null },
  responseUrl?: string,
) {
  const { settings, period } = await workspacePeriod(env, req, args.period);
  let amount: string | undefined;
  let ownerUserId: string | null = null;
  if (args.category) {
    const lines = await env.mo.budgets.linesWithin(req.teamId, period);
    const line = lines.find(
      (l) => l.period === period.key && l.category.toLowerCase() === args.category?.toLowerCase(),
    );
    if (line) {
      amount = formatMinorExact(line.plannedMinor, settings.currency);
      ownerUserId = line.ownerUserId;
    }
  }
  return budgetEditModal(
    {
      category: args.category ?? undefined,
      amount,
      period: period.key,
      ownerUserId,
      currency: settings.currency,
    },
    { channelId: req.channelId, ...(responseUrl ? { responseUrl } : {}) },
  );
}
