// A plan line is phased over the calendar months of its period: by calendar days unless the
// person gave weights. Phased amounts are whole minor units that add up exactly to the plan
// (largest remainder), so every month, quarter and year is a sum of the same months.
import { daysInMonth, type IsoDate, type MonthKey, monthsBetween } from './calendar.js';
import { UserError } from './errors.js';

export class PhasingError extends UserError {
  constructor(message: string) {
    super('invalid', message, { field: 'phasing' });
  }
}

/** Weights are kept to four decimals, as integers, so phasing is exact. */
const SCALE_DIGITS = 4;

/**
 * Splits `amount` in proportion to `weights` into whole units that sum to `amount`: each
 * share is rounded down, then the units left go one each to the largest remainders (the
 * earlier month on a tie).
 */
export function largestRemainder(amount: bigint, weights: bigint[]): bigint[] {
  const total = weights.reduce((a, w) => a + w, 0n);
  if (weights.length === 0) throw new RangeError('no weights');
  if (weights.some((w) => w < 0n) || total <= 0n)
    throw new RangeError('weights must be ≥ 0 with a positive sum');
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const shares = weights.map((w) => (abs * w) / total);
  const remainders = weights.map((w, i) => ({ i, r: (abs * w) % total }));
  let left = abs - shares.reduce((a, s) => a + s, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i] = (shares[i] as bigint) + 1n;
    left -= 1n;
  }
  return negative ? shares.map((s) => -s) : shares;
}

/**
 * Reads weights as people write them: `40,30,30` on the command line, `40;30;30` in a CSV.
 * Returns them normalized (`40;30;30`) for storage, or throws naming what is wrong.
 */
export function parsePhasing(text: string, months: number): string {
  const parts = text.split(/[;,]/).map((p) => p.trim());
  if (parts.length !== months) {
    throw new PhasingError(
      `phasing "${text}" has ${parts.length} weight${parts.length === 1 ? '' : 's'}; the period has ${months} month${months === 1 ? '' : 's'}: give one weight per month, like ${Array.from({ length: months }, () => '1').join(',')}`,
    );
  }
  for (const p of parts) {
    if (!new RegExp(`^\\d+(\\.\\d{1,${SCALE_DIGITS}})?$`).test(p))
      throw new PhasingError(
        `phasing weight "${p}" must be a number ≥ 0 with at most ${SCALE_DIGITS} decimals`,
      );
  }
  const weights = parts.map(scaled);
  if (weights.every((w) => w === 0n))
    throw new PhasingError('phasing weights are all zero: at least one month needs a share');
  return parts
    .map((p) =>
      p
        .replace(/^0+(?=\d)/, '')
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, ''),
    )
    .join(';');
}

function scaled(weight: string): bigint {
  const [int, frac = ''] = weight.split('.');
  return BigInt((int ?? '0') + frac.padEnd(SCALE_DIGITS, '0'));
}

export interface PlanLine {
  periodStart: IsoDate;
  periodEnd: IsoDate;
  plannedMinor: bigint;
  /** Stored weights (`40;30;30`), or null: by calendar days. */
  phasing: string | null;
}

/** The line's plan per calendar month of its period, summing exactly to the plan. */
export function phasePlan(line: PlanLine): { month: MonthKey; planned: bigint }[] {
  const months = monthsBetween(line.periodStart, line.periodEnd);
  const weights = line.phasing
    ? line.phasing.split(';').map(scaled)
    : months.map((m) => BigInt(daysInMonth(m)));
  if (weights.length !== months.length || weights.every((w) => w === 0n)) {
    // Stored weights that no longer fit (never written by Mo) fall back to calendar days.
    return phasePlan({ ...line, phasing: null });
  }
  const amounts = largestRemainder(line.plannedMinor, weights);
  return months.map((month, i) => ({ month, planned: amounts[i] as bigint }));
}
