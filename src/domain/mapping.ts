// Campaign mapping rules: a campaign-name prefix or a /regex/ files vendor spend and leads
// under a category. The first matching rule (by position) wins.
import { InvalidError } from './errors.js';

export interface MappingRule {
  position: number;
  kind: 'prefix' | 'regex';
  pattern: string;
  category: string;
}

export class MappingError extends InvalidError {}

/** `Brand ` is a prefix; `/^(brand|bn)[-_ ]/` is a regular expression (case-insensitive). */
export function parsePattern(text: string): Pick<MappingRule, 'kind' | 'pattern'> {
  const t = text.trim();
  if (t === '') throw new MappingError('the pattern is empty');
  if (t.length > 200) throw new MappingError('the pattern is longer than 200 characters');
  const re = /^\/(.+)\/$/.exec(t);
  if (!re) return { kind: 'prefix', pattern: t };
  try {
    new RegExp(re[1] as string, 'i');
  } catch (e) {
    throw new MappingError(`/${re[1]}/ is not a valid regular expression: ${(e as Error).message}`);
  }
  return { kind: 'regex', pattern: re[1] as string };
}

export function compileRules(rules: MappingRule[]): (campaign: string) => string | undefined {
  const compiled = [...rules]
    .sort((a, b) => a.position - b.position)
    .map((r) => ({
      category: r.category,
      test:
        r.kind === 'regex'
          ? (
              (re: RegExp) => (c: string) =>
                re.test(c)
            )(new RegExp(r.pattern, 'i'))
          : (
              (p: string) => (c: string) =>
                c.toLowerCase().startsWith(p)
            )(r.pattern.toLowerCase()),
    }));
  return (campaign) => {
    if (!campaign) return undefined;
    for (const rule of compiled) if (rule.test(campaign)) return rule.category;
    return undefined;
  };
}

export function describeRule(rule: Pick<MappingRule, 'kind' | 'pattern'>): string {
  return rule.kind === 'regex' ? `match /${rule.pattern}/` : `start with "${rule.pattern}"`;
}
