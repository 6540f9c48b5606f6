// /mo spend add|list|edit|delete|undo|close|commitments: parse, call src/services/spend.ts,
// render with src/slack/blocks/spend.ts.
import { z } from 'zod';
import { categoryKey } from '../src/domain/category.js';
import { looksLikeDateToken } from '../src/domain/spend.js';
import { knownCategories } from '../src/services/budget.js';
import {
  closeCommitment,
  deleteSpend,
  editSpend,
  listSpend,
  openCommitments,
  recordSpend,
  type SpendActor,
  type SpendEntryInput,
  undoSpend,
} from '../src/services/spend.js';
import { todayIn } from '../src/services/team-scope.js';
import { spendAddModal } from '../src/slack/blocks/modals.js';
import {
  commitmentClosedMessage,
  commitmentsMessage,
  spendChangedMessage,
  spendListMessage,
  spendRecordedMessage,
} from '../src/slack/blocks/spend.js';
import { looksLikePeriod, noArgs, takeFlags } from './args.js';
import { type CommandEnv, type CommandRequest, defineSubcommand, message, workspaceFor } from './types.js';

const tokens = z.array(z.string());

/** Refuses options a subcommand does not take, naming the first. */
function onlyFlags(
  flags: Map<string, string | true>,
  allowed: string[],
  ctx: { addIssue(issue: { code: 'custom'; message: string }): void },
): boolean {
  const unknown = [...flags.keys()].filter((f) => !allowed.includes(f));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown option --${unknown[0]}` });
  for (const [name, value] of flags)
    if (value === '' || (value !== true && value.startsWith('--')))
      ctx.addIssue({ code: 'custom', message: `--${name} needs a value` });
  return unknown.length === 0;
}

export const spendAddArgs = tokens.transform((all, ctx) => {
  const { flags, words } = takeFlags(all, ['commitment']);
  if (!onlyFlags(flags, ['committed', 'commitment', 'new', 'unlocked'], ctx)) return z.NEVER;
  if (words.length === 0) return { form: true as const };
  // Anything that looks like a date is the date, valid or not: never part of the campaign.
  const dates = words.filter(looksLikeDateToken);
  if (dates.length > 1) {
    ctx.addIssue({ code: 'custom', message: `two dates given (${dates.join(', ')}): give one` });
    return z.NEVER;
  }
  const rest = words.filter((w) => !looksLikeDateToken(w));
  const [amount, ...category] = rest;
  if (!amount || category.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give an amount and a category' });
    return z.NEVER;
  }
  const commitment = flags.get('commitment');
  return {
    form: false as const,
    amount,
    rest: category,
    date: dates[0],
    committed: flags.has('committed'),
    createCategory: flags.has('new'),
    commitmentId: typeof commitment === 'string' ? commitment : undefined,
    unlocked: flags.has('unlocked'),
  };
});

/**
 * Splits "Paid Media/Search Q4 Brand" into category and campaign: the longest run of words
 * that names a known category; else through the first word with a slash (a mistyped
 * sub-category), else the first word (quote a new category with spaces).
 */
export function splitCategory(words: string[], known: string[]): { category: string; campaign: string } {
  const keys = new Set(known.map(categoryKey));
  for (let n = words.length; n > 0; n--) {
    const candidate = words.slice(0, n).join(' ');
    if (keys.has(categoryKey(candidate.replace(/\s*\/\s*/g, '/')))) {
      return { category: candidate, campaign: words.slice(n).join(' ') };
    }
  }
  const slash = words.findIndex((w) => w.includes('/'));
  const n = slash >= 0 && slash < 3 ? slash + 1 : 1;
  return { category: words.slice(0, n).join(' '), campaign: words.slice(n).join(' ') };
}

/** An entry as typed in the command or the form: the service's input. */
export type SpendEntry = SpendEntryInput;

export function actorOf(env: CommandEnv, req: Pick<CommandRequest, 'userId'>): SpendActor {
  return {
    userId: req.userId,
    isAdmin: () => env.isAdmin(req.userId),
    source: env.slack ? 'manual' : 'cli',
  };
}

/** Validates and records one entry (command or modal); returns the confirmation. */
export async function recordSpendEntry(
  env: CommandEnv,
  req: Pick<CommandRequest, 'userId'>,
  entry: SpendEntry,
) {
  const settings = await workspaceFor(env, req);
  const recorded = await recordSpend(env.mo, settings, actorOf(env, req), entry);
  return spendRecordedMessage(recorded, settings.currency);
}

export const spendAdd = defineSubcommand({
  name: 'spend add',
  usage:
    '/mo spend add AMOUNT CATEGORY [campaign] [YYYY-MM-DD] [--committed] [--commitment PO] [--new] [--unlocked]',
  summary: 'record spend; --commitment invoices a PO (or opens it with --committed); no arguments: a form',
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
    const { category, campaign } = splitCategory(args.rest, await knownCategories(env.mo));
    return message(
      await recordSpendEntry(env, req, {
        amount: args.amount,
        category,
        campaign,
        vendor: '',
        date: args.date,
        status: args.committed ? 'committed' : 'actual',
        commitmentId: args.commitmentId,
        createCategory: args.createCategory,
        unlocked: args.unlocked,
      }),
    );
  },
});

/** `[period] [category] [--page N]`: a token that reads as a period is the period. */
const scopeArgs = (paged: boolean) =>
  tokens.transform((all, ctx) => {
    const { flags, words } = takeFlags(all, ['page']);
    if (!onlyFlags(flags, paged ? ['page'] : [], ctx)) return z.NEVER;
    const periods = words.filter(looksLikePeriod);
    if (periods.length > 1) {
      ctx.addIssue({ code: 'custom', message: `two periods given (${periods.join(', ')}): name one` });
      return z.NEVER;
    }
    const page = flags.get('page');
    if (page !== undefined && !/^\d{1,4}$/.test(String(page))) {
      ctx.addIssue({ code: 'custom', message: `--page "${page}" must be a page number` });
      return z.NEVER;
    }
    const category = words.filter((w) => !looksLikePeriod(w)).join(' ');
    return { period: periods[0], category: category || null, page: page ? Number(page) : 1 };
  });

export const spendList = defineSubcommand({
  name: 'spend list',
  usage: '/mo spend list [period] [category] [--page N]',
  summary: 'the latest spend entries, newest first, with their ids',
  schema: scopeArgs(true),
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    return message(spendListMessage(await listSpend(env.mo, settings, args), settings.currency));
  },
});

export const spendEditArgs = tokens.transform((all, ctx) => {
  const { flags, words } = takeFlags(all, ['date', 'category', 'campaign']);
  if (!onlyFlags(flags, ['date', 'category', 'campaign', 'new', 'unlocked'], ctx)) return z.NEVER;
  const [id, amount, ...extra] = words;
  if (!id) {
    ctx.addIssue({ code: 'custom', message: 'give the id of the entry (see /mo spend list)' });
    return z.NEVER;
  }
  if (extra.length) {
    ctx.addIssue({
      code: 'custom',
      message: `"${extra.join(' ')}" is not understood: give the amount, then --date, --category or --campaign`,
    });
    return z.NEVER;
  }
  const value = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    id,
    correction: {
      amount,
      date: value('date'),
      category: value('category'),
      campaign: value('campaign'),
      createCategory: flags.has('new'),
      unlocked: flags.has('unlocked'),
    },
  };
});

export const spendEdit = defineSubcommand({
  name: 'spend edit',
  usage: '/mo spend edit ID [AMOUNT] [--date YYYY-MM-DD] [--category C] [--campaign X] [--unlocked]',
  summary: 'correct an entry typed in Slack or the CLI (its author or an admin)',
  schema: spendEditArgs,
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    const { before, after } = await editSpend(env.mo, settings, actorOf(env, req), args.id, args.correction);
    return message(spendChangedMessage({ before, after, action: 'edit' }, settings.currency));
  },
});

/** One id, and `--unlocked` (an admin, for a locked month). */
const oneId = (what: string) =>
  tokens.transform((all, ctx) => {
    const { flags, words } = takeFlags(all);
    if (!onlyFlags(flags, ['unlocked'], ctx)) return z.NEVER;
    if (words.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `give the ${what}` });
      return z.NEVER;
    }
    return { id: words[0] as string, unlocked: flags.has('unlocked') };
  });

export const spendDelete = defineSubcommand({
  name: 'spend delete',
  usage: '/mo spend delete ID [--unlocked]',
  summary: 'remove an entry (its author or an admin)',
  schema: oneId('id of the entry (see /mo spend list)'),
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    const { removed, fromFile } = await deleteSpend(env.mo, settings, actorOf(env, req), args.id, args);
    const note = fromFile ? `It came from ${fromFile}: importing that file again brings it back.` : undefined;
    return message(spendChangedMessage({ before: removed, action: 'delete', note }, settings.currency));
  },
});

export const spendUndo = defineSubcommand({
  name: 'spend undo',
  usage: '/mo spend undo',
  summary: 'remove your own last entry (within 15 minutes)',
  schema: noArgs(),
  async run(_args, req, env) {
    const settings = await workspaceFor(env, req);
    const removed = await undoSpend(env.mo, settings, actorOf(env, req));
    return message(spendChangedMessage({ before: removed, action: 'undo' }, settings.currency));
  },
});

export const spendClose = defineSubcommand({
  name: 'spend close',
  usage: '/mo spend close PO [--unlocked]',
  summary: 'close a commitment: what is not invoiced stops counting as committed',
  schema: oneId('commitment to close (its PO number)'),
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    const { before, already } = await closeCommitment(env.mo, settings, actorOf(env, req), args.id, args);
    return message(commitmentClosedMessage(before, already, settings.currency));
  },
});

export const spendCommitments = defineSubcommand({
  name: 'spend commitments',
  usage: '/mo spend commitments [period] [category]',
  summary: 'open commitments: committed, invoiced, open and age; over-invoiced ones flagged',
  schema: scopeArgs(false),
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    return message(commitmentsMessage(await openCommitments(env.mo, settings, args), settings.currency));
  },
});
