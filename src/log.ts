// One logger for Mo and Bolt, at LOG_LEVEL: pino writing one JSON line per event (pretty in
// `mo shell` and on a terminal), behind the @slack/logger interface so Bolt and the Web API
// client log through it too. Every line carries the correlation id of the request or job
// run that caused it (AsyncLocalStorage). No line carries a token, a secret or an email:
// known fields are redacted, and messages and errors are scrubbed of token patterns, the
// process's own secrets and email addresses before they are written.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { format } from 'node:util';
import { type Logger, LogLevel } from '@slack/logger';
import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** What every line caused by one request or job run carries. */
export interface Correlation {
  correlationId: string;
  /** command, action, view, event, api, job */
  surface?: string;
  teamId?: string;
  job?: string;
}

const correlation = new AsyncLocalStorage<Correlation>();

/** Runs `work` with a fresh correlation id (or the given one) in every line it logs. */
export function withCorrelation<T>(
  fields: Omit<Correlation, 'correlationId'> & { correlationId?: string },
  work: () => T,
): T {
  return correlation.run({ ...fields, correlationId: fields.correlationId ?? randomUUID() }, work);
}

export function currentCorrelation(): Correlation | undefined {
  return correlation.getStore();
}

// Slack tokens (bot, user, app-level, config), Mo's API tokens, and email addresses.
const PATTERNS: [RegExp, string][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox*-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/\bmo_[A-Za-z0-9_-]{40,}/g, 'mo_[redacted]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
];

/** Field names whose values never reach a line, wherever they are nested (two levels). */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'authorization',
  'email',
  'password',
  'headers',
];
const REDACT = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export function scrubber(secrets: readonly (string | undefined)[]) {
  // The process's own secrets (a signing secret has no recognisable shape) are replaced
  // verbatim; short values would blank ordinary words, so only real-length ones count.
  const own = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  return (text: string): string => {
    let out = text;
    for (const s of own) if (out.includes(s)) out = out.split(s).join('[secret]');
    for (const [pattern, mask] of PATTERNS) out = out.replace(pattern, mask);
    return out;
  };
}

const LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export interface LoggerOptions {
  /** Human-readable lines instead of JSON (default: when the destination is a terminal). */
  pretty?: boolean;
  /** Values scrubbed from every line: the bot token, signing secret, app token. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go: stdout (default, `mo serve`), stderr (CLI verbs), or a stream (tests). */
  destination?: 'stdout' | 'stderr' | DestinationStream;
  name?: string;
}

interface ErrorView {
  type: string;
  message: string;
  code?: string;
  slackError?: string;
  stack?: string;
}

/** What an error tells: its kind, message, Slack error code and stack, scrubbed; never its request or response. */
function describeError(error: Error, scrub: (s: string) => string): ErrorView {
  const e = error as Error & { code?: unknown; data?: { error?: unknown } };
  return {
    type: e.name,
    message: scrub(e.message),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.data?.error === 'string' ? { slackError: e.data.error } : {}),
    ...(e.stack ? { stack: scrub(e.stack) } : {}),
  };
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const fd = options.destination === 'stderr' ? 2 : 1;
  const target = typeof options.destination === 'object' ? options.destination : undefined;
  const human =
    options.pretty ?? (!target && Boolean(fd === 2 ? process.stderr.isTTY : process.stdout.isTTY));
  // Synchronous writes: a line logged just before process.exit is not lost.
  const stream: DestinationStream = human
    ? pretty({
        destination: target ?? fd,
        sync: true,
        colorize: !target && Boolean(process.stdout.isTTY),
        ignore: 'pid,hostname',
        translateTime: 'SYS:HH:MM:ss.l',
      })
    : (target ?? pino.destination({ fd, sync: true }));
  const base = pino(
    {
      name: options.name ?? 'mo',
      level: level in LEVELS ? level : 'info',
      base: { pid: process.pid },
      redact: { paths: REDACT, censor: '[redacted]' },
      mixin: () => ({ ...correlation.getStore() }),
    },
    stream,
  );
  const write = (method: 'debug' | 'info' | 'warn' | 'error', args: unknown[]) => {
    if (!base.isLevelEnabled(method)) return;
    const error = args.find((a): a is Error => a instanceof Error);
    const rest = args.filter((a) => a !== error);
    const message = scrub(rest.map((a) => (typeof a === 'string' ? a : format('%o', a))).join(' '));
    if (error) base[method]({ error: describeError(error, scrub) }, message || scrub(error.message));
    else base[method](message);
  };
  const current: LogLevel = LEVELS[level] ?? LogLevel.INFO;
  return {
    debug: (...args: unknown[]) => write('debug', args),
    info: (...args: unknown[]) => write('info', args),
    warn: (...args: unknown[]) => write('warn', args),
    error: (...args: unknown[]) => write('error', args),
    // LOG_LEVEL is the one setting: Bolt's receivers and clients set their own defaults on
    // the logger they are given, which would override it.
    setLevel() {},
    getLevel: () => current,
    // Bolt and the Web API client name their loggers; one name for all of Mo's lines.
    setName() {},
  };
}

/**
 * A bug (anything but a user error): logged with a short reference that the apology shown
 * to the person also carries, so a report can be matched to its log line (whose
 * correlationId then tells the rest of that request's story).
 */
export function logBug(logger: Pick<Logger, 'error'>, what: string, error: unknown): string {
  const ref = randomBytes(4).toString('hex');
  logger.error(`${what} [ref ${ref}]`, error);
  return ref;
}

/** The short apology for a bug, with its reference. */
export function apology(ref: string): string {
  return `Something went wrong on Mo’s side (ref ${ref}). Please try again in a moment.`;
}
