// /mo budget as Block Kit: a summary, a table per category, and the buttons to share,
// drill into a category and edit the plan. Pure: report in, blocks out.
import type { StaticSelect } from '@slack/types';
import type { BudgetReport, BudgetRow, BudgetStatus } from '../../domain/budget.js';
import { pacing } from '../../domain/budget.js';
import { categoryRef, isCategoryRef, MAX_CATEGORY_LENGTH } from '../../domain/category.js';
import { formatMoney } from '../../domain/money.js';
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

export const STATUS_EMOJI: Record<BudgetStatus, string> = {
  'on plan': ':large_green_circle:',
  watch: ':large_yellow_circle:',
  over: ':red_circle:',
  under: ':large_blue_circle:',
  'no plan': ':white_circle:',
  'not started': ':white_circle:',
  'closed on plan': ':large_green_circle:',
  'closed over': ':red_circle:',
  'closed under': ':large_blue_circle:',
};

/** Variance as people read it: whole percent with a sign, blank without a plan. */
export function formatVariance(pct: number | null): string {
  if (pct === null) return '';
  const whole = Math.round(pct);
  return `${whole > 0 ? '+' : ''}${whole} %`;
}

/**
 * What a budget button carries: the view to show again (period key and category). A drill
 * option carries the category by its short key instead (`categoryRef`): an option value
 * holds 75 characters, a category 100.
 */
export interface BudgetViewRef {
  period: string;
  category: string | null;
  /** The category's short key (a drill option's); resolved against the workspace's categories. */
  categoryRef?: string;
}

export const encodeRef = (ref: BudgetViewRef) => JSON.stringify({ p: ref.period, c: ref.category });
export const encodeDrillRef = (period: string, category: string) =>
  JSON.stringify({ p: period, k: categoryRef(category) });

/** A budget button's or drill option's value; a StaleButtonError when it is not one Mo wrote. */
export function decodeRef(value: string | undefined): BudgetViewRef {
  const parsed = readValue(value, '/mo budget');
  const { p, c, k } = parsed;
  if (!isPeriodKey(p)) throw new StaleButtonError('/mo budget');
  if (k !== undefined) {
    if (!isCategoryRef(k)) throw new StaleButtonError('/mo budget');
    return { period: p, category: null, categoryRef: k };
  }
  if (c !== null && c !== undefined && (typeof c !== 'string' || c.length > MAX_CATEGORY_LENGTH))
    throw new StaleButtonError('/mo budget');
  return { period: p, category: c ?? null };
}

const COLUMNS = ['Category', 'Planned', 'Actual', 'Committed', 'Available', 'Forecast', 'Var', 'Status'];
const COLUMNS_LE = [
  'Category',
  'Planned',
  'Actual',
  'Committed',
  'Available',
  'Forecast',
  'LE',
  'Var',
  'Status',
];

function tableLines(rows: BudgetRow[], total: BudgetRow, currency: string): string[] {
  // A latest estimate is shown beside the computed forecast, in a column of its own.
  const withEstimate = total.estimate !== null;
  const columns = withEstimate ? COLUMNS_LE : COLUMNS;
  const cells = (r: BudgetRow) => [
    truncate(r.category, 28),
    formatMoney(r.planned, currency),
    formatMoney(r.actual, currency),
    formatMoney(r.committed, currency),
    formatMoney(r.available, currency),
    formatMoney(r.forecast, currency),
    ...(withEstimate ? [r.estimate === null ? '' : formatMoney(r.estimate, currency)] : []),
    formatVariance(r.variancePct),
    r.statusLabel,
  ];
  const body = rows.map(cells);
  const foot = cells(total);
  const all = [columns, ...body, foot];
  const widths = columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) =>
        i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [line(columns), rule, ...body.map(line), rule, line(foot)].map(escapeCode);
}

export interface BudgetViewOptions {
  currency: string;
  /** Shared publicly: no buttons, and a line saying who shared it. */
  sharedBy?: string;
  /** Offer "Edit plan" (admins). */
  canEdit?: boolean;
}

/** The most category rows one message shows; the rest are summed in "and N more". */
export const MAX_ROWS = 60;

export function budgetMessage(report: BudgetReport, options: BudgetViewOptions): Message {
  const { currency } = options;
  const { period, total, focus } = report;
  const title = focus ? `Budget · ${focus} · ${period.key}` : `Budget · ${period.key}`;
  const pace = pacing(report);
  const summary =
    total.planned > 0n
      ? `*Planned ${formatMoney(total.planned, currency)}* · forecast ${formatMoney(total.forecast, currency)}` +
        (total.estimate !== null ? ` · LE ${formatMoney(total.estimate, currency)}` : '') +
        `${total.variancePct === null ? '' : ` (${formatVariance(total.variancePct)})`} ${STATUS_EMOJI[total.status]} *${total.statusLabel}*\n` +
        `Actual ${formatMoney(total.actual, currency)} + committed ${formatMoney(total.committed, currency)} = ` +
        `${pace.bookedPct} % of plan, with ${pace.elapsedPct} % of the period gone · ` +
        `available ${formatMoney(total.available, currency)}`
      : `No plan for ${escapeMrkdwn(focus ?? 'this period')} yet · actual ${formatMoney(total.actual, currency)}, ` +
        `committed ${formatMoney(total.committed, currency)}, forecast ${formatMoney(total.forecast, currency)}`;

  const blocks: Block[] = [
    header(title),
    context(
      `${escapeMrkdwn(period.label)} · day ${report.elapsedDays} of ${report.periodDays} · amounts in ${currency}` +
        (options.sharedBy ? ` · shared by <@${options.sharedBy}>` : ''),
    ),
    section(summary),
  ];

  if (report.rows.length === 0) {
    blocks.push(
      section(
        `Nothing planned or spent${focus ? ` in *${escapeMrkdwn(focus)}*` : ''} for ${escapeMrkdwn(period.key)}. ` +
          'Set a plan with `/mo budget set CATEGORY AMOUNT [PERIOD]` or record spend with `/mo spend add`.',
      ),
    );
  } else {
    const shown = report.rows.slice(0, MAX_ROWS);
    blocks.push(...codeSections(tableLines(shown, total, currency)));
    if (report.rows.length > shown.length) {
      blocks.push(
        context(
          `…and ${report.rows.length - shown.length} more categories (in TOTAL). Narrow with /mo budget ${period.key} CATEGORY.`,
        ),
      );
    }
  }

  const flagged = report.rows.filter(
    (r) => r.status === 'over' || r.status === 'watch' || r.status === 'closed over',
  );
  if (flagged.length) {
    blocks.push(
      context(
        flagged
          .slice(0, 8)
          .map(
            (r) => `${STATUS_EMOJI[r.status]} ${escapeMrkdwn(r.category)} ${formatVariance(r.variancePct)}`,
          )
          .join('   '),
      ),
    );
  }

  if (!options.sharedBy) {
    const ref: BudgetViewRef = { period: period.key, category: focus };
    const elements: (ReturnType<typeof button> | StaticSelect)[] = [
      button('Share to channel', ACTION.budgetShare, encodeRef(ref), 'primary'),
    ];
    const drillable = focus ? [] : report.rows.filter((r) => r.hasChildren);
    if (drillable.length) {
      elements.push({
        type: 'static_select',
        action_id: ACTION.budgetDrill,
        placeholder: plain('Drill into a category'),
        options: drillable.slice(0, LIMITS.selectOptions).map((r) => ({
          text: plain(r.category),
          value: encodeDrillRef(period.key, r.category),
        })),
      });
    }
    if (focus) {
      const up = focus.includes('/') ? (focus.split('/')[0] ?? null) : null;
      elements.push(
        button(
          up ? `Back to ${up}` : 'All categories',
          ACTION.budgetBack,
          encodeRef({ period: period.key, category: up }),
        ),
      );
    }
    elements.push(button('Chart', ACTION.budgetChart, encodeRef(ref)));
    if (options.canEdit) elements.push(button('Edit plan', ACTION.budgetEdit, encodeRef(ref)));
    blocks.push(actions('budget_actions', elements));
  }

  const fallback =
    `${title}: planned ${formatMoney(total.planned, currency)}, actual ${formatMoney(total.actual, currency)}, ` +
    `committed ${formatMoney(total.committed, currency)}, forecast ${formatMoney(total.forecast, currency)}` +
    `${total.estimate !== null ? `, LE ${formatMoney(total.estimate, currency)}` : ''} (${total.statusLabel})`;
  return { text: fallback, blocks };
}
