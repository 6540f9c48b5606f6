// /mo <subcommand> ...: finds the subcommand, parses its arguments with its zod schema and
// runs it. Anything wrong comes back as a message saying what, with the right usage.

import { isUserError, UserError } from '../src/domain/errors.js';
import { context, header, type Message, section, textMessage } from '../src/slack/blocks/common.js';
import { userErrorText } from '../src/slack/errors.js';
import { alertsChannel, alertsHistory, alertsOff, alertsOn, alertsSet, alertsShow } from './alerts.js';
import { tokenize } from './args.js';
import { budget, budgetEdit, budgetMove, budgetRequests, budgetSet } from './budget.js';
import { digestNow, digestOff, digestPreview, digestSchedule, digestStatus } from './digest.js';
import { forecastClear, forecastSet } from './forecast.js';
import { mapAdd, mapList } from './mapping.js';
import { settings } from './settings.js';
import {
  spendAdd,
  spendClose,
  spendCommitments,
  spendDelete,
  spendEdit,
  spendList,
  spendUndo,
} from './spend.js';
import { surveyClose, surveyList, surveyResultsCommand, surveyStart } from './surveys.js';
import { targetList, targetSet } from './targets.js';
import { tokenCreate, tokenList, tokenRevoke } from './tokens.js';
import {
  type CommandEnv,
  type CommandRequest,
  type CommandResult,
  message,
  type Subcommand,
  UsageError,
} from './types.js';
import { workspaceDelete } from './workspace.js';

// biome-ignore lint/suspicious/noExplicitAny: each subcommand has its own argument type
export const SUBCOMMANDS: Subcommand<any>[] = [
  budget,
  budgetSet,
  budgetEdit,
  budgetMove,
  budgetRequests,
  forecastSet,
  forecastClear,
  spendAdd,
  spendList,
  spendEdit,
  spendDelete,
  spendUndo,
  spendClose,
  spendCommitments,
  alertsShow,
  alertsSet,
  alertsOff,
  alertsOn,
  alertsChannel,
  alertsHistory,
  surveyStart,
  surveyClose,
  surveyResultsCommand,
  surveyList,
  digestStatus,
  digestPreview,
  digestNow,
  digestSchedule,
  digestOff,
  mapAdd,
  mapList,
  targetSet,
  targetList,
  tokenCreate,
  tokenList,
  tokenRevoke,
  settings,
  workspaceDelete,
];

export function helpMessage(): Message {
  // One section per area (budget, alerts, digest, survey…), so none nears Slack's 3,000.
  const groups = new Map<string, string[]>();
  for (const s of SUBCOMMANDS) {
    const area = s.name.split(' ')[0] as string;
    groups.set(area, [...(groups.get(area) ?? []), `\`${s.usage}\`\n      ${s.summary}`]);
  }
  return {
    text: `Mo: marketing ops in Slack. Commands: ${SUBCOMMANDS.map((s) => s.usage).join('; ')}`.slice(
      0,
      3900,
    ),
    blocks: [
      header('Mo · marketing ops in Slack'),
      ...[...groups.values()].map((lines) => section(lines.join('\n'))),
      context(
        'Periods: FY2027, FY2027-Q3, 2026-11, this-quarter (default), last-quarter, this-month, this-year. ' +
          'Categories: Paid Media or Paid Media/Search.',
      ),
    ],
  };
}

/** Longest subcommand name matching the first words: `budget set` before `budget`. */
export function findSubcommand(words: string[]) {
  const lower = words.map((w) => w.toLowerCase());
  const matches = SUBCOMMANDS.map((sub) => ({ sub, parts: sub.name.split(' ') }))
    .filter(({ parts }) => parts.every((p, i) => lower[i] === p))
    .sort((a, b) => b.parts.length - a.parts.length);
  const best = matches[0];
  return best ? { sub: best.sub, args: words.slice(best.parts.length) } : undefined;
}

function usageReply(problem: string, sub?: Subcommand): Message {
  return textMessage(userErrorText(new UsageError(problem), sub?.usage));
}

export async function runCommand(
  text: string,
  req: Omit<CommandRequest, 'args'>,
  env: CommandEnv,
): Promise<CommandResult> {
  const words = tokenize(text);
  if (words.length === 0 || (words.length === 1 && ['help', '?'].includes(words[0]?.toLowerCase() ?? ''))) {
    return message(helpMessage());
  }
  const found = findSubcommand(words);
  if (!found) {
    const group = SUBCOMMANDS.filter((s) => s.name.startsWith(`${words[0]?.toLowerCase()} `));
    const hint = group.length ? ` Did you mean ${group.map((s) => `\`${s.usage}\``).join(' or ')}?` : '';
    return message(usageReply(`"${words.slice(0, 2).join(' ')}" is not a Mo command.${hint}`));
  }
  const { sub, args } = found;
  const parsed = sub.schema.safeParse(args);
  if (!parsed.success) {
    return message(
      usageReply(`/mo ${sub.name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, sub),
    );
  }
  try {
    return await sub.run(parsed.data, { ...req, args }, env);
  } catch (e) {
    if (!isUserError(e)) throw e;
    const problem = e.kind === 'refused' ? e : new UserError(e.kind, `/mo ${sub.name}: ${e.message}`);
    return message(textMessage(userErrorText(problem, sub.usage)));
  }
}
