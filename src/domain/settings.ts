// A workspace's settings as Mo reads them: currency, fiscal-year start, timezone, extra admins.

export interface WorkspaceSettings {
  teamId: string;
  currency: string;
  fiscalStartMonth: number;
  timezone: string;
  adminUserIds: string[];
}

export type SettingsPatch = Partial<Omit<WorkspaceSettings, 'teamId'>>;
