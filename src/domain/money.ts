// Money is an integer count of minor units (cents) as a bigint, in the workspace currency.
// Parsing is exact (string arithmetic, never floats); formatting uses Intl.
import { InvalidError } from './errors.js';

export class MoneyError extends InvalidError {
  constructor(message: string) {
    super(message, { field: 'amount' });
  }
}

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency: USD 2, JPY 0, BHD 3. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

const codePatterns = new Map<string, RegExp>();
function currencyCodePattern(currency: string): RegExp {
  let re = codePatterns.get(currency);
  if (!re) {
    re = new RegExp(`^${currency}\\s*|\\s*${currency}$`, 'i');
    codePatterns.set(currency, re);
  }
  return re;
}

/**
 * The largest amount Mo accepts, in major units: a trillion is far beyond any marketing
 * budget, and keeps every sum of amounts inside a 64-bit database integer.
 */
export const MAX_AMOUNT_MAJOR = 10n ** 12n;

const AMOUNT = /^(?<sign>[-+])?(?<int>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?<frac>\d+))?$/;

/**
 * Parses an amount as people and exports write it: `1234.56`, `$1,234.56`, `-120`,
 * `(120.00)` (accounting negative), `USD 1,200`, `1,200 €`. Returns minor units.
 * Throws MoneyError with a specific reason when it cannot be read exactly.
 */
export function parseAmount(input: string, currency: string): bigint {
  const plain = parsePlainAmount(input, minorDigits(currency));
  if (plain !== undefined) return plain;
  let text = input.trim();
  if (text === '') throw new MoneyError('amount is empty');
  const bad = () =>
    new MoneyError(`"${input.trim()}" is not an amount (write it like 1234.56, $1,234.56 or (120.00))`);
  // One sign at most: accounting parentheses, or a minus before or after the symbol.
  let signs = 0;
  const paren = /^\((.*)\)$/.exec(text);
  if (paren) {
    signs++;
    text = (paren[1] ?? '').trim();
  }
  if (text.startsWith('-')) {
    signs++;
    text = text.slice(1).trim();
  }
  text = text
    .replace(currencyCodePattern(currency), '')
    .replace(/^[$€£¥₹]\s*|\s*[$€£¥₹]$/u, '')
    .trim();
  const match = AMOUNT.exec(text);
  if (!match?.groups || (match.groups.int === undefined && match.groups.frac === undefined)) throw bad();
  if (match.groups.sign) signs++;
  if (signs > 1) throw bad();
  const negative = signs === 1 && match.groups.sign !== '+';
  const digits = minorDigits(currency);
  const frac = match.groups.frac ?? '';
  if (frac.length > digits) {
    throw new MoneyError(
      `"${input.trim()}" has more decimals than ${currency} allows (${digits === 0 ? 'none' : digits})`,
    );
  }
  const whole = (match.groups.int ?? '0').replace(/,/g, '');
  const minor = BigInt(whole + frac.padEnd(digits, '0'));
  if (minor > MAX_AMOUNT_MAJOR * 10n ** BigInt(digits))
    throw new MoneyError(
      `"${input.trim()}" is too large: amounts are limited to ±1,000,000,000,000 ${currency}`,
    );
  return negative ? -minor : minor;
}

const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const DOT = 46;

/**
 * The amounts files are mostly made of (`1234.56`, `-12`, `0.5`), read with one pass over
 * the characters: an import parses millions, and the general path's regular expressions and
 * intermediate strings were a tenth of its allocations. Anything else (symbols, separators,
 * spaces, too many decimals, too large) is left to parseAmount's general path, which also
 * words the errors. Up to 13 integer and 3 decimal digits, the value stays an exact integer
 * in a double.
 */
function parsePlainAmount(text: string, digits: number): bigint | undefined {
  const n = text.length;
  let i = 0;
  const negative = n > 0 && text.charCodeAt(0) === MINUS;
  if (negative) i = 1;
  let value = 0;
  const intStart = i;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 13) return undefined;
  let fracDigits = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== DOT) return undefined;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) return undefined;
      value = value * 10 + (c - ZERO);
      fracDigits++;
    }
    if (fracDigits === 0 || fracDigits > digits) return undefined;
  }
  for (; fracDigits < digits; fracDigits++) value *= 10;
  if (value > Number(MAX_AMOUNT_MAJOR) * 10 ** digits) return undefined;
  const minor = BigInt(value);
  return negative ? -minor : minor;
}

/** Minor units rounded to whole currency units (half away from zero): 1234550n USD -> 12346n. */
export function toWholeUnits(minor: bigint, currency: string): bigint {
  return divRound(minor, 10n ** BigInt(minorDigits(currency)));
}

const wholeFormats = new Map<string, Intl.NumberFormat>();

/** `$12,346`: whole units with separators, the way /mo budget shows amounts. */
export function formatMoney(minor: bigint, currency: string): string {
  let format = wholeFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
      minimumFractionDigits: 0,
    });
    wholeFormats.set(currency, format);
  }
  return format.format(toWholeUnits(minor, currency));
}

/** `$5,999.99`: to the minor unit, where whole units would hide a difference. */
export function formatMoneyExact(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Through the exact decimal text, so amounts beyond 2^53 minor units stay exact.
  return format.format(formatMinorExact(minor, currency) as Intl.StringNumericLiteral);
}

/** `1234.56` / `-120.00`: exact, for CSV and confirmations. */
export function formatMinorExact(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const abs = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Exact rational a/b rounded half away from zero to a bigint. */
export function divRound(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA * 2n + absB) / (absB * 2n);
  return negative ? -q : q;
}

/**
 * Whether the workspace currency may change from `from` to `to` with `stored` amounts kept
 * in it. Mo never converts: once amounts exist only `relabel` corrects a mistaken setting,
 * and only between currencies with the same minor unit (USD to JPY would multiply by 100).
 * Returns null when allowed, else the reason.
 */
export function currencyChangeRefusal(
  from: string,
  to: string,
  stored: number,
  relabel: boolean,
): string | null {
  if (from === to || stored === 0) return null;
  if (!relabel)
    return (
      `The currency cannot change from ${from} to ${to}: ${stored} amount${stored === 1 ? ' is' : 's are'} stored in ${from} ` +
      `and Mo never converts them. If ${from} was set by mistake, relabel them: mo settings --team T --currency ${to} --relabel.`
    );
  if (minorDigits(from) !== minorDigits(to))
    return (
      `${from} has ${minorDigits(from)} decimal${minorDigits(from) === 1 ? '' : 's'} and ${to} has ${minorDigits(to)}: ` +
      'relabelling would change every amount, so Mo refuses it.'
    );
  return null;
}
