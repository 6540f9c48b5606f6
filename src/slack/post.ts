// Posting to Slack exactly once. Slack has no idempotency key for chat.postMessage, so Mo
// keeps its own: a `pending` row is written before the call and marked `posted` with the
// ts after it. A crash between the two leaves the row pending; the next attempt looks for
// the key in the message metadata Mo attached (conversations.history / replies) before
// posting again, so a retried run never posts twice.
import { ErrorCode, type RetryOptions, WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackPostRow } from '../db/slack-posts.js';
import type { Message } from './blocks/common.js';
import { LimitedWebClient } from './limiter.js';

export const POST_EVENT_TYPE = 'mo_post';

/** How far before the pending row to look for the message (clock skew between Mo and Slack). */
const LOOKBACK_S = 120;
/**
 * A pending row older than this is an orphan of a crash. Job leases last 60 s and are renewed
 * every 20 s, so a pending row is at least 40 s old when another runner takes the job over.
 */
export const STALE_PENDING_MS = 30_000;

/** Another process is making this post right now: try again later. */
export class PostInProgressError extends Error {}
const MAX_PAGES = 5;

/** One workspace's ledger of posts made under a key (the scoped `posts` repository). */
export interface PostLedger {
  get(key: string): Promise<SlackPostRow | null>;
  begin(row: { key: string; channel: string }): Promise<boolean>;
  takeOver(key: string, staleMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
  posted(key: string, channel: string, ts: string): Promise<void>;
}

export interface PostOnce {
  /** Unique per post in the workspace, e.g. digest:T0123:2026-11-23T17:00:00.000Z. */
  key: string;
  /** A channel id, or a user id for a DM. */
  channel: string;
  message: Message;
  threadTs?: string;
}

export interface Posted {
  channel: string;
  ts: string;
  /** false when it had been posted before (recorded, or found in the channel). */
  fresh: boolean;
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: Array<{ id?: string; title?: string }>;
}

/**
 * Slack can answer 5xx (or time out) for a write that did land; the Web API client's own
 * retry would then post it again. So writes go through a twin of the client that never
 * retries, and Mo's loop below retries on the client's own schedule, looking for the
 * write's idempotency key in Slack before each new attempt.
 */
const noRetryTwins = new WeakMap<WebClient, WebClient>();
function withoutRetries(client: WebClient): WebClient {
  let twin = noRetryTwins.get(client);
  if (!twin) {
    const once = {
      // The client's logger: the twin's lines are Mo's JSON lines, scrubbed, at LOG_LEVEL.
      logger: (client as unknown as { logger: WebClientOptions['logger'] }).logger,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    };
    // A workspace's client keeps its rate limiter in the twin.
    twin =
      client instanceof LimitedWebClient
        ? client.twin(once)
        : new WebClient(client.token, { slackApiUrl: client.slackApiUrl, ...once });
    noRetryTwins.set(client, twin);
  }
  return twin;
}

/** The retry schedule the caller gave its client (jobClient's, or Bolt's default). */
function retryScheduleOf(client: WebClient): Required<Pick<RetryOptions, 'retries'>> & RetryOptions {
  const config = (client as unknown as { retryConfig?: RetryOptions }).retryConfig;
  return { ...config, retries: config?.retries ?? 0 };
}

/** How long to wait before attempt n + 1 (n ≥ 1), or undefined when the error is final. */
function retryDelayMs(error: unknown, n: number, schedule: RetryOptions): number | undefined {
  const e = error as { code?: string; statusCode?: number; retryAfter?: number };
  if (e.code === ErrorCode.RateLimitedError) return (e.retryAfter ?? 1) * 1000;
  const transient =
    e.code === ErrorCode.RequestError || (e.code === ErrorCode.HTTPError && (e.statusCode ?? 0) >= 500);
  if (!transient) return undefined;
  const min = schedule.minTimeout ?? 1000;
  const delay = Math.min(
    min * (schedule.factor ?? 2) ** (n - 1),
    schedule.maxTimeout ?? Number.POSITIVE_INFINITY,
  );
  return schedule.randomize ? delay * (1 + Math.random()) : delay;
}

/**
 * Makes a Slack write at most once: `write` on the non-retrying twin; after a transient
 * failure, `landed` looks for it in Slack, and only if it is not there is it made again.
 */
async function writeOnce<T>(
  client: WebClient,
  write: (c: WebClient) => Promise<T>,
  landed: () => Promise<T | undefined>,
): Promise<T> {
  const schedule = retryScheduleOf(client);
  const twin = withoutRetries(client);
  for (let n = 1; ; n++) {
    try {
      return await write(twin);
    } catch (error) {
      const delay = n <= schedule.retries ? retryDelayMs(error, n, schedule) : undefined;
      if (delay === undefined) throw error;
      await new Promise((r) => setTimeout(r, delay));
      const found = await landed();
      if (found !== undefined) return found;
    }
  }
}

/** A DM is posted (and looked up) in the conversation with the user, not at the user id. */
async function conversationOf(client: WebClient, channel: string): Promise<string> {
  if (!/^[UW]/.test(channel)) return channel;
  const opened = await client.conversations.open({ users: channel });
  const id = opened.channel?.id;
  if (!id) throw new Error(`Slack did not open a DM with ${channel}`);
  return id;
}

async function findMessage(
  client: WebClient,
  where: { channel: string; threadTs?: string | null; since: Date },
  matches: (m: HistoryMessage) => boolean,
): Promise<HistoryMessage | undefined> {
  const oldest = String(Math.floor(where.since.getTime() / 1000) - LOOKBACK_S);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const args = { channel: where.channel, oldest, include_all_metadata: true, limit: 200, cursor };
    const res = where.threadTs
      ? await client.conversations.replies({ ...args, ts: where.threadTs })
      : await client.conversations.history(args);
    const found = (res.messages as HistoryMessage[] | undefined)?.find(matches);
    if (found) return found;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** A pending row left by a crash is taken over by one process only; a fresh one is someone's work in progress. */
async function claimPending(posts: PostLedger, key: string): Promise<void> {
  if (!(await posts.takeOver(key, STALE_PENDING_MS)))
    throw new PostInProgressError(`the post ${key} is being made by another process`);
}

export async function postOnce(client: WebClient, posts: PostLedger, post: PostOnce): Promise<Posted> {
  const before = await posts.get(post.key);
  if (before?.status === 'posted' && before.ts)
    return { channel: before.channel, ts: before.ts, fresh: false };
  const channel = await conversationOf(client, post.channel);
  if (before) {
    await claimPending(posts, post.key);
    const found = await findMessage(
      client,
      { channel, threadTs: post.threadTs, since: before.createdAt },
      (m) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload?.key === post.key,
    );
    if (found?.ts) {
      await posts.posted(post.key, channel, found.ts);
      return { channel, ts: found.ts, fresh: false };
    }
  } else if (!(await posts.begin({ key: post.key, channel }))) {
    throw new PostInProgressError(`the post ${post.key} is being made by another process`);
  }
  const res = await writeOnce<{ channel?: string; ts?: string }>(
    client,
    (c) =>
      c.chat.postMessage({
        channel,
        text: post.message.text,
        blocks: post.message.blocks,
        ...(post.threadTs ? { thread_ts: post.threadTs } : {}),
        metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: post.key } },
        unfurl_links: false,
        unfurl_media: false,
      }),
    async () => {
      const row = await posts.get(post.key);
      const found = await findMessage(
        client,
        { channel, threadTs: post.threadTs, since: row?.createdAt ?? new Date(0) },
        (m) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload?.key === post.key,
      );
      return found?.ts ? { channel, ts: found.ts } : undefined;
    },
  ).catch(async (error) => {
    await posts.release(post.key);
    throw error;
  });
  const ts = res.ts as string;
  await posts.posted(post.key, res.channel ?? channel, ts);
  return { channel: res.channel ?? channel, ts, fresh: true };
}

export interface UploadOnce {
  key: string;
  channel: string;
  threadTs?: string;
  filename: string;
  /** Unique in the thread: it is how a crashed upload is recognised. */
  title: string;
  altText: string;
  bytes: Buffer;
}

/**
 * Uploads a file into a channel or thread once (files.uploadV2: getUploadURLExternal, the
 * bytes, completeUploadExternal). Files carry no metadata, so a pending upload is found by
 * its title in the thread. The row's ts holds the file id.
 */
export async function uploadOnce(client: WebClient, posts: PostLedger, upload: UploadOnce): Promise<Posted> {
  const before = await posts.get(upload.key);
  if (before?.status === 'posted' && before.ts)
    return { channel: before.channel, ts: before.ts, fresh: false };
  if (before) {
    await claimPending(posts, upload.key);
    const found = await findMessage(
      client,
      { channel: upload.channel, threadTs: upload.threadTs, since: before.createdAt },
      (m) => Boolean(m.files?.some((f) => f.title === upload.title)),
    );
    const file = found?.files?.find((f) => f.title === upload.title);
    if (file?.id) {
      await posts.posted(upload.key, upload.channel, file.id);
      return { channel: upload.channel, ts: file.id, fresh: false };
    }
  } else {
    await posts.begin({ key: upload.key, channel: upload.channel });
  }
  const file = {
    file: upload.bytes,
    filename: upload.filename,
    title: upload.title,
    alt_text: upload.altText,
  };
  type Uploaded = { files?: Array<{ files?: Array<{ id?: string }> }> };
  const res = await writeOnce<Uploaded>(
    client,
    async (c) =>
      (await c.files.uploadV2(
        upload.threadTs
          ? { ...file, channel_id: upload.channel, thread_ts: upload.threadTs }
          : { ...file, channel_id: upload.channel },
      )) as Uploaded,
    async () => {
      const row = await posts.get(upload.key);
      const found = await findMessage(
        client,
        { channel: upload.channel, threadTs: upload.threadTs, since: row?.createdAt ?? new Date(0) },
        (m) => Boolean(m.files?.some((f) => f.title === upload.title)),
      );
      const id = found?.files?.find((f) => f.title === upload.title)?.id;
      return id ? { files: [{ files: [{ id }] }] } : undefined;
    },
  ).catch(async (error) => {
    await posts.release(upload.key);
    throw error;
  });
  const id = res.files?.[0]?.files?.[0]?.id ?? 'uploaded';
  await posts.posted(upload.key, upload.channel, id);
  return { channel: upload.channel, ts: id, fresh: true };
}
