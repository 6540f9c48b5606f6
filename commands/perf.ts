// /mo perf [period] [category] [--by category|campaign], /mo perf funnel [period] and
// /mo perf not-marketing: which channel pays. Parse, call src/services/perf.ts, render.
import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import { z } from 'zod';
import { renderChart } from '../src/charts/render.js';
import { isUserError } from '../src/domain/errors.js';
import {
  funnelReport,
  perfCategoryByRef,
  perfChart,
  perfReport,
  setNotMarketing,
} from '../src/services/perf.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { decodePerfRef, funnelMessage, perfMessage } from '../src/slack/blocks/perf.js';
import { type ChartFile, uploadToDm } from '../src/slack/files.js';
import { ACTION } from '../src/slack/ids.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { looksLikePeriod, takeFlags } from './args.js';
import { answerClick } from './clicks.js';
import {
  type CommandEnv,
  type CommandRequest,
  defineSubcommand,
  message,
  requireAdmin,
  workspaceFor,
} from './types.js';

const tokens = z.array(z.string());

/** `[period] [category] [--by category|campaign]`, period and category in either order. */
export const perfArgs = tokens.transform((all, ctx) => {
  const { flags, words } = takeFlags(all, ['by']);
  const by = flags.get('by') ?? 'category';
  if (by !== 'category' && by !== 'campaign') {
    ctx.addIssue({ code: 'custom', message: '--by is category or campaign' });
    return z.NEVER;
  }
  for (const f of flags.keys()) {
    if (f !== 'by') {
      ctx.addIssue({ code: 'custom', message: `--${f} is not an option here` });
      return z.NEVER;
    }
  }
  const periods = words.filter(looksLikePeriod);
  if (periods.length > 1) {
    ctx.addIssue({ code: 'custom', message: `two periods given (${periods.join(', ')}): name one` });
    return z.NEVER;
  }
  const rest = words.filter((w) => !looksLikePeriod(w)).join(' ');
  return { period: periods[0], category: rest || undefined, by: by as 'category' | 'campaign' };
});

export async function showPerf(
  env: CommandEnv,
  req: Pick<CommandRequest, 'userId'>,
  query: { period?: string; category?: string | null; by?: 'category' | 'campaign' },
  opts: { sharedBy?: string } = {},
) {
  const settings = await workspaceFor(env, req);
  const report = await perfReport(env.mo, settings, query);
  return perfMessage({ ...report, rows: report.table.rows, total: report.table.total }, opts);
}

export const perf = defineSubcommand({
  name: 'perf',
  usage: '/mo perf [period] [category] [--by category|campaign]',
  summary: 'which channel pays: spend, funnel, pipeline and their ratios per category, vs targets',
  schema: perfArgs,
  async run(args, req, env) {
    return message(await showPerf(env, req, args));
  },
});

export const perfFunnel = defineSubcommand({
  name: 'perf funnel',
  usage: '/mo perf funnel [period]',
  summary: 'the leads created in a period: how many reached MQL and SQL, how fast, vs the period before',
  schema: tokens.max(1, 'give at most a period').refine((w) => w.every(looksLikePeriod), {
    message: 'the argument is a period such as this-quarter, FY2027-Q3 or 2026-11',
  }),
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    return message(funnelMessage(await funnelReport(env.mo, settings, { period: args[0] })));
  },
});

export const perfNotMarketing = defineSubcommand({
  name: 'perf not-marketing',
  usage: '/mo perf not-marketing [CATEGORY ...|--none]',
  summary: 'the categories whose pipeline is not marketing-sourced, e.g. "Sales/Outbound" Partner (admins)',
  schema: tokens,
  async run(args, req, env) {
    const settings = await workspaceFor(env, req);
    if (args.length === 0) {
      const list = settings.notMarketing.map((c) => `*${escapeMrkdwn(c)}*`).join(', ');
      return message(
        textMessage(
          list
            ? `Not marketing-sourced: ${list}. Every other category counts as marketing-sourced.`
            : 'Every category counts as marketing-sourced. Mark some with `/mo perf not-marketing "Sales/Outbound" Partner`.',
        ),
      );
    }
    await requireAdmin(env, req, 'change which categories count as marketing');
    const none = args.length === 1 && args[0] === '--none';
    const after = await setNotMarketing(env.mo, none ? [] : args, req.userId);
    return message(
      textMessage(
        after.notMarketing.length
          ? `:white_check_mark: Not marketing-sourced from now on: ${after.notMarketing.map((c) => `*${escapeMrkdwn(c)}*`).join(', ')}.`
          : ':white_check_mark: Every category counts as marketing-sourced again.',
      ),
    );
  },
});

/** The buttons of a /mo perf reply: share, chart (to the clicker's DM), drill into a category, back. */
export function registerPerfActions(app: App, env: CommandEnv, log: Logger): void {
  const userOf = (body: BlockAction) => ({
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
  });
  const click = answerClick(log);
  /** The view a perf value names; a drill option's category key is looked up in the workspace. */
  const perfView = async (value: string | undefined) => {
    const { categoryRef, ...ref } = decodePerfRef(value);
    return categoryRef ? { ...ref, category: await perfCategoryByRef(env.mo, categoryRef) } : ref;
  };
  app.action<BlockAction<ButtonAction>>(
    ACTION.perfShare,
    click<ButtonAction>('perf share', async ({ body, action, respond }) => {
      const who = userOf(body);
      const msg = await showPerf(env, who, await perfView(action.value), { sharedBy: who.userId });
      await respond({ response_type: 'in_channel', replace_original: false, ...msg });
    }),
  );
  const redraw = async (body: BlockAction, value: string | undefined, respond: RespondFn) => {
    const who = userOf(body);
    const msg = await showPerf(env, who, await perfView(value));
    await respond({ response_type: 'ephemeral', replace_original: true, ...msg });
  };
  app.action<BlockAction<StaticSelectAction>>(
    ACTION.perfDrill,
    click<StaticSelectAction>('perf drill-down', ({ body, action, respond }) =>
      redraw(body, action.selected_option?.value, respond),
    ),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.perfBack,
    click<ButtonAction>('perf back', ({ body, action, respond }) => redraw(body, action.value, respond)),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.perfChart,
    click<ButtonAction>('perf chart', async ({ body, action, respond, client }) => {
      const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      const who = userOf(body);
      const view = await perfView(action.value);
      let chart: ChartFile;
      try {
        const settings = await workspaceFor(env, who);
        const spec = perfChart(await perfReport(env.mo, settings, view));
        chart = { ...spec, png: (await renderChart(spec.spec)).png };
      } catch (e) {
        if (isUserError(e)) throw e;
        log.error('perf chart failed to render', e);
        return void (await reply(
          ':warning: The chart is missing: Mo could not draw it. The figures above stand.',
        ));
      }
      await uploadToDm(client, who.userId, [chart], chart.title);
      await reply(`:chart_with_upwards_trend: ${chart.title}: sent to you in a DM with Mo.`);
    }),
  );
}
