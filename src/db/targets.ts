// Targets: the digest's funnel figures per period, and the channel efficiency targets of
// /mo perf per period (or standing) and category (or the workspace); one per (metric, period,
// category), audited.

import { PERF_TARGET_METRICS, type PerfTarget, type PerfTargetMetric } from '../domain/perf.js';
import {
  FUNNEL_TARGET_METRICS,
  type FunnelTargetMetric,
  isFunnelMetric,
  isMoneyMetric,
  isPerfMetric,
  TARGET_METRICS,
  type TargetMetric,
} from '../domain/targets.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export {
  FUNNEL_TARGET_METRICS,
  type FunnelTargetMetric,
  isFunnelMetric,
  isMoneyMetric,
  isPerfMetric,
  TARGET_METRICS,
  type TargetMetric,
};

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
