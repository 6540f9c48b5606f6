// A workspace's settings as Mo reads them: currency, fiscal-year start, timezone, extra admins,
// who may book spend.
import type { SpendEntryRule } from './spend.js';

export interface WorkspaceSettings {
  teamId: string;
  currency: string;
  fiscalStartMonth: number;
  timezone: string;
  adminUserIds: string[];
  /** Who may book spend: admins | owners | everyone (src/domain/spend.ts). */
  spendEntry: SpendEntryRule;
}

export type SettingsPatch = Partial<Omit<WorkspaceSettings, 'teamId'>>;
