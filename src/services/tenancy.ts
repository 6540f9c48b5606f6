// Installations and whole workspaces, for the operator (`mo workspace`, `mo keys`) and for a
// workspace admin deleting their data from Slack. Listing installations works across
// workspaces (the unscoped Mo); a delete works on one workspace's scope.
import type { Mo } from './mo.js';
import type { WorkspaceMo } from './team-scope.js';

export interface DeletedWorkspace {
  teamId: string;
  /** Rows removed per model (zeros included), and their sum. */
  removed: Record<string, number>;
  total: number;
}

/**
 * Deletes every row of the workspace in one transaction. `keepInstallation` (a delete
 * from Slack): Mo stays installed and the workspace starts afresh.
 */
export async function deleteWorkspace(
  mo: WorkspaceMo,
  opts: { keepInstallation?: boolean } = {},
): Promise<DeletedWorkspace> {
  const removed = await mo.workspaceData.remove(opts);
  return { teamId: mo.teamId, removed, total: Object.values(removed).reduce((a, b) => a + b, 0) };
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
export function listInstallations(mo: Mo) {
  return mo.installations.list();
}
