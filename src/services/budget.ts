// /mo budget's figures: repositories aggregate in SQL, src/domain does the math.

import type { WorkspaceSettings } from '../db/workspaces.js';
import { type BudgetReport, computeBudget, type MonthFigures } from '../domain/budget.js';
import {
  fiscalQuarter,
  fiscalYear,
  fiscalYearOf,
  type IsoDate,
  type Period,
  requirePeriod,
} from '../domain/calendar.js';
import {
  CategoryError,
  canonicalCategory,
  categoryKey,
  categoryRef,
  isWithin,
  normalizeCategory,
} from '../domain/category.js';
import { NotFoundError, UserError } from '../domain/errors.js';
import { phasePlan } from '../domain/phasing.js';
import type { FiscalStartPreview } from '../domain/settings.js';
import { unknownCategory } from '../domain/spend.js';
import { todayIn, type WorkspaceMo } from './team-scope.js';

export async function knownCategories(mo: WorkspaceMo): Promise<string[]> {
  const [planned, spent] = await Promise.all([mo.budgets.categories(), mo.spend.categories()]);
  const seen = new Map<string, string>();
  for (const c of [...planned, ...spent]) {
    if (!seen.has(categoryKey(c))) seen.set(categoryKey(c), c);
    const top = c.split('/')[0] ?? c;
    if (!seen.has(categoryKey(top))) seen.set(categoryKey(top), top);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** A category a person typed, checked against the workspace's tree and spelled its way. */
export async function resolveCategory(mo: WorkspaceMo, text: string): Promise<string> {
  const category = normalizeCategory(text);
  const known = await knownCategories(mo);
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
 * The category a drill-down option names by its short key (`categoryRef`), spelled the
 * workspace's way; refused when none of the workspace's categories has that key any more.
 */
export async function categoryByRef(mo: WorkspaceMo, ref: string, command: string): Promise<string> {
  return findByRef(await knownCategories(mo), ref, command);
}

export function findByRef(known: string[], ref: string, command: string): string {
  const found = known.find((c) => categoryRef(c) === ref);
  if (found === undefined)
    throw new NotFoundError(
      `That category has no plan, spend or leads any more, so Mo cannot show it. Run \`${command}\` again for the categories there are now.`,
    );
  return found;
}

/**
 * The category as the workspace spells it. An unknown one is refused with the closest
 * existing ones, unless `create` says it is meant to be new.
 */
export async function entryCategory(
  mo: WorkspaceMo,
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
  const known = await knownCategories(mo);
  const match = known.find((k) => categoryKey(k) === categoryKey(category));
  if (match) return { category: match, isNew: false };
  if (!create) throw unknownCategory(category, known, how);
  // A new sub-category keeps the spelling of a known top ("paid media/Video").
  const [top, sub] = category.split('/');
  const knownTop = known.find((k) => categoryKey(k) === categoryKey(top ?? ''));
  return { category: knownTop && sub ? `${knownTop}/${sub}` : category, isNew: true };
}

/**
 * The cells a report is made of, per leaf category and calendar month of `range`: plan lines
 * phased over their months (whatever fiscal calendar they were set in), actual dated on or
 * before `today`, committed dated in the month, and latest estimates.
 */
export async function monthFigures(
  mo: WorkspaceMo,
  range: Pick<Period, 'start' | 'end'>,
  today: IsoDate,
): Promise<MonthFigures[]> {
  const { lines, spent, estimates } = await mo.budgets.monthCells(range, today);
  const first = range.start.slice(0, 7);
  const last = range.end.slice(0, 7);
  const cells = new Map<string, MonthFigures>();
  const cell = (category: string, month: string) => {
    const key = `${categoryKey(category)}\u0000${month}`;
    let c = cells.get(key);
    if (!c) {
      c = { category, month, planned: 0n, actual: 0n, committed: 0n, estimate: null };
      cells.set(key, c);
    }
    return c;
  };
  for (const line of lines) {
    for (const { month, planned } of phasePlan(line)) {
      if (month < first || month > last) continue;
      cell(line.category, month).planned += planned;
    }
  }
  for (const s of spent) {
    const c = cell(s.category, s.month);
    c.actual += s.actual;
    c.committed += s.committed;
  }
  for (const e of estimates) {
    const c = cell(e.category, e.month);
    c.estimate = (c.estimate ?? 0n) + e.amountMinor;
  }
  return [...cells.values()];
}

export async function budgetReport(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: { period?: string | Period; category?: string | null; today?: IsoDate },
): Promise<BudgetReport> {
  const today = query.today ?? todayIn(mo, settings.timezone);
  const period =
    typeof query.period === 'object'
      ? query.period
      : requirePeriod(query.period ?? 'this-quarter', today, settings.fiscalStartMonth);
  const months = await monthFigures(mo, period, today);
  // A category with figures in the period is spelled as they are; only another one needs
  // the look-up across the workspace's whole tree (which also refuses an unknown one).
  let focus: string | null = null;
  if (query.category) {
    const wanted = normalizeCategory(query.category);
    const inPeriod = months.map((f) => f.category);
    const tops = inPeriod.map((c) => c.split('/')[0] ?? c);
    focus =
      [...inPeriod, ...tops].find((c) => categoryKey(c) === categoryKey(wanted)) ??
      (await resolveCategory(mo, wanted));
  }
  return computeBudget({ period, today, focus, months });
}

export type { FiscalStartPreview };

/**
 * How this fiscal year's plans would fall into the quarters of a fiscal year starting in
 * `startMonth`. Nothing moves: plans keep their dates and views take their phased months.
 */
export async function previewFiscalStart(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  startMonth: number,
  today: IsoDate = todayIn(mo, settings.timezone),
): Promise<FiscalStartPreview> {
  const fy = fiscalYearOf(today, startMonth);
  const year = fiscalYear(fy, startMonth);
  const lines = await mo.budgets.linesOverlapping(year);
  const quarters = [1, 2, 3, 4].map((n) => {
    const quarter = fiscalQuarter(fy, n, startMonth);
    const first = quarter.start.slice(0, 7);
    const last = quarter.end.slice(0, 7);
    const shares = lines
      .map((l) => ({
        period: l.period,
        category: l.category,
        planned: phasePlan(l)
          .filter((m) => m.month >= first && m.month <= last)
          .reduce((sum, m) => sum + m.planned, 0n),
      }))
      .filter((s) => s.planned !== 0n);
    return { quarter, planned: shares.reduce((sum, s) => sum + s.planned, 0n), lines: shares };
  });
  return { startMonth, year, quarters };
}
