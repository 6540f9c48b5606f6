// A workspace's settings as Mo reads them: currency, fiscal-year start, timezone, extra admins,
// who may book spend, when closed months lock, the budget moves approved at once.
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
}

export type SettingsPatch = Partial<Omit<WorkspaceSettings, 'teamId'>>;
