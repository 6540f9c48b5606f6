// /mo map add PATTERN CATEGORY and /mo map list: campaign rules that file imported spend and
// leads under a category. The first matching rule wins.

import { z } from 'zod';
import { normalizeCategory } from '../src/domain/category.js';
import { describeRule, type MappingError, parsePattern } from '../src/domain/mapping.js';
import { textMessage } from '../src/slack/blocks/common.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { noArgs } from './args.js';
import { defineSubcommand, message, requireAdmin, UsageError } from './types.js';

/** `PATTERN CATEGORY`: the pattern is one word, "a quoted phrase" or a /regex/. */
export const mapAddArgs = z
  .array(z.string())
  .min(2, 'give a campaign pattern and a category')
  .transform(([pattern, ...category]) => ({ pattern: pattern as string, category: category.join(' ') }));

export const mapAdd = defineSubcommand({
  name: 'map add',
  usage: '/mo map add PATTERN CATEGORY',
  summary: 'file campaigns starting with PATTERN (or matching /regex/) under CATEGORY on import (admins)',
  schema: mapAddArgs,
  async run(args, req, env) {
    await requireAdmin(env, req, 'change mapping rules');
    let rule: ReturnType<typeof parsePattern>;
    try {
      rule = parsePattern(args.pattern);
    } catch (e) {
      throw new UsageError((e as MappingError).message);
    }
    const category = normalizeCategory(args.category);
    const row = await env.mo.mapping.add({ ...rule, category }, req.userId);
    return message(
      textMessage(
        `:white_check_mark: Rule ${row.position}: campaigns that ${escapeMrkdwn(describeRule(rule))} go to *${escapeMrkdwn(category)}*. ` +
          'It applies to the next imports; `mo import … --dry-run` shows where rows would land.',
      ),
    );
  },
});

export const mapList = defineSubcommand({
  name: 'map list',
  usage: '/mo map list',
  summary: 'the campaign mapping rules, in the order they are tried',
  schema: noArgs(),
  async run(_args, _req, env) {
    const rules = await env.mo.mapping.list();
    if (!rules.length) {
      return message(
        textMessage(
          'No mapping rules yet: vendor spend lands in Paid Media/Search (Google Ads) or Paid Media/Social (LinkedIn, Meta). Add one with `/mo map add PATTERN CATEGORY`.',
        ),
      );
    }
    const lines = rules
      .slice(0, 50)
      .map(
        (r) =>
          `${r.position}. campaigns that ${escapeMrkdwn(describeRule(r))} → *${escapeMrkdwn(r.category)}*`,
      );
    const more = rules.length > 50 ? `\n…and ${rules.length - 50} more` : '';
    return message(textMessage(`*Campaign mapping rules* (first match wins)\n${lines.join('\n')}${more}`));
  },
});
