// /mo settings: currency, fiscal-year start month, timezone and extra admins (admins).

import { z } from 'zod';
import { isTimeZone } from '../src/domain/calendar.js';
import { isCurrencyCode } from '../src/domain/money.js';
import type { SettingsPatch, WorkspaceSettings } from '../src/domain/settings.js';
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
    `spend entry: ${s.spendEntry} (${SPEND_ENTRY_HELP[s.spendEntry]})`
  );
}

export type { SettingsPatch };
