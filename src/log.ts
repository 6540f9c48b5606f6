// One logger for Mo and Bolt, at LOG_LEVEL. Tokens are never logged: nothing here prints
// headers or configuration.
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
