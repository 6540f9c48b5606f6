// The weekly digest's figures: the week just ended and the fiscal quarter to date, each
// against last week and the target where one is set, the categories that moved, and the
// budget lines to watch. Pure: the service passes daily figures, sums and targets in.

import type { BudgetReport, BudgetRow } from './budget.js';
import {
  addDays,
  daysInclusive,
  fiscalQuarter,
  fiscalQuarterOf,
  type IsoDate,
  type Period,
} from './calendar.js';
import { type Bucket, computeKpis, type DayFigures, type KpiRow, weekStart } from './kpis.js';
import { divRound } from './money.js';

export interface DigestWindows {
  /** The last complete Monday–Sunday week before today. */
  week: Bucket;
  lastWeek: Bucket;
  /** The fiscal quarter the week ends in. */
  quarter: Period;
  /** From the quarter's start to the week's end. */
  qtd: Bucket;
  /** The 12 weeks ending with the week: the charts' range. */
  twelveWeeks: Bucket;
}

export function digestWindows(today: IsoDate, fiscalStartMonth: number): DigestWindows {
  const thisMonday = weekStart(today);
  const week = { start: addDays(thisMonday, -7), end: addDays(thisMonday, -1) };
  const { fy, quarter: q } = fiscalQuarterOf(week.end, fiscalStartMonth);
  const quarter = fiscalQuarter(fy, q, fiscalStartMonth);
  return {
    week,
    lastWeek: { start: addDays(week.start, -7), end: addDays(week.end, -7) },
    quarter,
    qtd: { start: quarter.start, end: week.end },
    twelveWeeks: { start: addDays(week.start, -77), end: week.end },
  };
}

export type MetricId =
  | 'spend'
  | 'leads'
  | 'mqls'
  | 'sqls'
  | 'mqlToSql'
  | 'pipeline'
  | 'won'
  | 'costPerLead'
  | 'costPerOpportunity'
  | 'pipelineToSpend';

/** How a value reads: money in minor units, a count, a percent, or a ratio (×). */
export type MetricKind = 'money' | 'count' | 'percent' | 'ratio';

export interface MetricLine {
  id: MetricId;
  label: string;
  kind: MetricKind;
  week: number | bigint | null;
  lastWeek: number | bigint | null;
  /** Week over week in whole percent; null when last week is zero or either is missing. */
  changePct: number | null;
  /** The quarter's target pro-rated to 7 days (see targetsFor). */
  weekTarget: bigint | null;
  qtd: number | bigint | null;
  quarterTarget: bigint | null;
}

/** Targets are set per period key; the digest reads the quarter's (leads, mqls, sqls, pipeline, won). */
export type Targets = Partial<Record<'leads' | 'mqls' | 'sqls' | 'pipeline' | 'won', bigint>>;

/**
 * A week's share of a quarter target: target × 7 ÷ days in the quarter, rounded half away
 * from zero. Only a target set for the quarter itself counts (FY2027-Q4): a year or month
 * target is not spread over quarters, so the digest never shows a target nobody set.
 */
export function weekShare(target: bigint, quarter: Pick<Period, 'start' | 'end'>): bigint {
  return divRound(target * 7n, BigInt(daysInclusive(quarter.start, quarter.end)));
}

function changePct(now: number | bigint | null, before: number | bigint | null): number | null {
  if (now === null || before === null) return null;
  const b = typeof before === 'bigint' ? before : BigInt(Math.round(before * 100));
  const n = typeof now === 'bigint' ? now : BigInt(Math.round(now * 100));
  if (b === 0n) return null;
  return Number(divRound((n - b) * 100n, b < 0n ? -b : b));
}

/** MQL → SQL conversion in percent, one decimal; null without MQLs. */
export function conversionPct(mqls: number, sqls: number): number | null {
  return mqls === 0 ? null : Number(divRound(BigInt(sqls) * 1000n, BigInt(mqls))) / 10;
}

export function metricLines(
  windows: DigestWindows,
  days: DayFigures[],
  targets: Targets,
): { lines: MetricLine[]; week: KpiRow; lastWeek: KpiRow; qtd: KpiRow } {
  const total = (b: Bucket) => computeKpis(b, 'week', days).total;
  const week = total(windows.week);
  const lastWeek = total(windows.lastWeek);
  const qtd = total(windows.qtd);
  const line = (
    id: MetricId,
    label: string,
    kind: MetricKind,
    pick: (r: KpiRow) => number | bigint | null,
    target?: keyof Targets,
  ): MetricLine => {
    const t = target ? (targets[target] ?? null) : null;
    return {
      id,
      label,
      kind,
      week: pick(week),
      lastWeek: pick(lastWeek),
      changePct: changePct(pick(week), pick(lastWeek)),
      weekTarget: t === null ? null : weekShare(t, windows.quarter),
      qtd: pick(qtd),
      quarterTarget: t,
    };
  };
  return {
    week,
    lastWeek,
    qtd,
    lines: [
      line('spend', 'Spend', 'money', (r) => r.spend),
      line('leads', 'Leads', 'count', (r) => r.leads, 'leads'),
      line('mqls', 'MQLs', 'count', (r) => r.mqls, 'mqls'),
      line('sqls', 'SQLs', 'count', (r) => r.sqls, 'sqls'),
      line('mqlToSql', 'MQL → SQL', 'percent', (r) => conversionPct(r.mqls, r.sqls)),
      line('pipeline', 'Pipeline created', 'money', (r) => r.pipelineCreated, 'pipeline'),
      line('won', 'Closed-won', 'money', (r) => r.won, 'won'),
      line('costPerLead', 'Cost per lead', 'money', (r) => r.costPerLead),
      line('costPerOpportunity', 'Cost per opportunity', 'money', (r) => r.costPerOpportunity),
      line('pipelineToSpend', 'Pipeline ÷ spend', 'ratio', (r) => r.pipelineToSpend),
    ],
  };
}

export interface Mover {
  category: string;
  lastWeek: bigint;
  week: bigint;
  /** Whole percent; null for a category with no spend last week (new). */
  changePct: number | null;
}

export const MOVER_THRESHOLD_PCT = 15;

/**
 * Top-level categories whose spend changed by 15 % or more week over week, either way: a
 * category that spent nothing last week and something this week is new; one that stopped
 * is −100 %. Exact: |week − last| × 100 ≥ 15 × last, in minor units. Largest change in
 * money first.
 */
export function movers(byCategory: { category: string; lastWeek: bigint; week: bigint }[]): Mover[] {
  const abs = (v: bigint) => (v < 0n ? -v : v);
  return byCategory
    .filter((c) => c.week !== c.lastWeek)
    .filter(
      (c) =>
        c.lastWeek === 0n || abs(c.week - c.lastWeek) * 100n >= BigInt(MOVER_THRESHOLD_PCT) * abs(c.lastWeek),
    )
    .map((c) => ({
      ...c,
      changePct: c.lastWeek === 0n ? null : Number(divRound((c.week - c.lastWeek) * 100n, abs(c.lastWeek))),
    }))
    .sort((a, b) => {
      const d = abs(b.week - b.lastWeek) - abs(a.week - a.lastWeek);
      return d > 0n ? 1 : d < 0n ? -1 : a.category.localeCompare(b.category);
    });
}

/** Everything the digest's message and charts show: the service gathers it, the builder draws it. */
export interface DigestData {
  teamId: string;
  currency: string;
  today: IsoDate;
  windows: DigestWindows;
  /** False for a workspace with no spend, leads, opportunities or plan at all. */
  hasData: boolean;
  lines: MetricLine[];
  /** The quarter as of today: plan, actual, committed, forecast per category. */
  budget: BudgetReport;
  pace: { bookedPct: number | null; elapsedPct: number };
  movers: Mover[];
  /** Budget rows in watch or over status, or with an open alert on one of their lines. */
  flagged: BudgetRow[];
  /** Categories of the flagged rows that have an open alert. */
  alerted?: string[];
  /** Spend per week (bucket) and top-level category. */
  weeklySpend: { bucket: string; category: string; amount: bigint }[];
  funnel: { week: string; leads: number; mqls: number; sqls: number }[];
  pipeline: { category: string; amount: bigint }[];
}

export interface DigestSchedule {
  teamId: string;
  enabled: boolean;
  /** ISO weekday, 1 = Monday. */
  day: number;
  /** Local "HH:MM". */
  time: string;
  /** The schedule's own zone, or null for the workspace timezone. */
  timezone: string | null;
  /** The zone in effect. */
  timeZone: string;
  channelId: string | null;
  /** Slots before this are not caught up: the workspace or the schedule is newer. */
  since: Date;
}
