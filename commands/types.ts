// The contract between the /mo router and its subcommands. Independent of Bolt, so the
// same handlers serve Slack, `mo run` and tests.
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import { RefusedError, UsageError } from '../src/domain/errors.js';
import type { WorkspaceSettings } from '../src/domain/settings.js';
import type { Logger } from '../src/log.js';
import type { WorkspaceMo } from '../src/services/team-scope.js';
import type { Message } from '../src/slack/blocks/common.js';

export interface CommandRequest {
  /** The workspace `env.mo` is scoped to (for display: data is reached through `env.mo` only). */
  teamId: string;
  userId: string;
  channelId: string;
  /** Everything after `/mo <subcommand>`, already split into arguments. */
  args: string[];
}

/**
 * What a subcommand needs from outside: one workspace's data, and who is an admin there.
 * Built per request from the team the Slack gate verified (or the CLI's --team): a command
 * cannot reach another workspace.
 */
export interface CommandEnv {
  mo: WorkspaceMo;
  /**
   * Slack admins and owners of this workspace, plus the users named in its Mo settings (pass
   * the settings when already read: they are not read again).
   */
  isAdmin(userId: string, settings?: WorkspaceSettings): Promise<boolean>;
  /** The user's own timezone, for a workspace's default before anyone sets one. */
  userTimezone(userId: string): Promise<string | undefined>;
  /** Present when serving Slack (absent in `mo run` and the shell). */
  slack?: {
    client: WebClient;
    logger: Logger;
    /** Keys the hash that stands for a person in anonymous surveys (the signing secret). */
    secret: string;
  };
}

/**
 * A workspace's env outside a request: the Home tab is republished for its recent viewers
 * (whose workspace a request through the gate named) after a change there.
 */
export interface BackgroundEnvs {
  envFor(teamId: string): CommandEnv;
  /** Mo's own event after spend or a plan changed in a workspace; returns the unsubscribe. */
  onFiguresChanged(listener: (teamId: string) => void): () => void;
}

export type CommandResult =
  | {
      kind: 'message';
      message: Message;
      /** Slow work after the reply (charts, posting); may answer again in a follow-up. */
      followUp?: () => Promise<Message | undefined>;
    }
  | { kind: 'modal'; view: ModalView };

export interface Subcommand<A = unknown> {
  /** One or two words: `budget`, `budget set`. */
  name: string;
  usage: string;
  summary: string;
  /** Parses the arguments (syntax only: what needs data is checked in run). */
  schema: z.ZodType<A, string[]>;
  run(args: A, req: CommandRequest, env: CommandEnv): Promise<CommandResult>;
}

// The user-error kinds subcommands raise most: the router answers usage with the usage line.
export { RefusedError, UsageError };

export function defineSubcommand<A>(sub: Subcommand<A>): Subcommand<A> {
  return sub;
}

export const message = (m: Message): CommandResult => ({ kind: 'message', message: m });

export async function workspaceFor(
  env: CommandEnv,
  req: Pick<CommandRequest, 'userId'>,
): Promise<WorkspaceSettings> {
  const existing = await env.mo.workspaces.get();
  if (existing) return existing;
  return env.mo.workspaces.ensure({ timezone: await env.userTimezone(req.userId) });
}

/** Slack itself, for a subcommand that posts (absent in `mo run` and the shell). */
export function slackOf(env: CommandEnv, why: string): NonNullable<CommandEnv['slack']> {
  if (!env.slack) throw new UsageError(why);
  return env.slack;
}

export async function requireAdmin(env: CommandEnv, req: Pick<CommandRequest, 'userId'>, what: string) {
  if (!(await env.isAdmin(req.userId))) {
    throw new RefusedError(
      `Sorry, only Mo admins can ${what}. Mo admins are this workspace's Slack admins and owners, and the people named in \`/mo settings\`.`,
    );
  }
}
