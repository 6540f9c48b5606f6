// /mo settings: currency, fiscal-year start month, timezone and extra admins (admins).

import { z } from 'zod';
import { isTimeZone } from '../src/domain/calendar.js';
import { formatMoney, isCurrencyCode } from '../src/domain/money.js';
import {
  type FiscalStartPreview,
  fiscalStartPreviewLines,
  type SettingsPatch,
  type WorkspaceSettings,
} from '../src/domain/settings.js';
import { SPEND_ENTRY, SPEND_ENTRY_HELP } from '../src/domain/spend.js';
import { settingsModal } from '../src/slack/blocks/modals.js';
import { noArgs } from './args.js';
import { defineSubcommand, requireAdmin, workspaceFor } from './types.js';

export const settings = defineSubcommand({
  name: 'settings',
  usage: '/mo settings',
  summary: "Mo's currency, fiscal year, timezone and admins, in a form (admins)",
  schema: noArgs('takes no arguments: it opens a form'),
  async run(_args, req, env) {
    await requireAdmin(env, req, 'change settings');
    return { kind: 'modal', view: settingsModal(await workspaceFor(env, req), { channelId: req.channelId }) };
  },
});

/** The rules for a settings change, whether it comes from the modal or `mo settings`. */
export const settingsPatchSchema = z.object({
  currency: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase())
    .refine(isCurrencyCode, 'must be an ISO 4217 currency code such as USD, EUR or GBP')
    .optional(),
  fiscalStartMonth: z.coerce
    .number({ message: 'must be a month number 1–12' })
    .int('must be a month number 1–12')
    .min(1, 'must be a month number 1–12')
    .max(12, 'must be a month number 1–12')
    .optional(),
  timezone: z
    .string()
    .trim()
    .refine(isTimeZone, 'must be an IANA timezone such as America/New_York or UTC')
    .optional(),
  adminUserIds: z
    .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids like U012ABCDEF'))
    .optional(),
  lockDays: z.coerce
    .number({ message: 'must be a whole number of days, 0 to 366' })
    .int('must be a whole number of days, 0 to 366')
    .min(0, 'must be a whole number of days, 0 to 366')
    .max(366, 'must be a whole number of days, 0 to 366')
    .optional(),
  spendEntry: z.enum(SPEND_ENTRY, { message: `must be one of ${SPEND_ENTRY.join(', ')}` }).optional(),
});

export function describeSettings(s: WorkspaceSettings): string {
  const month = new Date(Date.UTC(2000, s.fiscalStartMonth - 1, 1)).toLocaleString('en-US', {
    month: 'long',
    timeZone: 'UTC',
  });
  return (
    `Currency ${s.currency} · fiscal year starts in ${month} · timezone ${s.timezone} · ` +
    `extra admins: ${s.adminUserIds.length ? s.adminUserIds.join(', ') : 'none'} · ` +
    `spend entry: ${s.spendEntry} (${SPEND_ENTRY_HELP[s.spendEntry]}) · ` +
    `spend locks ${s.lockDays} days after its month ends · budget moves approved at once up to ` +
    `${s.moveAutoApproveMinor > 0n ? formatMoney(s.moveAutoApproveMinor, s.currency) : 'nothing (always asked)'}`
  );
}

/** `mo settings --fiscal-start-month N` before --confirm: this year's plans in the new quarters. */
export function describeFiscalStartPreview(preview: FiscalStartPreview, currency: string): string {
  return fiscalStartPreviewLines(preview, currency).join('\n');
}

export type { SettingsPatch };
