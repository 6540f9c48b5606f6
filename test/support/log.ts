// A logger that keeps its warn and error lines, so a test can tell an expected outcome
// (warn) from a bug (error).
import { type Logger, LogLevel } from '@slack/logger';

export interface CapturedLine {
  level: 'warn' | 'error';
  text: string;
}

export function captureLogger(): { logger: Logger; lines: CapturedLine[]; bugs(): CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const keep =
    (level: CapturedLine['level']) =>
    (...args: unknown[]) =>
      void lines.push({ level, text: args.map(String).join(' ') });
  return {
    lines,
    bugs: () => lines.filter((l) => l.level === 'error'),
    logger: {
      debug: () => {},
      info: () => {},
      warn: keep('warn'),
      error: keep('error'),
      setLevel: () => {},
      getLevel: () => LogLevel.WARN,
      setName: () => {},
    },
  };
}
