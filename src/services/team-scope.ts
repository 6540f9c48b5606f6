// The workspace-scoped view of Mo: `forTeam(mo, T)` hands out each repository with the team
// bound, Mo's clock, a bound `figuresChanged()` and the importers, and nothing else: no raw
// database, no other workspace. Commands and services get only this (the router builds it
// from the team the Slack gate verified; jobs, the CLI and the import API build it once they
// know the team), so code holding it cannot name another workspace.
//
// A method takes the team as its first argument ('team': bound away) or inside its input
// ('input': set, and a different team named there is refused); a method that works across
// workspaces by design is left off the scoped repository and named in UNSCOPED with its reason.
// test/db/team-scope.test.ts walks the scoped methods with two workspaces and fails when a
// repository gains a method classified nowhere; test/db/repository-isolation.test.ts walks
// every one as workspace B naming A's rows.
import type { Clock } from '../clock.js';
import { dateInZone, type IsoDate } from '../domain/calendar.js';
import {
  type ImportContext,
  type ImportFileKind,
  importAndDescribe,
  importBudgets,
  importLeads,
  importOpportunities,
  importSpend,
} from '../ingest/import.js';
import type { Logger } from '../log.js';
import { type DueRun, type LeaseOptions, type RunOutcome, runOnce } from './jobs.js';
import type { Mo } from './mo.js';

type Kind = 'team' | 'input';
type Spec<R> = { [K in keyof R]?: Kind };

type DropTeam<F> = F extends (teamId: string, ...rest: infer A) => infer O ? (...rest: A) => O : never;
type TeamFromScope<F> = F extends (input: infer I, ...rest: infer A) => infer O
  ? (input: Omit<NonNullable<I>, 'teamId'> & { teamId?: string }, ...rest: A) => O
  : never;
type Bound<R, S> = {
  [K in keyof S & keyof R]: S[K] extends 'team' ? DropTeam<R[K]> : TeamFromScope<R[K]>;
};

export class CrossWorkspaceError extends Error {}

function refuseOther(teamId: string, named: string | undefined) {
  if (named !== undefined && named !== teamId)
    throw new CrossWorkspaceError(`A request scoped to ${teamId} named workspace ${named}`);
}

function bindTeam<R extends object, S extends Spec<R>>(repo: R, teamId: string, spec: S): Bound<R, S> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(spec) as Array<[string, Kind]>) {
    const method = (repo as Record<string, (...a: unknown[]) => unknown>)[name];
    if (typeof method !== 'function') throw new Error(`No method ${name} to scope`);
    out[name] =
      kind === 'team'
        ? (...rest: unknown[]) => method.call(repo, teamId, ...rest)
        : async (input: { teamId?: string } | undefined, ...rest: unknown[]) => {
            refuseOther(teamId, input?.teamId);
            return method.call(repo, { ...input, teamId }, ...rest);
          };
  }
  return out as Bound<R, S>;
}

/** How each workspace repository takes its team; what is not listed here is in UNSCOPED. */
export const TEAM_SCOPE = {
  workspaces: { get: 'team', ensure: 'team', update: 'team', storedAmounts: 'team' },
  budgets: {
    set: 'input',
    linesOverlapping: 'team',
    monthCells: 'team',
    linesWithin: 'team',
    estimatesWithin: 'team',
    replaceEstimates: 'input',
    ownedCategories: 'team',
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
  commitments: { list: 'team', get: 'team' },
  audit: { record: 'input', recent: 'team' },
  moves: {
    create: 'input',
    get: 'team',
    expireOverdue: 'team',
    open: 'team',
    approve: 'team',
    reject: 'team',
    apply: 'team',
  },
  posts: { get: 'team', begin: 'input', takeOver: 'team', release: 'team', posted: 'team' },
  tokens: { create: 'team', list: 'team', revoke: 'team' },
  alerts: {
    batch: 'team',
    settings: 'team',
    updateSettings: 'team',
    lineFigures: 'team',
    states: 'team',
    fireNew: 'team',
    snoozedLines: 'team',
    fire: 'team',
    resolve: 'team',
    claimBatch: 'team',
    orphanBatches: 'team',
    delivered: 'team',
    get: 'team',
    acknowledge: 'team',
    snooze: 'team',
    snoozes: 'team',
    open: 'team',
    history: 'team',
    openAlertCategories: 'team',
  },
  surveys: {
    create: 'input',
    get: 'team',
    discard: 'team',
    setMessage: 'team',
    list: 'team',
    latest: 'team',
    previous: 'input',
    answer: 'input',
    count: 'team',
    counts: 'team',
    responses: 'team',
    openFor: 'team',
    close: 'team',
  },
  mapping: { list: 'team', add: 'team', remove: 'team' },
  targets: { set: 'team', list: 'team', perfTargets: 'team' },
  perf: { funnelParts: 'team', cohort: 'team', categories: 'team' },
  kpis: { dailyFigures: 'team', pipelineByCategory: 'team', hasAnyFigures: 'team' },
  digestSchedules: { get: 'team', update: 'team', rememberChannel: 'team' },
  jobs: { recent: 'input' },
  workspaceData: { remove: 'team' },
} as const satisfies { [K in keyof Mo]?: Spec<Mo[K]> };

const LEASE = 'a lease on (job key, slot): the scheduler’s state, read and written across workspaces';
const GATE =
  'installations are found by the team and enterprise ids Slack signs, before a workspace is known';

/** Methods deliberately left off the scoped repositories, and why that is safe. */
export const UNSCOPED = {
  tokens: { verify: 'finds a token by its secret across workspaces; the token then names its one team' },
  alerts: { teamsWithLines: 'the hourly job lists the workspaces to evaluate; each run is then scoped' },
  surveys: { open: 'the scheduler lists open surveys; each run is then scoped to its survey’s team' },
  digestSchedules: { enabled: 'the scheduler lists enabled digests; each run is then scoped to its team' },
  jobs: {
    claim: LEASE,
    renew: LEASE,
    finish: LEASE,
    release: 'the leases of one process, whatever their workspaces',
    get: LEASE,
    pruneTicks: 'the scheduler’s own ticks (no workspace)',
  },
  installations: Object.fromEntries(
    [
      'installationKey',
      'list',
      'store',
      'find',
      'findRecent',
      'forWorkspace',
      'rememberOrgWorkspace',
      'activeWorkspaceIds',
      'openTokens',
      'deactivate',
      'retireEnvInstallations',
      'rotateKeys',
    ].map((m) => [m, GATE]),
  ),
} satisfies { [K in keyof Mo]?: Record<string, string> };

type ScopedImport = Omit<ImportContext, 'db' | 'databaseUrl' | 'teamId'> & { teamId?: string };

/** The importers (src/ingest/import.ts) with the database and the team bound. */
function importers(mo: Mo, teamId: string) {
  const bind =
    <T>(importer: (ctx: ImportContext) => Promise<T>) =>
    async (ctx: ScopedImport): Promise<T> => {
      refuseOther(teamId, ctx.teamId);
      return importer({ ...ctx, db: mo.db, databaseUrl: mo.databaseUrl, teamId });
    };
  return {
    spend: bind(importSpend),
    budgets: bind(importBudgets),
    leads: bind(importLeads),
    opportunities: bind(importOpportunities),
    /** Imports a file of the given kind and says what happened, the same way everywhere. */
    describe: (kind: ImportFileKind, ctx: ScopedImport) => bind((c) => importAndDescribe(kind, c))(ctx),
  };
}

type ScopedRepositories = { [K in keyof typeof TEAM_SCOPE]: Bound<Mo[K], (typeof TEAM_SCOPE)[K]> };

/** One workspace's Mo: what commands and services work with. */
export type WorkspaceMo = ScopedRepositories & {
  teamId: string;
  /** Mo's clock: "now" for everything this workspace's code reads and writes. */
  clock: Clock;
  /** The workspace in this database (one process may serve several databases: tests): in-process queues key on it. */
  key: string;
  /** Spend or a plan changed: budget alerts listen (main.ts). */
  figuresChanged(): void;
  imports: ReturnType<typeof importers>;
  /** Work under a scheduler lease (src/services/jobs.ts) on a key naming this workspace: /mo digest now. */
  runOnce(logger: Logger, run: Omit<DueRun, 'teamId'>, lease: LeaseOptions): Promise<RunOutcome>;
};

/** Mo bound to workspace `teamId`. */
export function forTeam(mo: Mo, teamId: string): WorkspaceMo {
  if (!teamId) throw new CrossWorkspaceError('A workspace scope needs a team id');
  const repositories = Object.fromEntries(
    Object.entries(TEAM_SCOPE).map(([name, spec]) => [
      name,
      bindTeam(mo[name as keyof typeof TEAM_SCOPE] as object, teamId, spec as Spec<object>),
    ]),
  ) as ScopedRepositories;
  return {
    ...repositories,
    teamId,
    clock: mo.clock,
    key: `${mo.databaseUrl}|${teamId}`,
    figuresChanged: () => mo.figuresChanged(teamId),
    imports: importers(mo, teamId),
    runOnce: (logger, run, lease) => {
      if (!run.key.includes(teamId))
        throw new CrossWorkspaceError(`A run scoped to ${teamId} must name it in its key, not ${run.key}`);
      return runOnce(mo, logger, { ...run, teamId }, lease);
    },
  };
}

/** Today as a calendar day in the workspace timezone. */
export function todayIn(mo: { clock: Clock }, timezone: string): IsoDate {
  return dateInZone(mo.clock(), timezone);
}
