// Targets for the digest's funnel figures, one per (metric, period), audited.

import { isMoneyMetric, TARGET_METRICS, type TargetMetric } from '../domain/targets.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export { isMoneyMetric, TARGET_METRICS, type TargetMetric };

export function targetRepository(db: Db) {
  return {
    async set(teamId: string, metric: TargetMetric, period: string, value: bigint, actor: string) {
      return db.$transaction(async (tx) => {
        const where = { teamId_metric_period: { teamId, metric, period } };
        const before = await tx.target.findUnique({ where });
        const row = await tx.target.upsert({
          where,
          create: clockStamped({ teamId, metric, period, value, createdBy: actor }),
          update: { value },
        });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: before ? 'target.update' : 'target.create',
          entity: 'target',
          entityId: row.id,
          before: before && { metric, period, value: before.value },
          after: { metric, period, value },
        });
        return { before: before?.value ?? null, after: row.value };
      });
    },

    list(teamId: string) {
      return db.target.findMany({ where: { teamId }, orderBy: [{ period: 'asc' }, { metric: 'asc' }] });
    },
  };
}
