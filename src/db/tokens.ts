// API tokens for POST /api/v1/import/*: the secret is shown once and only its SHA-256 is
// stored, so neither the database nor a log can leak a usable token.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

const PREFIX = 'mo_';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function tokenRepository(db: Db, clock: Clock) {
  return {
    /** Creates a token; the returned secret is not stored and cannot be shown again. */
    async create(teamId: string, label: string, actor: string) {
      const secret = `${PREFIX}${randomBytes(32).toString('base64url')}`;
      const row = await db.$transaction(async (tx) => {
        const created = await tx.apiToken.create({
          data: clockStamped({ teamId, label, secretHash: hashSecret(secret), createdBy: actor }),
        });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'token.create',
          entity: 'api_token',
          entityId: created.id,
          after: { label },
        });
        return created;
      });
      return { id: row.id, label: row.label, secret };
    },

    /** The live token a secret belongs to, or null; records when it was last used. */
    async verify(secret: string) {
      if (!secret.startsWith(PREFIX)) return null;
      const row = await db.apiToken.findUnique({ where: { secretHash: hashSecret(secret) } });
      if (!row || row.revokedAt) return null;
      await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: clock() } });
      return row;
    },

    list(teamId: string) {
      return db.apiToken.findMany({
        where: { teamId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: {
          id: true,
          label: true,
          createdBy: true,
          createdAt: true,
          lastUsedAt: true,
          revokedAt: true,
        },
      });
    },

    async revoke(teamId: string, id: string, actor: string): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const row = await tx.apiToken.findFirst({ where: { teamId, id, revokedAt: null } });
        if (!row) return false;
        await tx.apiToken.update({ where: { id }, data: { revokedAt: clock() } });
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'token.revoke',
          entity: 'api_token',
          entityId: id,
          before: { label: row.label },
        });
        return true;
      });
    },
  };
}
