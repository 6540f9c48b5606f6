// The figures behind the weekly digest, per bucket (Monday-start weeks or calendar months,
// clipped to the period) and in total. Pure: the caller passes daily counts and sums.
import { addDays, daysBetween, type IsoDate, type Period } from './calendar.js';
import { divRound } from './money.js';

export interface Bucket {
  start: IsoDate;
  end: IsoDate;
}

/** Monday of the week a date falls in (dates are calendar days in the workspace timezone). */
export function weekStart(date: IsoDate): IsoDate {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

export function buckets(period: Pick<Period, 'start' | 'end'>, by: 'week' | 'month'): Bucket[] {
  const out: Bucket[] = [];
  let start = period.start;
  while (start <= period.end) {
    let next: IsoDate;
    if (by === 'week') next = addDays(weekStart(start), 7);
    else {
      const [y, m] = start.split('-').map(Number) as [number, number];
      next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    }
    const end = addDays(next, -1) < period.end ? addDays(next, -1) : period.end;
    out.push({ start, end });
    start = next;
  }
  return out;
}

/** What happened on one day. */
export interface DayFigures {
  date: IsoDate;
  spend?: bigint;
  leads?: number;
  mqls?: number;
  sqls?: number;
  opportunities?: number;
  pipelineCreated?: bigint;
  won?: bigint;
}

export interface KpiRow {
  bucketStart: IsoDate | 'TOTAL';
  spend: bigint;
  leads: number;
  mqls: number;
  sqls: number;
  opportunities: number;
  pipelineCreated: bigint;
  won: bigint;
  /** Minor units, rounded; null when there are no leads. */
  costPerLead: bigint | null;
  costPerOpportunity: bigint | null;
  /** Pipeline created ÷ spend, two decimals; null when there is no spend. */
  pipelineToSpend: number | null;
}

function row(bucketStart: KpiRow['bucketStart'], days: DayFigures[]): KpiRow {
  const sum = (f: (d: DayFigures) => bigint | undefined) => days.reduce((a, d) => a + (f(d) ?? 0n), 0n);
  const count = (f: (d: DayFigures) => number | undefined) => days.reduce((a, d) => a + (f(d) ?? 0), 0);
  const spend = sum((d) => d.spend);
  const leads = count((d) => d.leads);
  const opportunities = count((d) => d.opportunities);
  const pipelineCreated = sum((d) => d.pipelineCreated);
  return {
    bucketStart,
    spend,
    leads,
    mqls: count((d) => d.mqls),
    sqls: count((d) => d.sqls),
    opportunities,
    pipelineCreated,
    won: sum((d) => d.won),
    costPerLead: leads ? divRound(spend, BigInt(leads)) : null,
    costPerOpportunity: opportunities ? divRound(spend, BigInt(opportunities)) : null,
    pipelineToSpend: spend === 0n ? null : Number(divRound(pipelineCreated * 100n, spend)) / 100,
  };
}

export function computeKpis(
  period: Pick<Period, 'start' | 'end'>,
  by: 'week' | 'month',
  days: DayFigures[],
): { rows: KpiRow[]; total: KpiRow } {
  const inPeriod = days.filter((d) => d.date >= period.start && d.date <= period.end);
  const rows = buckets(period, by).map((b) =>
    row(
      b.start,
      inPeriod.filter((d) => d.date >= b.start && d.date <= b.end),
    ),
  );
  return { rows, total: row('TOTAL', inPeriod) };
}

/** Days in a bucket, for readers that want rates. */
export const bucketDays = (b: Bucket) => daysBetween(b.start, b.end) + 1;
