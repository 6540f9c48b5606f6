// The App Home tab: published when someone opens it (app_home_opened), and published again,
// debounced, after anything in their workspace that may change what it shows (a button, a
// modal, a command, new figures). Its admin buttons open the settings and the import help.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import type { WebClient } from '@slack/web-api';
import { publishHome } from '../src/services/home.js';
import { importHelpModal } from '../src/slack/blocks/home.js';
import { settingsModal } from '../src/slack/blocks/modals.js';
import { HOME } from '../src/slack/ids.js';
import { NotInstalledError } from '../src/slack/tenancy.js';
import { type BackgroundEnvs, type CommandEnv, workspaceFor } from './types.js';

/** People who opened Home within this long are kept up to date after changes. */
const VIEWER_TTL_MS = 24 * 3_600_000;
/** Viewers remembered per workspace (the most recent ones). */
const MAX_VIEWERS = 500;

export interface HomeRefresher {
  /** Someone opened Home: publish now, and keep it fresh for a while. */
  opened(teamId: string, userId: string): Promise<void>;
  /** Something changed in the workspace: republish every recent viewer's Home, debounced. */
  changed(teamId: string): void;
  stop(): Promise<void>;
}

export function homeRefresher(
  background: BackgroundEnvs,
  /** Each workspace's Home is published with that workspace's own token. */
  clientFor: (teamId: string) => Promise<WebClient>,
  log: Logger,
  delayMs = 1500,
): HomeRefresher {
  const viewers = new Map<string, Map<string, number>>();
  const pending = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  const publish = async (teamId: string, userId: string) => {
    const env = background.envFor(teamId);
    const settings = await workspaceFor(env, { userId });
    const isAdmin = await env.isAdmin(userId);
    await publishHome(env.mo, await clientFor(teamId), settings, {
      userId,
      isAdmin,
      secret: env.slack?.secret ?? '',
    });
  };

  const refreshTeam = (teamId: string) => {
    const seen = viewers.get(teamId);
    if (!seen) return;
    const now = Date.now();
    for (const [userId, at] of seen) {
      if (now - at > VIEWER_TTL_MS) {
        seen.delete(userId);
        continue;
      }
      const run = publish(teamId, userId)
        .catch((e) => {
          // Uninstalled meanwhile: nobody there is kept up to date any more.
          if (e instanceof NotInstalledError) return void viewers.delete(teamId);
          log.warn(`could not refresh the Home tab of ${userId}`, e);
        })
        .finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
  };

  const unsubscribe = background.onFiguresChanged((teamId) => refresher.changed(teamId));

  const refresher: HomeRefresher = {
    async opened(teamId, userId) {
      const seen = viewers.get(teamId) ?? new Map<string, number>();
      viewers.set(teamId, seen);
      seen.delete(userId);
      seen.set(userId, Date.now());
      if (seen.size > MAX_VIEWERS) seen.delete(seen.keys().next().value as string);
      await publish(teamId, userId);
    },
    changed(teamId) {
      if (stopped || !viewers.has(teamId)) return;
      clearTimeout(pending.get(teamId));
      const timer = setTimeout(() => {
        pending.delete(teamId);
        refreshTeam(teamId);
      }, delayMs);
      timer.unref();
      pending.set(teamId, timer);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
  return refresher;
}

type Body = {
  type?: string;
  command?: string;
  team_id?: string;
  team?: { id?: string } | null;
  user?: { team_id?: string };
};

export function registerHome(
  app: App,
  env: CommandEnv,
  background: BackgroundEnvs,
  log: Logger,
  clientFor: (teamId: string) => Promise<WebClient>,
): HomeRefresher {
  const home = homeRefresher(background, clientFor, log);

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    await home.opened(teamId, event.user);
  });

  // After a command, a button or a modal, the workspace's open Home tabs catch up.
  app.use(async ({ body, next }) => {
    await next();
    const b = body as Body;
    if (b.command || b.type === 'block_actions' || b.type === 'view_submission') {
      const teamId = b.team_id ?? b.team?.id ?? b.user?.team_id;
      if (teamId) home.changed(teamId);
    }
  });

  app.action<BlockAction<ButtonAction>>(HOME.settings, async ({ ack, body, client }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const who = { teamId, userId: body.user.id };
    // The Home tab shows this button to admins only; a stale tab is checked again here.
    if (!(await env.isAdmin(who.userId))) return;
    const settings = await workspaceFor(env, who);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: settingsModal(settings, { channelId: body.channel?.id ?? '' }),
    });
  });

  app.action<BlockAction<ButtonAction>>(HOME.importFile, async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: importHelpModal() });
  });

  return home;
}
