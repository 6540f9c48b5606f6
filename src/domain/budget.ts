// Plan vs actual vs committed vs forecast for a fiscal period, per category, with a total.
// Pure: the caller aggregates the database per category and calendar month and passes the
// cells in. Every figure of a period is the sum of its months, so a year equals its quarters
// and a quarter its months, to the cent.
import {
  addDays,
  daysInclusive,
  daysInMonth,
  type IsoDate,
  type MonthKey,
  monthFirstDay,
  monthLastDay,
  type Period,
} from './calendar.js';
import { categoryKey, isTopLevel, isWithin, topOf } from './category.js';
import { divRound } from './money.js';

/**
 * Bands for the current period (forecast vs plan), a closed period's outcome (actual +
 * committed vs plan), or a period not started yet.
 */
export type BudgetStatus =
  | 'on plan'
  | 'watch'
  | 'over'
  | 'under'
  | 'no plan'
  | 'not started'
  | 'closed on plan'
  | 'closed over'
  | 'closed under';

/** Where a month or period stands on `today`. */
export type PeriodState = 'closed' | 'current' | 'not started';

export function periodState(period: { start: IsoDate; end: IsoDate }, today: IsoDate): PeriodState {
  if (period.end < today) return 'closed';
  if (period.start > today) return 'not started';
  return 'current';
}

export function monthState(month: MonthKey, today: IsoDate): PeriodState {
  return periodState({ start: monthFirstDay(month), end: monthLastDay(month) }, today);
}

/**
 * One leaf category in one calendar month (minor units). `actual` counts only spend dated on
 * or before today; `committed` the open commitments dated in the month; `estimate` a latest
 * estimate a person set for the month (null: none).
 */
export interface MonthFigures {
  category: string;
  month: MonthKey;
  planned: bigint;
  actual: bigint;
  committed: bigint;
  estimate?: bigint | null;
}

/**
 * The computed forecast of one category in one month:
 * - a month that has ended: actual + committed;
 * - the current month: the larger of actual + committed and the run rate, actual × days in
 *   the month ÷ days elapsed (today included);
 * - a month not yet started: the larger of planned and what is already booked in it.
 */
export function monthForecast(
  cell: Pick<MonthFigures, 'month' | 'planned' | 'actual' | 'committed'>,
  today: IsoDate,
): bigint {
  const booked = cell.actual + cell.committed;
  const state = monthState(cell.month, today);
  if (state === 'closed') return booked;
  if (state === 'not started') return cell.planned > booked ? cell.planned : booked;
  const elapsed = daysInclusive(monthFirstDay(cell.month), today);
  const runRate = divRound(cell.actual * BigInt(daysInMonth(cell.month)), BigInt(elapsed));
  return runRate > booked ? runRate : booked;
}

/** The forecast a month counts in status and alerts: a latest estimate while set, unless the month has ended. */
export function monthOutlook(
  cell: MonthFigures,
  today: IsoDate,
): { forecast: bigint; estimate: bigint | null } {
  const forecast = monthForecast(cell, today);
  const estimate =
    cell.estimate !== undefined && cell.estimate !== null && monthState(cell.month, today) !== 'closed'
      ? cell.estimate
      : null;
  return { forecast, estimate };
}

export interface BudgetRow {
  category: string;
  /** Whether the row sums several leaves (a top-level node with sub-categories). */
  hasChildren: boolean;
  planned: bigint;
  actual: bigint;
  committed: bigint;
  available: bigint;
  /** The computed forecast: the sum of the months' forecasts. */
  forecast: bigint;
  /**
   * With a latest estimate ("LE") in any of the row's months: the forecast with those months
   * replaced by their estimate; null without one. Status and variance use it while set.
   */
  estimate: bigint | null;
  /**
   * Closed: (actual + committed − planned) ÷ planned; current: (forecast − planned) ÷
   * planned; in percent, two decimals. Null without a plan or before the period starts.
   */
  variancePct: number | null;
  status: BudgetStatus;
  /** The status as people read it: "closed: over by 4 %", "not started", "watch". */
  statusLabel: string;
}

export interface BudgetReport {
  period: Period;
  today: IsoDate;
  state: PeriodState;
  /** The node the report is narrowed to, or null for all categories. */
  focus: string | null;
  periodDays: number;
  /** Days of the period from its start through today, clamped to [0, periodDays]. */
  elapsedDays: number;
  rows: BudgetRow[];
  total: BudgetRow;
}

interface Sums {
  planned: bigint;
  actual: bigint;
  committed: bigint;
  forecast: bigint;
  /** Forecast with latest estimates in place of the computed figure where set. */
  outlook: bigint;
  hasEstimate: boolean;
}

const ZERO: Sums = { planned: 0n, actual: 0n, committed: 0n, forecast: 0n, outlook: 0n, hasEstimate: false };

function add(a: Sums, b: Sums): Sums {
  return {
    planned: a.planned + b.planned,
    actual: a.actual + b.actual,
    committed: a.committed + b.committed,
    forecast: a.forecast + b.forecast,
    outlook: a.outlook + b.outlook,
    hasEstimate: a.hasEstimate || b.hasEstimate,
  };
}

/** Variance in percent with two decimals, or null when there is no plan. */
export function variancePct(forecast: bigint, planned: bigint): number | null {
  if (planned <= 0n) return null;
  return Number(divRound((forecast - planned) * 10_000n, planned)) / 100;
}

/** The current period's bands: on plan within ±5 %, watch within ±10 %, over / under beyond; exact. */
export function budgetStatus(forecast: bigint, planned: bigint): BudgetStatus {
  if (planned <= 0n) return 'no plan';
  const diff = forecast - planned;
  const abs = diff < 0n ? -diff : diff;
  if (abs * 100n <= planned * 5n) return 'on plan';
  if (abs * 100n <= planned * 10n) return 'watch';
  return diff > 0n ? 'over' : 'under';
}

/**
 * Status by the period's state: a closed period by how far actual + committed ended from
 * the plan (whole percent), a period not started without variance, the current one by bands.
 */
export function periodStatus(
  state: PeriodState,
  figures: { planned: bigint; booked: bigint; forecast: bigint },
): { status: BudgetStatus; statusLabel: string; variancePct: number | null } {
  const { planned, booked, forecast } = figures;
  if (state === 'not started')
    return { status: 'not started', statusLabel: 'not started', variancePct: null };
  if (planned <= 0n) return { status: 'no plan', statusLabel: 'no plan', variancePct: null };
  if (state === 'current') {
    const status = budgetStatus(forecast, planned);
    return { status, statusLabel: status, variancePct: variancePct(forecast, planned) };
  }
  const diff = booked - planned;
  const pct = divRound((diff < 0n ? -diff : diff) * 100n, planned);
  const pctText = `${pct} %`;
  if (pct === 0n)
    return {
      status: 'closed on plan',
      statusLabel: 'closed: on plan',
      variancePct: variancePct(booked, planned),
    };
  return diff > 0n
    ? {
        status: 'closed over',
        statusLabel: `closed: over by ${pctText}`,
        variancePct: variancePct(booked, planned),
      }
    : {
        status: 'closed under',
        statusLabel: `closed: under by ${pctText}`,
        variancePct: variancePct(booked, planned),
      };
}

function row(category: string, hasChildren: boolean, sums: Sums, state: PeriodState): BudgetRow {
  const status = periodStatus(state, {
    planned: sums.planned,
    booked: sums.actual + sums.committed,
    forecast: sums.outlook,
  });
  return {
    category,
    hasChildren,
    planned: sums.planned,
    actual: sums.actual,
    committed: sums.committed,
    available: sums.planned - sums.actual - sums.committed,
    forecast: sums.forecast,
    estimate: sums.hasEstimate ? sums.outlook : null,
    ...status,
  };
}

/** The label of a parent's own (not sub-categorised) figures when it is drilled into. */
export function generalLabel(top: string): string {
  return `${top} (general)`;
}

export function computeBudget(input: {
  period: Period;
  today: IsoDate;
  focus?: string | null;
  /** Cells per leaf category and month; months outside the period are ignored. */
  months: MonthFigures[];
}): BudgetReport {
  const { period, today } = input;
  const focus = input.focus ?? null;
  const periodDays = daysInclusive(period.start, period.end);
  const elapsedDays = Math.max(0, Math.min(periodDays, daysInclusive(period.start, today)));
  const state = periodState(period, today);
  const first = period.start.slice(0, 7);
  const last = period.end.slice(0, 7);

  // One cell per leaf and month (leaves that differ only in case merged, the first spelling
  // kept) before any forecast: the forecast is taken per leaf and month, and every sum above
  // it is a sum of months.
  const cells = new Map<string, MonthFigures & { estimate: bigint | null }>();
  for (const c of input.months) {
    if (c.month < first || c.month > last) continue;
    if (focus && !isWithin(c.category, focus)) continue;
    const key = `${categoryKey(c.category)}\u0000${c.month}`;
    const seen = cells.get(key);
    const estimate = c.estimate ?? null;
    if (!seen) {
      cells.set(key, { ...c, estimate });
      continue;
    }
    seen.planned += c.planned;
    seen.actual += c.actual;
    seen.committed += c.committed;
    if (estimate !== null) seen.estimate = (seen.estimate ?? 0n) + estimate;
  }
  const leaves = new Map<string, { category: string; sums: Sums }>();
  for (const cell of cells.values()) {
    const { forecast, estimate } = monthOutlook(cell, today);
    const sums: Sums = {
      planned: cell.planned,
      actual: cell.actual,
      committed: cell.committed,
      forecast,
      outlook: estimate ?? forecast,
      hasEstimate: estimate !== null,
    };
    const key = categoryKey(cell.category);
    const seen = leaves.get(key);
    leaves.set(key, { category: seen?.category ?? cell.category, sums: seen ? add(seen.sums, sums) : sums });
  }

  // Rows one level below the focus: top-level nodes, or the children of a top node.
  const groups = new Map<string, { category: string; sums: Sums }>();
  for (const { category, sums } of leaves.values()) {
    let label: string;
    if (!focus) label = topOf(category);
    else if (isTopLevel(focus) && isTopLevel(category)) label = generalLabel(category);
    else label = category;
    const key = categoryKey(label);
    const g = groups.get(key);
    groups.set(key, { category: g?.category ?? label, sums: add(g?.sums ?? ZERO, sums) });
  }
  const hasSubcategories = (top: string) =>
    [...leaves.values()].some(
      (l) => l.category.includes('/') && categoryKey(topOf(l.category)) === categoryKey(top),
    );

  const rows = [...groups.values()]
    .sort((a, b) => a.category.localeCompare(b.category))
    .map((g) => row(g.category, !focus && hasSubcategories(g.category), g.sums, state));
  const total = row(
    'TOTAL',
    false,
    [...groups.values()].reduce((acc, g) => add(acc, g.sums), ZERO),
    state,
  );
  return { period, today, state, focus, periodDays, elapsedDays, rows, total };
}

/** Share of the plan already spent or committed, and of the period already elapsed, in whole percent. */
export function pacing(report: BudgetReport): { bookedPct: number | null; elapsedPct: number } {
  const { total } = report;
  return {
    bookedPct:
      total.planned > 0n ? Number(divRound((total.actual + total.committed) * 100n, total.planned)) : null,
    elapsedPct: Math.round((report.elapsedDays * 100) / report.periodDays),
  };
}

/**
 * The burn-up's days: cumulative actual from the period start through today, then the
 * forecast drawn straight from today's cumulative actual to the forecast at period end.
 * `daily` holds actual spend per day (any order; days without spend may be missing).
 */
export function burnUpDays(
  report: Pick<BudgetReport, 'period' | 'today' | 'elapsedDays' | 'periodDays'> & {
    total: Pick<BudgetRow, 'forecast'>;
  },
  daily: { date: IsoDate; amount: bigint }[],
): { date: IsoDate; actual: bigint | null; forecast: bigint | null }[] {
  const byDate = new Map<IsoDate, bigint>();
  for (const d of daily) byDate.set(d.date, (byDate.get(d.date) ?? 0n) + d.amount);
  const days: { date: IsoDate; actual: bigint | null; forecast: bigint | null }[] = [];
  let cumulative = 0n;
  let date = report.period.start;
  for (let i = 0; i < report.periodDays; i++) {
    if (i < report.elapsedDays) cumulative += byDate.get(date) ?? 0n;
    days.push({ date, actual: i < report.elapsedDays ? cumulative : null, forecast: null });
    date = addDays(date, 1);
  }
  // The forecast starts where the actual line ends (or at the start before the period opens).
  const from = Math.max(0, report.elapsedDays - 1);
  const span = report.periodDays - 1 - from;
  const base = report.elapsedDays > 0 ? cumulative : 0n;
  for (let i = from; i < report.periodDays; i++) {
    const day = days[i] as (typeof days)[number];
    day.forecast =
      span <= 0
        ? report.total.forecast
        : base + divRound((report.total.forecast - base) * BigInt(i - from), BigInt(span));
  }
  return days;
}
