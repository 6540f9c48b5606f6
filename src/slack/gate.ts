// The one gate every Slack request passes before any listener (a Bolt global middleware
// registered first): served only for a workspace with an active installation, and only for a
// user Slack places in that workspace (or its org, for an org-wide install). A user from
// another organisation (Slack Connect) may read `/mo help` and nothing else. Installation
// lifecycle events (app_uninstalled, tokens_revoked) pass, and deactivate at once.
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import type { InstallationRecord, InstallationRepository } from '../db/installations.js';
import type { Logger } from '../log.js';
import { isMemberOf, type SlackUserDirectory } from './admins.js';
import { refusedView } from './blocks/tenancy.js';
import { errorReply, modalErrorAck } from './errors.js';
import { requestScope } from './tenancy.js';

const NOT_INSTALLED =
  'Mo is not installed in this workspace (or was removed). Ask a workspace admin to install it; nothing was done.';
const NOT_MEMBER =
  'Mo serves members of the workspace it is installed in, and Slack does not list you there: only `/mo help` is open to you. Nothing was done.';

const LIFECYCLE = new Set(['app_uninstalled', 'tokens_revoked']);

const isHelp = (text: string | undefined) => /^\s*(help\b.*)?$/i.test(text ?? '');

/** The team a payload names where Mo's handlers read it (commands/index.ts). */
function payloadTeam(body: unknown): string | undefined {
  const b = body as {
    team_id?: string;
    team?: { id?: string } | null;
    user?: { team_id?: string };
    event?: unknown;
  };
  if (b.event) return b.team_id;
  return b.team_id ?? b.team?.id ?? b.user?.team_id;
}

export interface GateDeps {
  installations: InstallationRepository;
  directory: SlackUserDirectory;
  logger: Logger;
}

export function tenancyGate(deps: GateDeps): Middleware<AnyMiddlewareArgs> {
  const rememberedOrgWorkspaces = new Set<string>();
  return async (args) => {
    const { context, body, next } = args;
    const event = (body as { event?: { type?: string } }).event;
    if (event?.type && LIFECYCLE.has(event.type)) return next();

    const a = args as unknown as {
      ack?: (reply?: unknown) => Promise<void>;
      respond?: (m: object) => Promise<unknown>;
      command?: { text?: string };
      view?: unknown;
    };
    const refuse = async (text: string) => {
      if (a.command) return a.ack?.({ response_type: 'ephemeral', text });
      if (a.view && a.ack) return a.ack({ response_action: 'update', view: refusedView(text) });
      await a.ack?.();
      await a.respond?.({ response_type: 'ephemeral', replace_original: false, text }).catch(() => undefined);
    };

    const teamId = context.teamId ?? '';
    const installation = context.moInstallation as InstallationRecord | undefined;
    if (!context.moInstalled || !installation || !teamId) {
      deps.logger.warn(
        `refused a request for team ${teamId || '-'} (enterprise ${context.enterpriseId ?? '-'}): no active installation`,
      );
      return refuse(NOT_INSTALLED);
    }

    // Handlers read the team from the payload: it must be the workspace authorized here (a
    // Slack Connect modal or event can name another team than the installation's).
    const claimed = payloadTeam(body);
    if (claimed && claimed !== teamId && claimed !== installation.enterpriseId) {
      deps.logger.warn(`refused a request naming team ${claimed} through the installation of ${teamId}`);
      return refuse(NOT_MEMBER);
    }

    const userId = context.userId;
    if (userId && userId !== installation.botUserId) {
      let user: Awaited<ReturnType<typeof deps.directory.user>>;
      try {
        user = await deps.directory.user(teamId, userId, args.client);
      } catch (e) {
        // Slack could not say who this is: nothing is done, and the person gets an apology.
        const what = 'checking a user with Slack failed';
        if (a.view && a.ack) return a.ack(modalErrorAck(e, deps.logger, what, [], ''));
        const reply = errorReply(e, deps.logger, what);
        if (a.command) return a.ack?.({ response_type: 'ephemeral', ...reply });
        await a.ack?.();
        await a
          .respond?.({ response_type: 'ephemeral', replace_original: false, ...reply })
          .catch(() => undefined);
        return;
      }
      if (!isMemberOf(user, teamId, installation.isEnterpriseInstall ? installation.enterpriseId : null)) {
        if (!(a.command && isHelp(a.command.text))) {
          deps.logger.warn(
            `refused user ${userId} in team ${teamId}: Slack places them in ${user.teamId ?? 'no team'}`,
          );
          return refuse(NOT_MEMBER);
        }
      }
    }

    if (
      installation.isEnterpriseInstall &&
      installation.enterpriseId &&
      !rememberedOrgWorkspaces.has(teamId)
    ) {
      await deps.installations.rememberOrgWorkspace(teamId, installation.enterpriseId);
      rememberedOrgWorkspaces.add(teamId);
    }
    await requestScope.run({ teamId, userId, client: args.client, installation }, next);
  };
}

/**
 * app_uninstalled and tokens_revoked (bot tokens): the installation is deactivated at once,
 * in either order and any number of times; jobs skip it from their next tick.
 */
export function registerLifecycle(app: App, deps: GateDeps): void {
  const queryOf = (body: unknown) => {
    const b = body as {
      team_id?: string;
      enterprise_id?: string;
      is_enterprise_install?: boolean;
      authorizations?: Array<{
        team_id?: string | null;
        enterprise_id?: string | null;
        is_enterprise_install?: boolean;
      }>;
    };
    const auth = b.authorizations?.[0];
    return {
      teamId: b.team_id ?? auth?.team_id ?? undefined,
      enterpriseId: b.enterprise_id ?? auth?.enterprise_id ?? undefined,
      isEnterpriseInstall: Boolean(auth?.is_enterprise_install ?? b.is_enterprise_install),
    };
  };
  const deactivate = async (body: unknown, status: 'uninstalled' | 'revoked') => {
    const q = queryOf(body);
    const changed = await deps.installations.deactivate(q, status);
    if (q.teamId) deps.directory.forget(q.teamId);
    deps.logger.info(
      `${status === 'uninstalled' ? 'app_uninstalled' : 'tokens_revoked'} for ${q.teamId ?? q.enterpriseId}: ${changed ? 'installation deactivated' : 'already inactive'}`,
    );
  };
  app.event('app_uninstalled', async ({ body }) => deactivate(body, 'uninstalled'));
  app.event('tokens_revoked', async ({ event, body }) => {
    // Only the bot's token matters: Mo holds no user tokens.
    if ((event.tokens.bot ?? []).length) await deactivate(body, 'revoked');
  });
}
