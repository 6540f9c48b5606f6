// Charts for /mo budget: the figures come from the same report as the text reply.
import type { TopLevelSpec } from 'vega-lite';
import { burnUpChart } from '../charts/specs.js';
import type { WorkspaceSettings } from '../db/workspaces.js';
import { type BudgetReport, burnUpDays } from '../domain/budget.js';
import type { IsoDate, Period } from '../domain/calendar.js';
import { isWithin } from '../domain/category.js';
import { formatMoney } from '../domain/money.js';
import { budgetReport } from './budget.js';
import type { WorkspaceMo } from './team-scope.js';

export interface ChartSpec {
  name: string;
  title: string;
  altText: string;
  spec: TopLevelSpec;
}

/** The budget burn-up of a period, for all categories or one node of the tree. */
export async function budgetBurnUp(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: { period?: string | Period; category?: string | null; today?: IsoDate },
  /** The report already computed for the same query (the digest has one). */
  computed?: BudgetReport,
): Promise<ChartSpec> {
  const report = computed ?? (await budgetReport(mo, settings, query));
  const daily = (await mo.spend.dailyActual(report.period.start, report.period.end)).filter(
    (d) => !report.focus || isWithin(d.category, report.focus),
  );
  const { currency } = settings;
  const what = report.focus ?? 'all categories';
  const title = `Budget burn-up · ${what} · ${report.period.key}`;
  const { total } = report;
  return {
    name: `burn-up-${report.period.key}.png`,
    title,
    altText:
      `Line chart of cumulative actual spend for ${what} in ${report.period.label}: ` +
      `${formatMoney(total.actual, currency)} by day ${report.elapsedDays} of ${report.periodDays}, ` +
      `forecast ${formatMoney(total.forecast, currency)} against a plan of ${formatMoney(total.planned, currency)}.`,
    spec: burnUpChart({ title, currency, planned: total.planned, days: burnUpDays(report, daily) }),
  };
}
