// Workspace settings: currency, fiscal-year start month, timezone and Mo's extra admins.

import { UserError } from '../domain/errors.js';
import { currencyChangeRefusal } from '../domain/money.js';
import type { SettingsPatch, WorkspaceSettings } from '../domain/settings.js';
import { isSpendEntryRule } from '../domain/spend.js';
import { isMoneyMetric, TARGET_METRICS } from '../domain/targets.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export type { SettingsPatch, WorkspaceSettings };

export const DEFAULT_SETTINGS = { currency: 'USD', fiscalStartMonth: 1, timezone: 'UTC' } as const;

function parseList(json: string): string[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function workspaceRepository(db: Db) {
  // Every command reads these first: one statement with the admins joined, not Prisma's two
  // (each statement costs about 1 ms of CPU in Prisma and the driver).
  async function get(teamId: string): Promise<WorkspaceSettings | null> {
    const rows = await db.$queryRaw<
      {
        currency: string;
        fiscalStartMonth: unknown;
        timezone: string;
        lockDays: unknown;
        moveAutoApproveMinor: unknown;
        spendEntry: string;
        notMarketing: string;
        adminUserId: string | null;
      }[]
    >`SELECT w."currency", w."fiscalStartMonth", w."timezone", w."lockDays",
        CAST(w."moveAutoApproveMinor" AS BIGINT) AS "moveAutoApproveMinor", w."spendEntry", w."notMarketing",
        a."userId" AS "adminUserId"
      FROM "Workspace" w LEFT JOIN "WorkspaceAdmin" a ON a."teamId" = w."teamId"
      WHERE w."teamId" = ${teamId}`;
    const row = rows[0];
    if (!row) return null;
    return {
      teamId,
      currency: row.currency,
      fiscalStartMonth: Number(row.fiscalStartMonth),
      timezone: row.timezone,
      adminUserIds: rows
        .map((r) => r.adminUserId)
        .filter((u): u is string => u !== null)
        .sort(),
      lockDays: Number(row.lockDays),
      moveAutoApproveMinor: BigInt(
        typeof row.moveAutoApproveMinor === 'bigint'
          ? row.moveAutoApproveMinor
          : String(row.moveAutoApproveMinor),
      ),
      spendEntry: isSpendEntryRule(row.spendEntry) ? row.spendEntry : 'owners',
      notMarketing: parseList(row.notMarketing),
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
        const { adminUserIds, notMarketing, ...fields } = patch;
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
        await tx.workspace.update({
          where: { teamId },
          data: notMarketing ? { ...fields, notMarketing: JSON.stringify(notMarketing) } : fields,
        });
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
    db.target.count({ where: { teamId, metric: { in: TARGET_METRICS.filter(isMoneyMetric) } } }),
  ]);
  return spend + lines + deals + targets;
}

export type WorkspaceRepository = ReturnType<typeof workspaceRepository>;
