// Splitting and reading /mo arguments the way people type them in Slack.
import { z } from 'zod';
import { isIsoDate } from '../src/domain/calendar.js';

/** A subcommand without arguments. */
export const noArgs = (why = 'takes no arguments') => z.array(z.string()).max(0, why);

/** Splits on spaces, keeping "quoted phrases" (straight or Slack's curly quotes) together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(re)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  return tokens.filter((t) => t !== '');
}

export const PERIOD_SYNTAX = /^(fy\d{4}(-?q[1-4])?|\d{4}-\d{2}|(this|last)-(quarter|month|year))$/i;

export const looksLikePeriod = (token: string) => PERIOD_SYNTAX.test(token);

export const looksLikeDate = (token: string) => isIsoDate(token);

/** Removes `--flag` and `--name value` options, returning them apart from the words. */
export function takeFlags(tokens: string[], withValue: string[] = []) {
  const flags = new Map<string, string | true>();
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t.startsWith('--')) {
      const name = t.slice(2);
      if (withValue.includes(name)) flags.set(name, tokens[++i] ?? '');
      else flags.set(name, true);
    } else {
      words.push(t);
    }
  }
  return { flags, words };
}
