// /mo budget, /mo budget set and /mo budget edit: plan vs actual vs committed vs forecast.
import { z } from 'zod';
import { monthsOfPeriod, requirePeriod } from '../src/domain/calendar.js';
import { normalizeCategory } from '../src/domain/category.js';
import { formatMinorExact, formatMoney, type MoneyError, parseAmount } from '../src/domain/money.js';
import { parsePhasing } from '../src/domain/phasing.js';
import { budgetReport, entryCategory } from '../src/services/budget.js';
import { type BudgetMoveRow, openMoves, requestMove } from '../src/services/reallocation.js';
import { todayIn } from '../src/services/team-scope.js';
import { budgetMessage } from '../src/slack/blocks/budget.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { budgetEditModal } from '../src/slack/blocks/modals.js';
import { moveRequestMessage, openMovesMessage } from '../src/slack/blocks/reallocation.js';
import { escapeMrkdwn, parseUserRef, userMention } from '../src/slack/mrkdwn.js';
import { postOnce } from '../src/slack/post.js';
import { looksLikePeriod, noArgs, takeFlags } from './args.js';
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
  req: Pick<CommandRequest, 'userId'>,
  query: { period?: string; category?: string | null },
  opts: { sharedBy?: string } = {},
) {
  const settings = await workspaceFor(env, req);
  const report = await budgetReport(env.mo, settings, query);
  const canEdit = !opts.sharedBy && (await env.isAdmin(req.userId, settings));
  return budgetMessage(report, { currency: settings.currency, canEdit, ...opts });
}

/** The workspace's settings and the period a person named (default: this quarter). */
async function workspacePeriod(env: CommandEnv, req: Pick<CommandRequest, 'userId'>, text?: string) {
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

/** `CATEGORY AMOUNT [PERIOD] [--owner @user] [--phasing 40,30,30]`: category may have spaces. */
export const budgetSetArgs = tokens.transform((all, ctx) => {
  const { flags, words } = takeFlags(all, ['owner', 'phasing']);
  const period = words.length > 2 && looksLikePeriod(words[words.length - 1] ?? '') ? words.pop() : undefined;
  const amount = words.pop();
  if (!amount || words.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give a category and an amount' });
    return z.NEVER;
  }
  const owner = flags.get('owner');
  const phasing = flags.get('phasing');
  return {
    category: words.join(' '),
    amount,
    period,
    owner: typeof owner === 'string' ? owner : undefined,
    phasing: typeof phasing === 'string' ? phasing : undefined,
    createCategory: flags.has('new'),
  };
});

export const budgetSet = defineSubcommand({
  name: 'budget set',
  usage: '/mo budget set CATEGORY AMOUNT [PERIOD] [--owner @user] [--phasing 40,30,30] [--new]',
  summary:
    'set the plan for a category, phased over its months by days or by the weights given (admins; --new creates the category)',
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
    // Without --phasing the line keeps its weights when it has some, else it goes by days.
    const phasing =
      args.phasing === undefined ? undefined : parsePhasing(args.phasing, monthsOfPeriod(period).length);
    // A typo must not become a new category: refused with the closest ones unless --new.
    const { category: spelled } = await entryCategory(env.mo, category, args.createCategory);
    const { before, after } = await env.mo.budgets.set(
      { period, category: spelled, plannedMinor: planned, ownerUserId, phasing },
      req.userId,
    );
    env.mo.figuresChanged();
    const from = before ? ` (was ${formatMoney(before.plannedMinor, settings.currency)})` : '';
    const owner = after.ownerUserId ? ` · owner ${userMention(after.ownerUserId)}` : '';
    const phased = after.phasing ? ` · phased ${after.phasing.replaceAll(';', '/')}` : '';
    return message(
      textMessage(
        `:white_check_mark: Plan for *${escapeMrkdwn(after.category)}* in *${period.key}* is now ` +
          `*${formatMoney(after.plannedMinor, settings.currency)}*${from}${owner}${phased}. ` +
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
  req: Pick<CommandRequest, 'userId' | 'channelId'>,
  args: { period?: string; category?: string | null },
  responseUrl?: string,
) {
  const { settings, period } = await workspacePeriod(env, req, args.period);
  let amount: string | undefined;
  let ownerUserId: string | null = null;
  if (args.category) {
    const lines = await env.mo.budgets.linesWithin(period);
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

/** `AMOUNT FROM TO [PERIOD] [reason…]`: categories with spaces are quoted. */
export const budgetMoveArgs = tokens.transform((words, ctx) => {
  const [amount, from, to, ...rest] = words;
  if (!amount || !from || !to) {
    ctx.addIssue({
      code: 'custom',
      message: 'give an amount, the category to move from and the one to move to',
    });
    return z.NEVER;
  }
  const period = rest[0] && looksLikePeriod(rest[0]) ? rest.shift() : undefined;
  return { amount, from, to, period, reason: rest.join(' ') };
});

export const budgetMove = defineSubcommand({
  name: 'budget move',
  usage: '/mo budget move AMOUNT FROM TO [PERIOD] [reason]',
  summary:
    'ask to move plan from one category to another; the two lines’ owners (admins for a line without one) approve by DM',
  schema: budgetMoveArgs,
  async run(args, req, env) {
    const { settings, period } = await workspacePeriod(env, req, args.period);
    let amountMinor: bigint;
    try {
      amountMinor = parseAmount(args.amount, settings.currency);
    } catch (e) {
      throw new UsageError((e as MoneyError).message);
    }
    const outcome = await requestMove(env.mo, settings, {
      actor: req.userId,
      isAdmin: await env.isAdmin(req.userId),
      amountMinor,
      from: args.from,
      to: args.to,
      period,
      reason: args.reason,
    });
    const { move } = outcome;
    const what = `${formatMoney(move.amountMinor, settings.currency)} from *${escapeMrkdwn(move.fromCategory)}* to *${escapeMrkdwn(move.toCategory)}* in *${move.period}*`;
    if (outcome.applied) {
      return message(
        textMessage(
          `:white_check_mark: Moved ${what}: both plans changed. See \`/mo budget ${move.period}\`.`,
        ),
      );
    }
    const asked = outcome.approvers.length
      ? `Asked ${outcome.approvers.map(userMention).join(', ')} to approve`
      : 'No approver could be asked: name Mo admins in `/mo settings`';
    const reply = message(
      textMessage(`:hourglass_flowing_sand: Request to move ${what} filed. ${asked}; it expires in 14 days.`),
    );
    const slack = env.slack;
    if (!slack || !outcome.approvers.length) return reply;
    return {
      ...reply,
      followUp: async () => {
        await askApprovers(env, slack, settings.currency, move, outcome.approvers);
        return undefined;
      },
    };
  },
});

/** A DM to each approver with Approve and Reject, posted once per (request, approver). */
export async function askApprovers(
  env: CommandEnv,
  slack: NonNullable<CommandEnv['slack']>,
  currency: string,
  move: BudgetMoveRow,
  approvers: string[],
) {
  for (const user of approvers) {
    await postOnce(slack.client, env.mo.posts, {
      key: `move:${move.id}:${user}`,
      channel: user,
      message: moveRequestMessage(move, currency),
    }).catch((e) => slack.logger.warn(`could not ask ${user} to approve move ${move.id}`, e));
  }
}

export const budgetRequests = defineSubcommand({
  name: 'budget requests',
  usage: '/mo budget requests',
  summary: 'open requests to move budget, and who is still to approve',
  schema: noArgs(),
  async run(_args, req, env) {
    const settings = await workspaceFor(env, req);
    return message(openMovesMessage(await openMoves(env.mo), settings.currency));
  },
});
