// Workspace settings: currency, fiscal-year start month, timezone and Mo's extra admins.

import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export interface WorkspaceSettings {
  teamId: string;
  currency: string;
  fiscalStartMonth: number;
  timezone: string;
  adminUserIds: string[];
  /** Spend dated in a month that ended more than this many days ago is locked. */
  lockDays: number;
  /** Budget moves at or under this amount are approved at once; 0n: always ask. */
  moveAutoApproveMinor: bigint;
}

export const DEFAULT_SETTINGS = { currency: 'USD', fiscalStartMonth: 1, timezone: 'UTC' } as const;

export type SettingsPatch = Partial<Omit<WorkspaceSettings, 'teamId'>>;

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
    };
  }

  return {
    get,

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

    /** Applies a change and audits it, from what to what. */
    async update(teamId: string, patch: SettingsPatch, actor: string): Promise<WorkspaceSettings> {
      return db.$transaction(async (tx) => {
        const before = await workspaceRepository(tx as Db).ensure(teamId);
        const { adminUserIds, ...fields } = patch;
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
          action: 'settings.update',
          entity: 'workspace',
          entityId: teamId,
          before,
          after,
        });
        return after;
      });
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof workspaceRepository>;
