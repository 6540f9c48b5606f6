// Which channel pays: per-category (or per-campaign) efficiency, the lead funnel as cohorts,
// targets per channel and marketing's share of pipeline. Pure: callers pass sums and counts
// already grouped by the database.
import {
  addDays,
  calendarMonth,
  daysBetween,
  fiscalQuarter,
  fiscalYear,
  type IsoDate,
  type Period,
} from './calendar.js';
import { categoryKey, isWithin } from './category.js';
import { divRound } from './money.js';

/** What a row (a category, a campaign or the total) counts in a period. */
export interface PerfCounts {
  /** Actual spend, minor units. */
  spend: bigint;
  /** Leads created in the period. */
  leads: number;
  /** Leads that became MQLs in the period (by MQL date). */
  mqls: number;
  /** Leads that became SQLs in the period (by SQL date). */
  sqls: number;
  /** Opportunities created in the period. */
  opportunities: number;
  /** Amount of the opportunities created in the period, minor units. */
  pipelineCreated: bigint;
  /** Amount of the opportunities won (closed) in the period, minor units. */
  won: bigint;
}

export const NO_COUNTS: PerfCounts = {
  spend: 0n,
  leads: 0,
  mqls: 0,
  sqls: 0,
  opportunities: 0,
  pipelineCreated: 0n,
  won: 0n,
};

/** The figures derived from the counts; null (a blank) wherever the divisor is zero. */
export interface PerfRatios {
  /** Minor units, rounded half away from zero. */
  costPerLead: bigint | null;
  costPerMql: bigint | null;
  costPerSql: bigint | null;
  costPerOpportunity: bigint | null;
  /** Pipeline created ÷ spend, in ten-thousandths (5:1 is 50000n). */
  pipelineToSpend: bigint | null;
  /** Won ÷ spend, in ten-thousandths. */
  wonToSpend: bigint | null;
  /** MQLs ÷ leads, in hundredths of a percent (62.5 % is 6250n): volume ratios of the period. */
  leadToMql: bigint | null;
  mqlToSql: bigint | null;
  sqlToOpportunity: bigint | null;
}

/** Ratios and percentages are kept as integers so every figure is exact and rounds once. */
export const RATIO_SCALE = 10_000n;

export interface PerfKey {
  category: string;
  /** Set when rows are per campaign. */
  campaign?: string;
}

export type TargetStatus = 'on_target' | 'below_target' | 'no_target';

export interface TargetCheck {
  metric: PerfTargetMetric;
  /** Minor units for costs, ten-thousandths for pipeline-to-spend. */
  target: bigint;
  /** The row's figure in the same unit; null when it is blank. */
  actual: bigint | null;
  met: boolean;
}

export interface PerfRow extends PerfKey, PerfCounts, PerfRatios {
  status: TargetStatus;
  checks: TargetCheck[];
}

const per = (spend: bigint, n: number) => (n === 0 ? null : divRound(spend, BigInt(n)));
const ratio = (a: bigint, b: bigint) => (b === 0n ? null : divRound(a * RATIO_SCALE, b));
const pct = (a: number, b: number) => (b === 0 ? null : divRound(BigInt(a) * RATIO_SCALE, BigInt(b)));

export function perfRatios(c: PerfCounts): PerfRatios {
  return {
    costPerLead: per(c.spend, c.leads),
    costPerMql: per(c.spend, c.mqls),
    costPerSql: per(c.spend, c.sqls),
    costPerOpportunity: per(c.spend, c.opportunities),
    pipelineToSpend: ratio(c.pipelineCreated, c.spend),
    wonToSpend: ratio(c.won, c.spend),
    leadToMql: pct(c.mqls, c.leads),
    mqlToSql: pct(c.sqls, c.mqls),
    sqlToOpportunity: pct(c.opportunities, c.sqls),
  };
}

export function addCounts(a: PerfCounts, b: Partial<PerfCounts>): PerfCounts {
  return {
    spend: a.spend + (b.spend ?? 0n),
    leads: a.leads + (b.leads ?? 0),
    mqls: a.mqls + (b.mqls ?? 0),
    sqls: a.sqls + (b.sqls ?? 0),
    opportunities: a.opportunities + (b.opportunities ?? 0),
    pipelineCreated: a.pipelineCreated + (b.pipelineCreated ?? 0n),
    won: a.won + (b.won ?? 0n),
  };
}

/** One grouped figure from the database: a key and the counts it carries. */
export type PerfPart = PerfKey & Partial<PerfCounts>;

// ---- targets

export const PERF_TARGET_METRICS = ['cpl', 'pipeline_to_spend', 'cost_per_opportunity'] as const;
export type PerfTargetMetric = (typeof PERF_TARGET_METRICS)[number];

/** A workspace without its own pipeline-to-spend target is held to GitLab's 5:1. */
export const DEFAULT_PIPELINE_TO_SPEND = 5n * RATIO_SCALE;

export interface PerfTarget {
  metric: PerfTargetMetric;
  /** A period key, or '' for every period. */
  period: string;
  /** A category, or '' for every category. */
  category: string;
  value: bigint;
}

/**
 * The target that applies to a category in a period: the most specific wins (the category
 * itself, then its parent, then the workspace; a target for the period before a standing one).
 */
export function targetFor(
  targets: PerfTarget[],
  metric: PerfTargetMetric,
  periodKey: string,
  category: string,
): bigint | undefined {
  let best: { score: number; value: bigint } | undefined;
  for (const t of targets) {
    if (t.metric !== metric) continue;
    if (t.period !== '' && t.period !== periodKey) continue;
    let score: number;
    if (t.category === '') score = 0;
    else if (categoryKey(t.category) === categoryKey(category)) score = 4;
    else if (isWithin(category, t.category)) score = 2;
    else continue;
    if (t.period !== '') score += 1;
    if (!best || score > best.score) best = { score, value: t.value };
  }
  if (best) return best.value;
  return metric === 'pipeline_to_spend' ? DEFAULT_PIPELINE_TO_SPEND : undefined;
}

/**
 * Checks a row against its targets. Costs are ceilings, pipeline-to-spend a floor. A row that
 * spent but has no leads (or opportunities) misses a cost target: its cost is unbounded. A
 * row with no spend is not judged on pipeline-to-spend.
 */
export function checkTargets(
  row: PerfCounts & PerfRatios,
  targets: PerfTarget[],
  periodKey: string,
  category: string,
): { status: TargetStatus; checks: TargetCheck[] } {
  const checks: TargetCheck[] = [];
  const cost = (metric: PerfTargetMetric, actual: bigint | null) => {
    const target = targetFor(targets, metric, periodKey, category);
    if (target === undefined) return;
    if (actual === null && row.spend <= 0n) return;
    checks.push({ metric, target, actual, met: actual !== null && actual <= target });
  };
  cost('cpl', row.costPerLead);
  cost('cost_per_opportunity', row.costPerOpportunity);
  const p2s = targetFor(targets, 'pipeline_to_spend', periodKey, category);
  if (p2s !== undefined && row.pipelineToSpend !== null && row.spend > 0n) {
    checks.push({
      metric: 'pipeline_to_spend',
      target: p2s,
      actual: row.pipelineToSpend,
      met: row.pipelineToSpend >= p2s,
    });
  }
  const status: TargetStatus = !checks.length
    ? 'no_target'
    : checks.every((c) => c.met)
      ? 'on_target'
      : 'below_target';
  return { status, checks };
}

// ---- the table

export interface PerfTable {
  rows: PerfRow[];
  total: PerfRow;
}

const keyOf = (k: PerfKey) => `${categoryKey(k.category)}\u001f${k.campaign ?? ''}`;

/** Orders rows by pipeline-to-spend (best first, blanks last), then spend, then name. */
export function comparePerfRows(a: PerfRow, b: PerfRow): number {
  if (a.pipelineToSpend !== b.pipelineToSpend) {
    if (a.pipelineToSpend === null) return 1;
    if (b.pipelineToSpend === null) return -1;
    return a.pipelineToSpend > b.pipelineToSpend ? -1 : 1;
  }
  if (a.spend !== b.spend) return a.spend > b.spend ? -1 : 1;
  const byCategory = a.category.localeCompare(b.category);
  return byCategory || (a.campaign ?? '').localeCompare(b.campaign ?? '');
}

/**
 * Merges grouped parts (spend per category, leads per category, ...) into one row per key,
 * with the total of all parts and each row's status against the targets for `periodKey`.
 */
export function perfTable(parts: PerfPart[], targets: PerfTarget[], periodKey: string): PerfTable {
  const byKey = new Map<string, { key: PerfKey; counts: PerfCounts }>();
  let total = NO_COUNTS;
  for (const p of parts) {
    const k = keyOf(p);
    const entry = byKey.get(k) ?? {
      key:
        p.campaign === undefined ? { category: p.category } : { category: p.category, campaign: p.campaign },
      counts: NO_COUNTS,
    };
    entry.counts = addCounts(entry.counts, p);
    byKey.set(k, entry);
    total = addCounts(total, p);
  }
  const build = (key: PerfKey, counts: PerfCounts, category: string): PerfRow => {
    const ratios = perfRatios(counts);
    return {
      ...key,
      ...counts,
      ...ratios,
      ...checkTargets({ ...counts, ...ratios }, targets, periodKey, category),
    };
  };
  const rows = [...byKey.values()].map((e) => build(e.key, e.counts, e.key.category)).sort(comparePerfRows);
  return { rows, total: build({ category: 'TOTAL' }, total, '') };
}

// ---- formatting for exports

/** `12.3456` from ten-thousandths; '' for a blank. */
export function formatRatio(v: bigint | null): string {
  if (v === null) return '';
  const neg = v < 0n;
  const abs = (neg ? -v : v).toString().padStart(5, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -4)}.${abs.slice(-4)}`;
}

/** `62.50` (percent) from hundredths of a percent; '' for a blank. */
export function formatPercent(v: bigint | null): string {
  if (v === null) return '';
  const neg = v < 0n;
  const abs = (neg ? -v : v).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

export const PERF_EXPORT_COLUMNS = [
  'spend',
  'leads',
  'mqls',
  'sqls',
  'opportunities',
  'pipeline_created',
  'won',
  'cost_per_lead',
  'cost_per_mql',
  'cost_per_sql',
  'cost_per_opportunity',
  'pipeline_to_spend',
  'won_to_spend',
  'lead_to_mql_pct',
  'mql_to_sql_pct',
  'sql_to_opportunity_pct',
] as const;

/** A row's cells in PERF_EXPORT_COLUMNS order: money in minor units, blanks empty. */
export function perfExportCells(r: PerfCounts & PerfRatios): string[] {
  const minor = (v: bigint | null) => (v === null ? '' : v.toString());
  return [
    r.spend.toString(),
    String(r.leads),
    String(r.mqls),
    String(r.sqls),
    String(r.opportunities),
    r.pipelineCreated.toString(),
    r.won.toString(),
    minor(r.costPerLead),
    minor(r.costPerMql),
    minor(r.costPerSql),
    minor(r.costPerOpportunity),
    formatRatio(r.pipelineToSpend),
    formatRatio(r.wonToSpend),
    formatPercent(r.leadToMql),
    formatPercent(r.mqlToSql),
    formatPercent(r.sqlToOpportunity),
  ];
}

// ---- the funnel as cohorts

/** Leads of a cohort grouped by a pair of stage dates, with how many share the pair. */
export interface StagePairCount {
  from: IsoDate;
  /** null: not reached. */
  to: IsoDate | null;
  count: number;
}

export interface CohortFunnel {
  /** Leads created in the period. */
  leads: number;
  /** Of them, how many reached MQL by `asOf`. */
  mqls: number;
  sqls: number;
  /** Hundredths of a percent of the cohort; null for an empty cohort. */
  mqlShare: bigint | null;
  sqlShare: bigint | null;
  /** Median days created→MQL over the leads that reached MQL; null when none did. */
  medianDaysToMql: number | null;
  /** Median days MQL→SQL over the leads that reached both. */
  medianDaysMqlToSql: number | null;
}

/** Median of a histogram of day counts (the mean of the two middle values for an even count). */
export function medianDays(histogram: Map<number, number>): number | null {
  let n = 0;
  for (const c of histogram.values()) n += c;
  if (n === 0) return null;
  const sorted = [...histogram.entries()].sort((a, b) => a[0] - b[0]);
  const at = (i: number) => {
    let seen = 0;
    for (const [days, c] of sorted) {
      seen += c;
      if (i < seen) return days;
    }
    throw new RangeError('median index out of range');
  };
  return n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

/**
 * The cohort of leads created in a period: `toMql` groups them by (created, MQL date),
 * `toSql` by (MQL date or null, SQL date) for those with an SQL date. Stages dated after
 * `asOf` are not reached yet.
 */
export function cohortFunnel(
  leads: number,
  toMql: StagePairCount[],
  toSql: { mql: IsoDate | null; sql: IsoDate; count: number }[],
  asOf: IsoDate,
): CohortFunnel {
  const mqlDays = new Map<number, number>();
  let mqls = 0;
  for (const p of toMql) {
    if (p.to === null || p.to > asOf) continue;
    mqls += p.count;
    const d = Math.max(0, daysBetween(p.from, p.to));
    mqlDays.set(d, (mqlDays.get(d) ?? 0) + p.count);
  }
  const sqlDays = new Map<number, number>();
  let sqls = 0;
  for (const p of toSql) {
    if (p.sql > asOf) continue;
    sqls += p.count;
    if (p.mql === null || p.mql > asOf) continue;
    const d = Math.max(0, daysBetween(p.mql, p.sql));
    sqlDays.set(d, (sqlDays.get(d) ?? 0) + p.count);
  }
  const share = (n: number) => (leads === 0 ? null : divRound(BigInt(n) * RATIO_SCALE, BigInt(leads)));
  return {
    leads,
    mqls,
    sqls,
    mqlShare: share(mqls),
    sqlShare: share(sqls),
    medianDaysToMql: medianDays(mqlDays),
    medianDaysMqlToSql: medianDays(sqlDays),
  };
}

/** The period before: the previous fiscal year, quarter or month. */
export function previousPeriod(period: Period, fiscalStartMonth: number): Period {
  const fy = /^FY(\d{4})$/.exec(period.key);
  if (fy) return fiscalYear(Number(fy[1]) - 1, fiscalStartMonth);
  const q = /^FY(\d{4})-Q([1-4])$/.exec(period.key);
  if (q) {
    const year = Number(q[1]);
    const quarter = Number(q[2]);
    return quarter === 1
      ? fiscalQuarter(year - 1, 4, fiscalStartMonth)
      : fiscalQuarter(year, quarter - 1, fiscalStartMonth);
  }
  const m = /^(\d{4})-(\d{2})$/.exec(period.key);
  if (m) {
    const month = Number(m[2]);
    return month === 1 ? calendarMonth(Number(m[1]) - 1, 12) : calendarMonth(Number(m[1]), month - 1);
  }
  // Any other span: the same number of days just before it.
  const days = daysBetween(period.start, period.end);
  const end = addDays(period.start, -1);
  const start = addDays(end, -days);
  return { key: `${start}..${end}`, kind: period.kind, label: `${start} – ${end}`, start, end };
}

// ---- marketing's share

export interface MarketingShare {
  marketingPipeline: bigint;
  otherPipeline: bigint;
  marketingWon: bigint;
  otherWon: bigint;
  /** Hundredths of a percent of pipeline created; null when there is none. */
  pipelineShare: bigint | null;
  wonShare: bigint | null;
}

/** Whether a category counts as marketing-sourced: any but those marked not marketing (and theirs). */
export function isMarketing(category: string, notMarketing: readonly string[]): boolean {
  return !notMarketing.some((n) => isWithin(category, n));
}

export function marketingShare(
  rows: { category: string; pipelineCreated: bigint; won: bigint }[],
  notMarketing: readonly string[],
): MarketingShare {
  let mp = 0n;
  let op = 0n;
  let mw = 0n;
  let ow = 0n;
  for (const r of rows) {
    if (isMarketing(r.category, notMarketing)) {
      mp += r.pipelineCreated;
      mw += r.won;
    } else {
      op += r.pipelineCreated;
      ow += r.won;
    }
  }
  const share = (m: bigint, o: bigint) => (m + o === 0n ? null : divRound(m * RATIO_SCALE, m + o));
  return {
    marketingPipeline: mp,
    otherPipeline: op,
    marketingWon: mw,
    otherWon: ow,
    pipelineShare: share(mp, op),
    wonShare: share(mw, ow),
  };
}

// ---- attribution

export const UNATTRIBUTED = 'Unattributed';

export interface AttributionInput {
  /** The row's own category column. */
  category?: string;
  campaign?: string;
  /** The source the CRM recorded (HubSpot Original Source, Salesforce Lead Source). */
  source?: string;
  /** What the vendor export says about the source, most general first ("Paid Search"). */
  vendorSource?: string;
}

/**
 * Where a lead or opportunity belongs: its own category, else a mapping rule on its campaign,
 * else a rule on its source, else the vendor's source column, else Unattributed.
 */
export function attribute(input: AttributionInput, rule: (text: string) => string | undefined): string {
  const has = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';
  if (has(input.category)) return input.category.trim();
  if (has(input.campaign)) {
    const c = rule(input.campaign.trim());
    if (c) return c;
  }
  if (has(input.source)) {
    const c = rule(input.source.trim());
    if (c) return c;
  }
  if (has(input.vendorSource)) return input.vendorSource.trim();
  return UNATTRIBUTED;
}

// ---- the digest's channel table

export type Trend = 'up' | 'down' | 'flat' | 'new';

/** How a figure moved from last week: up, down, flat, or new (nothing to compare with). */
export function trend(now: bigint | null, before: bigint | null): Trend {
  if (now === null && before === null) return 'flat';
  if (before === null || now === null) return 'new';
  return now > before ? 'up' : now < before ? 'down' : 'flat';
}

export interface ChannelLine {
  category: string;
  spend: bigint;
  pipelineCreated: bigint;
  pipelineToSpend: bigint | null;
  costPerLead: bigint | null;
  status: TargetStatus;
  spendTrend: Trend;
  pipelineTrend: Trend;
  pipelineToSpendTrend: Trend;
}

/**
 * The week's top categories by spend (then pipeline), each against last week; the rest are
 * summed into one "other" line so the table stays within a message.
 */
export function channelTable(
  week: PerfTable,
  lastWeek: PerfTable,
  max: number,
): { lines: ChannelLine[]; others: number } {
  const before = new Map(lastWeek.rows.map((r) => [categoryKey(r.category), r]));
  const ranked = [...week.rows].sort((a, b) =>
    a.spend !== b.spend
      ? a.spend > b.spend
        ? -1
        : 1
      : a.pipelineCreated !== b.pipelineCreated
        ? a.pipelineCreated > b.pipelineCreated
          ? -1
          : 1
        : a.category.localeCompare(b.category),
  );
  const lines = ranked
    .filter((r) => r.spend !== 0n || r.pipelineCreated !== 0n)
    .slice(0, max)
    .map((r) => {
      const b = before.get(categoryKey(r.category));
      return {
        category: r.category,
        spend: r.spend,
        pipelineCreated: r.pipelineCreated,
        pipelineToSpend: r.pipelineToSpend,
        costPerLead: r.costPerLead,
        status: r.status,
        spendTrend: trend(r.spend, b?.spend ?? 0n),
        pipelineTrend: trend(r.pipelineCreated, b?.pipelineCreated ?? 0n),
        pipelineToSpendTrend: trend(r.pipelineToSpend, b?.pipelineToSpend ?? null),
      };
    });
  const shown = ranked.filter((r) => r.spend !== 0n || r.pipelineCreated !== 0n).length;
  return { lines, others: Math.max(0, shown - lines.length) };
}

/** What the digest shows of channels: the week's table, its conversions, and the quarter to date. */
export interface DigestChannels {
  channels: ChannelLine[];
  /** Categories with spend or pipeline beyond those listed. */
  others: number;
  conversions: StageConversion[];
  /** Quarter to date: marketing's share, and spend against pipeline per category for the chart. */
  qtdKey: string;
  share: MarketingShare;
  points: { category: string; spend: bigint; pipeline: bigint }[];
  /** Ten-thousandths: the chart's line. */
  pipelineTarget: bigint;
}

export interface StageConversion {
  stage: 'lead_to_mql' | 'mql_to_sql' | 'sql_to_opportunity';
  label: string;
  /** Hundredths of a percent; null when the divisor is zero. */
  week: bigint | null;
  lastWeek: bigint | null;
  /** Hundredths of a percentage point; null unless both weeks have a rate. */
  change: bigint | null;
}

/** The stage ratios of the week against last week's (volume ratios of counts dated in each week). */
export function stageConversions(week: PerfRatios, lastWeek: PerfRatios): StageConversion[] {
  const line = (stage: StageConversion['stage'], label: string, k: keyof PerfRatios): StageConversion => {
    const now = week[k];
    const then = lastWeek[k];
    return {
      stage,
      label,
      week: now,
      lastWeek: then,
      change: now === null || then === null ? null : now - then,
    };
  };
  return [
    line('lead_to_mql', 'Lead→MQL', 'leadToMql'),
    line('mql_to_sql', 'MQL→SQL', 'mqlToSql'),
    line('sql_to_opportunity', 'SQL→opp', 'sqlToOpportunity'),
  ];
}

// ---- the funnel rollup

/** What one lead or opportunity adds to the daily funnel rollup, on each day it is dated. */
export interface FunnelDelta {
  date: IsoDate;
  category: string;
  leads: number;
  mqls: number;
  sqls: number;
  opportunities: number;
  pipelineMinor: bigint;
  wonMinor: bigint;
}

type LeadLike = { createdDate: IsoDate; mqlDate: IsoDate | null; sqlDate: IsoDate | null; category: string };
type OpportunityLike = {
  createdDate: IsoDate;
  amountMinor: bigint;
  closeDate: IsoDate | null;
  won: boolean | null;
  category: string;
};

/**
 * Sums what records add (sign 1) or take away (sign -1, a record's stored version before an
 * update) per (day, category): the deltas a rollup applies to stay equal to its rows.
 */
export class FunnelDeltas {
  private sums = new Map<string, FunnelDelta>();

  private at(date: IsoDate, category: string): FunnelDelta {
    const key = `${date}\u001f${category}`;
    let d = this.sums.get(key);
    if (!d) {
      d = { date, category, leads: 0, mqls: 0, sqls: 0, opportunities: 0, pipelineMinor: 0n, wonMinor: 0n };
      this.sums.set(key, d);
    }
    return d;
  }

  add(record: LeadLike | OpportunityLike, sign: 1 | -1): void {
    if ('amountMinor' in record) {
      const created = this.at(record.createdDate, record.category);
      created.opportunities += sign;
      created.pipelineMinor += BigInt(sign) * record.amountMinor;
      if (record.won === true && record.closeDate)
        this.at(record.closeDate, record.category).wonMinor += BigInt(sign) * record.amountMinor;
    } else {
      this.at(record.createdDate, record.category).leads += sign;
      if (record.mqlDate) this.at(record.mqlDate, record.category).mqls += sign;
      if (record.sqlDate) this.at(record.sqlDate, record.category).sqls += sign;
    }
  }

  /** The non-zero deltas. */
  list(): FunnelDelta[] {
    return [...this.sums.values()].filter(
      (d) => d.leads || d.mqls || d.sqls || d.opportunities || d.pipelineMinor !== 0n || d.wonMinor !== 0n,
    );
  }
}
