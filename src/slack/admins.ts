// Who is a Mo admin: Slack workspace admins and owners (users.info), plus the users named
// in Mo's settings. Slack's answer is cached briefly so a busy channel does not hammer it.
import type { WebClient } from '@slack/web-api';
import type { Mo } from '../services/mo.js';

const TTL_MS = 5 * 60_000;

export interface SlackDirectory {
  isAdmin(teamId: string, userId: string): Promise<boolean>;
  userTimezone(userId: string): Promise<string | undefined>;
}

interface UserInfo {
  admin: boolean;
  tz: string | undefined;
  at: number;
}

export function slackDirectory(client: WebClient, mo: Mo): SlackDirectory {
  const cache = new Map<string, UserInfo>();
  async function info(userId: string): Promise<UserInfo> {
    const hit = cache.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit;
    const res = await client.users.info({ user: userId });
    const u = res.user;
    const fresh = {
      admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
      tz: u?.tz,
      at: Date.now(),
    };
    cache.set(userId, fresh);
    return fresh;
  }
  return {
    async isAdmin(teamId, userId) {
      const settings = await mo.workspaces.get(teamId);
      if (settings?.adminUserIds.includes(userId)) return true;
      return (await info(userId)).admin;
    },
    async userTimezone(userId) {
      try {
        return (await info(userId)).tz;
      } catch {
        return undefined;
      }
    },
  };
}

/** Without Slack (`mo run`): admins are the users named in Mo's settings. */
export function localDirectory(mo: Mo): SlackDirectory {
  return {
    async isAdmin(teamId, userId) {
      return (await mo.workspaces.get(teamId))?.adminUserIds.includes(userId) ?? false;
    },
    async userTimezone() {
      return undefined;
    },
  };
}
