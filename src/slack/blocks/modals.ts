// Modals for editing a plan, recording spend and Mo's settings. Pure builders; the
// submissions are read back with the INPUT ids.
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { formatMinorExact } from '../../domain/money.js';
import { type FiscalStartPreview, fiscalStartPreviewLines, MONTH_NAMES } from '../../domain/settings.js';
import { SPEND_ENTRY, SPEND_ENTRY_HELP, type SpendEntryRule } from '../../domain/spend.js';
import { INPUT, VIEW } from '../ids.js';
import { escapeCode, escapeMrkdwn } from '../mrkdwn.js';
import { codeSections, LIMITS, plain, section } from './common.js';

function textInput(
  id: { block: string; action: string },
  label: string,
  opts: {
    initial?: string;
    placeholder?: string;
    hint?: string;
    optional?: boolean;
    maxLength?: number;
  } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: id.block,
    label: plain(label, 2000),
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: id.action,
      ...(opts.initial ? { initial_value: opts.initial } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder, 150) } : {}),
      max_length: opts.maxLength ?? 200,
    },
  };
}

function modal(
  callbackId: string,
  title: string,
  submit: string,
  blocks: KnownBlock[],
  metadata: object,
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(submit, 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(metadata).slice(0, LIMITS.privateMetadata),
    blocks,
  };
}

export interface ModalOrigin {
  /** Where the command was typed, to confirm there. */
  channelId: string;
  /** The command's or button's response_url: the confirmation goes there (valid 30 min). */
  responseUrl?: string;
}

export function budgetEditModal(
  initial: {
    category?: string;
    amount?: string;
    period: string;
    ownerUserId?: string | null;
    currency: string;
  },
  origin: ModalOrigin,
): ModalView {
  return modal(
    VIEW.budgetEdit,
    'Edit budget line',
    'Save',
    [
      textInput(INPUT.category, 'Category', {
        initial: initial.category,
        placeholder: 'Paid Media/Search',
        hint: 'One or two levels: Events, or Paid Media/Search.',
        maxLength: 100,
      }),
      textInput(INPUT.period, 'Period', {
        initial: initial.period,
        hint: 'FY2027, FY2027-Q3, 2026-11, this-quarter…',
        maxLength: 20,
      }),
      textInput(INPUT.amount, `Planned amount (${initial.currency})`, {
        initial: initial.amount,
        placeholder: '25,000',
        maxLength: 30,
      }),
      {
        type: 'input',
        block_id: INPUT.owner.block,
        optional: true,
        label: plain('Owner', 2000),
        hint: plain('Alerts about this line go to its owner.', 2000),
        element: {
          type: 'users_select',
          action_id: INPUT.owner.action,
          ...(initial.ownerUserId ? { initial_user: initial.ownerUserId } : {}),
        },
      },
    ],
    origin,
  );
}

export function spendAddModal(currency: string, today: string, origin: ModalOrigin): ModalView {
  const statusOptions: PlainTextOption[] = [
    { text: plain('Actual (invoiced or paid)'), value: 'actual' },
    { text: plain('Committed (signed, not yet invoiced)'), value: 'committed' },
  ];
  return modal(
    VIEW.spendAdd,
    'Record spend',
    'Record',
    [
      textInput(INPUT.amount, `Amount (${currency})`, {
        placeholder: '1,250.00',
        hint: 'A refund is negative: -120 or (120.00).',
        maxLength: 30,
      }),
      textInput(INPUT.category, 'Category', { placeholder: 'Paid Media/Search', maxLength: 100 }),
      {
        type: 'input',
        block_id: INPUT.newCategory.block,
        optional: true,
        label: plain('New category', 2000),
        element: {
          type: 'checkboxes',
          action_id: INPUT.newCategory.action,
          options: [{ text: plain('Create this category (it has no plan or spend yet)'), value: 'new' }],
        },
      },
      textInput(INPUT.campaign, 'Campaign', { optional: true, maxLength: 200 }),
      textInput(INPUT.vendor, 'Vendor', { optional: true, maxLength: 200 }),
      textInput(INPUT.commitment, 'Purchase order', {
        optional: true,
        maxLength: 64,
        hint: 'Committed: the PO this opens. Actual: the PO this invoices (what is left of it stays committed).',
      }),
      {
        type: 'input',
        block_id: INPUT.date.block,
        label: plain('Date', 2000),
        element: { type: 'datepicker', action_id: INPUT.date.action, initial_date: today },
      },
      {
        type: 'input',
        block_id: INPUT.status.block,
        label: plain('Status', 2000),
        element: {
          type: 'radio_buttons',
          action_id: INPUT.status.action,
          options: statusOptions,
          initial_option: statusOptions[0],
        },
      },
    ],
    origin,
  );
}

/** The most preview lines the settings form shows; `mo settings` prints them all. */
export const MAX_FISCAL_PREVIEW_LINES = 60;

/**
 * A new fiscal-year start, shown before it is saved: the quarters this year's plans fall into,
 * and the tick that confirms it (its value is the month, so a different month asks again).
 */
function fiscalStartConfirmation(
  preview: FiscalStartPreview,
  currentMonth: number,
  currency: string,
): KnownBlock[] {
  const lines = fiscalStartPreviewLines(preview, currency);
  const shown =
    lines.length <= MAX_FISCAL_PREVIEW_LINES
      ? lines
      : [
          ...lines.slice(0, MAX_FISCAL_PREVIEW_LINES - 1),
          `  … and ${lines.length - MAX_FISCAL_PREVIEW_LINES + 1} more lines: \`mo settings --fiscal-start-month ${preview.startMonth}\` lists them all`,
        ];
  const month = MONTH_NAMES[preview.startMonth - 1];
  return [
    section(
      `:warning: *The fiscal year would start in ${month} instead of ${MONTH_NAMES[currentMonth - 1]}.* ` +
        'Every quarter and year view is re-sliced; no plan moves. Nothing is saved until you tick the box below and press Save.',
    ),
    ...codeSections(shown.map(escapeCode)),
    {
      type: 'input',
      block_id: INPUT.confirmFiscalStart.block,
      optional: true,
      label: plain('Confirm the new fiscal year', 2000),
      element: {
        type: 'checkboxes',
        action_id: INPUT.confirmFiscalStart.action,
        options: [
          { text: plain(`Yes, start the fiscal year in ${month}`), value: String(preview.startMonth) },
        ],
      },
    },
  ];
}

export function settingsModal(
  settings: {
    currency: string;
    fiscalStartMonth: number;
    timezone: string;
    adminUserIds: string[];
    spendEntry: SpendEntryRule;
    lockDays: number;
    moveAutoApproveMinor: bigint;
  },
  origin: ModalOrigin,
  /**
   * A fiscal-year start submitted but not yet confirmed: shown under its field with the tick,
   * the form keeping what was submitted (`settings`) beside what is saved (`saved`).
   */
  fiscalChange?: {
    preview: FiscalStartPreview;
    saved: { currency: string; fiscalStartMonth: number; timezone: string };
  },
): ModalView {
  const saved = fiscalChange?.saved ?? settings;
  const entryOptions: PlainTextOption[] = SPEND_ENTRY.map((rule) => ({
    text: plain(SPEND_ENTRY_HELP[rule]),
    value: rule,
  }));
  const months: PlainTextOption[] = MONTH_NAMES.map((name, i) => ({
    text: plain(name),
    value: String(i + 1),
  }));
  return modal(
    VIEW.settings,
    'Mo settings',
    'Save',
    [
      section(
        'Settings apply to the whole workspace. Every change is recorded with who made it. ' +
          `Now: *${escapeMrkdwn(saved.currency)}*, fiscal year from *${MONTH_NAMES[saved.fiscalStartMonth - 1]}*, ` +
          `*${escapeMrkdwn(saved.timezone)}*.`,
      ),
      textInput(INPUT.currency, 'Currency', {
        initial: settings.currency,
        hint: 'ISO 4217 code: USD, EUR, GBP… Once amounts are stored, Mo refuses a change (it never converts).',
        maxLength: 3,
      }),
      {
        type: 'input',
        block_id: INPUT.fiscalStart.block,
        label: plain('Fiscal year starts in', 2000),
        hint: plain(
          'A fiscal year is named by the year it ends: from February, FY2027 = Feb 2026 – Jan 2027.',
          2000,
        ),
        element: {
          type: 'static_select',
          action_id: INPUT.fiscalStart.action,
          options: months,
          initial_option: months[settings.fiscalStartMonth - 1],
        },
      },
      ...(fiscalChange
        ? fiscalStartConfirmation(
            fiscalChange.preview,
            fiscalChange.saved.fiscalStartMonth,
            settings.currency,
          )
        : []),
      textInput(INPUT.timezone, 'Timezone', {
        initial: settings.timezone,
        hint: 'IANA name: America/New_York, Europe/Berlin, UTC…',
        maxLength: 64,
      }),
      {
        type: 'input',
        block_id: INPUT.admins.block,
        optional: true,
        label: plain('Extra Mo admins', 2000),
        hint: plain("Slack's workspace admins and owners are always Mo admins.", 2000),
        element: {
          type: 'multi_users_select',
          action_id: INPUT.admins.action,
          ...(settings.adminUserIds.length ? { initial_users: settings.adminUserIds } : {}),
        },
      },
      {
        type: 'input',
        block_id: INPUT.spendEntry.block,
        label: plain('Who may book spend', 2000),
        element: {
          type: 'static_select',
          action_id: INPUT.spendEntry.action,
          options: entryOptions,
          initial_option: entryOptions[SPEND_ENTRY.indexOf(settings.spendEntry)],
        },
      },
      textInput(INPUT.lockDays, 'Lock closed months after (days)', {
        initial: String(settings.lockDays),
        hint: 'Spend dated in a month that ended more than this many days ago cannot be added, changed or deleted (admins: --unlocked).',
        maxLength: 3,
      }),
      textInput(INPUT.moveAutoApprove, 'Approve budget moves at once up to', {
        initial: formatMinorExact(settings.moveAutoApproveMinor, settings.currency),
        hint: 'An amount in the workspace currency; 0 asks the line owners every time.',
        maxLength: 20,
      }),
    ],
    fiscalChange ? { ...origin, fiscalPreview: fiscalChange.preview.startMonth } : origin,
  );
}

/** What a modal turns into when its submission failed on Mo's side. */
export function errorModal(text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Mo' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`:warning: ${escapeMrkdwn(text)}`)],
  };
}
