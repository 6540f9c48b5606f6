// Which workspaces Mo serves, and with which token. Two modes:
// - single-workspace: SLACK_BOT_TOKEN; at start auth.test names its team and one
//   installation is recorded (the token stays in the environment, never stored);
// - OAuth distribution: Bolt's InstallProvider serves /slack/install and
//   /slack/oauth_redirect (state in a signed cookie, verified) and keeps installations in Mo's
//   own store on the database, tokens sealed; rotating tokens are refreshed within 2 h of
//   expiry, one refresh at a time per installation (Slack's refresh tokens are single-use).
// Bolt's `authorize` answers every request from the store, and jobs get a client per
// workspace from `clientFor`, so each workspace is only ever served with its own token.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizeResult, AuthorizeSourceData } from '@slack/bolt';
import {
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  InstallProvider,
} from '@slack/oauth';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { InstallationRecord, InstallationRepository } from '../db/installations.js';
import type { Logger } from '../log.js';
import { JOB_RETRY, jobClient } from './client.js';
import { forWorkspace, SlackLimiter } from './limiter.js';

/** The bot scopes Mo asks for; the same list as manifest.yml (a test holds them equal). */
export const BOT_SCOPES = [
  'commands',
  'users:read',
  'files:read',
  'chat:write',
  'files:write',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'im:history',
  'im:write',
];

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export class NotInstalledError extends Error {
  constructor(readonly teamId: string) {
    super(`Mo has no active installation for workspace ${teamId}`);
  }
}

/** What the request being served belongs to: set by the gate, read by the directory and env. */
export interface RequestScope {
  teamId: string;
  userId: string | undefined;
  client: WebClient;
  installation: InstallationRecord;
}
export const requestScope = new AsyncLocalStorage<RequestScope>();
export const currentRequest = (): RequestScope | undefined => requestScope.getStore();

export interface TenancyOptions {
  installations: InstallationRepository;
  logger: Logger;
  apiUrl: string;
  clientOptions?: WebClientOptions;
  /** Single-workspace mode. */
  botToken?: string;
  /** OAuth distribution. */
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
}

/** What jobs need of tenancy: the installed workspaces, and a client with each one's token. */
export interface WorkspaceClients {
  /** Mo workspace ids with an active installation: jobs list runs for these only. */
  activeWorkspaceIds(): Promise<Set<string>>;
  clientFor(teamId: string): Promise<WebClient>;
}

export interface Tenancy extends WorkspaceClients {
  mode: 'single' | 'oauth';
  /** Bolt's authorize: the request's installation and token, or `moInstalled: false`. */
  authorize(source: AuthorizeSourceData<boolean>): Promise<AuthorizeResult>;
  /** A Web API client with workspace `teamId`'s own token (jobs); throws NotInstalledError. */
  clientFor(teamId: string): Promise<WebClient>;
  /** Serves the install and redirect paths (OAuth mode); false for any other request. */
  http(req: IncomingMessage, res: ServerResponse): boolean;
  /** Single-workspace mode: records the installation auth.test names. */
  init(): Promise<void>;
}

/** Mo's InstallationStore for Bolt's InstallProvider, on the Installation table. */
export function moInstallationStore(repo: InstallationRepository): InstallationStore {
  return {
    async storeInstallation(inst) {
      const i = inst as Installation<'v2', boolean>;
      if (!i.bot?.token) throw new Error('Mo needs a bot token: the install granted none');
      await repo.store({
        teamId: i.team?.id ?? null,
        teamName: i.team?.name ?? '',
        enterpriseId: i.enterprise?.id ?? null,
        enterpriseName: i.enterprise?.name ?? '',
        isEnterpriseInstall: Boolean(i.isEnterpriseInstall),
        appId: i.appId ?? null,
        botId: i.bot.id,
        botUserId: i.bot.userId,
        botScopes: i.bot.scopes ?? [],
        installerUserId: i.user?.id ?? null,
        source: 'oauth',
        botToken: i.bot.token,
        refreshToken: i.bot.refreshToken ?? null,
        botTokenExpiresAt: i.bot.expiresAt ? new Date(i.bot.expiresAt * 1000) : null,
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await repo.find(query);
      if (row?.status !== 'active' || row.source !== 'oauth')
        throw new NotInstalledError(query.teamId ?? query.enterpriseId ?? '?');
      const tokens = repo.openTokens(row);
      return {
        team: row.teamId ? { id: row.teamId, name: row.teamName } : undefined,
        enterprise: row.enterpriseId ? { id: row.enterpriseId, name: row.enterpriseName } : undefined,
        isEnterpriseInstall: row.isEnterpriseInstall,
        appId: row.appId ?? undefined,
        authVersion: 'v2',
        tokenType: 'bot',
        user: { id: row.installerUserId ?? '', token: undefined, scopes: undefined },
        bot: {
          id: row.botId ?? '',
          userId: row.botUserId,
          scopes: row.botScopes ? row.botScopes.split(',') : [],
          token: tokens.botToken,
          refreshToken: tokens.refreshToken ?? undefined,
          expiresAt: row.botTokenExpiresAt ? Math.floor(row.botTokenExpiresAt.getTime() / 1000) : undefined,
        },
      } as Installation<'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await repo.deactivate(query, 'uninstalled');
    },
  };
}

export function createTenancy(options: TenancyOptions): Tenancy {
  const { installations: repo, logger } = options;
  const clientOptions = { slackApiUrl: options.apiUrl, logger, ...options.clientOptions };
  const installer = options.oauth
    ? new InstallProvider({
        clientId: options.oauth.clientId,
        clientSecret: options.oauth.clientSecret,
        stateSecret: options.oauth.stateSecret,
        stateVerification: true,
        installationStore: moInstallationStore(repo),
        installUrlOptions: { scopes: BOT_SCOPES },
        directInstall: true,
        clientOptions,
        logger,
      })
    : undefined;

  // One refresh at a time per installation: a second caller waits, then reads the new token.
  const locks = new Map<string, Promise<unknown>>();
  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (locks.get(key) ?? Promise.resolve()).then(work, work);
    locks.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  }

  async function tokenOf(row: InstallationRecord, teamId: string | undefined): Promise<string> {
    if (row.source === 'env') {
      if (!options.botToken) throw new NotInstalledError(teamId ?? row.installKey);
      return options.botToken;
    }
    if (!installer) throw new NotInstalledError(teamId ?? row.installKey);
    const result = await serialized(row.installKey, () =>
      installer.authorize({
        teamId: row.teamId ?? teamId,
        enterpriseId: row.enterpriseId ?? undefined,
        isEnterpriseInstall: row.isEnterpriseInstall,
      }),
    );
    if (!result.botToken) throw new NotInstalledError(teamId ?? row.installKey);
    return result.botToken;
  }

  const clients = new Map<string, { token: string; client: WebClient }>();
  const limiter = new SlackLimiter();

  return {
    mode: installer ? 'oauth' : 'single',

    async authorize(source) {
      const row = source.teamId || source.enterpriseId ? await repo.findRecent(source) : null;
      const usable = row?.status === 'active' && (row.source === 'oauth' ? Boolean(installer) : !installer);
      if (!row || !usable)
        return { moInstalled: false, teamId: source.teamId, enterpriseId: source.enterpriseId };
      return {
        botToken: await tokenOf(row, source.teamId),
        botId: row.botId ?? undefined,
        botUserId: row.botUserId,
        teamId: source.teamId ?? row.teamId ?? undefined,
        enterpriseId: source.enterpriseId ?? row.enterpriseId ?? undefined,
        moInstalled: true,
        moInstallation: row,
      };
    },

    activeWorkspaceIds: () => repo.activeWorkspaceIds(),

    async clientFor(teamId) {
      const row = await repo.forWorkspace(teamId);
      if (!row || (row.source === 'oauth' && !installer)) throw new NotInstalledError(teamId);
      const token = await tokenOf(row, teamId);
      const cached = clients.get(teamId);
      if (cached?.token === token) return cached.client;
      // Paced per (workspace, method) by one limiter, which outlives a rotated token's client.
      const client = forWorkspace(
        jobClient(token, options.apiUrl, logger, options.clientOptions?.retryConfig ?? JOB_RETRY),
        teamId,
        limiter,
      );
      clients.set(teamId, { token, client });
      return client;
    },

    http(req, res) {
      if (!installer || req.method !== 'GET') return false;
      const path = (req.url ?? '/').split('?')[0];
      const fail = (e: unknown) => {
        logger.error('the install flow failed', e instanceof Error ? e.message : String(e));
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Mo could not start the install. Please try again.');
      };
      if (path === INSTALL_PATH) {
        installer.handleInstallPath(req, res).catch(fail);
        return true;
      }
      if (path === REDIRECT_PATH) {
        installer
          .handleCallback(req, res, {
            success: (inst, _opts, _req, response) => {
              const where = inst.isEnterpriseInstall ? inst.enterprise?.name : inst.team?.name;
              logger.info(`installed in ${inst.isEnterpriseInstall ? 'org' : 'workspace'} ${where ?? ''}`);
              response
                .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
                .end(
                  '<html><body><h1>Mo is installed</h1><p>Type <code>/mo help</code> in any channel to start.</p></body></html>',
                );
            },
            failure: (error, _opts, _req, response) => {
              logger.warn(`an install failed: ${error.code ?? ''} ${error.message}`);
              response
                .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
                .end(
                  `<html><body><h1>Mo was not installed</h1><p>The install link expired or was not started here. <a href="${INSTALL_PATH}">Start again</a>.</p></body></html>`,
                );
            },
          })
          .catch(fail);
        return true;
      }
      return false;
    },

    async init() {
      if (installer || !options.botToken) return;
      const client = new WebClient(options.botToken, clientOptions);
      const auth = await client.auth.test();
      const isEnterpriseInstall = Boolean(auth.is_enterprise_install);
      const row = await repo.store({
        teamId: auth.team_id ?? null,
        teamName: auth.team ?? '',
        enterpriseId: auth.enterprise_id || null,
        isEnterpriseInstall,
        botId: auth.bot_id ?? null,
        botUserId: auth.user_id ?? '',
        botScopes: [],
        source: 'env',
      });
      const retired = await repo.retireEnvInstallations(row.installKey);
      if (retired)
        logger.warn(
          `SLACK_BOT_TOKEN now belongs to ${row.installKey}: ${retired} earlier installation(s) retired`,
        );
    },
  };
}
