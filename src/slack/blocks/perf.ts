// /mo perf and /mo perf funnel as Block Kit: which channel pays, sorted by pipeline-to-spend,
// each row's status against its targets, marketing's share, and the buttons to chart, drill
// into a category and share. Pure: report in, blocks out.
import type { StaticSelect } from '@slack/types';
import type { PerfGrouping } from '../../db/perf.js';
import type { Period } from '../../domain/calendar.js';
import { categoryRef, isCategoryRef, MAX_CATEGORY_LENGTH } from '../../domain/category.js';
import { formatMoney } from '../../domain/money.js';
import type {
  CohortFunnel,
  DigestChannels,
  MarketingShare,
  PerfRow,
  TargetStatus,
  Trend,
} from '../../domain/perf.js';
import { ACTION } from '../ids.js';
import { escapeCode, escapeMrkdwn, truncate } from '../mrkdwn.js';
import {
  actions,
  type Block,
  button,
  codeSections,
  context,
  header,
  LIMITS,
  type Message,
  plain,
  section,
} from './common.js';
import { isPeriodKey, readValue, StaleButtonError } from './refs.js';

export interface PerfView {
  period: Period;
  by: PerfGrouping;
  category: string | null;
  currency: string;
  rows: PerfRow[];
  total: PerfRow;
  share: MarketingShare;
}

/**
 * What a perf button carries: the view to show (period key, category, grouping). A drill
 * option carries the category by its short key (`categoryRef`): an option value holds 75
 * characters, a category 100.
 */
export interface PerfRef {
  period: string;
  category: string | null;
  by: PerfGrouping;
  /** The category's short key (a drill option's); resolved against the workspace's categories. */
  categoryRef?: string;
}

export const encodePerfRef = (r: PerfRef) =>
  JSON.stringify({ p: r.period, c: r.category, b: r.by === 'campaign' ? 'c' : 'k' });
const encodePerfDrillRef = (period: string, category: string) =>
  JSON.stringify({ p: period, k: categoryRef(category), b: 'c' });

/** A perf button's or drill option's value; a StaleButtonError when it is not one Mo wrote. */
export function decodePerfRef(value: string | undefined): PerfRef {
  const { p, c, b, k } = readValue(value, '/mo perf');
  if (!isPeriodKey(p) || (b !== undefined && b !== 'c' && b !== 'k')) throw new StaleButtonError('/mo perf');
  const by = b === 'c' ? 'campaign' : 'category';
  if (k !== undefined) {
    if (!isCategoryRef(k)) throw new StaleButtonError('/mo perf');
    return { period: p, category: null, by, categoryRef: k };
  }
  if (c !== null && c !== undefined && (typeof c !== 'string' || c.length > MAX_CATEGORY_LENGTH))
    throw new StaleButtonError('/mo perf');
  return { period: p, category: c ?? null, by };
}

export const PERF_STATUS: Record<TargetStatus, { emoji: string; label: string }> = {
  on_target: { emoji: ':large_green_circle:', label: 'on target' },
  below_target: { emoji: ':red_circle:', label: 'below target' },
  no_target: { emoji: ':white_circle:', label: '' },
};

/** `9.52` from ten-thousandths (a ratio), blank for none. */
export const showRatio = (v: bigint | null) => (v === null ? '' : (Number(v) / 10_000).toFixed(2));
/** `66.7 %` from hundredths of a percent, blank for none. */
export const showPct = (v: bigint | null) => (v === null ? '' : `${(Number(v) / 100).toFixed(1)} %`);
export const showMoney = (v: bigint | null, currency: string) => (v === null ? '' : formatMoney(v, currency));

/** The most rows one message lists; the rest are in TOTAL and the export. */
export const MAX_PERF_ROWS = 40;

function table(columns: string[], body: string[][], foot: string[]): string[] {
  const all = [columns, ...body, foot];
  const widths = columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [line(columns), rule, ...body.map(line), rule, line(foot)].map(escapeCode);
}

const rowName = (r: PerfRow, by: PerfGrouping) =>
  truncate(by === 'campaign' ? r.campaign || '(no campaign)' : r.category, 28);

/** Two tables (volume, then efficiency) in the same row order, so each stays narrow. */
export function perfTables(view: PerfView, rows: PerfRow[]): { volume: string[]; efficiency: string[] } {
  const c = view.currency;
  const first = view.by === 'campaign' ? 'Campaign' : 'Category';
  const volume = (r: PerfRow, name: string) => [
    name,
    formatMoney(r.spend, c),
    r.leads.toLocaleString('en-US'),
    r.mqls.toLocaleString('en-US'),
    r.sqls.toLocaleString('en-US'),
    r.opportunities.toLocaleString('en-US'),
    formatMoney(r.pipelineCreated, c),
    formatMoney(r.won, c),
  ];
  const efficiency = (r: PerfRow, name: string) => [
    name,
    showMoney(r.costPerLead, c),
    showMoney(r.costPerMql, c),
    showMoney(r.costPerSql, c),
    showMoney(r.costPerOpportunity, c),
    showRatio(r.pipelineToSpend),
    showRatio(r.wonToSpend),
    showPct(r.leadToMql),
    showPct(r.mqlToSql),
    showPct(r.sqlToOpportunity),
    r.status === 'below_target' ? '✗ below' : r.status === 'on_target' ? '✓' : '',
  ];
  return {
    volume: table(
      [first, 'Spend', 'Leads', 'MQLs', 'SQLs', 'Opps', 'Pipeline', 'Won'],
      rows.map((r) => volume(r, rowName(r, view.by))),
      volume(view.total, 'TOTAL'),
    ),
    efficiency: table(
      [
        first,
        'CPL',
        'Per MQL',
        'Per SQL',
        'Per opp',
        'Pipe:spend',
        'Won:spend',
        'L→MQL',
        'MQL→SQL',
        'SQL→opp',
        'Target',
      ],
      rows.map((r) => efficiency(r, rowName(r, view.by))),
      efficiency(view.total, 'TOTAL'),
    ),
  };
}

/** "marketing-sourced: 62 % of pipeline, 40 % of won" (whole percent), or nothing without pipeline. */
export function shareLine(share: MarketingShare): string | null {
  if (share.pipelineShare === null && share.wonShare === null) return null;
  const whole = (v: bigint | null) => (v === null ? '–' : `${Math.round(Number(v) / 100)} %`);
  return `Marketing-sourced: *${whole(share.pipelineShare)} of pipeline*, ${whole(share.wonShare)} of won`;
}

export interface PerfViewOptions {
  /** Shared publicly: no buttons, and who shared it. */
  sharedBy?: string;
}

export function perfMessage(view: PerfView, options: PerfViewOptions = {}): Message {
  const { period, total, currency } = view;
  const scope = view.category ? ` · ${view.category}` : '';
  const title = `Which channel pays${scope} · ${period.key}`;
  const p2s = total.pipelineToSpend === null ? 'no spend' : `${showRatio(total.pipelineToSpend)}:1`;
  const below = view.rows.filter((r) => r.status === 'below_target');
  const summary =
    `*Spend ${formatMoney(total.spend, currency)}* → pipeline ${formatMoney(total.pipelineCreated, currency)} ` +
    `(*${p2s}*), won ${formatMoney(total.won, currency)} · ${total.leads.toLocaleString('en-US')} leads, ` +
    `CPL ${showMoney(total.costPerLead, currency) || '–'}`;
  const blocks: Block[] = [
    header(title),
    context(
      `${escapeMrkdwn(period.label)} · actual spend; leads, MQLs, SQLs and opportunities counted by the day each is dated · ` +
        `sorted by pipeline-to-spend · amounts in ${currency}` +
        (options.sharedBy ? ` · shared by <@${options.sharedBy}>` : ''),
    ),
    section(summary),
  ];
  const share = shareLine(view.share);
  if (share) blocks.push(context(share));
  if (view.rows.length === 0) {
    blocks.push(
      section(
        `No spend, leads or opportunities${view.category ? ` in *${escapeMrkdwn(view.category)}*` : ''} for ${escapeMrkdwn(period.key)}. ` +
          'Import them with `mo import` or drop a CSV in a channel with Mo.',
      ),
    );
  } else {
    const shown = view.rows.slice(0, MAX_PERF_ROWS);
    const { volume, efficiency } = perfTables(view, shown);
    blocks.push(...codeSections(volume), ...codeSections(efficiency));
    if (view.rows.length > shown.length) {
      blocks.push(
        context(
          `…and ${view.rows.length - shown.length} more (in TOTAL). All rows: \`mo export kpis --by ${view.by}\`.`,
        ),
      );
    }
  }
  if (below.length) {
    blocks.push(
      context(
        `${PERF_STATUS.below_target.emoji} Below target: ` +
          below
            .slice(0, 10)
            .map((r) => escapeMrkdwn(view.by === 'campaign' ? r.campaign || '(no campaign)' : r.category))
            .join(', ') +
          (below.length > 10 ? ` and ${below.length - 10} more` : ''),
      ),
    );
  }
  if (!options.sharedBy) {
    const ref: PerfRef = { period: period.key, category: view.category, by: view.by };
    const elements: (ReturnType<typeof button> | StaticSelect)[] = [
      button('Share to channel', ACTION.perfShare, encodePerfRef(ref), 'primary'),
      button('Chart', ACTION.perfChart, encodePerfRef(ref)),
    ];
    if (view.by === 'category' && view.rows.length) {
      elements.push({
        type: 'static_select',
        action_id: ACTION.perfDrill,
        placeholder: plain('Drill into a category'),
        options: view.rows.slice(0, LIMITS.selectOptions).map((r) => ({
          text: plain(r.category),
          value: encodePerfDrillRef(period.key, r.category),
        })),
      });
    } else if (view.by === 'campaign') {
      elements.push(
        button('All categories', ACTION.perfBack, encodePerfRef({ ...ref, category: null, by: 'category' })),
      );
    }
    blocks.push(actions('perf_actions', elements));
  }
  const fallback =
    `${title}: spend ${formatMoney(total.spend, currency)}, pipeline ${formatMoney(total.pipelineCreated, currency)} (${p2s}), ` +
    `won ${formatMoney(total.won, currency)}, ${total.leads} leads` +
    (below.length ? `; ${below.length} below target` : '');
  return { text: fallback, blocks };
}

export interface FunnelView {
  period: Period;
  previous: Period;
  asOf: string;
  current: CohortFunnel;
  before: CohortFunnel;
}

/** A change in percentage points with its arrow, from hundredths of a percent. */
function pointsChange(now: bigint | null, then: bigint | null): string {
  if (now === null || then === null) return '';
  const d = Number(now - then) / 100;
  if (d === 0) return '→ 0.0 pts';
  return `${d > 0 ? '▲ +' : '▼ '}${d.toFixed(1)} pts`;
}

const days = (d: number | null) => (d === null ? '–' : `${d} d`);

export function funnelMessage(view: FunnelView): Message {
  const { current: c, before: b } = view;
  const title = `Lead funnel · ${view.period.key} vs ${view.previous.key}`;
  const rows = [
    ['Leads created', c.leads.toLocaleString('en-US'), b.leads.toLocaleString('en-US'), ''],
    [
      'Reached MQL',
      `${c.mqls} (${showPct(c.mqlShare) || '–'})`,
      `${b.mqls} (${showPct(b.mqlShare) || '–'})`,
      pointsChange(c.mqlShare, b.mqlShare),
    ],
    [
      'Reached SQL',
      `${c.sqls} (${showPct(c.sqlShare) || '–'})`,
      `${b.sqls} (${showPct(b.sqlShare) || '–'})`,
      pointsChange(c.sqlShare, b.sqlShare),
    ],
    ['Median lead→MQL', days(c.medianDaysToMql), days(b.medianDaysToMql), ''],
    ['Median MQL→SQL', days(c.medianDaysMqlToSql), days(b.medianDaysMqlToSql), ''],
  ];
  const columns = ['', view.period.key, view.previous.key, 'Change'];
  const widths = columns.map((_, i) => Math.max(...[columns, ...rows].map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const blocks: Block[] = [
    header(title),
    context(
      `Of the leads created in each period, how many reached MQL and SQL by ${view.asOf}. ` +
        `${escapeMrkdwn(view.period.label)} against ${escapeMrkdwn(view.previous.label)}; the earlier cohort has had longer to convert.`,
    ),
    ...codeSections([line(columns), ...rows.map(line)].map(escapeCode)),
  ];
  const text =
    `${title}: ${c.leads} leads, ${showPct(c.mqlShare) || '–'} reached MQL, ${showPct(c.sqlShare) || '–'} reached SQL ` +
    `(before: ${showPct(b.mqlShare) || '–'}, ${showPct(b.sqlShare) || '–'})`;
  return { text, blocks };
}

const ARROW: Record<Trend, string> = { up: '▲', down: '▼', flat: '→', new: '·' };

/** The digest's channel section: the week's top categories by spend, then stage conversions and marketing's share. */
export function digestChannelBlocks(perf: DigestChannels, currency: string): Block[] {
  if (!perf.channels.length) return [section('*Channels this week:* no spend or pipeline created.')];
  const head = ['Channel', 'Spend', '', 'Pipeline', '', 'Pipe:spend', '', 'CPL', 'Target'];
  const rows = perf.channels.map((c) => [
    truncate(c.category, 26),
    formatMoney(c.spend, currency),
    ARROW[c.spendTrend],
    formatMoney(c.pipelineCreated, currency),
    ARROW[c.pipelineTrend],
    showRatio(c.pipelineToSpend),
    ARROW[c.pipelineToSpendTrend],
    showMoney(c.costPerLead, currency),
    c.status === 'below_target' ? '✗ below' : c.status === 'on_target' ? '✓' : '',
  ]);
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) =>
        i === 0 || i === r.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join(' ')
      .trimEnd();
  const blocks: Block[] = [
    section('*Channels this week* (top by spend; arrows against last week)'),
    ...codeSections(all.map(line).map(escapeCode)),
  ];
  const notes: string[] = [];
  if (perf.others) notes.push(`…and ${perf.others} more in \`/mo perf\``);
  notes.push(
    `Stage conversions: ${perf.conversions
      .map((s) => {
        const pts =
          s.change === null ? '' : ` (${s.change > 0n ? '+' : ''}${(Number(s.change) / 100).toFixed(1)} pts)`;
        return `${s.label} ${showPct(s.week) || '–'}${pts}`;
      })
      .join(' · ')}`,
  );
  const share = shareLine(perf.share);
  if (share) notes.push(`${share} (${escapeMrkdwn(perf.qtdKey)} to date)`);
  blocks.push(context(notes.join('\n')));
  return blocks;
}
