// The contract between the /mo router and its subcommands. Independent of Bolt, so the
// same handlers serve Slack, `mo run` and tests.
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import { RefusedError, UsageError } from '../src/domain/errors.js';
import type { WorkspaceSettings } from '../src/domain/settings.js';
import type { Logger } from '../src/log.js';
import type { Mo } from '../src/services/mo.js';
import type { Message } from '../src/slack/blocks/common.js';

export interface CommandRequest {
  teamId: string;
  userId: string;
  channelId: string;
  /** Everything after `/mo <subcommand>`, already split into arguments. */
  args: string[];
}

/** What a subcommand needs from outside: the data, and who is an admin. */
export interface CommandEnv {
  mo: Mo;
  /**
   * Slack workspace admins and owners, plus the users named in Mo's settings (pass the
   * settings when already read: they are not read again).
   */
  isAdmin(teamId: string, userId: string, settings?: WorkspaceSettings): Promise<boolean>;
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
  req: Pick<CommandRequest, 'teamId' | 'userId'>,
): Promise<WorkspaceSettings> {
  const existing = await env.mo.workspaces.get(req.teamId);
  if (existing) return existing;
  return env.mo.workspaces.ensure(req.teamId, { timezone: await env.userTimezone(req.userId) });
}

/** Slack itself, for a subcommand that posts (absent in `mo run` and the shell). */
export function slackOf(env: CommandEnv, why: string): NonNullable<CommandEnv['slack']> {
  if (!env.slack) throw new UsageError(why);
  return env.slack;
}

export async function requireAdmin(
  env: CommandEnv,
  req: Pick<CommandRequest, 'teamId' | 'userId'>,
  what: string,
) {
  if (!(await env.isAdmin(req.teamId, req.userId))) {
    throw new RefusedError(
      `Sorry, only Mo admins can ${what}. Mo admins are this workspace's Slack admins and owners, and the people named in \`/mo settings\`.`,
    );
  }
}
