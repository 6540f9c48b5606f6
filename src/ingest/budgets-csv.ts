// The canonical budgets CSV: period,category,amount,owner,phasing (weights per month, `40;30;30`).
import { monthsOfPeriod, type Period, parsePeriod } from '../domain/calendar.js';
import { normalizeCategory } from '../domain/category.js';
import { parseAmount } from '../domain/money.js';
import { parsePhasing } from '../domain/phasing.js';
import { parseUserRef } from '../slack/mrkdwn.js';
import { RowError } from './spend-csv.js';

export const BUDGET_COLUMNS = {
  required: ['period', 'category', 'amount'],
  optional: ['owner', 'phasing'],
} as const;

export interface BudgetRecord {
  period: Period;
  category: string;
  plannedMinor: bigint;
  ownerUserId: string | null;
  /** Weights per month of the period, normalized (`40;30;30`); null: by calendar days. */
  phasing: string | null;
}

export function parseOwner(text: string | undefined): string | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  const id = parseUserRef(t);
  if (!id) throw new RowError(`owner "${t}" must be a Slack user id like U012ABCDEF (or empty)`);
  return id;
}

export function parseBudgetRecord(
  values: Record<string, string>,
  currency: string,
  fiscalStartMonth: number,
): BudgetRecord {
  const text = (values.period ?? '').trim();
  // Relative periods (this-quarter) would change meaning over time: files name them.
  const period = /^(fy\d{4}(-?q[1-4])?|\d{4}-\d{2})$/i.test(text)
    ? parsePeriod(text, '2000-01-01', fiscalStartMonth)
    : undefined;
  if (!period) throw new RowError(`period "${text}" must be like FY2027, FY2027-Q3 or 2026-11`);
  let plannedMinor: bigint;
  try {
    plannedMinor = parseAmount(values.amount ?? '', currency);
  } catch (e) {
    throw new RowError(`amount: ${(e as Error).message}`);
  }
  if (plannedMinor < 0n) throw new RowError(`amount ${values.amount} is negative: a plan is zero or more`);
  let category: string;
  try {
    category = normalizeCategory(values.category ?? '');
  } catch (e) {
    throw new RowError((e as Error).message);
  }
  const weights = (values.phasing ?? '').trim();
  let phasing: string | null = null;
  if (weights !== '') {
    try {
      phasing = parsePhasing(weights, monthsOfPeriod(period).length);
    } catch (e) {
      throw new RowError((e as Error).message);
    }
  }
  return { period, category, plannedMinor, ownerUserId: parseOwner(values.owner), phasing };
}
