// The rules a spend entry typed by a person must pass before anything is written: a real
// calendar date, no actual spend in the future, a category the workspace knows (or one
// created on purpose), an amount that is not zero and has the currency's minor unit.
// Pure; the messages are what the person reads.
import { type IsoDate, isIsoDate } from './calendar.js';
import { categoryKey, isWithin, topOf } from './category.js';
import { UserError } from './errors.js';
import { formatMoney, MoneyError, parseAmount } from './money.js';

export type EntryStatus = 'actual' | 'committed';

/** Tokens a person meant as a date: 2026-02-30, 2026/11/20, 11/20/2026, 20.11.2026. */
const DATE_LIKE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

export function looksLikeDateToken(token: string): boolean {
  return DATE_LIKE.test(token);
}

/** The entry's date: today when none is given; refused when unreadable, or in the future for actual spend. */
export function entryDate(text: string | undefined, today: IsoDate, status: EntryStatus): IsoDate {
  const date = text?.trim() || today;
  if (!isIsoDate(date))
    throw new UserError('invalid', `"${date}" is not a date: write it as YYYY-MM-DD, like ${today}.`, {
      field: 'date',
    });
  if (status === 'actual' && date > today)
    throw new UserError(
      'invalid',
      `Actual spend cannot be dated after today (${today}): ${date} has not happened yet. Use --committed for planned spend.`,
      { field: 'date' },
    );
  return date;
}

/** The amount in minor units: the currency's decimals exactly, never zero (negative: a refund). */
export function entryAmount(text: string, currency: string): bigint {
  let minor: bigint;
  try {
    minor = parseAmount(text, currency);
  } catch (e) {
    if (e instanceof MoneyError) throw new UserError('invalid', e.message, { field: 'amount', cause: e });
    throw e;
  }
  if (minor === 0n)
    throw new UserError(
      'invalid',
      'An amount of zero records nothing: give the amount spent, or a negative amount for a refund.',
      { field: 'amount' },
    );
  return minor;
}

/** "$1,200" or "a refund of $120": how a confirmation names an amount. */
export function describeAmount(minor: bigint, currency: string): string {
  return minor < 0n ? `a refund of ${formatMoney(-minor, currency)}` : formatMoney(minor, currency);
}

/** Edit distance (Levenshtein), case-insensitive, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++)
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[y.length] as number;
}

/** The known categories closest to what was typed, best first (at most `n`). */
export function closestCategories(typed: string, known: string[], n = 3): string[] {
  const key = categoryKey(typed);
  const scored = known.map((k) => {
    const kk = categoryKey(k);
    let score = editDistance(key, kk);
    // Typing a sub-category's own name ("Search") or a prefix of it points there too.
    const leaf = kk.split('/').pop() ?? kk;
    if (leaf === key || kk.startsWith(key) || (key.length >= 3 && leaf.startsWith(key)))
      score = Math.min(score, 1);
    if (isWithin(k, topOf(typed)) && typed.includes('/')) score -= 0.5;
    return { k, score };
  });
  // About one typo in four characters, and none much worse than the best.
  const best = Math.min(...scored.map((s) => s.score));
  const limit = Math.min(Math.max(2, Math.floor(key.length / 4)), best + 2);
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((s) => s.k);
}

/** A category nobody has planned or spent in: refused unless created on purpose with --new. */
export function unknownCategory(typed: string, known: string[], how = 'add --new'): UserError {
  const near = closestCategories(typed, known);
  const suggestion = near.length
    ? ` Did you mean ${near.join(' or ')}?`
    : known.length
      ? ` Categories: ${known
          .filter((k) => !k.includes('/'))
          .slice(0, 12)
          .join(', ')}.`
      : '';
  return new UserError('invalid', `There is no category "${typed}" yet.${suggestion} To create it, ${how}.`, {
    field: 'category',
  });
}

/** Whether a day is within `minutes` after an instant (undo's window). */
export function withinMinutes(since: Date, now: Date, minutes: number): boolean {
  return now.getTime() - since.getTime() <= minutes * 60_000;
}

export const UNDO_MINUTES = 15;

/** Who may book spend in a workspace (setting `spend_entry`). */
export const SPEND_ENTRY = ['admins', 'owners', 'everyone'] as const;
export type SpendEntryRule = (typeof SPEND_ENTRY)[number];

export function isSpendEntryRule(text: string): text is SpendEntryRule {
  return (SPEND_ENTRY as readonly string[]).includes(text);
}

export const SPEND_ENTRY_HELP: Record<SpendEntryRule, string> = {
  admins: 'Mo admins only',
  owners: 'Mo admins and the owners of a budget line in the category',
  everyone: 'every member',
};
