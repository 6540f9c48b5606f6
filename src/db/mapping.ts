// The workspace's campaign mapping rules, in order.
import type { MappingRule } from '../domain/mapping.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export function mappingRepository(db: Db) {
  return {
    async list(teamId: string): Promise<(MappingRule & { id: string })[]> {
      const rows = await db.mappingRule.findMany({ where: { teamId }, orderBy: { position: 'asc' } });
      return rows.map((r) => ({
        id: r.id,
        position: r.position,
        kind: r.kind as MappingRule['kind'],
        pattern: r.pattern,
        category: r.category,
      }));
    },

    /** Appends a rule (it matches after the existing ones) and audits it. */
    async add(teamId: string, rule: Omit<MappingRule, 'position'>, actor: string) {
      return db.$transaction(async (tx) => {
        const last = await tx.mappingRule.findFirst({ where: { teamId }, orderBy: { position: 'desc' } });
        const row = await tx.mappingRule.create({
          data: clockStamped({ teamId, position: (last?.position ?? 0) + 1, ...rule, createdBy: actor }),
        });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'mapping.create',
          entity: 'mapping_rule',
          entityId: row.id,
          after: rule,
        });
        return row;
      });
    },

    async remove(teamId: string, position: number, actor: string): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const row = await tx.mappingRule.findUnique({ where: { teamId_position: { teamId, position } } });
        if (!row) return false;
        await tx.mappingRule.delete({ where: { id: row.id } });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'mapping.delete',
          entity: 'mapping_rule',
          entityId: row.id,
          before: { kind: row.kind, pattern: row.pattern, category: row.category },
        });
        return true;
      });
    },
  };
}
