// Targets: the digest's funnel figures per period, and the channel efficiency targets of
// /mo perf per period (or standing) and category (or the workspace); one per (metric, period,
// category), audited.

import { PERF_TARGET_METRICS, type PerfTarget, type PerfTargetMetric } from '../domain/perf.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export const FUNNEL_TARGET_METRICS = ['leads', 'mqls', 'sqls', 'pipeline', 'won'] as const;
export const TARGET_METRICS = [...FUNNEL_TARGET_METRICS, ...PERF_TARGET_METRICS] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export type FunnelTargetMetric = (typeof FUNNEL_TARGET_METRICS)[number];

/** Pipeline, won and the costs are money (minor units); pipeline_to_spend a ratio; the others counts. */
export const isMoneyMetric = (m: TargetMetric) =>
  m === 'pipeline' || m === 'won' || m === 'cpl' || m === 'cost_per_opportunity';

export const isFunnelMetric = (m: string): m is FunnelTargetMetric =>
  (FUNNEL_TARGET_METRICS as readonly string[]).includes(m);

export const isPerfMetric = (m: string): m is PerfTargetMetric =>
  (PERF_TARGET_METRICS as readonly string[]).includes(m);

export function targetRepository(db: Db) {
  return {
    /** `period` '' is a standing target; `category` '' is the workspace's. */
    async set(
      teamId: string,
      metric: TargetMetric,
      period: string,
      value: bigint,
      actor: string,
      category = '',
    ) {
      return db.$transaction(async (tx) => {
        const where = { teamId_metric_period_category: { teamId, metric, period, category } };
        const before = await tx.target.findUnique({ where });
        const row = await tx.target.upsert({
          where,
          create: clockStamped({ teamId, metric, period, category, value, createdBy: actor }),
          update: { value },
        });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: before ? 'target.update' : 'target.create',
          entity: 'target',
          entityId: row.id,
          before: before && { metric, period, category, value: before.value },
          after: { metric, period, category, value },
        });
        return { before: before?.value ?? null, after: row.value };
      });
    },

    list(teamId: string) {
      return db.target.findMany({
        where: { teamId },
        orderBy: [{ period: 'asc' }, { metric: 'asc' }, { category: 'asc' }],
      });
    },

    /** The channel efficiency targets /mo perf checks rows against. */
    async perfTargets(teamId: string): Promise<PerfTarget[]> {
      const rows = await db.target.findMany({
        where: { teamId, metric: { in: [...PERF_TARGET_METRICS] } },
        select: { metric: true, period: true, category: true, value: true },
      });
      return rows.map((r) => ({ ...r, metric: r.metric as PerfTargetMetric }));
    },
  };
}
