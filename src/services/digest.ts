// The weekly digest: figures from SQL aggregates (never rows), math in src/domain, blocks
// from src/slack/blocks/digest.ts, charts from src/charts. The scheduled job, /mo digest
// preview|now and `mo digest --out` all call renderDigest.
import type { WebClient } from '@slack/web-api';
import { renderChart } from '../charts/render.js';
import { funnelByWeekChart, pipelineByCategoryChart, weeklySpendChart } from '../charts/specs.js';
import type { DigestSchedule } from '../db/digest.js';
import type { WorkspaceSettings } from '../db/workspaces.js';
import { pacing } from '../domain/budget.js';
import { dateInZone, type IsoDate } from '../domain/calendar.js';
import { topOf } from '../domain/category.js';
import { type DigestData, digestWindows, metricLines, movers, type Targets } from '../domain/digest.js';
import { InvalidError } from '../domain/errors.js';
import { buckets, computeKpis, weekStart } from '../domain/kpis.js';
import { formatMoney } from '../domain/money.js';
import { isFunnelMetric } from '../domain/targets.js';
import type { Logger } from '../log.js';
import type { Message } from '../slack/blocks/common.js';
import { digestMessage } from '../slack/blocks/digest.js';
import { findChannelByName } from '../slack/channels.js';
import type { ChartFile } from '../slack/files.js';
import { postOnce, uploadOnce } from '../slack/post.js';
import { budgetReport } from './budget.js';
import { budgetBurnUp, type ChartSpec } from './charts.js';
import { DEFAULT_LEASE_MS, processOwner, type RunOutcome } from './jobs.js';
import { digestPerf, digestPerfChart } from './perf.js';
import type { WorkspaceMo } from './team-scope.js';
import { onNextTurn } from './turns.js';

/** Sums per top-level category (the digest's level of detail). */
function byTop<T extends { category: string; amount: bigint }>(rows: T[], key: (r: T) => string = () => '') {
  const sums = new Map<string, { category: string; key: string; amount: bigint }>();
  for (const r of rows) {
    const category = topOf(r.category);
    const id = `${key(r)}\u0000${category.toLowerCase()}`;
    const s = sums.get(id);
    if (s) s.amount += r.amount;
    else sums.set(id, { category, key: key(r), amount: r.amount });
  }
  return [...sums.values()];
}

export async function digestData(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  options: { today: IsoDate },
): Promise<DigestData> {
  const { teamId, currency } = settings;
  const windows = digestWindows(options.today, settings.fiscalStartMonth);
  const first = windows.twelveWeeks.start < windows.qtd.start ? windows.twelveWeeks.start : windows.qtd.start;
  // One query a turn (src/services/turns.ts): a digest is background work, and /mo commands
  // arriving meanwhile are answered between its queries.
  const hasData = await onNextTurn(() => mo.kpis.hasAnyFigures());
  const days = await onNextTurn(() => mo.kpis.dailyFigures(first, windows.week.end));
  const targetRows = await onNextTurn(() => mo.targets.list());
  const budget = await onNextTurn(() =>
    budgetReport(mo, settings, { period: windows.quarter, today: options.today }),
  );
  const dailySpend = await onNextTurn(() =>
    mo.spend.dailyActual(windows.twelveWeeks.start, windows.week.end),
  );
  const pipelineRows = await onNextTurn(() => mo.kpis.pipelineByCategory(windows.qtd.start, windows.qtd.end));
  const alertCategories = await onNextTurn(() =>
    mo.alerts.openAlertCategories(windows.quarter.start, windows.quarter.end),
  );
  const channels = await onNextTurn(() => digestPerf(mo, settings, windows));
  // Every row with an open alert is a line to watch, whatever its forecast says today.
  const alertedTops = new Set(alertCategories.map((c) => topOf(c).toLowerCase()));
  const alerted = budget.rows.filter((r) => alertedTops.has(r.category.toLowerCase())).map((r) => r.category);
  const targets: Targets = {};
  for (const t of targetRows) {
    if (t.period === windows.quarter.key && t.category === '' && isFunnelMetric(t.metric))
      targets[t.metric] = t.value;
  }
  const { lines } = metricLines(windows, days, targets);

  const weekly = byTop(dailySpend, (d) => weekStart(d.date));
  const spendIn = (week: string) => weekly.filter((w) => w.key === week);
  const categories = new Map<string, { category: string; lastWeek: bigint; week: bigint }>();
  for (const [week, field] of [
    [windows.lastWeek.start, 'lastWeek'],
    [windows.week.start, 'week'],
  ] as const) {
    for (const w of spendIn(week)) {
      const c = categories.get(w.category.toLowerCase()) ?? { category: w.category, lastWeek: 0n, week: 0n };
      c[field] += w.amount;
      categories.set(w.category.toLowerCase(), c);
    }
  }

  const funnel = computeKpis(windows.twelveWeeks, 'week', days).rows.map((r) => ({
    week: String(r.bucketStart),
    leads: r.leads,
    mqls: r.mqls,
    sqls: r.sqls,
  }));
  return {
    teamId,
    currency,
    today: options.today,
    windows,
    hasData,
    lines,
    budget,
    pace: pacing(budget),
    movers: movers([...categories.values()]),
    flagged: budget.rows.filter(
      (r) => r.status === 'watch' || r.status === 'over' || alerted.includes(r.category),
    ),
    alerted,
    weeklySpend: weekly
      .map((w) => ({ bucket: w.key, category: w.category, amount: w.amount }))
      .sort((a, b) => a.bucket.localeCompare(b.bucket)),
    funnel,
    pipeline: byTop(pipelineRows)
      .map(({ category, amount }) => ({ category, amount }))
      .sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0)),
    channels,
  };
}

/** The charts with something to show, each with alt text that states what it shows. */
export async function digestCharts(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  data: DigestData,
): Promise<ChartSpec[]> {
  if (!data.hasData) return [];
  const { currency } = data;
  const { week, quarter } = data.windows;
  const charts: ChartSpec[] = [];
  if (data.weeklySpend.some((r) => r.amount !== 0n)) {
    const total = data.weeklySpend.reduce((a, r) => a + r.amount, 0n);
    charts.push({
      name: 'weekly-spend.png',
      title: `Weekly spend by category · 12 weeks to ${week.end}`,
      altText:
        `Stacked bar chart of actual spend per week by category for the 12 weeks ending ${week.end}: ` +
        `${formatMoney(total, currency)} in all.`,
      spec: weeklySpendChart(
        'Weekly spend by category (12 weeks)',
        currency,
        data.weeklySpend,
        buckets(data.windows.twelveWeeks, 'week').map((b) => b.start),
      ),
    });
  }
  if (data.budget.total.planned > 0n || data.budget.total.actual !== 0n) {
    const burnUp = await onNextTurn(() =>
      budgetBurnUp(mo, settings, { period: quarter, today: data.today }, data.budget),
    );
    charts.push({ ...burnUp, name: 'budget-burn-up.png' });
  }
  if (data.funnel.some((r) => r.leads || r.mqls || r.sqls)) {
    const sum = (k: 'leads' | 'mqls' | 'sqls') => data.funnel.reduce((a, r) => a + r[k], 0);
    charts.push({
      name: 'leads-mqls-sqls.png',
      title: `Leads, MQLs and SQLs by week · 12 weeks to ${week.end}`,
      altText: `Grouped bar chart of leads, MQLs and SQLs per week for the 12 weeks ending ${week.end}: ${sum('leads')} leads, ${sum('mqls')} MQLs, ${sum('sqls')} SQLs.`,
      spec: funnelByWeekChart('Leads, MQLs and SQLs by week', data.funnel),
    });
  }
  if (data.pipeline.some((r) => r.amount !== 0n)) {
    const top = data.pipeline[0] as { category: string; amount: bigint };
    charts.push({
      name: 'pipeline-by-category.png',
      title: `Pipeline created by category · ${quarter.key} to ${week.end}`,
      altText:
        `Bar chart of pipeline created by category in ${quarter.key} to ${week.end}; ` +
        `largest: ${top.category} with ${formatMoney(top.amount, currency)}.`,
      spec: pipelineByCategoryChart(
        `Pipeline created by category · ${quarter.key} to date`,
        currency,
        data.pipeline,
      ),
    });
  }
  const spendVsPipeline = data.channels && digestPerfChart(data.channels, currency);
  if (spendVsPipeline) charts.push(spendVsPipeline);
  return charts;
}

export interface RenderedDigest {
  data: DigestData;
  message: Message;
  charts: ChartFile[];
  /** Titles of charts that failed to render: the message says so, and still goes out. */
  missingCharts: string[];
}

export async function renderDigest(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  options: { today: IsoDate; chartsGo?: 'thread' | 'dm' | 'none' },
): Promise<RenderedDigest> {
  const data = await digestData(mo, settings, options);
  const charts: ChartFile[] = [];
  const missingCharts: string[] = [];
  let specs: ChartSpec[] = [];
  try {
    specs = await digestCharts(mo, settings, data);
  } catch {
    missingCharts.push('all charts');
  }
  for (const spec of specs) {
    try {
      charts.push({
        name: spec.name,
        title: spec.title,
        altText: spec.altText,
        png: (await renderChart(spec.spec)).png,
      });
    } catch {
      missingCharts.push(spec.title);
    }
  }
  const message = digestMessage(data, {
    charts: charts.map((c) => c.title),
    missingCharts,
    chartsGo: options.chartsGo ?? 'thread',
  });
  return { data, message, charts, missingCharts };
}

export const DEFAULT_DIGEST_CHANNEL = 'marketing';

export interface DigestDeps {
  mo: WorkspaceMo;
  client: WebClient;
  logger: Logger;
}

export class DigestChannelError extends InvalidError {}

/** The digest channel's id: the one set, else #marketing found by name (and remembered). */
export async function digestChannel(deps: DigestDeps, schedule: DigestSchedule): Promise<string> {
  if (schedule.channelId) return schedule.channelId;
  const found = await findChannelByName(deps.client, DEFAULT_DIGEST_CHANNEL);
  if (found) {
    await deps.mo.digestSchedules.rememberChannel(found);
    return found;
  }
  throw new DigestChannelError(
    `No #${DEFAULT_DIGEST_CHANNEL} channel for the digest: choose one with /mo digest schedule DAY HH:MM #channel`,
  );
}

/**
 * Posts the digest for the week before `at` under `key`: the message once, then each
 * chart once in its thread. A chart that failed to render is named in the message instead.
 */
export async function postDigest(
  deps: DigestDeps,
  schedule: DigestSchedule,
  run: { key: string; at: Date },
): Promise<string> {
  const settings = await deps.mo.workspaces.ensure();
  const channel = await digestChannel(deps, schedule);
  // The week is the workspace's, whatever zone the schedule keeps time in.
  const digest = await renderDigest(deps.mo, settings, { today: dateInZone(run.at, settings.timezone) });
  const posts = deps.mo.posts;
  const posted = await postOnce(deps.client, posts, {
    key: run.key,
    channel,
    message: digest.message,
  });
  for (const chart of digest.charts) {
    await uploadOnce(deps.client, posts, {
      key: `${run.key}:${chart.name}`,
      channel: posted.channel,
      threadTs: posted.ts,
      filename: chart.name,
      title: chart.title,
      altText: chart.altText,
      bytes: chart.png,
    });
  }
  const missing = digest.missingCharts.length ? `; charts missing: ${digest.missingCharts.join(', ')}` : '';
  return `${posted.fresh ? 'posted' : 'already posted'} in ${posted.channel} (ts ${posted.ts}) with ${digest.charts.length} charts${missing}`;
}

/** `/mo digest now`: posts this week's digest at once, under a lease like the job's, once per click. */
export async function postDigestNow(deps: DigestDeps, userId: string): Promise<RunOutcome> {
  const schedule = (await deps.mo.digestSchedules.get()) as DigestSchedule;
  const at = new Date(Math.floor(deps.mo.clock().getTime() / 1000) * 1000);
  const key = `digest-now:${deps.mo.teamId}`;
  return deps.mo.runOnce(
    deps.logger,
    {
      job: 'digest.now',
      key,
      slot: at,
      run: () => postDigest(deps, schedule, { key: `${key}:${at.toISOString()}:${userId}`, at }),
    },
    { owner: processOwner(), leaseMs: DEFAULT_LEASE_MS, now: at },
  );
}
