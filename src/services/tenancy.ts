// Installations and whole workspaces, for the operator (`mo workspace`, `mo keys`) and for a
// workspace admin deleting their data from Slack.
import { deleteWorkspaceRows } from '../db/workspace-data.js';
import type { Mo } from './mo.js';

export interface DeletedWorkspace {
  teamId: string;
  /** Rows removed per model (zeros included), and their sum. */
  removed: Record<string, number>;
  total: number;
}

/**
 * Deletes every row of workspace `teamId` in one transaction. `keepInstallation` (a delete
 * from Slack): Mo stays installed and the workspace starts afresh.
 */
export async function deleteWorkspace(
  mo: Mo,
  teamId: string,
  opts: { keepInstallation?: boolean } = {},
): Promise<DeletedWorkspace> {
  const removed = await deleteWorkspaceRows(mo.db, teamId, opts);
  return { teamId, removed, total: Object.values(removed).reduce((a, b) => a + b, 0) };
}

/** One line per model that held rows, then the total. */
export function describeDeleted(d: DeletedWorkspace): string[] {
  const lines = Object.entries(d.removed)
    .filter(([, n]) => n > 0)
    .map(([model, n]) => `  ${model.padEnd(16)} ${n}`);
  return [`Deleted workspace ${d.teamId}: ${d.total} rows.`, ...lines];
}

/** `mo workspace list`: one tab-separated line per installation, never a token. */
export async function describeInstallations(mo: Mo): Promise<string> {
  const rows = await listInstallations(mo);
  if (!rows.length) return 'No installations yet.';
  const head = 'team\tenterprise\tkind\tname\tstatus\tsource\tkey';
  return [
    head,
    ...rows.map((r) =>
      [
        r.teamId ?? '-',
        r.enterpriseId ?? '-',
        r.orgWide ? 'org-wide' : 'workspace',
        r.teamName || '-',
        r.status,
        r.source,
        r.keyId ?? '-',
      ].join('\t'),
    ),
  ].join('\n');
}

/** Every installation, without its tokens. */
export async function listInstallations(mo: Mo) {
  const rows = await mo.db.installation.findMany({ orderBy: { installKey: 'asc' } });
  return rows.map((r) => ({
    installKey: r.installKey,
    teamId: r.teamId,
    teamName: r.teamName,
    enterpriseId: r.enterpriseId,
    orgWide: r.isEnterpriseInstall,
    source: r.source,
    status: r.status,
    keyId: r.keyId,
    tokenExpiresAt: r.botTokenExpiresAt,
  }));
}
