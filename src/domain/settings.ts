// A workspace's settings as Mo reads them: currency, fiscal-year start, timezone, extra admins,
// who may book spend, when closed months lock, the budget moves approved at once, the categories
// whose pipeline is not marketing-sourced.
import type { Period } from './calendar.js';
import { formatMoney } from './money.js';
import type { SpendEntryRule } from './spend.js';

export interface WorkspaceSettings {
  teamId: string;
  currency: string;
  fiscalStartMonth: number;
  timezone: string;
  adminUserIds: string[];
  /** Who may book spend: admins | owners | everyone (src/domain/spend.ts). */
  spendEntry: SpendEntryRule;
  /** Spend dated in a month that ended more than this many days ago is locked. */
  lockDays: number;
  /** Budget moves at or under this amount are approved at once; 0n: always ask. */
  moveAutoApproveMinor: bigint;
  /** Categories whose pipeline is not marketing-sourced (their subcategories follow them). */
  notMarketing: string[];
}

export type SettingsPatch = Partial<Omit<WorkspaceSettings, 'teamId'>>;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** How this fiscal year's plans would fall into the quarters of a new fiscal-year start. */
export interface FiscalStartPreview {
  /** The new start month, 1–12. */
  startMonth: number;
  year: Period;
  quarters: {
    quarter: Period;
    planned: bigint;
    /** Each plan line's share of the quarter (its phased months inside it). */
    lines: { period: string; category: string; planned: bigint }[];
  }[];
}

/**
 * The preview as lines of plain text, the same in `mo settings --fiscal-start-month` and the
 * Slack settings form (which shows them preformatted). Category names are as stored: a
 * surface escapes them for its own format.
 */
export function fiscalStartPreviewLines(preview: FiscalStartPreview, currency: string): string[] {
  const lines = [
    `With the fiscal year starting in ${MONTH_NAMES[preview.startMonth - 1]}, this year is ${preview.year.label}. ` +
      'Plans keep their own dates; each quarter takes their phased months:',
  ];
  for (const q of preview.quarters) {
    lines.push(`  ${q.quarter.label}: planned ${formatMoney(q.planned, currency)}`);
    for (const l of q.lines)
      lines.push(`    ${l.category} (${l.period} line): ${formatMoney(l.planned, currency)}`);
  }
  const total = preview.quarters.reduce((sum, q) => sum + q.planned, 0n);
  lines.push(`  ${preview.year.key} in all: ${formatMoney(total, currency)}`);
  return lines;
}
