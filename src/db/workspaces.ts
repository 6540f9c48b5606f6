// Workspace settings: currency, fiscal-year start month, timezone and Mo's extra admins.

import { UserError } from '../domain/errors.js';
import { currencyChangeRefusal } from '../domain/money.js';
import type { SettingsPatch, WorkspaceSettings } from '../domain/settings.js';
import { isSpendEntryRule } from '../domain/spend.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export type { SettingsPatch, WorkspaceSettings };

export const DEFAULT_SETTINGS = { currency: 'USD', fiscalStartMonth: 1, timezone: 'UTC' } as const;

export function workspaceRepository(db: Db) {
  async function get(teamId: string): Promise<WorkspaceSettings | null> {
    const row = await db.workspace.findUnique({ where: { teamId }, include: { admins: true } });
    if (!row) return null;
    return {
      teamId,
      currency: row.currency,
      fiscalStartMonth: row.fiscalStartMonth,
      timezone: row.timezone,
      adminUserIds: row.admins.map((a) => a.userId).sort(),
      lockDays: row.lockDays,
      moveAutoApproveMinor: row.moveAutoApproveMinor,
      spendEntry: isSpendEntryRule(row.spendEntry) ? row.spendEntry : 'owners',
    };
  }

  return {
    get,

    /** How many stored amounts a currency relabel would touch. */
    storedAmounts: (teamId: string) => storedAmounts(db, teamId),

    /** The workspace's settings, created with defaults on first use (timezone: the first user's, else UTC). */
    async ensure(teamId: string, defaults: { timezone?: string } = {}): Promise<WorkspaceSettings> {
      const existing = await get(teamId);
      if (existing) return existing;
      await db.workspace.upsert({
        where: { teamId },
        create: clockStamped({
          teamId,
          ...DEFAULT_SETTINGS,
          timezone: defaults.timezone ?? DEFAULT_SETTINGS.timezone,
        }),
        update: {},
      });
      return (await get(teamId)) as WorkspaceSettings;
    },

    /**
     * Applies a change and audits it, from what to what. A currency change is refused once
     * amounts are stored, unless `relabel` corrects a mistaken one (same minor unit only).
     */
    async update(
      teamId: string,
      patch: SettingsPatch,
      actor: string,
      options: { relabel?: boolean } = {},
    ): Promise<WorkspaceSettings> {
      return db.$transaction(async (tx) => {
        const before = await workspaceRepository(tx as Db).ensure(teamId);
        const { adminUserIds, ...fields } = patch;
        let relabelled = 0;
        if (fields.currency && fields.currency !== before.currency) {
          const stored = await storedAmounts(tx as Db, teamId);
          const refusal = currencyChangeRefusal(
            before.currency,
            fields.currency,
            stored,
            Boolean(options.relabel),
          );
          if (refusal) throw new UserError('refused', refusal, { field: 'currency' });
          relabelled = stored;
        }
        await tx.workspace.update({ where: { teamId }, data: fields });
        if (adminUserIds) {
          await tx.workspaceAdmin.deleteMany({ where: { teamId } });
          if (adminUserIds.length) {
            await tx.workspaceAdmin.createMany({
              data: [...new Set(adminUserIds)].map((userId) => clockStamped({ teamId, userId })),
            });
          }
        }
        const after = (await workspaceRepository(tx as Db).get(teamId)) as WorkspaceSettings;
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: relabelled ? 'settings.relabel_currency' : 'settings.update',
          entity: 'workspace',
          entityId: teamId,
          before,
          after: relabelled ? { ...after, relabelledAmounts: relabelled } : after,
        });
        return after;
      });
    },
  };
}

/** Rows holding an amount in the workspace currency: spend, plans, deals, money targets. */
export async function storedAmounts(db: Db, teamId: string): Promise<number> {
  const [spend, lines, deals, targets] = await Promise.all([
    db.spend.count({ where: { teamId } }),
    db.budgetLine.count({ where: { teamId } }),
    db.opportunity.count({ where: { teamId } }),
    db.target.count({ where: { teamId, metric: { in: ['pipeline', 'won'] } } }),
  ]);
  return spend + lines + deals + targets;
}

export type WorkspaceRepository = ReturnType<typeof workspaceRepository>;
