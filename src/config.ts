// The one reader of process.env. Parses it with zod and fails fast with a message that
// names the missing or bad variable.
import { z } from 'zod';
import { InvalidError } from './domain/errors.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const schema = z.object({
  SLACK_SIGNING_SECRET: z.string().min(1, 'is required (Basic Information → Signing Secret)').optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb- (OAuth & Permissions)')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)')
    .optional(),
  // OAuth distribution (many workspaces): all three together; see requireSlack.
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(16, 'must be at least 16 characters (any random string)').optional(),
  // Keys for the tokens stored at rest: `ID:KEY,...` (newest first) or one bare KEY; a KEY is
  // 32 bytes in base64 or 64 hex digits.
  MO_ENCRYPTION_KEY: z.string().min(1).optional(),
  SLACK_API_URL: z
    .url({ message: 'must be a URL such as https://slack.com/api/' })
    .default('https://slack.com/api/'),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default('file:./data/mo.db'),
  MO_NOW: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 instant such as 2026-11-16T09:00:00Z' })
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MO_SCHEDULER: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  MO_METRICS: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
  MO_CHART_THREADS: z.coerce
    .number({ message: 'must be a whole number (0 draws charts on the main thread)' })
    .int()
    .min(0)
    .max(64)
    .optional(),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).optional(),
  MO_JOB_CONCURRENCY: z.coerce.number({ message: 'must be a whole number' }).int().min(1).max(64).default(4),
  TEST_DATABASE_URL: z.string().optional(),
  MO_REFRESH_SCREENSHOTS: z.string().optional(),
  CI: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  slack: {
    signingSecret: string | undefined;
    botToken: string | undefined;
    /** Present: Socket Mode. Absent: HTTP on `port`, Bolt's POST /slack/events. */
    appToken: string | undefined;
    apiUrl: string;
    /** OAuth distribution: present together, else single-workspace mode. */
    clientId: string | undefined;
    clientSecret: string | undefined;
    stateSecret: string | undefined;
  };
  /** MO_ENCRYPTION_KEY as given (parsed by src/secrets.ts). */
  encryptionKey: string | undefined;
  port: number;
  databaseUrl: string;
  /** Pins Mo's clock (demos, tests). */
  now: Date | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Runs the weekly digest and other jobs in this process (`mo serve`). */
  scheduler: boolean;
  /** Serves GET /metrics in the Prometheus text format. */
  metrics: boolean;
  /** Worker threads drawing charts; unset: the machine's cores less one. */
  chartThreads: number | undefined;
  /** JSON lines, or human-readable; unset: human-readable on a terminal. */
  logFormat: 'json' | 'pretty' | undefined;
  /** Job runs (digests, alerts) one process makes at once; other processes take the rest. */
  jobConcurrency: number;
  testDatabaseUrl: string | undefined;
  /**
   * The browser test (test/e2e) writes its screenshots over docs/screenshots/ (the README's)
   * instead of out/screenshots/: MO_REFRESH_SCREENSHOTS=1, when the pictures should change.
   */
  refreshScreenshots: boolean;
  /** Running in CI: progress as plain lines, never a redrawn bar. */
  ci: boolean;
}

/** The operator's configuration is wrong: the CLI says what, with exit code 2. */
export class ConfigError extends InvalidError {}

function fail(error: z.ZodError): never {
  const lines = error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Mo's configuration is invalid:\n${lines.join('\n')}\nSee .env.example.`);
}

/** Reads the configuration; `env` defaults to the process environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Blank values (`SLACK_APP_TOKEN=` in a .env) mean unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) fail(parsed.error);
  const e = parsed.data;
  return {
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
    },
    encryptionKey: e.MO_ENCRYPTION_KEY,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    now: e.MO_NOW ? new Date(e.MO_NOW) : undefined,
    logLevel: e.LOG_LEVEL,
    scheduler: e.MO_SCHEDULER === 'on',
    metrics: e.MO_METRICS === 'on',
    chartThreads: e.MO_CHART_THREADS,
    logFormat: e.LOG_FORMAT,
    jobConcurrency: e.MO_JOB_CONCURRENCY,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    refreshScreenshots: Boolean(
      e.MO_REFRESH_SCREENSHOTS && e.MO_REFRESH_SCREENSHOTS !== 'false' && e.MO_REFRESH_SCREENSHOTS !== '0',
    ),
    ci: Boolean(e.CI && e.CI !== 'false' && e.CI !== '0'),
  };
}

/** How Mo is installed: one workspace by a bot token, or any number by OAuth. */
export type SlackMode =
  | { kind: 'single'; botToken: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; encryptionKey: string };

export interface SlackServing {
  signingSecret: string;
  appToken: string | undefined;
  apiUrl: string;
  mode: SlackMode;
}

/**
 * What serving Slack needs on top of the database: checked only by `mo serve`. With
 * SLACK_CLIENT_ID Mo is distributed by OAuth and stores each workspace's token, so it
 * refuses to start without MO_ENCRYPTION_KEY; otherwise SLACK_BOT_TOKEN serves one workspace
 * and its token stays in the environment (never stored).
 */
export function requireSlack(config: Config): SlackServing {
  const missing: string[] = [];
  const s = config.slack;
  const oauth = Boolean(s.clientId || s.clientSecret || s.stateSecret);
  if (oauth) {
    if (!s.clientId)
      missing.push('  SLACK_CLIENT_ID: is required for OAuth installs (Basic Information → App Credentials)');
    if (!s.clientSecret)
      missing.push(
        '  SLACK_CLIENT_SECRET: is required for OAuth installs (Basic Information → App Credentials)',
      );
    if (!s.stateSecret)
      missing.push(
        '  SLACK_STATE_SECRET: is required for OAuth installs (any random string of 16+ characters)',
      );
    if (!config.encryptionKey)
      missing.push(
        "  MO_ENCRYPTION_KEY: is required for OAuth installs: Mo stores each workspace's token encrypted with it (generate one with `openssl rand -base64 32`)",
      );
  } else if (!s.botToken)
    missing.push(
      '  SLACK_BOT_TOKEN: is required to serve Slack (OAuth & Permissions → Bot User OAuth Token), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install by OAuth',
    );
  if (!s.signingSecret)
    missing.push('  SLACK_SIGNING_SECRET: is required to serve Slack (Basic Information → Signing Secret)');
  if (missing.length) {
    throw new ConfigError(
      `Mo's configuration is invalid:\n${missing.join('\n')}\nSee .env.example, or try Mo without Slack: npm run mo -- demo`,
    );
  }
  const mode: SlackMode = oauth
    ? {
        kind: 'oauth',
        clientId: s.clientId as string,
        clientSecret: s.clientSecret as string,
        stateSecret: s.stateSecret as string,
        encryptionKey: config.encryptionKey as string,
      }
    : { kind: 'single', botToken: s.botToken as string };
  return { signingSecret: s.signingSecret as string, appToken: s.appToken, apiUrl: s.apiUrl, mode };
}

/**
 * The values no log line may show verbatim (the logger scrubs them): the bot token, signing
 * secret, app token, OAuth client and state secrets, and each encryption key with its id list.
 */
export function servingSecrets(slack: SlackServing, encryptionKey: string | undefined): string[] {
  const { mode } = slack;
  return [
    slack.signingSecret,
    slack.appToken,
    ...(mode.kind === 'single' ? [mode.botToken] : [mode.clientSecret, mode.stateSecret]),
    ...(encryptionKey ?? '').split(/[,:]/),
  ].filter((s): s is string => Boolean(s));
}

/**
 * resvg allocates through mimalloc (linked into its Node addon), which by default returns
 * freed memory to the OS 10 ms after it is freed: each chart's ~4 MB pixmap then comes back
 * as fresh pages the kernel must fault in and zero, over half of a chart's CPU on a busy
 * machine. Kept for 1 s, the pages are reused chart after chart through a burst and still
 * handed back when Mo is idle. mimalloc reads its options from the environment once, when
 * the addon loads (src/charts/allocator.ts calls this before resvg). An operator's own
 * setting wins.
 */
export function keepChartPagesWarm(): void {
  process.env.MIMALLOC_PURGE_DELAY ??= '1000';
}
