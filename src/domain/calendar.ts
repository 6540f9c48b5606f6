// Business dates are calendar days (`YYYY-MM-DD`) in the workspace timezone. Fiscal periods
// are computed here from the fiscal-year start month; a fiscal year is named by the calendar
// year in which it ends (start month February: FY2027 = 2026-02-01 … 2027-01-31).
import { InvalidError } from './errors.js';

export type IsoDate = string;

export class PeriodError extends InvalidError {
  constructor(message: string) {
    super(message, { field: 'period' });
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** Inclusive count of days in [start, end]. */
export function daysInclusive(start: IsoDate, end: IsoDate): number {
  return daysBetween(start, end) + 1;
}

export function monthStart(year: number, month: number): IsoDate {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return fromUtc(d);
}

// Building an Intl.DateTimeFormat costs about a millisecond (it loads the zone's rules), and
// every /mo budget and digest asks for today: one per zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in an IANA timezone. */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type PeriodKind = 'year' | 'quarter' | 'month';

export interface Period {
  /** Canonical key: FY2027, FY2027-Q3, 2026-11. */
  key: string;
  kind: PeriodKind;
  /** Human label: "FY2027 Q3 (Aug 1 – Oct 31, 2026)". */
  label: string;
  start: IsoDate;
  end: IsoDate;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function shortDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${MONTHS[m - 1]} ${d}, ${y}`;
}

function rangeLabel(start: IsoDate, end: IsoDate): string {
  const [sy] = start.split('-');
  const [ey] = end.split('-');
  const s = shortDate(start);
  return `${sy === ey ? s.replace(/, \d{4}$/, '') : s} – ${shortDate(end)}`;
}

/** First day of fiscal year `fy`. */
export function fiscalYearStart(fy: number, startMonth: number): IsoDate {
  return monthStart(startMonth === 1 ? fy : fy - 1, startMonth);
}

export function fiscalYear(fy: number, startMonth: number): Period {
  const start = fiscalYearStart(fy, startMonth);
  const end = addDays(fiscalYearStart(fy + 1, startMonth), -1);
  return { key: `FY${fy}`, kind: 'year', label: `FY${fy} (${rangeLabel(start, end)})`, start, end };
}

export function fiscalQuarter(fy: number, quarter: number, startMonth: number): Period {
  const fyStart = fiscalYearStart(fy, startMonth);
  const [y, m] = fyStart.split('-').map(Number) as [number, number];
  const start = monthStart(y, m + (quarter - 1) * 3);
  const end = addDays(monthStart(y, m + quarter * 3), -1);
  return {
    key: `FY${fy}-Q${quarter}`,
    kind: 'quarter',
    label: `FY${fy} Q${quarter} (${rangeLabel(start, end)})`,
    start,
    end,
  };
}

export function calendarMonth(year: number, month: number): Period {
  const start = monthStart(year, month);
  const end = addDays(monthStart(year, month + 1), -1);
  return {
    key: start.slice(0, 7),
    kind: 'month',
    label: `${MONTHS[month - 1]} ${year}`,
    start,
    end,
  };
}

/** The fiscal year a date falls in. */
export function fiscalYearOf(date: IsoDate, startMonth: number): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return startMonth === 1 || m < startMonth ? y : y + 1;
}

export function fiscalQuarterOf(date: IsoDate, startMonth: number): { fy: number; quarter: number } {
  const [, m] = date.split('-').map(Number) as [number, number];
  const monthIndex = (m - startMonth + 12) % 12;
  return { fy: fiscalYearOf(date, startMonth), quarter: Math.floor(monthIndex / 3) + 1 };
}

export const PERIOD_HELP =
  'a period is FY2027, FY2027-Q3, 2026-11, this-quarter, last-quarter, this-month or this-year';

/**
 * Resolves what a person typed to a fiscal period, relative to `today` (a date in the
 * workspace timezone). Returns undefined when the text is not a period at all.
 */
export function parsePeriod(text: string, today: IsoDate, startMonth: number): Period | undefined {
  const t = text.trim().toLowerCase();
  const fy = /^fy(\d{4})$/.exec(t);
  if (fy) return fiscalYear(Number(fy[1]), startMonth);
  const q = /^fy(\d{4})-?q([1-4])$/.exec(t);
  if (q) return fiscalQuarter(Number(q[1]), Number(q[2]), startMonth);
  const month = /^(\d{4})-(\d{2})$/.exec(t);
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) throw new PeriodError(`"${text}" has no month ${month[2]}: ${PERIOD_HELP}`);
    return calendarMonth(Number(month[1]), m);
  }
  const [y, m] = today.split('-').map(Number) as [number, number];
  switch (t) {
    case 'this-month':
      return calendarMonth(y, m);
    case 'last-month':
      return calendarMonth(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1);
    case 'this-year':
      return fiscalYear(fiscalYearOf(today, startMonth), startMonth);
    case 'last-year':
      return fiscalYear(fiscalYearOf(today, startMonth) - 1, startMonth);
    case 'this-quarter': {
      const cur = fiscalQuarterOf(today, startMonth);
      return fiscalQuarter(cur.fy, cur.quarter, startMonth);
    }
    case 'last-quarter': {
      const cur = fiscalQuarterOf(today, startMonth);
      return cur.quarter === 1
        ? fiscalQuarter(cur.fy - 1, 4, startMonth)
        : fiscalQuarter(cur.fy, cur.quarter - 1, startMonth);
    }
    default:
      return undefined;
  }
}

/** Like parsePeriod, but a text that is not a period is an error naming the accepted forms. */
export function requirePeriod(text: string, today: IsoDate, startMonth: number): Period {
  const period = parsePeriod(text, today, startMonth);
  if (!period) throw new PeriodError(`"${text}" is not a period: ${PERIOD_HELP}`);
  return period;
}

/** A calendar month as `YYYY-MM`: the one unit every plan, actual and forecast is kept in. */
export type MonthKey = string;

export function monthOf(date: IsoDate): MonthKey {
  return date.slice(0, 7);
}

export function monthFirstDay(month: MonthKey): IsoDate {
  return `${month}-01`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Arithmetic, not Date objects: budget views call these for every line and month, and the
// Date round trip was most of a fiscal year's domain time (bench/budget-scale.ts profile).
export function daysInMonth(month: MonthKey): number {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : (MONTH_DAYS[m - 1] as number);
}

export function monthLastDay(month: MonthKey): IsoDate {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

/** The calendar months that [start, end] touches, in order. */
export function monthsBetween(start: IsoDate, end: IsoDate): MonthKey[] {
  const out: MonthKey[] = [];
  if (end < start) return out;
  let [y, m] = start.split('-').map(Number) as [number, number];
  const last = monthOf(end);
  for (;;) {
    const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** The period's months (a fiscal period is whole calendar months). */
export function monthsOfPeriod(period: Pick<Period, 'start' | 'end'>): MonthKey[] {
  return monthsBetween(period.start, period.end);
}
