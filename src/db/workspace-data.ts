// Every row of one workspace, found through the models themselves: each model with a
// `teamId` column is the workspace's (a model added later is included without a change
// here), plus the rows that hang off them without one (a survey's responses). Deleted in one
// transaction, children first, so a workspace is either wholly there or wholly gone.
import { type Db, Prisma } from './client.js';

/** Rows without a teamId of their own, deleted with their parent's workspace. */
const CHILDREN: Record<string, (tx: Db, teamId: string) => Promise<{ count: number }>> = {
  SurveyResponse: (tx, teamId) => tx.surveyResponse.deleteMany({ where: { survey: { teamId } } }),
};

/** Deleted last: the rows others refer to. */
const PARENTS = ['Survey', 'Workspace'];

/** Kept by a Slack-side delete: Mo stays installed and starts afresh. */
export const INSTALLATION_MODELS = ['Installation', 'OrgWorkspace'];

function hasTeamId(model: string): boolean {
  const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[
    `${model}ScalarFieldEnum`
  ];
  return Boolean(fields && 'teamId' in fields);
}

/** The models a workspace's rows live in, in deletion order. */
export function workspaceModels(): string[] {
  const scoped = Object.values(Prisma.ModelName).filter(hasTeamId);
  const rank = (m: string) => (PARENTS.includes(m) ? 1 + PARENTS.indexOf(m) : 0);
  return [...Object.keys(CHILDREN), ...scoped.sort((a, b) => rank(a) - rank(b))];
}

const delegate = (tx: Db, model: string) =>
  (tx as unknown as Record<string, { deleteMany(args: object): Promise<{ count: number }> }>)[
    model.charAt(0).toLowerCase() + model.slice(1)
  ] as { deleteMany(args: object): Promise<{ count: number }> };

/**
 * Deletes every row of workspace `teamId` in one transaction and returns the count per
 * model (zeros included). `keepInstallation`: the installation rows stay (Slack-side delete).
 */
export async function deleteWorkspaceRows(
  db: Db,
  teamId: string,
  opts: { keepInstallation?: boolean } = {},
): Promise<Record<string, number>> {
  if (!teamId) throw new Error('deleteWorkspaceRows needs a team id');
  return db.$transaction(
    async (tx) => {
      const removed: Record<string, number> = {};
      for (const model of workspaceModels()) {
        if (opts.keepInstallation && INSTALLATION_MODELS.includes(model)) continue;
        const child = CHILDREN[model];
        const done = child
          ? await child(tx as Db, teamId)
          : await delegate(tx as Db, model).deleteMany({ where: { teamId } });
        removed[model] = done.count;
      }
      return removed;
      // A large workspace (millions of spend rows) takes longer than Prisma's default 5 s.
    },
    { timeout: 300_000, maxWait: 10_000 },
  );
}

/** The delete above as a repository on the Mo context (scoped by src/services/team-scope.ts). */
export function workspaceDataRepository(db: Db) {
  return {
    remove: (teamId: string, opts: { keepInstallation?: boolean } = {}) =>
      deleteWorkspaceRows(db, teamId, opts),
  };
}
