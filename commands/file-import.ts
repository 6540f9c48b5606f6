// A CSV shared with Mo in Slack (a DM, or a channel Mo is in): Mo works out what it holds,
// imports it through the same pipeline as `mo import`, and answers in the file's thread,
// updating that reply with progress on large files. Admins only: the figures move money.
import { Readable } from 'node:stream';
import type { WebClient } from '@slack/web-api';
import { isUserError } from '../src/domain/errors.js';
import { sniffKind } from '../src/ingest/sniff.js';
import { apology, type Logger, logBug } from '../src/log.js';
import { todayIn } from '../src/services/team-scope.js';
import { escapeMrkdwn, truncate } from '../src/slack/mrkdwn.js';
import { type CommandEnv, workspaceFor } from './types.js';

export const MAX_SHARED_FILE_BYTES = 50 * 1024 * 1024;
const PROGRESS_EVERY_MS = 2000;

export interface SharedFile {
  teamId: string;
  fileId: string;
  userId: string;
  channelId: string;
}

interface FileInfo {
  name?: string;
  filetype?: string;
  size?: number;
  /** `tombstone` once its owner deleted it. */
  mode?: string;
  url_private_download?: string;
  shares?: Record<string, Record<string, { ts: string; thread_ts?: string }[]>>;
}

// Slack retries events it thinks were missed; one import per shared file is enough.
const recent = new Set<string>();
function firstTime(key: string): boolean {
  if (recent.has(key)) return false;
  recent.add(key);
  if (recent.size > 1000) recent.delete(recent.values().next().value as string);
  return true;
}

export async function importSharedFile(
  env: CommandEnv,
  client: WebClient,
  botToken: string,
  shared: SharedFile,
  log: Logger,
): Promise<void> {
  if (!firstTime(`${shared.fileId}:${shared.channelId}`)) return;
  // A file deleted (or unshared) before Mo reads it is an ordinary outcome, not a bug: the
  // person who shared it hears so, and nothing is imported.
  const gone = async (why: string) => {
    log.warn(`shared file ${shared.fileId} is gone before Mo could read it (${why}): nothing imported`);
    if (!shared.userId || !shared.channelId) return;
    await client.chat
      .postEphemeral({
        channel: shared.channelId,
        user: shared.userId,
        text: 'The file you just shared is gone (deleted, or no longer shared with Mo), so Mo imported nothing from it. To import a CSV, share it again.',
      })
      .catch((e) => log.warn(`could not tell ${shared.userId} that file ${shared.fileId} is gone`, e));
  };
  let info: FileInfo | undefined;
  try {
    info = (await client.files.info({ file: shared.fileId })).file as FileInfo | undefined;
  } catch (e) {
    const code = (e as { data?: { error?: string } }).data?.error;
    if (code === 'file_not_found' || code === 'file_deleted') return void (await gone(code));
    throw e;
  }
  if (info?.mode === 'tombstone') return void (await gone('tombstone'));
  const name = info?.name ?? 'file';
  if (!info || !(info.filetype === 'csv' || name.toLowerCase().endsWith('.csv'))) return;
  const share = Object.values(info.shares ?? {})
    .map((byChannel) => byChannel[shared.channelId]?.[0])
    .find(Boolean);
  const thread_ts = share?.thread_ts ?? share?.ts;
  const say = (text: string) =>
    client.chat.postMessage({ channel: shared.channelId, thread_ts, text, unfurl_links: false });

  if (!(await env.isAdmin(shared.userId))) {
    await say(
      `Only Mo admins can import data, <@${shared.userId}>: ask an admin to share ${escapeMrkdwn(name)} with me, or use \`mo import\`.`,
    );
    return;
  }
  if ((info.size ?? 0) > MAX_SHARED_FILE_BYTES) {
    await say(
      `${escapeMrkdwn(name)} is larger than ${MAX_SHARED_FILE_BYTES / 1024 / 1024} MB: import it with \`mo import\` or the API instead.`,
    );
    return;
  }
  const reply = await say(`:hourglass_flowing_sand: Reading ${escapeMrkdwn(name)}…`);
  const update = (text: string) =>
    client.chat.update({ channel: shared.channelId, ts: reply.ts as string, text: truncate(text, 3900) });

  try {
    const res = await fetch(info.url_private_download ?? '', {
      headers: { authorization: `Bearer ${botToken}` },
    });
    if (res.status === 404 || res.status === 410) {
      log.warn(`shared file ${shared.fileId} was deleted before Mo could download it: nothing imported`);
      await update(
        `:x: ${escapeMrkdwn(name)} was deleted before Mo could read it, so nothing was imported. Share it again to import it.`,
      );
      return;
    }
    if (!res.ok) throw new Error(`download answered ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const kind = sniffKind(bytes.subarray(0, 64 * 1024).toString('utf8'));
    if (!kind) {
      await update(
        `:warning: ${escapeMrkdwn(name)} does not look like spend, leads, opportunities or budgets: I found no header I know in its first lines. ` +
          'See `mo import --help` for the formats, or name one with `mo import KIND FILE --format NAME`.',
      );
      return;
    }
    const settings = await workspaceFor(env, shared);
    let last = Date.now();
    const ctx = {
      now: env.mo.clock(),
      currency: settings.currency,
      fiscalStartMonth: settings.fiscalStartMonth,
      source: 'slack',
      actor: shared.userId,
      label: name,
      // A file shared in Slack never changes a locked month: an admin uses mo import --unlocked.
      lock: { today: todayIn(env.mo, settings.timezone), lockDays: settings.lockDays },
      open: () => Readable.from([bytes]),
      onProgress: async (rows: number) => {
        if (Date.now() - last < PROGRESS_EVERY_MS) return;
        last = Date.now();
        await update(
          `:hourglass_flowing_sand: ${escapeMrkdwn(name)}: ${rows.toLocaleString('en-US')} ${kind} rows read…`,
        );
      },
    };
    const text = await env.mo.imports.describe(kind, ctx);
    if (kind === 'spend' || kind === 'budgets') env.mo.figuresChanged();
    await update(`:white_check_mark: ${escapeMrkdwn(name)}: ${escapeMrkdwn(text)}`);
  } catch (e) {
    const why = isUserError(e)
      ? e.message
      : `Nothing was imported. ${apology(logBug(log, `import of shared file ${shared.fileId} failed`, e))}`;
    await update(`:x: ${escapeMrkdwn(name)}: ${escapeMrkdwn(why)}`);
  }
}
