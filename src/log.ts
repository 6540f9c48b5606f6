// One logger for Mo and Bolt, at LOG_LEVEL. Tokens are never logged: nothing here prints
// headers or configuration.
import { randomBytes } from 'node:crypto';
import { ConsoleLogger, type Logger, LogLevel } from '@slack/logger';

const LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export function createLogger(level: string, name = 'mo'): Logger {
  const logger = new ConsoleLogger();
  logger.setName(name);
  logger.setLevel(LEVELS[level] ?? LogLevel.INFO);
  return logger;
}

export type { Logger };

/**
 * A bug (anything but a user error): logged with a short correlation id that the apology
 * shown to the person also carries, so a report can be matched to its log line.
 */
export function logBug(logger: Pick<Logger, 'error'>, what: string, error: unknown): string {
  const ref = randomBytes(4).toString('hex');
  logger.error(`${what} [ref ${ref}]`, error);
  return ref;
}

/** The short apology for a bug, with its correlation id. */
export function apology(ref: string): string {
  return `Something went wrong on Mo’s side (ref ${ref}). Please try again in a moment.`;
}
