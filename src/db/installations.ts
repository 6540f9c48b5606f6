// Where Mo is installed, and with which token. A workspace install is keyed `T:<team>`, an
// org-wide (Enterprise Grid) install `E:<enterprise>`; the workspaces an org install serves
// are remembered in OrgWorkspace so a job for one of them finds the org's token. Tokens are
// sealed with the keyring before they reach the database and opened only on the way out.
import type { Clock } from '../clock.js';
import type { Db } from './client.js';
import { type Keyring, KeyringError } from './secrets.js';
import { clockStamped } from './stamps.js';

export type InstallationStatus = 'active' | 'uninstalled' | 'revoked';

export interface InstallationQuery {
  teamId?: string | null | undefined;
  enterpriseId?: string | null | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export interface NewInstallation {
  teamId: string | null;
  teamName?: string;
  enterpriseId: string | null;
  enterpriseName?: string;
  isEnterpriseInstall: boolean;
  appId?: string | null;
  botId?: string | null;
  botUserId: string;
  botScopes: string[];
  installerUserId?: string | null;
  /** 'env': single-workspace mode, the token is SLACK_BOT_TOKEN and is not stored. */
  source: 'oauth' | 'env';
  botToken?: string;
  refreshToken?: string | null;
  botTokenExpiresAt?: Date | null;
}

export interface InstallationRecord {
  installKey: string;
  teamId: string | null;
  teamName: string;
  enterpriseId: string | null;
  enterpriseName: string;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botId: string | null;
  botUserId: string;
  botScopes: string;
  source: string;
  keyId: string | null;
  botTokenSealed: string | null;
  refreshTokenSealed: string | null;
  botTokenExpiresAt: Date | null;
  installerUserId: string | null;
  status: string;
  deactivatedAt: Date | null;
}

export class InstallationError extends Error {}

/**
 * How long a request may be served on an installation row read by an earlier request. Every
 * Slack request names its installation, and reading it costs more CPU than the rest of a
 * short command's queries; a write through this repository forgets the rows at once, and
 * another process's write (an uninstall it received) is seen here within this time.
 */
export const RECENT_INSTALLATION_MS = 5_000;

export function installationKey(q: InstallationQuery): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`;
  if (q.teamId) return `T:${q.teamId}`;
  if (q.enterpriseId) return `E:${q.enterpriseId}`;
  throw new InstallationError('An installation needs a team id or an enterprise id');
}

/** The Mo workspace ids an installation stands for in data (its team, or its org's workspaces). */
export function installationRepository(db: Db, clock: Clock, keyring?: Keyring) {
  const need = (): Keyring => {
    if (!keyring)
      throw new KeyringError(
        'MO_ENCRYPTION_KEY is not set: Mo stores no Slack token without it (see README, "Installing Mo")',
      );
    return keyring;
  };

  async function byKey(key: string): Promise<InstallationRecord | null> {
    return db.installation.findUnique({ where: { installKey: key } });
  }

  // Keyed by the query as asked (its org fallback included); only rows found are kept, so a
  // new install is seen at once. Bounded by the number of installations.
  const recent = new Map<string, { row: InstallationRecord; at: number }>();
  const recentKey = (q: InstallationQuery) =>
    `${q.teamId ?? ''}|${q.enterpriseId ?? ''}|${q.isEnterpriseInstall ? 1 : 0}`;
  const forgetRecent = <T>(result: T): T => {
    recent.clear();
    return result;
  };

  return {
    installationKey,

    /** Saves an install (new, reinstalled or with rotated tokens) as active. */
    async store(inst: NewInstallation): Promise<InstallationRecord> {
      const installKey = installationKey(inst);
      let sealed: { keyId: string | null; botTokenSealed: string | null; refreshTokenSealed: string | null } =
        {
          keyId: null,
          botTokenSealed: null,
          refreshTokenSealed: null,
        };
      if (inst.source === 'oauth') {
        if (!inst.botToken) throw new InstallationError('An OAuth installation without a bot token');
        const k = need();
        const bot = k.seal(inst.botToken, installKey);
        sealed = {
          keyId: bot.keyId,
          botTokenSealed: bot.sealed,
          refreshTokenSealed: inst.refreshToken
            ? k.seal(inst.refreshToken, `${installKey}:refresh`).sealed
            : null,
        };
      }
      const fields = {
        teamId: inst.isEnterpriseInstall ? null : inst.teamId,
        teamName: inst.teamName ?? '',
        enterpriseId: inst.enterpriseId,
        enterpriseName: inst.enterpriseName ?? '',
        isEnterpriseInstall: inst.isEnterpriseInstall,
        appId: inst.appId ?? null,
        botId: inst.botId ?? null,
        botUserId: inst.botUserId,
        botScopes: inst.botScopes.join(','),
        installerUserId: inst.installerUserId ?? null,
        source: inst.source,
        ...sealed,
        botTokenExpiresAt: inst.botTokenExpiresAt ?? null,
        status: 'active',
        deactivatedAt: null,
      };
      return forgetRecent(
        await db.installation.upsert({
          where: { installKey },
          create: clockStamped({ installKey, ...fields }),
          update: fields,
        }),
      );
    },

    /** Every installation, without its tokens (`mo workspace list`). */
    async list() {
      const rows = await db.installation.findMany({ orderBy: { installKey: 'asc' } });
      return rows.map((r) => ({
        installKey: r.installKey,
        teamId: r.teamId,
        teamName: r.teamName,
        enterpriseId: r.enterpriseId,
        orgWide: r.isEnterpriseInstall,
        source: r.source,
        status: r.status,
        keyId: r.keyId,
        tokenExpiresAt: r.botTokenExpiresAt,
      }));
    },

    /** The installation a request or Slack event names, whatever its status. */
    async find(q: InstallationQuery): Promise<InstallationRecord | null> {
      const exact = await byKey(installationKey(q));
      if (exact || !q.enterpriseId || q.isEnterpriseInstall) return exact;
      // A workspace of an org whose install is org-wide: requests do not always say so.
      return byKey(`E:${q.enterpriseId}`);
    },

    /**
     * `find` for serving a request: a row this process read within RECENT_INSTALLATION_MS
     * (monotonic time, not Mo's clock, which tests and demos pin).
     */
    async findRecent(q: InstallationQuery): Promise<InstallationRecord | null> {
      const key = recentKey(q);
      const hit = recent.get(key);
      if (hit && performance.now() - hit.at < RECENT_INSTALLATION_MS) return hit.row;
      const row = await this.find(q);
      if (row) recent.set(key, { row, at: performance.now() });
      else recent.delete(key);
      return row;
    },

    /** The active installation that serves Mo workspace `teamId`, or null. */
    async forWorkspace(teamId: string): Promise<InstallationRecord | null> {
      const own = await byKey(`T:${teamId}`);
      if (own?.status === 'active') return own;
      const org = await db.orgWorkspace.findUnique({ where: { teamId } });
      if (!org) return null;
      const viaOrg = await byKey(`E:${org.enterpriseId}`);
      return viaOrg?.status === 'active' ? viaOrg : null;
    },

    /** A workspace seen through an org-wide install (idempotent). */
    async rememberOrgWorkspace(teamId: string, enterpriseId: string): Promise<void> {
      await db.orgWorkspace.upsert({
        where: { teamId },
        create: clockStamped({ teamId, enterpriseId }),
        update: { enterpriseId },
      });
    },

    /** Every Mo workspace id with an active installation: the only ones jobs run for. */
    async activeWorkspaceIds(): Promise<Set<string>> {
      const active = await db.installation.findMany({
        where: { status: 'active' },
        select: { teamId: true, enterpriseId: true, isEnterpriseInstall: true },
      });
      const ids = new Set<string>();
      const orgs: string[] = [];
      for (const a of active) {
        if (a.isEnterpriseInstall && a.enterpriseId) orgs.push(a.enterpriseId);
        else if (a.teamId) ids.add(a.teamId);
      }
      if (orgs.length) {
        const members = await db.orgWorkspace.findMany({
          where: { enterpriseId: { in: orgs } },
          select: { teamId: true },
        });
        for (const m of members) ids.add(m.teamId);
      }
      return ids;
    },

    /** The clear tokens of an OAuth installation (never logged, never in an error). */
    openTokens(row: InstallationRecord): { botToken: string; refreshToken: string | null } {
      if (!row.botTokenSealed || !row.keyId)
        throw new InstallationError(`Installation ${row.installKey} holds no stored token`);
      const k = need();
      return {
        botToken: k.open(row.botTokenSealed, row.keyId, row.installKey),
        refreshToken: row.refreshTokenSealed
          ? k.open(row.refreshTokenSealed, row.keyId, `${row.installKey}:refresh`)
          : null,
      };
    },

    /**
     * Marks an installation inactive (app_uninstalled, tokens_revoked) and forgets its tokens,
     * which Slack has revoked anyway. Idempotent; returns whether a row changed.
     */
    async deactivate(q: InstallationQuery, status: Exclude<InstallationStatus, 'active'>): Promise<boolean> {
      // Even when another process already did: this one stops serving it at once.
      forgetRecent(undefined);
      const row = await this.find(q);
      if (row?.status !== 'active') return false;
      const changed = await db.installation.updateMany({
        where: { installKey: row.installKey, status: 'active' },
        data: {
          status,
          deactivatedAt: clock(),
          botTokenSealed: null,
          refreshTokenSealed: null,
          keyId: null,
        },
      });
      return forgetRecent(changed.count > 0);
    },

    /** Single-workspace mode: SLACK_BOT_TOKEN serves `installKey` only, no earlier env install. */
    async retireEnvInstallations(installKey: string): Promise<number> {
      const done = await db.installation.updateMany({
        where: { source: 'env', status: 'active', NOT: { installKey } },
        data: { status: 'uninstalled', deactivatedAt: clock() },
      });
      return forgetRecent(done.count);
    },

    /** Reseals every stored token under the newest key; returns how many rows changed. */
    async rotateKeys(): Promise<{ resealed: number; current: string }> {
      const k = need();
      const stale = await db.installation.findMany({
        where: { keyId: { not: null }, NOT: { keyId: k.currentId } },
      });
      let resealed = 0;
      for (const row of stale) {
        const tokens = this.openTokens(row);
        const bot = k.seal(tokens.botToken, row.installKey);
        const refresh = tokens.refreshToken ? k.seal(tokens.refreshToken, `${row.installKey}:refresh`) : null;
        // Only if the row still holds what was read: a token refreshed meanwhile is kept.
        const done = await db.installation.updateMany({
          where: { installKey: row.installKey, botTokenSealed: row.botTokenSealed },
          data: { keyId: bot.keyId, botTokenSealed: bot.sealed, refreshTokenSealed: refresh?.sealed ?? null },
        });
        resealed += done.count;
      }
      return forgetRecent({ resealed, current: k.currentId });
    },
  };
}

export type InstallationRepository = ReturnType<typeof installationRepository>;
