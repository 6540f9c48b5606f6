// /mo spend add: record one spend entry, typed or in a form.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SpendStatus } from '../src/db/spend.js';
import { isIsoDate } from '../src/domain/calendar.js';
import { categoryKey, normalizeCategory } from '../src/domain/category.js';
import { checkLock } from '../src/domain/lock.js';
import { formatMoney, parseAmount } from '../src/domain/money.js';
import { knownCategories } from '../src/services/budget.js';
import { todayIn } from '../src/services/mo.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { spendAddModal } from '../src/slack/blocks/modals.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { looksLikeDate, takeFlags } from './args.js';
import {
  type CommandEnv,
  type CommandRequest,
  defineSubcommand,
  message,
  UsageError,
  workspaceFor,
} from './types.js';

export const spendAddArgs = z.array(z.string()).transform((all, ctx) => {
  const { flags, words } = takeFlags(all);
  const unknown = [...flags.keys()].filter((f) => f !== 'committed' && f !== 'unlocked');
  if (unknown.length) {
    ctx.addIssue({ code: 'custom', message: `unknown option --${unknown[0]}` });
    return z.NEVER;
  }
  if (words.length === 0) return { form: true as const };
  const date = words.length > 2 && looksLikeDate(words[words.length - 1] ?? '') ? words.pop() : undefined;
  const [amount, ...rest] = words;
  if (!amount || rest.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give an amount and a category' });
    return z.NEVER;
  }
  return {
    form: false as const,
    amount,
    rest,
    date,
    committed: flags.has('committed'),
    unlocked: flags.has('unlocked'),
  };
});

/**
 * Splits "Paid Media/Search Q4 Brand" into category and campaign: the longest run of words
 * that names a known category, else the first word (quote a new category with spaces).
 */
export function splitCategory(words: string[], known: string[]): { category: string; campaign: string } {
  const keys = new Set(known.map(categoryKey));
  for (let n = words.length; n > 0; n--) {
    const candidate = words.slice(0, n).join(' ');
    if (keys.has(categoryKey(candidate.replace(/\s*\/\s*/g, '/')))) {
      return { category: candidate, campaign: words.slice(n).join(' ') };
    }
  }
  return { category: words[0] ?? '', campaign: words.slice(1).join(' ') };
}

export interface SpendEntry {
  amount: string;
  category: string;
  campaign: string;
  vendor: string;
  date?: string;
  status: SpendStatus;
  /** An admin's `--unlocked`: spend in a locked month (audited as such). */
  unlocked?: boolean;
}

/** Validates and records one entry; returns the confirmation. Errors name the bad field. */
export async function recordSpend(
  env: CommandEnv,
  req: Pick<CommandRequest, 'teamId' | 'userId'>,
  entry: SpendEntry,
) {
  const settings = await workspaceFor(env, req);
  const today = todayIn(env.mo, settings.timezone);
  const date = entry.date ?? today;
  if (!isIsoDate(date)) throw new UsageError(`date "${date}" must be a calendar date like ${today}`);
  const unlocked = checkLock(date, today, settings.lockDays, {
    unlocked: entry.unlocked ?? false,
    isAdmin: entry.unlocked ? await env.isAdmin(req.teamId, req.userId) : false,
  });
  const amountMinor = parseAmount(entry.amount, settings.currency);
  const known = await knownCategories(env.mo, req.teamId);
  const normalized = normalizeCategory(entry.category);
  const category = known.find((k) => categoryKey(k) === categoryKey(normalized)) ?? normalized;
  await env.mo.spend.add(
    {
      teamId: req.teamId,
      date,
      amountMinor,
      status: entry.status,
      category,
      campaign: entry.campaign.trim(),
      vendor: entry.vendor.trim(),
      source: 'manual',
      idempotencyKey: `manual:${randomUUID()}`,
    },
    unlocked ? `${req.userId} (--unlocked)` : req.userId,
  );
  env.mo.figuresChanged(req.teamId);
  const isNew = !known.some((k) => categoryKey(k) === categoryKey(category));
  return textMessage(
    `:white_check_mark: Recorded ${entry.status} spend of *${formatMoney(amountMinor, settings.currency)}* ` +
      `in *${escapeMrkdwn(category)}*${entry.campaign ? ` (${escapeMrkdwn(entry.campaign)})` : ''} on ${date}.` +
      (isNew ? ` _${escapeMrkdwn(category)} is a new category._` : ''),
  );
}

export const spendAdd = defineSubcommand({
  name: 'spend add',
  usage: '/mo spend add AMOUNT CATEGORY [campaign] [YYYY-MM-DD] [--committed] [--unlocked]',
  summary: 'record spend (no arguments: a form)',
  schema: spendAddArgs,
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    if (args.form) {
      return {
        kind: 'modal',
        view: spendAddModal(settings.currency, todayIn(env.mo, settings.timezone), {
          channelId: req.channelId,
        }),
      };
    }
    const { category, campaign } = splitCategory(args.rest, await knownCategories(env.mo, req.teamId));
    return message(
      await recordSpend(env, req, {
        amount: args.amount,
        category,
        campaign,
        vendor: '',
        date: args.date,
        status: args.committed ? 'committed' : 'actual',
        unlocked: args.unlocked,
      }),
    );
  },
});
