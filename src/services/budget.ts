// /mo budget's figures: repositories aggregate in SQL, src/domain does the math.

import type { WorkspaceSettings } from '../db/workspaces.js';
import { type BudgetReport, computeBudget } from '../domain/budget.js';
import { type IsoDate, type Period, requirePeriod } from '../domain/calendar.js';
import {
  CategoryError,
  canonicalCategory,
  categoryKey,
  isWithin,
  normalizeCategory,
} from '../domain/category.js';
import { UserError } from '../domain/errors.js';
import { unknownCategory } from '../domain/spend.js';
import { type Mo, todayIn } from './mo.js';

export async function knownCategories(mo: Mo, teamId: string): Promise<string[]> {
  const [planned, spent] = await Promise.all([mo.budgets.categories(teamId), mo.spend.categories(teamId)]);
  const seen = new Map<string, string>();
  for (const c of [...planned, ...spent]) {
    if (!seen.has(categoryKey(c))) seen.set(categoryKey(c), c);
    const top = c.split('/')[0] ?? c;
    if (!seen.has(categoryKey(top))) seen.set(categoryKey(top), top);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** A category a person typed, checked against the workspace's tree and spelled its way. */
export async function resolveCategory(mo: Mo, teamId: string, text: string): Promise<string> {
  const category = normalizeCategory(text);
  const known = await knownCategories(mo, teamId);
  const canonical = canonicalCategory(category, known);
  if (!known.some((k) => categoryKey(k) === categoryKey(canonical))) {
    const near = known.filter((k) => isWithin(k, category.split('/')[0] ?? '')).slice(0, 8);
    const list = (near.length ? near : known.filter((k) => !k.includes('/'))).slice(0, 12);
    throw new CategoryError(
      `No category "${category}" has a plan or spend yet.` +
        (list.length ? ` Categories: ${list.join(', ')}.` : ' Nothing is planned or spent yet.'),
    );
  }
  return canonical;
}

/**
 * The category as the workspace spells it. An unknown one is refused with the closest
 * existing ones, unless `create` says it is meant to be new.
 */
export async function entryCategory(
  mo: Mo,
  teamId: string,
  text: string,
  create = false,
  how?: string,
): Promise<{ category: string; isNew: boolean }> {
  let category: string;
  try {
    category = normalizeCategory(text);
  } catch (e) {
    throw new UserError('invalid', (e as Error).message, { field: 'category', cause: e });
  }
  const known = await knownCategories(mo, teamId);
  const match = known.find((k) => categoryKey(k) === categoryKey(category));
  if (match) return { category: match, isNew: false };
  if (!create) throw unknownCategory(category, known, how);
  // A new sub-category keeps the spelling of a known top ("paid media/Video").
  const [top, sub] = category.split('/');
  const knownTop = known.find((k) => categoryKey(k) === categoryKey(top ?? ''));
  return { category: knownTop && sub ? `${knownTop}/${sub}` : category, isNew: true };
}

export async function budgetReport(
  mo: Mo,
  settings: WorkspaceSettings,
  query: { period?: string | Period; category?: string | null; today?: IsoDate },
): Promise<BudgetReport> {
  const today = query.today ?? todayIn(mo, settings.timezone);
  const period =
    typeof query.period === 'object'
      ? query.period
      : requirePeriod(query.period ?? 'this-quarter', today, settings.fiscalStartMonth);
  const [planned, spent] = await Promise.all([
    mo.budgets.plannedByCategory(settings.teamId, period),
    mo.spend.sumsByCategory(settings.teamId, period.start, period.end, today),
  ]);
  const figures = new Map<
    string,
    { category: string; planned: bigint; actual: bigint; committed: bigint; actualToDate: bigint }
  >();
  const entry = (category: string) => {
    const key = categoryKey(category);
    let f = figures.get(key);
    if (!f) {
      f = { category, planned: 0n, actual: 0n, committed: 0n, actualToDate: 0n };
      figures.set(key, f);
    }
    return f;
  };
  for (const p of planned) entry(p.category).planned += p.planned;
  for (const s of spent) {
    const f = entry(s.category);
    f.actual += s.actual;
    f.committed += s.committed;
    f.actualToDate += s.actualToDate;
  }
  // A category with figures in the period is spelled as they are; only another one needs
  // the look-up across the workspace's whole tree (which also refuses an unknown one).
  let focus: string | null = null;
  if (query.category) {
    const wanted = normalizeCategory(query.category);
    const inPeriod = [...figures.values()].map((f) => f.category);
    const tops = inPeriod.map((c) => c.split('/')[0] ?? c);
    focus =
      [...inPeriod, ...tops].find((c) => categoryKey(c) === categoryKey(wanted)) ??
      (await resolveCategory(mo, settings.teamId, wanted));
  }
  return computeBudget({ period, today, focus, figures: [...figures.values()] });
}
