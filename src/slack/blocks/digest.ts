// The weekly digest as a Slack message (pure: figures in, blocks out). A table in a code
// block reads like a report at any width; movers and lines to watch follow; an empty
// workspace gets what to do next instead of a wall of zeros.
import type { BudgetRow } from '../../domain/budget.js';
import type { IsoDate } from '../../domain/calendar.js';
import type { DigestData, MetricLine, Mover } from '../../domain/digest.js';
import { formatMoney } from '../../domain/money.js';
import { escapeCode, escapeMrkdwn, truncate } from '../mrkdwn.js';
import { STATUS_EMOJI } from './budget.js';
import { type Block, codeSections, context, divider, header, type Message, section } from './common.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const day = (d: IsoDate) => `${MONTHS[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}`;
const range = (start: IsoDate, end: IsoDate) =>
  start.slice(5, 7) === end.slice(5, 7)
    ? `${day(start)}–${Number(end.slice(8, 10))}`
    : `${day(start)} – ${day(end)}`;

/** At most this many movers and flagged lines each; the rest are counted. */
export const MAX_LISTED = 8;

function value(line: Pick<MetricLine, 'kind'>, v: number | bigint | null, currency: string): string {
  if (v === null) return '–';
  switch (line.kind) {
    case 'money':
      return formatMoney(BigInt(v), currency);
    case 'count':
      return Number(v).toLocaleString('en-US');
    case 'percent':
      return `${Number(v).toFixed(1)} %`;
    case 'ratio':
      return `${Number(v).toFixed(2)}×`;
  }
}

const signed = (pct: number | null) => (pct === null ? '' : `${pct > 0 ? '+' : ''}${pct} %`);

/** A rate's change reads in points (23.3 % → 26.3 % is +3.0 pts), others in percent. */
function change(l: MetricLine): string {
  if (l.kind !== 'percent') return signed(l.changePct);
  if (l.week === null || l.lastWeek === null) return '';
  const pts = Number(l.week) - Number(l.lastWeek);
  return `${pts > 0 ? '+' : ''}${pts.toFixed(1)} pts`;
}

function table(lines: MetricLine[], currency: string): string[] {
  const head = ['', 'Week', 'Last week', 'Δ', 'Target', 'QTD', 'Q target'];
  const rows = lines.map((l) => [
    l.label,
    value(l, l.week, currency),
    value(l, l.lastWeek, currency),
    change(l),
    l.weekTarget === null ? '' : value(l, l.weekTarget, currency),
    value(l, l.qtd, currency),
    l.quarterTarget === null ? '' : value(l, l.quarterTarget, currency),
  ]);
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map(escapeCode);
}

function moverText(m: Mover, currency: string): string {
  const change = m.changePct === null ? 'new' : `${m.changePct > 0 ? '▲' : '▼'} ${Math.abs(m.changePct)} %`;
  return `*${escapeMrkdwn(truncate(m.category, 60))}* ${change} (${formatMoney(m.lastWeek, currency)} → ${formatMoney(m.week, currency)})`;
}

function flaggedText(r: BudgetRow, currency: string, alerted: string[] = []): string {
  const pct = r.variancePct === null ? '' : ` ${r.variancePct > 0 ? '+' : ''}${Math.round(r.variancePct)} %`;
  const alert = alerted.includes(r.category) ? ' · alert open' : '';
  return `${STATUS_EMOJI[r.status]} *${escapeMrkdwn(truncate(r.category, 60))}* ${r.statusLabel}${pct}: forecast ${formatMoney(r.forecast, currency)} of ${formatMoney(r.planned, currency)} planned${alert}`;
}

function listed<T>(items: T[], show: (t: T) => string, more: string): string {
  const lines = items.slice(0, MAX_LISTED).map((t) => `• ${show(t)}`);
  if (items.length > MAX_LISTED) lines.push(`…and ${items.length - MAX_LISTED} more ${more}`);
  return lines.join('\n');
}

export interface DigestMessageOptions {
  /** Titles of the charts that go with the message. */
  charts: string[];
  missingCharts: string[];
  /** Where the charts go: the digest's thread (default), the asker's DM (preview), or nowhere here (text preview). */
  chartsGo?: 'thread' | 'dm' | 'none';
}

export function digestMessage(data: DigestData, options: DigestMessageOptions): Message {
  const { currency, windows } = data;
  const { week, quarter } = windows;
  const title = `Weekly marketing digest · week of ${day(week.start)}`;
  const blocks: Block[] = [header(title)];
  const when = `${range(week.start, week.end)}, ${week.end.slice(0, 4)} · ${quarter.key} to date · amounts in ${currency}`;

  if (!data.hasData) {
    blocks.push(
      context(when),
      section(
        '*No data yet* — nothing to report for this week. To get a digest with substance:\n' +
          '• Spend: share a CSV or a Google Ads, LinkedIn or Meta export with Mo, or run `mo import spend FILE --team T`\n' +
          '• Plan: `/mo budget set CATEGORY AMOUNT [PERIOD]` for each budget line\n' +
          '• Funnel: import leads and opportunities (HubSpot or Salesforce reports work as they are)\n' +
          '• Targets: `/mo target set leads 500 this-quarter`',
      ),
    );
    return { text: `${title}: no data yet — import spend, set a plan and targets to fill it.`, blocks };
  }

  const { budget, pace } = data;
  const total = budget.total;
  const spendLine =
    total.planned > 0n
      ? `*${quarter.key} budget as of ${day(data.today)}:* ${formatMoney(total.actual, currency)} actual + ${formatMoney(total.committed, currency)} committed of ` +
        `${formatMoney(total.planned, currency)} planned (${pace.bookedPct} % booked, ${pace.elapsedPct} % of the quarter gone) · ` +
        `forecast ${formatMoney(total.forecast, currency)} ${STATUS_EMOJI[total.status]} ${total.statusLabel}`
      : `*${quarter.key} spend as of ${day(data.today)}:* ${formatMoney(total.actual, currency)} actual + ${formatMoney(total.committed, currency)} committed · no plan yet (\`/mo budget set\`)`;
  blocks.push(context(when), section(spendLine), ...codeSections(table(data.lines, currency)));
  const targetsSet = data.lines.some((l) => l.quarterTarget !== null);
  blocks.push(
    context(
      targetsSet
        ? `Targets are ${quarter.key}'s; the week's is the quarter's × 7 ÷ ${budget.periodDays} days.`
        : `No ${quarter.key} targets set: \`/mo target set leads|mqls|sqls|pipeline|won AMOUNT ${quarter.key}\`.`,
    ),
  );

  blocks.push(divider());
  blocks.push(
    section(
      data.movers.length
        ? `*Moved 15 % or more week over week*\n${listed(data.movers, (m) => moverText(m, currency), 'categories')}`
        : '*Moved 15 % or more week over week:* no category.',
    ),
  );
  blocks.push(
    section(
      data.flagged.length
        ? `*Budget lines to watch in ${quarter.key}*\n${listed(data.flagged, (r) => flaggedText(r, currency, data.alerted), 'lines')}`
        : `*Budget lines to watch in ${quarter.key}:* none; every line is on plan or under.`,
    ),
  );

  const notes: string[] = [];
  if (options.charts.length) {
    const n = options.charts.length === 1 ? 'the chart' : `${options.charts.length} charts`;
    const where = {
      thread: 'in the thread',
      dm: 'sent to you in a DM with Mo',
      none: 'with the posted digest',
    };
    notes.push(`:bar_chart: ${n} ${where[options.chartsGo ?? 'thread']}`);
  }
  if (options.missingCharts.length)
    notes.push(`:warning: chart missing: ${options.missingCharts.map((c) => escapeMrkdwn(c)).join(', ')}`);
  if (notes.length) blocks.push(context(notes.join(' · ')));

  const spend = data.lines.find((l) => l.id === 'spend');
  const leads = data.lines.find((l) => l.id === 'leads');
  const pipeline = data.lines.find((l) => l.id === 'pipeline');
  const text =
    `${title}: spend ${value({ kind: 'money' }, spend?.week ?? null, currency)}, ` +
    `leads ${value({ kind: 'count' }, leads?.week ?? null, currency)}, ` +
    `pipeline ${value({ kind: 'money' }, pipeline?.week ?? null, currency)}; ` +
    `${quarter.key} forecast ${formatMoney(total.forecast, currency)} (${total.statusLabel}).`;
  return { text, blocks };
}
