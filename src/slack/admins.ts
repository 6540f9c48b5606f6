// Who a Slack user is to a Mo workspace: a member (users.info places them in that team, or in
// its org for an org-wide install), and an admin (Slack admin or owner OF THAT TEAM, or named
// in that workspace's Mo settings). users.info is asked with the workspace's own token and
// the answer cached briefly per (workspace, user), so a busy channel does not hammer Slack and
// an admin of one workspace is never taken for an admin of another.
import type { WebClient } from '@slack/web-api';
import type { WorkspaceSettings } from '../domain/settings.js';
import type { Mo } from '../services/mo.js';

type AdminList = Pick<WorkspaceSettings, 'teamId' | 'adminUserIds'>;
const adminsOf = async (mo: Mo, teamId: string, settings?: AdminList) =>
  (settings?.teamId === teamId ? settings : await mo.workspaces.get(teamId))?.adminUserIds ?? [];

const TTL_MS = 60_000;

export interface SlackDirectory {
  /**
   * `settings`: the workspace's settings when the caller has just read them, so the list of
   * Mo's admins is not read again (ignored unless they are `teamId`'s).
   */
  isAdmin(teamId: string, userId: string, settings?: AdminList): Promise<boolean>;
  userTimezone(userId: string): Promise<string | undefined>;
}

export interface SlackUser {
  found: boolean;
  teamId: string | undefined;
  /** Enterprise Grid: the user's org, and the org's workspaces they belong to. */
  enterpriseId: string | undefined;
  enterpriseTeams: string[];
  /** Slack's admin/owner flags, which describe the user's own team (`teamId`). */
  admin: boolean;
  deleted: boolean;
  tz: string | undefined;
}

interface Cached extends SlackUser {
  at: number;
}

/** Whether Slack places `user` in workspace `teamId` (or its org `orgId`, for an org install). */
export function isMemberOf(user: SlackUser, teamId: string, orgId?: string | null): boolean {
  if (!user.found || user.deleted) return false;
  if (user.teamId === teamId) return true;
  if (user.enterpriseTeams.includes(teamId)) return true;
  return Boolean(orgId && user.enterpriseId === orgId);
}

export interface SlackUserDirectory extends SlackDirectory {
  /** `via`: the request's own client (before the gate has set the request scope). */
  user(teamId: string, userId: string, via?: WebClient): Promise<SlackUser>;
  forget(teamId: string): void;
}

export function slackDirectory(
  clientFor: (teamId: string) => Promise<WebClient>,
  mo: Mo,
  /** The workspace of the request being served (the gate's scope), for userTimezone. */
  currentTeam: () => string | undefined = () => undefined,
  clock: () => number = Date.now,
): SlackUserDirectory {
  const cache = new Map<string, Cached>();
  async function user(teamId: string, userId: string, via?: WebClient): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const hit = cache.get(key);
    if (hit && clock() - hit.at < TTL_MS) return hit;
    const client = via ?? (await clientFor(teamId));
    const res = await client.users.info({ user: userId }).catch((e: { data?: { error?: string } }) => {
      if (e?.data?.error === 'user_not_found') return undefined;
      throw e;
    });
    const u = res?.user as
      | (NonNullable<NonNullable<typeof res>['user']> & {
          enterprise_user?: { enterprise_id?: string; teams?: string[] };
        })
      | undefined;
    const fresh: Cached = {
      found: Boolean(u),
      teamId: u?.team_id,
      enterpriseId: u?.enterprise_user?.enterprise_id,
      enterpriseTeams: u?.enterprise_user?.teams ?? [],
      admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
      deleted: Boolean(u?.deleted),
      tz: u?.tz,
      at: clock(),
    };
    cache.set(key, fresh);
    return fresh;
  }
  return {
    user,
    forget(teamId) {
      for (const key of cache.keys()) if (key.startsWith(`${teamId}:`)) cache.delete(key);
    },
    async isAdmin(teamId, userId, settings) {
      if ((await adminsOf(mo, teamId, settings)).includes(userId)) return true;
      const u = await user(teamId, userId);
      // Slack's flags are about the user's own team: they make an admin of that team only.
      return u.admin && !u.deleted && u.teamId === teamId;
    },
    async userTimezone(userId) {
      const teamId = currentTeam();
      if (!teamId) return undefined;
      try {
        return (await user(teamId, userId)).tz;
      } catch {
        return undefined;
      }
    },
  };
}

/** Without Slack (`mo run`): admins are the users named in Mo's settings. */
export function localDirectory(mo: Mo): SlackDirectory {
  return {
    async isAdmin(teamId, userId, settings) {
      return (await adminsOf(mo, teamId, settings)).includes(userId);
    },
    async userTimezone() {
      return undefined;
    },
  };
}
