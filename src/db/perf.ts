// The figures behind /mo perf and its export: leads, MQLs, SQLs, opportunities, pipeline
// and won per category (or campaign), each grouped in SQL by the day it is dated on, and
// the lead cohorts of the funnel. Spend comes from the spend repository (actual spend).
import type { IsoDate } from '../domain/calendar.js';
import type { FunnelDelta, PerfPart, StagePairCount } from '../domain/perf.js';
import { type BulkSession, inChunks, placeholders } from './bulk.js';
import type { Db } from './client.js';
import { categoryWithin } from './spend.js';

export type PerfGrouping = 'category' | 'campaign';

/** Applies funnel deltas to the FunnelDaily rollup, inside the import's transaction. */
export async function addToFunnelRollup(session: BulkSession, teamId: string, deltas: FunnelDelta[]) {
  await inChunks(deltas, (part) =>
    session.run(
      `INSERT INTO "FunnelDaily" ("teamId", "date", "category", "leads", "mqls", "sqls", "opportunities", "pipelineMinor", "wonMinor")
       VALUES ${placeholders(part.length, 9)}
       ON CONFLICT ("teamId", "date", "category") DO UPDATE SET
         "leads" = "FunnelDaily"."leads" + excluded."leads",
         "mqls" = "FunnelDaily"."mqls" + excluded."mqls",
         "sqls" = "FunnelDaily"."sqls" + excluded."sqls",
         "opportunities" = "FunnelDaily"."opportunities" + excluded."opportunities",
         "pipelineMinor" = "FunnelDaily"."pipelineMinor" + excluded."pipelineMinor",
         "wonMinor" = "FunnelDaily"."wonMinor" + excluded."wonMinor"`,
      part.flatMap((d) => [
        teamId,
        d.date,
        d.category,
        d.leads,
        d.mqls,
        d.sqls,
        d.opportunities,
        d.pipelineMinor,
        d.wonMinor,
      ]),
    ),
  );
}

export function perfRepository(db: Db) {
  return {
    /** Funnel counts and money per category (or category and campaign), without spend. */
    async funnelParts(
      teamId: string,
      start: IsoDate,
      end: IsoDate,
      by: PerfGrouping,
      within?: string,
    ): Promise<PerfPart[]> {
      const range = { gte: start, lte: end };
      const scope = categoryWithin(within);
      if (by === 'category') {
        // Per category, the rollup answers alone (kept with every lead and opportunity write).
        const groups = await db.funnelDaily.groupBy({
          by: ['category'],
          where: { teamId, date: range, ...scope },
          _sum: {
            leads: true,
            mqls: true,
            sqls: true,
            opportunities: true,
            pipelineMinor: true,
            wonMinor: true,
          },
        });
        return groups.map((g) => ({
          category: g.category,
          leads: g._sum.leads ?? 0,
          mqls: g._sum.mqls ?? 0,
          sqls: g._sum.sqls ?? 0,
          opportunities: g._sum.opportunities ?? 0,
          pipelineCreated: g._sum.pipelineMinor ?? 0n,
          won: g._sum.wonMinor ?? 0n,
        }));
      }
      const keys: ('category' | 'campaign')[] = by === 'campaign' ? ['category', 'campaign'] : ['category'];
      const [leads, mqls, sqls, created, won] = await Promise.all([
        db.lead.groupBy({
          by: keys,
          where: { teamId, createdDate: range, ...scope },
          _count: { _all: true },
        }),
        db.lead.groupBy({ by: keys, where: { teamId, mqlDate: range, ...scope }, _count: { _all: true } }),
        db.lead.groupBy({ by: keys, where: { teamId, sqlDate: range, ...scope }, _count: { _all: true } }),
        db.opportunity.groupBy({
          by: keys,
          where: { teamId, createdDate: range, ...scope },
          _count: { _all: true },
          _sum: { amountMinor: true },
        }),
        db.opportunity.groupBy({
          by: keys,
          where: { teamId, closeDate: range, won: true, ...scope },
          _sum: { amountMinor: true },
        }),
      ]);
      const key = (g: { category: string; campaign?: string }) =>
        by === 'campaign' ? { category: g.category, campaign: g.campaign ?? '' } : { category: g.category };
      return [
        ...leads.map((g) => ({ ...key(g), leads: g._count._all })),
        ...mqls.map((g) => ({ ...key(g), mqls: g._count._all })),
        ...sqls.map((g) => ({ ...key(g), sqls: g._count._all })),
        ...created.map((g) => ({
          ...key(g),
          opportunities: g._count._all,
          pipelineCreated: g._sum.amountMinor ?? 0n,
        })),
        ...won.map((g) => ({ ...key(g), won: g._sum.amountMinor ?? 0n })),
      ];
    },

    /**
     * The cohort of leads created in [start, end]: its size, its leads grouped by (created,
     * MQL date), and those with an SQL date grouped by (MQL date, SQL date). Pairs of days,
     * not rows: a year is at most a few thousand groups.
     */
    async cohort(teamId: string, start: IsoDate, end: IsoDate) {
      const where = { teamId, createdDate: { gte: start, lte: end } };
      const [toMql, toSql] = await Promise.all([
        db.lead.groupBy({ by: ['createdDate', 'mqlDate'], where, _count: { _all: true } }),
        db.lead.groupBy({
          by: ['mqlDate', 'sqlDate'],
          where: { ...where, sqlDate: { not: null } },
          _count: { _all: true },
        }),
      ]);
      const pairs: StagePairCount[] = toMql.map((g) => ({
        from: g.createdDate,
        to: g.mqlDate,
        count: g._count._all,
      }));
      return {
        leads: pairs.reduce((a, p) => a + p.count, 0),
        toMql: pairs,
        toSql: toSql
          .filter((g) => g.sqlDate !== null)
          .map((g) => ({ mql: g.mqlDate, sql: g.sqlDate as IsoDate, count: g._count._all })),
      };
    },

    /** Every category leads or opportunities are filed under (for resolving what a person typed). */
    async categories(teamId: string): Promise<string[]> {
      const groups = await db.funnelDaily.groupBy({ by: ['category'], where: { teamId } });
      return groups.map((g) => g.category);
    },
  };
}

export type PerfRepository = ReturnType<typeof perfRepository>;
