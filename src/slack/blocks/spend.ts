// Replies of /mo spend: a booked entry, the list of entries, corrections, and the open
// commitments. Pure: data in, blocks out; every user-supplied string escaped.
import type { SpendEntryView } from '../../db/spend.js';
import type { CommitmentView } from '../../domain/commitments.js';
import { formatMoney } from '../../domain/money.js';
import { describeAmount } from '../../domain/spend.js';
import { escapeMrkdwn, truncate, userMention } from '../mrkdwn.js';
import { type Block, context, header, LIMITS, type Message, section, textMessage } from './common.js';

const shortId = (id: string) => id.slice(-8);

/** "a refund of $120" / "$1,200 committed" and where: one line about an entry. */
function entryLine(e: SpendEntryView, currency: string): string {
  const what =
    e.status === 'committed'
      ? `${describeAmount(e.amountMinor, currency)} committed`
      : describeAmount(e.amountMinor, currency);
  const campaign = e.campaign ? ` (${escapeMrkdwn(truncate(e.campaign, 60))})` : '';
  const po = e.commitmentId
    ? ` · ${e.status === 'committed' ? 'opens' : 'invoices'} ${escapeMrkdwn(e.commitmentId)}`
    : '';
  return `${what} in *${escapeMrkdwn(e.category)}*${campaign} on ${e.date}${po}`;
}

function commitmentLine(c: CommitmentView, currency: string): string {
  const open = formatMoney(c.open, currency);
  if (c.status === 'over-invoiced')
    return `${escapeMrkdwn(c.commitmentId)} is invoiced ${formatMoney(c.invoiced, currency)} against ${formatMoney(c.committed, currency)}: :warning: over-invoiced by ${formatMoney(c.invoiced - c.committed, currency)}`;
  if (c.status === 'closed')
    return `${escapeMrkdwn(c.commitmentId)} is closed: nothing of it counts as committed`;
  if (c.status === 'invoices only')
    return `no committed row opens ${escapeMrkdwn(c.commitmentId)} yet: its invoices (${formatMoney(c.invoiced, currency)}) count as actual`;
  return `${escapeMrkdwn(c.commitmentId)}: ${formatMoney(c.committed, currency)} committed, ${formatMoney(c.invoiced, currency)} invoiced, ${open} open`;
}

export function spendRecordedMessage(
  recorded: { entry: SpendEntryView; newCategory: boolean; commitment: CommitmentView | null },
  currency: string,
): Message {
  const { entry } = recorded;
  const verb = entry.amountMinor < 0n ? 'Recorded' : `Recorded ${entry.status} spend of`;
  const lines = [
    `:white_check_mark: ${verb} ${entryLine(entry, currency).replace(/ committed in/, ' in')}.` +
      (recorded.newCategory ? ` _${escapeMrkdwn(entry.category)} is a new category._` : ''),
  ];
  if (recorded.commitment) lines.push(commitmentLine(recorded.commitment, currency));
  lines.push(
    `Entry ${shortId(entry.id)}: \`/mo spend undo\` within 15 minutes, or \`/mo spend edit ${shortId(entry.id)}\`.`,
  );
  return textMessage(lines.join('\n'));
}

const SOURCE_LABEL: Record<string, string> = { manual: 'Slack', cli: 'CLI', api: 'API', demo: 'demo' };

export function spendListMessage(
  list: {
    entries: SpendEntryView[];
    page: number;
    hasMore: boolean;
    period: { key: string } | null;
    category: string | null;
  },
  currency: string,
): Message {
  const scope = [list.period?.key, list.category].filter(Boolean).join(' · ');
  const title = `Spend entries${scope ? ` · ${scope}` : ''}${list.page > 1 ? ` · page ${list.page}` : ''}`;
  if (list.entries.length === 0)
    return textMessage(`${escapeMrkdwn(title)}: none${list.page > 1 ? ' on this page' : ''}.`);
  const blocks: Block[] = [header(title)];
  const lines = list.entries.map((e) => {
    const who =
      e.enteredBy && /^[UW][A-Z0-9]+$/.test(e.enteredBy)
        ? userMention(e.enteredBy)
        : escapeMrkdwn(e.enteredBy || '—');
    const source = SOURCE_LABEL[e.source] ?? 'file';
    return `\`${shortId(e.id)}\` ${e.date} · ${entryLine(e, currency).replace(/ on \d{4}-\d{2}-\d{2}/, '')} · ${source} · ${who}`;
  });
  // Sections of a few lines each keep every one under Slack's 3,000 characters.
  for (let i = 0; i < lines.length; i += 5) blocks.push(section(lines.slice(i, i + 5).join('\n')));
  const next = list.hasMore
    ? `More: \`/mo spend list ${[list.period?.key, list.category].filter(Boolean).join(' ')} --page ${list.page + 1}\`.`.replace(
        '  ',
        ' ',
      )
    : 'That is all.';
  blocks.push(
    context(
      `Newest first. ${escapeMrkdwn(next)} Correct one with \`/mo spend edit ID\` or \`/mo spend delete ID\`.`,
    ),
  );
  return {
    text: `${title}: ${list.entries.length} entries${list.hasMore ? ' (more on the next page)' : ''}`,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

export function spendChangedMessage(
  change: {
    before: SpendEntryView;
    after?: SpendEntryView;
    action: 'edit' | 'delete' | 'undo';
    note?: string;
  },
  currency: string,
): Message {
  const { before, after } = change;
  if (change.action === 'edit' && after)
    return textMessage(
      `:pencil2: Entry ${shortId(before.id)} corrected: ${entryLine(before, currency)} → ${entryLine(after, currency)}. Every figure follows; the change is in the audit trail.`,
    );
  const verb = change.action === 'undo' ? 'Undone' : 'Deleted';
  return textMessage(
    `:wastebasket: ${verb}: ${entryLine(before, currency)} (entry ${shortId(before.id)}). Every figure follows; the change is in the audit trail.` +
      (change.note ? `\n${escapeMrkdwn(change.note)}` : ''),
  );
}

export function commitmentClosedMessage(c: CommitmentView, already: boolean, currency: string): Message {
  if (already) return textMessage(`${escapeMrkdwn(c.commitmentId)} was already closed.`);
  return textMessage(
    `:lock: Closed ${escapeMrkdwn(c.commitmentId)}: ${formatMoney(c.open, currency)} no longer counts as committed` +
      ` (${formatMoney(c.committed, currency)} committed, ${formatMoney(c.invoiced, currency)} invoiced).`,
  );
}

const MAX_COMMITMENTS_SHOWN = 40;

export function commitmentsMessage(
  data: {
    period: { key: string } | null;
    category: string | null;
    lines: (CommitmentView & { ageDays: number })[];
    totals: { committed: bigint; invoiced: bigint; open: bigint };
  },
  currency: string,
): Message {
  const scope = [data.period?.key, data.category].filter(Boolean).join(' · ');
  const title = `Open commitments${scope ? ` · ${scope}` : ''}`;
  if (data.lines.length === 0)
    return textMessage(`${escapeMrkdwn(title)}: none. Everything committed is invoiced or closed.`);
  const shown = data.lines.slice(0, MAX_COMMITMENTS_SHOWN);
  const rows = shown.map((c) => {
    const flag = c.overInvoiced
      ? ` · :warning: over-invoiced by ${formatMoney(c.invoiced - c.committed, currency)}`
      : '';
    const age = c.ageDays < 0 ? `due in ${-c.ageDays} d` : `${c.ageDays} d old`;
    return (
      `*${escapeMrkdwn(c.commitmentId)}* · ${escapeMrkdwn(c.category ?? '')} · ${c.date} (${age}): ` +
      `${formatMoney(c.committed, currency)} committed, ${formatMoney(c.invoiced, currency)} invoiced, *${formatMoney(c.open, currency)} open*${flag}`
    );
  });
  const blocks: Block[] = [header(title)];
  for (let i = 0; i < rows.length; i += 8) blocks.push(section(rows.slice(i, i + 8).join('\n')));
  const more = data.lines.length - shown.length;
  blocks.push(
    context(
      `Total: ${formatMoney(data.totals.committed, currency)} committed, ${formatMoney(data.totals.invoiced, currency)} invoiced, ` +
        `${formatMoney(data.totals.open, currency)} open.` +
        (more > 0 ? ` …and ${more} more (\`mo export commitments\` has them all).` : '') +
        ' Close one with `/mo spend close ID`.',
    ),
  );
  return {
    text: `${title}: ${data.lines.length}, ${formatMoney(data.totals.open, currency)} open`,
    blocks,
  };
}
