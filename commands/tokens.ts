// /mo token: API tokens for POST /api/v1/import/* (admins). A new token is shown once, only
// to the admin who asked; Mo keeps a hash of it.

import { z } from 'zod';
import { textMessage } from '../src/slack/blocks/common.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { noArgs } from './args.js';
import { defineSubcommand, message, requireAdmin, UsageError } from './types.js';

export const tokenCreate = defineSubcommand({
  name: 'token',
  usage: '/mo token [label]',
  summary: 'create an API token for imports (admins; shown once)',
  schema: z.array(z.string()).transform((words) => ({ label: words.join(' ').slice(0, 100) })),
  async run(args, req, env) {
    await requireAdmin(env, req, 'create API tokens');
    const token = await env.mo.tokens.create(args.label, req.userId);
    return message(
      textMessage(
        `:key: New API token${args.label ? ` “${escapeMrkdwn(args.label)}”` : ''} (id \`${token.id}\`). Copy it now: Mo keeps only a hash and cannot show it again.\n` +
          `\`\`\`${token.secret}\`\`\`\nUse it as \`Authorization: Bearer …\` on \`POST /api/v1/import/spend\` (or leads, opportunities). Revoke it with \`/mo token revoke ${token.id}\`.`,
      ),
    );
  },
});

export const tokenList = defineSubcommand({
  name: 'token list',
  usage: '/mo token list',
  summary: 'API tokens and when they were last used (admins)',
  schema: noArgs(),
  async run(_args, req, env) {
    await requireAdmin(env, req, 'see API tokens');
    const tokens = await env.mo.tokens.list();
    if (!tokens.length)
      return message(textMessage('No API tokens yet. Create one with `/mo token [label]`.'));
    const lines = tokens
      .slice(0, 40)
      .map(
        (t) =>
          `\`${t.id}\` ${escapeMrkdwn(t.label || '(no label)')} · by <@${t.createdBy}> on ${t.createdAt.toISOString().slice(0, 10)} · ` +
          (t.revokedAt
            ? `revoked ${t.revokedAt.toISOString().slice(0, 10)}`
            : t.lastUsedAt
              ? `last used ${t.lastUsedAt.toISOString().slice(0, 10)}`
              : 'never used'),
      );
    return message(textMessage(`*API tokens*\n${lines.join('\n')}`));
  },
});

export const tokenRevoke = defineSubcommand({
  name: 'token revoke',
  usage: '/mo token revoke ID',
  summary: 'revoke an API token at once (admins)',
  schema: z.array(z.string()).length(1, 'give the token id from /mo token list'),
  async run([id], req, env) {
    await requireAdmin(env, req, 'revoke API tokens');
    if (!(await env.mo.tokens.revoke(id as string, req.userId))) {
      throw new UsageError(`no live token ${id} in this workspace`);
    }
    return message(
      textMessage(
        `:white_check_mark: Token \`${escapeMrkdwn(id as string)}\` is revoked: requests with it now get 401.`,
      ),
    );
  },
});
