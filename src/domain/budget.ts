// Plan vs actual vs committed vs forecast for a fiscal period, per category, with a total.
// Pure: the caller aggregates the database (sums per category) and passes them in.
import { addDays, daysInclusive, type IsoDate, type Period } from './calendar.js';
import { categoryKey, isTopLevel, isWithin, topOf } from './category.js';
import { divRound } from './money.js';

export type BudgetStatus = 'on plan' | 'watch' | 'over' | 'under' | 'no plan';

/** Sums for one leaf category in the period (minor units). */
export interface CategoryFigures {
  category: string;
  planned: bigint;
  actual: bigint;
  committed: bigint;
  /** Actual spend dated from the period start through today: the run rate's base. */
  actualToDate: bigint;
}

export interface BudgetRow {
  category: string;
  /** Whether the row sums several leaves (a top-level node with sub-categories). */
  hasChildren: boolean;
  planned: bigint;
  actual: bigint;
  committed: bigint;
  available: bigint;
  forecast: bigint;
  /** (forecast − planned) ÷ planned in percent, two decimals; null without a plan. */
  variancePct: number | null;
  status: BudgetStatus;
}

export interface BudgetReport {
  period: Period;
  today: IsoDate;
  /** The node the report is narrowed to, or null for all categories. */
  focus: string | null;
  periodDays: number;
  /** Days of the period from its start through today, clamped to [0, periodDays]. */
  elapsedDays: number;
  rows: BudgetRow[];
  total: BudgetRow;
}

type Sums = Pick<BudgetRow, 'planned' | 'actual' | 'committed' | 'forecast'>;

const ZERO: Sums = { planned: 0n, actual: 0n, committed: 0n, forecast: 0n };

function add(a: Sums, b: Sums): Sums {
  return {
    planned: a.planned + b.planned,
    actual: a.actual + b.actual,
    committed: a.committed + b.committed,
    forecast: a.forecast + b.forecast,
  };
}

/**
 * A leaf's forecast: the larger of actual + committed and the linear run rate
 * (actual to date × period days ÷ elapsed days). Before the period starts there is
 * no run rate, so the forecast is what is already spent and committed.
 */
export function leafForecast(figures: CategoryFigures, periodDays: number, elapsedDays: number): bigint {
  const booked = figures.actual + figures.committed;
  if (elapsedDays <= 0) return booked;
  const runRate = divRound(figures.actualToDate * BigInt(periodDays), BigInt(elapsedDays));
  return runRate > booked ? runRate : booked;
}

/** Variance in percent with two decimals, or null when there is no plan. */
export function variancePct(forecast: bigint, planned: bigint): number | null {
  if (planned <= 0n) return null;
  return Number(divRound((forecast - planned) * 10_000n, planned)) / 100;
}

/** On plan within ±5 %, watch within ±10 %, over / under beyond; exact, no rounding. */
export function budgetStatus(forecast: bigint, planned: bigint): BudgetStatus {
  if (planned <= 0n) return 'no plan';
  const diff = forecast - planned;
  const abs = diff < 0n ? -diff : diff;
  if (abs * 100n <= planned * 5n) return 'on plan';
  if (abs * 100n <= planned * 10n) return 'watch';
  return diff > 0n ? 'over' : 'under';
}

function row(category: string, hasChildren: boolean, sums: Sums): BudgetRow {
  return {
    category,
    hasChildren,
    ...sums,
    available: sums.planned - sums.actual - sums.committed,
    variancePct: variancePct(sums.forecast, sums.planned),
    status: budgetStatus(sums.forecast, sums.planned),
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
  figures: CategoryFigures[];
}): BudgetReport {
  const { period, today } = input;
  const focus = input.focus ?? null;
  const periodDays = daysInclusive(period.start, period.end);
  const elapsedDays = Math.max(0, Math.min(periodDays, daysInclusive(period.start, today)));

  // Merge leaves that differ only in case; keep the first spelling.
  const leaves = new Map<string, { category: string; sums: Sums }>();
  for (const f of input.figures) {
    if (focus && !isWithin(f.category, focus)) continue;
    const sums: Sums = {
      planned: f.planned,
      actual: f.actual,
      committed: f.committed,
      forecast: leafForecast(f, periodDays, elapsedDays),
    };
    const key = categoryKey(f.category);
    const seen = leaves.get(key);
    leaves.set(key, { category: seen?.category ?? f.category, sums: seen ? add(seen.sums, sums) : sums });
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
    .map((g) => row(g.category, !focus && hasSubcategories(g.category), g.sums));
  const total = row(
    'TOTAL',
    false,
    [...groups.values()].reduce((acc, g) => add(acc, g.sums), ZERO),
  );
  return { period, today, focus, periodDays, elapsedDays, rows, total };
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
