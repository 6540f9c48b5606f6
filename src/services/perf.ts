// Which channel pays: /mo perf, its export, the funnel cohorts, channel targets and marketing's
// share. Repositories group in SQL; src/domain/perf.ts does the math.
import { spendVsPipelineChart } from '../charts/specs.js';
import type { PerfGrouping } from '../db/perf.js';
import type { WorkspaceSettings } from '../db/workspaces.js';
import { type IsoDate, type Period, requirePeriod } from '../domain/calendar.js';
import { canonicalCategory, categoryKey, normalizeCategory, topOf } from '../domain/category.js';
import { UserError } from '../domain/errors.js';
import type { Bucket } from '../domain/kpis.js';
import { formatMoney, parseAmount } from '../domain/money.js';
import {
  type CohortFunnel,
  channelTable,
  cohortFunnel,
  DEFAULT_PIPELINE_TO_SPEND,
  type DigestChannels,
  formatRatio,
  type MarketingShare,
  marketingShare,
  PERF_EXPORT_COLUMNS,
  type PerfPart,
  type PerfTable,
  type PerfTargetMetric,
  perfExportCells,
  perfTable,
  previousPeriod,
  RATIO_SCALE,
  stageConversions,
  targetFor,
} from '../domain/perf.js';
import { findByRef, knownCategories } from './budget.js';
import type { ChartSpec } from './charts.js';
import { todayIn, type WorkspaceMo } from './team-scope.js';

export interface PerfQuery {
  period?: string | Period;
  /** Only this category and those under it. */
  category?: string | null;
  by?: PerfGrouping;
  today?: IsoDate;
}

export interface PerfReport {
  period: Period;
  by: PerfGrouping;
  /** The category the rows are within, spelled the workspace's way; null for all. */
  category: string | null;
  currency: string;
  table: PerfTable;
  /** Over the rows shown: pipeline and won split by marketing-sourced or not. */
  share: MarketingShare;
  /** The pipeline-to-spend target for the scope shown (ten-thousandths), for the chart's line. */
  pipelineTarget: bigint;
}

/** Every category spend, plans, leads or opportunities are filed under, with their parents. */
async function perfCategories(mo: WorkspaceMo): Promise<string[]> {
  const [known, funnel] = await Promise.all([knownCategories(mo), mo.perf.categories()]);
  const seen = new Map<string, string>();
  for (const c of [...known, ...funnel]) {
    for (const k of [c, topOf(c)]) if (!seen.has(categoryKey(k))) seen.set(categoryKey(k), k);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** The category a perf drill-down option names by its short key, spelled the workspace's way. */
export async function perfCategoryByRef(mo: WorkspaceMo, ref: string): Promise<string> {
  return findByRef(await perfCategories(mo), ref, '/mo perf');
}

/** A category a person typed, spelled the workspace's way; refused when nothing is filed under it. */
export async function resolvePerfCategory(mo: WorkspaceMo, text: string): Promise<string> {
  let category: string;
  try {
    category = normalizeCategory(text);
  } catch (e) {
    throw new UserError('invalid', (e as Error).message, { field: 'category' });
  }
  const known = await perfCategories(mo);
  const canonical = canonicalCategory(category, known);
  if (!known.some((k) => categoryKey(k) === categoryKey(canonical))) {
    const tops = known.filter((k) => !k.includes('/')).slice(0, 12);
    throw new UserError(
      'not_found',
      `No spend, leads or opportunities are filed under "${category}".` +
        (tops.length ? ` Categories: ${tops.join(', ')}.` : ''),
      { field: 'category' },
    );
  }
  return canonical;
}

export function resolvePeriod(
  settings: WorkspaceSettings,
  mo: WorkspaceMo,
  query: Pick<PerfQuery, 'period' | 'today'>,
) {
  const today = query.today ?? todayIn(mo, settings.timezone);
  const period =
    typeof query.period === 'object'
      ? query.period
      : requirePeriod(query.period ?? 'this-quarter', today, settings.fiscalStartMonth);
  return { today, period };
}

export async function perfReport(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: PerfQuery,
): Promise<PerfReport> {
  const { period } = resolvePeriod(settings, mo, query);
  const by = query.by ?? 'category';
  const category = query.category ? await resolvePerfCategory(mo, query.category) : null;
  const within = category ?? undefined;
  const [funnel, spend, targets] = await Promise.all([
    mo.perf.funnelParts(period.start, period.end, by, within),
    by === 'campaign'
      ? mo.spend.actualByCampaign(period.start, period.end, within)
      : mo.spend.actualByCategory(period.start, period.end, within),
    mo.targets.perfTargets(),
  ]);
  const parts: PerfPart[] = [
    ...spend.map((s) => ({
      category: s.category,
      ...('campaign' in s ? { campaign: s.campaign as string } : {}),
      spend: s.amount,
    })),
    ...funnel,
  ];
  const table = perfTable(parts, targets, period.key);
  return {
    period,
    by,
    category,
    currency: settings.currency,
    table,
    share: marketingShare(table.rows, settings.notMarketing),
    pipelineTarget:
      targetFor(targets, 'pipeline_to_spend', period.key, category ?? '') ?? DEFAULT_PIPELINE_TO_SPEND,
  };
}

export interface FunnelReport {
  period: Period;
  previous: Period;
  asOf: IsoDate;
  current: CohortFunnel;
  before: CohortFunnel;
}

/** The cohorts of leads created in the period and in the one before, as reached by today. */
export async function funnelReport(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: Pick<PerfQuery, 'period' | 'today'>,
): Promise<FunnelReport> {
  const { today, period } = resolvePeriod(settings, mo, query);
  const previous = previousPeriod(period, settings.fiscalStartMonth);
  const repo = mo.perf;
  const [now, then] = await Promise.all([
    repo.cohort(period.start, period.end),
    repo.cohort(previous.start, previous.end),
  ]);
  return {
    period,
    previous,
    asOf: today,
    current: cohortFunnel(now.leads, now.toMql, now.toSql, today),
    before: cohortFunnel(then.leads, then.toMql, then.toSql, today),
  };
}

/** The export's rows: `category` (and `campaign`), the figures, then a TOTAL row. */
export function perfExportRows(report: PerfReport): Record<string, string>[] {
  const keyColumns = report.by === 'campaign' ? ['category', 'campaign'] : ['category'];
  const row = (r: PerfTable['total'], key: string[]) => {
    const out: Record<string, string> = {};
    keyColumns.forEach((k, i) => {
      out[k] = key[i] ?? '';
    });
    const cells = perfExportCells(r);
    PERF_EXPORT_COLUMNS.forEach((c, i) => {
      out[c] = cells[i] ?? '';
    });
    return out;
  };
  return [
    ...report.table.rows.map((r) => row(r, [r.category, r.campaign ?? ''])),
    row(report.table.total, ['TOTAL', '']),
  ];
}

export const perfExportColumns = (by: PerfGrouping) => [
  ...(by === 'campaign' ? ['category', 'campaign'] : ['category']),
  ...PERF_EXPORT_COLUMNS,
];

/** The categories whose pipeline is not marketing-sourced, set by an admin (audited with the settings). */
export async function setNotMarketing(
  mo: WorkspaceMo,
  categories: string[],
  actor: string,
): Promise<WorkspaceSettings> {
  const resolved: string[] = [];
  for (const c of categories) {
    const category = await resolvePerfCategory(mo, c);
    if (!resolved.some((r) => categoryKey(r) === categoryKey(category))) resolved.push(category);
  }
  return mo.workspaces.update({ notMarketing: resolved }, actor);
}

/** A target amount as typed: money for costs, a ratio (`5`, `4.5`, `5:1`) for pipeline-to-spend. */
export function parsePerfTarget(metric: PerfTargetMetric, text: string, currency: string): bigint {
  if (metric === 'pipeline_to_spend') {
    const m = /^(\d{1,6})(?:\.(\d{1,4}))?(?::1)?$/.exec(text.trim());
    if (!m)
      throw new UserError(
        'invalid',
        `"${text}" is not a ratio: write 5, 4.5 or 5:1 (pipeline per unit of spend)`,
        {
          field: 'amount',
        },
      );
    return BigInt(m[1] as string) * RATIO_SCALE + BigInt((m[2] ?? '').padEnd(4, '0'));
  }
  let value: bigint;
  try {
    value = parseAmount(text, currency);
  } catch (e) {
    throw new UserError('invalid', (e as Error).message, { field: 'amount' });
  }
  if (value <= 0n)
    throw new UserError('invalid', 'a cost target must be more than zero', { field: 'amount' });
  return value;
}

/** Sets a channel target (cpl, pipeline_to_spend, cost_per_opportunity) for a period or standing. */
export async function setPerfTarget(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  input: { metric: PerfTargetMetric; amount: string; period?: string; category?: string },
  actor: string,
) {
  const value = parsePerfTarget(input.metric, input.amount, settings.currency);
  const period = input.period ? resolvePeriod(settings, mo, { period: input.period }).period : null;
  const category = input.category ? await resolvePerfCategory(mo, input.category) : '';
  const { before } = await mo.targets.set(input.metric, period?.key ?? '', value, actor, category);
  return { value, before, period, category };
}

/** A target for people: `$120.00` or `5.00:1`. */
export function showPerfTarget(metric: PerfTargetMetric, value: bigint, currency: string): string {
  return metric === 'pipeline_to_spend'
    ? `${formatRatio(value)}:1`.replace(/0{2}:1$/, ':1')
    : formatMoney(value, currency);
}

/** Spend against pipeline per category (the top by spend), with the pipeline-to-spend target line. */
export function perfChart(report: PerfReport, max = 20): ChartSpec {
  const points = [...report.table.rows]
    .sort((a, b) => (a.spend === b.spend ? 0 : a.spend > b.spend ? -1 : 1))
    .slice(0, max)
    .map((r) => ({
      category: report.by === 'campaign' ? r.campaign || '(no campaign)' : r.category,
      spend: r.spend,
      pipeline: r.pipelineCreated,
    }));
  const target = report.pipelineTarget;
  const scope = report.category ? ` · ${report.category}` : '';
  const title = `Spend and pipeline created${scope} · ${report.period.key}`;
  const { total } = report.table;
  return {
    name: `perf-${report.period.key}.png`,
    title,
    altText:
      `Scatter of spend against pipeline created for ${points.length} ${report.by === 'campaign' ? 'campaigns' : 'categories'} ` +
      `in ${report.period.label}, with a ${Number(target) / 10_000}:1 line; in total ${formatMoney(total.spend, report.currency)} ` +
      `spend and ${formatMoney(total.pipelineCreated, report.currency)} pipeline.`,
    spec: spendVsPipelineChart(title, report.currency, points, Number(target) / 10_000),
  };
}

/** How many channels the digest lists: the rest are counted, so 30 categories fit one message. */
export const DIGEST_CHANNELS = 8;

/**
 * The digest's channel figures: the week and the week before per category (targets of the
 * quarter the week ends in), and the quarter to date.
 */
export async function digestPerf(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  windows: { week: Bucket; lastWeek: Bucket; qtd: Bucket; quarter: Period },
): Promise<DigestChannels> {
  const span = (b: Bucket, label: string): Period => ({
    ...windows.quarter,
    label,
    start: b.start,
    end: b.end,
  });
  const [week, lastWeek, qtd] = await Promise.all([
    perfReport(mo, settings, { period: span(windows.week, 'the week') }),
    perfReport(mo, settings, { period: span(windows.lastWeek, 'the week before') }),
    perfReport(mo, settings, { period: span(windows.qtd, `${windows.quarter.key} to date`) }),
  ]);
  const { lines, others } = channelTable(week.table, lastWeek.table, DIGEST_CHANNELS);
  return {
    channels: lines,
    others,
    conversions: stageConversions(week.table.total, lastWeek.table.total),
    qtdKey: windows.quarter.key,
    share: qtd.share,
    points: [...qtd.table.rows]
      .sort((x, y) => (x.spend === y.spend ? 0 : x.spend > y.spend ? -1 : 1))
      .slice(0, 15)
      .map((r) => ({ category: r.category, spend: r.spend, pipeline: r.pipelineCreated })),
    pipelineTarget: qtd.pipelineTarget,
  };
}

/** The digest's spend-vs-pipeline chart over the quarter to date, or none without spend or pipeline. */
export function digestPerfChart(c: DigestChannels, currency: string): ChartSpec | null {
  if (!c.points.some((p) => p.spend !== 0n || p.pipeline !== 0n)) return null;
  const title = `Spend and pipeline created · ${c.qtdKey} to date`;
  const ratio = Number(c.pipelineTarget) / 10_000;
  const below = c.points.filter((p) => p.spend > 0n && Number(p.pipeline) < Number(p.spend) * ratio).length;
  return {
    name: 'spend-vs-pipeline.png',
    title,
    altText:
      `Scatter of spend against pipeline created for ${c.points.length} categories in ${c.qtdKey} to date, ` +
      `with a ${ratio}:1 line; ${below} below it.`,
    spec: spendVsPipelineChart(title, currency, c.points, ratio),
  };
}
