// Daily figures for the KPIs (src/domain/kpis.ts): each grouped in SQL by the day it counts on.
import type { DayFigures } from '../domain/kpis.js';
import type { Db } from './client.js';
import { categoryWithin } from './spend.js';

/** Figures per day in [start, end]; with `within`, of that category and those under it only. */
export async function dailyFigures(
  db: Db,
  teamId: string,
  start: string,
  end: string,
  within?: string,
): Promise<DayFigures[]> {
  const range = { gte: start, lte: end };
  const scope = categoryWithin(within);
  const [spend, leads, mqls, sqls, opps, won] = await Promise.all([
    db.spendDaily.groupBy({
      by: ['date'],
      where: { teamId, status: 'actual', date: range, ...scope },
      _sum: { amountMinor: true },
    }),
    db.lead.groupBy({ by: ['createdDate'], where: { teamId, createdDate: range, ...scope }, _count: true }),
    db.lead.groupBy({ by: ['mqlDate'], where: { teamId, mqlDate: range, ...scope }, _count: true }),
    db.lead.groupBy({ by: ['sqlDate'], where: { teamId, sqlDate: range, ...scope }, _count: true }),
    db.opportunity.groupBy({
      by: ['createdDate'],
      where: { teamId, createdDate: range, ...scope },
      _count: true,
      _sum: { amountMinor: true },
    }),
    db.opportunity.groupBy({
      by: ['closeDate'],
      where: { teamId, won: true, closeDate: range, ...scope },
      _sum: { amountMinor: true },
    }),
  ]);
  const days = new Map<string, DayFigures>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d) {
      d = { date };
      days.set(date, d);
    }
    return d;
  };
  for (const g of spend) day(g.date).spend = g._sum.amountMinor ?? 0n;
  for (const g of leads) day(g.createdDate).leads = g._count;
  for (const g of mqls) if (g.mqlDate) day(g.mqlDate).mqls = g._count;
  for (const g of sqls) if (g.sqlDate) day(g.sqlDate).sqls = g._count;
  for (const g of opps) {
    const d = day(g.createdDate);
    d.opportunities = g._count;
    d.pipelineCreated = g._sum.amountMinor ?? 0n;
  }
  for (const g of won) if (g.closeDate) day(g.closeDate).won = g._sum.amountMinor ?? 0n;
  return [...days.values()];
}

/** Pipeline created per category (amount of opportunities created in [start, end]). */
export async function pipelineByCategory(
  db: Db,
  teamId: string,
  start: string,
  end: string,
): Promise<{ category: string; amount: bigint }[]> {
  const rows = await db.opportunity.groupBy({
    by: ['category'],
    where: { teamId, createdDate: { gte: start, lte: end } },
    _sum: { amountMinor: true },
  });
  return rows.map((r) => ({ category: r.category, amount: r._sum.amountMinor ?? 0n }));
}

/** Whether the workspace has anything at all to report: spend, leads, opportunities or a plan. */
export async function hasAnyFigures(db: Db, teamId: string): Promise<boolean> {
  const found = await Promise.all([
    db.spendDaily.findFirst({ where: { teamId }, select: { date: true } }),
    db.lead.findFirst({ where: { teamId }, select: { id: true } }),
    db.opportunity.findFirst({ where: { teamId }, select: { id: true } }),
    db.budgetLine.findFirst({ where: { teamId }, select: { id: true } }),
  ]);
  return found.some(Boolean);
}

/** The KPI figures above as a repository on the Mo context (scoped by src/services/team-scope.ts). */
export function kpiRepository(db: Db) {
  return {
    dailyFigures: (teamId: string, start: string, end: string, within?: string) =>
      dailyFigures(db, teamId, start, end, within),
    pipelineByCategory: (teamId: string, start: string, end: string) =>
      pipelineByCategory(db, teamId, start, end),
    hasAnyFigures: (teamId: string) => hasAnyFigures(db, teamId),
  };
}
