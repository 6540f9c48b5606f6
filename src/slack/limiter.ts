// Slack's rate limits are per workspace and per method (chat.postMessage per channel), so Mo
// paces its own calls the same way: a token bucket per (workspace, method[, channel]). A 429
// pauses only its own bucket for Retry-After; one workspace's burst never delays another's.
import { ErrorCode, type RetryOptions, WebClient, type WebClientOptions } from '@slack/web-api';

export interface Rate {
  /** Calls allowed per `perMs` on average. */
  calls: number;
  perMs: number;
  /** Calls that may go at once after a quiet spell. */
  burst: number;
}

const MINUTE = 60_000;
export const TIERS = {
  tier2: { calls: 20, perMs: MINUTE, burst: 5 },
  tier3: { calls: 50, perMs: MINUTE, burst: 10 },
  tier4: { calls: 100, perMs: MINUTE, burst: 20 },
  /** chat.postMessage: about one a second in each channel, short bursts allowed. */
  post: { calls: 1, perMs: 1000, burst: 3 },
} satisfies Record<string, Rate>;

/** The methods Mo calls, by Slack's published tier; anything else is paced as Tier 3. */
const METHOD_TIER: Record<string, keyof typeof TIERS> = {
  'chat.postMessage': 'post',
  'chat.postEphemeral': 'post',
  'conversations.list': 'tier2',
  'users.list': 'tier2',
  'conversations.history': 'tier3',
  'conversations.replies': 'tier3',
  'conversations.open': 'tier3',
  'chat.update': 'tier3',
  'users.info': 'tier4',
  'views.open': 'tier4',
  'views.publish': 'tier4',
  'views.update': 'tier4',
  'views.push': 'tier4',
  'files.getUploadURLExternal': 'tier4',
  'files.completeUploadExternal': 'tier4',
  'auth.test': 'tier4',
};

interface Bucket {
  /** May go negative: callers already waiting for a token. */
  tokens: number;
  at: number;
  pausedUntil: number;
}

export interface LimiterOptions {
  /** Overrides of the tiers (tests use short windows). */
  rates?: Partial<Record<keyof typeof TIERS, Rate>>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class SlackLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rates: Record<keyof typeof TIERS, Rate>;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: LimiterOptions = {}) {
    this.rates = { ...TIERS, ...options.rates };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private keyOf(teamId: string, method: string, channel?: string): { key: string; rate: Rate } {
    const tier = METHOD_TIER[method] ?? 'tier3';
    const perChannel = tier === 'post' && channel ? `:${channel}` : '';
    return { key: `${teamId}:${method}${perChannel}`, rate: this.rates[tier] };
  }

  private bucket(key: string, rate: Rate): Bucket {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: rate.burst, at: now, pausedUntil: 0 };
      this.buckets.set(key, b);
    }
    // `at` is ahead of now after a 429: the bucket refills from the end of the pause.
    b.tokens = Math.min(rate.burst, b.tokens + (Math.max(0, now - b.at) * rate.calls) / rate.perMs);
    b.at = Math.max(b.at, now);
    return b;
  }

  /** Resolves when this call may go: callers of one bucket go in the order they asked. */
  async acquire(teamId: string, method: string, channel?: string): Promise<void> {
    const { key, rate } = this.keyOf(teamId, method, channel);
    const b = this.bucket(key, rate);
    b.tokens -= 1;
    const now = this.now();
    const wait = b.at - now + (b.tokens >= 0 ? 0 : (-b.tokens * rate.perMs) / rate.calls);
    if (wait > 0) await this.sleep(wait);
    // A 429 that arrived while this call waited holds it back too.
    for (let left = b.pausedUntil - this.now(); left > 0; left = b.pausedUntil - this.now())
      await this.sleep(left);
  }

  /** Slack said 429: nothing more in this bucket until Retry-After has passed. */
  pause(teamId: string, method: string, ms: number, channel?: string): void {
    const { key, rate } = this.keyOf(teamId, method, channel);
    const b = this.bucket(key, rate);
    b.pausedUntil = Math.max(b.pausedUntil, this.now() + ms);
    // The calls already counted after the pause resume at the bucket's pace, not all at once.
    b.tokens = Math.min(b.tokens, 1);
    b.at = Math.max(b.at, b.pausedUntil);
  }
}

const limiters = new WeakMap<WebClient, SlackLimiter>();
const perTeam = new WeakMap<WebClient, Map<string, LimitedWebClient>>();

/**
 * A WebClient for one workspace whose every call waits for its (workspace, method) bucket.
 * It waits out a 429 in that bucket only (the plain client would pause all of its calls),
 * as often as its retry schedule allows, unless it was made to reject rate-limited calls.
 */
export class LimitedWebClient extends WebClient {
  private readonly rateLimitRetries: number;

  constructor(
    readonly base: WebClient,
    readonly workspace: string,
    readonly limiter: SlackLimiter,
    options: WebClientOptions,
  ) {
    super(base.token, {
      // The base client's logger: these lines are Mo's JSON lines too, scrubbed, at LOG_LEVEL.
      logger: (base as unknown as { logger: WebClientOptions['logger'] }).logger,
      ...options,
      slackApiUrl: base.slackApiUrl,
      rejectRateLimitedCalls: true,
    });
    this.rateLimitRetries = options.rejectRateLimitedCalls ? 0 : (options.retryConfig?.retries ?? 0);
  }

  override async apiCall(method: string, options?: Record<string, unknown>) {
    const channel = typeof options?.channel === 'string' ? options.channel : undefined;
    for (let n = 0; ; n++) {
      await this.limiter.acquire(this.workspace, method, channel);
      try {
        return await super.apiCall(method, options);
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number };
        if (e.code !== ErrorCode.RateLimitedError) throw error;
        this.limiter.pause(this.workspace, method, (e.retryAfter ?? 1) * 1000, channel);
        if (n >= this.rateLimitRetries) throw error;
      }
    }
  }

  /** The same workspace and limiter with other client options (post.ts's non-retrying twin). */
  twin(options: WebClientOptions): LimitedWebClient {
    return new LimitedWebClient(this.base, this.workspace, this.limiter, options);
  }
}

/**
 * `client` paced for one workspace. All workspaces served through one base client share its
 * limiter; the per-team clients are cached so their buckets and twins live on.
 */
export function forWorkspace(client: WebClient, teamId: string, limiter?: SlackLimiter): LimitedWebClient {
  if (client instanceof LimitedWebClient)
    return client.workspace === teamId ? client : forWorkspace(client.base, teamId);
  let shared = limiters.get(client);
  if (!shared) {
    shared = limiter ?? new SlackLimiter();
    limiters.set(client, shared);
  }
  let teams = perTeam.get(client);
  if (!teams) {
    teams = new Map();
    perTeam.set(client, teams);
  }
  let limited = teams.get(teamId);
  if (!limited) {
    const retryConfig = (client as unknown as { retryConfig?: RetryOptions }).retryConfig;
    limited = new LimitedWebClient(client, teamId, shared, { retryConfig, rejectRateLimitedCalls: false });
    teams.set(teamId, limited);
  }
  return limited;
}
