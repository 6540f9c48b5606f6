// The workspace-scoped view of Mo's repositories: `forTeam(mo, T)` hands out each repository
// with the team bound, so code holding it cannot name another workspace. A method takes the
// team as its first argument ('team': bound away) or inside its input ('input': set, and a
// different team named there is refused); a method not listed (a lookup by a global secret,
// say) is simply not on the scoped repository. test/db/team-scope.test.ts walks every listed
// method with two workspaces, and fails when a repository gains a method not classified here.
import type { Mo } from './mo.js';

type Kind = 'team' | 'input';
type Spec<R> = { [K in keyof R]?: Kind };

type DropTeam<F> = F extends (teamId: string, ...rest: infer A) => infer O ? (...rest: A) => O : never;
type TeamFromScope<F> = F extends (input: infer I, ...rest: infer A) => infer O
  ? (input: Omit<I, 'teamId'> & { teamId?: string }, ...rest: A) => O
  : never;
type Bound<R, S> = {
  [K in keyof S & keyof R]: S[K] extends 'team' ? DropTeam<R[K]> : TeamFromScope<R[K]>;
};

export class CrossWorkspaceError extends Error {}

function bindTeam<R extends object, S extends Spec<R>>(repo: R, teamId: string, spec: S): Bound<R, S> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(spec) as Array<[string, Kind]>) {
    const method = (repo as Record<string, (...a: unknown[]) => unknown>)[name];
    if (typeof method !== 'function') throw new Error(`No method ${name} to scope`);
    out[name] =
      kind === 'team'
        ? (...rest: unknown[]) => method.call(repo, teamId, ...rest)
        : async (input: { teamId?: string }, ...rest: unknown[]) => {
            if (input.teamId !== undefined && input.teamId !== teamId)
              throw new CrossWorkspaceError(`A request scoped to ${teamId} named workspace ${input.teamId}`);
            return method.call(repo, { ...input, teamId }, ...rest);
          };
  }
  return out as Bound<R, S>;
}

/** How each workspace repository takes its team; the unlisted methods are not workspace data. */
export const TEAM_SCOPE = {
  workspaces: { get: 'team', ensure: 'team', update: 'team', storedAmounts: 'team' },
  budgets: {
    set: 'input',
    linesOverlapping: 'team',
    monthCells: 'team',
    linesWithin: 'team',
    estimatesWithin: 'team',
    replaceEstimates: 'input',
    categories: 'team',
  },
  spend: {
    monthSums: 'team',
    sumsByCategory: 'team',
    dailyActual: 'team',
    dailyFigures: 'team',
    actualByCategory: 'team',
    actualByCampaign: 'team',
    add: 'input',
    find: 'team',
    update: 'team',
    remove: 'team',
    closeCommitment: 'team',
    list: 'team',
    lastEntryBy: 'team',
    categories: 'team',
  },
  audit: { record: 'input', recent: 'team' },
  posts: { get: 'team', begin: 'input', takeOver: 'team', release: 'team', posted: 'team' },
  tokens: { create: 'team', list: 'team', revoke: 'team' },
  perf: { funnelParts: 'team', cohort: 'team', categories: 'team' },
} as const satisfies { [K in keyof Mo]?: Spec<Mo[K]> };

/** Methods deliberately left off the scoped repositories, and why. */
export const UNSCOPED: Partial<Record<keyof typeof TEAM_SCOPE, Record<string, string>>> = {
  tokens: { verify: 'finds a token by its secret across workspaces; the token then names its team' },
};

export type TeamRepositories = { [K in keyof typeof TEAM_SCOPE]: Bound<Mo[K], (typeof TEAM_SCOPE)[K]> } & {
  teamId: string;
};

/** Mo's repositories bound to workspace `teamId`. */
export function forTeam(mo: Mo, teamId: string): TeamRepositories {
  if (!teamId) throw new CrossWorkspaceError('A workspace scope needs a team id');
  return {
    teamId,
    workspaces: bindTeam(mo.workspaces, teamId, TEAM_SCOPE.workspaces),
    budgets: bindTeam(mo.budgets, teamId, TEAM_SCOPE.budgets),
    spend: bindTeam(mo.spend, teamId, TEAM_SCOPE.spend),
    audit: bindTeam(mo.audit, teamId, TEAM_SCOPE.audit),
    posts: bindTeam(mo.posts, teamId, TEAM_SCOPE.posts),
    tokens: bindTeam(mo.tokens, teamId, TEAM_SCOPE.tokens),
    perf: bindTeam(mo.perf, teamId, TEAM_SCOPE.perf),
  };
}
