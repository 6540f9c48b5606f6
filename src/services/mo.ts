// What every command, job and CLI verb works with: the repositories over one database, and
// the one clock.
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import { alertRepository } from '../db/alerts.js';
import { auditRepository } from '../db/audit.js';
import { budgetRepository } from '../db/budgets.js';
import type { Database, Db } from '../db/client.js';
import { commitmentRepository } from '../db/commitments.js';
import { digestScheduleRepository } from '../db/digest.js';
import { installationRepository } from '../db/installations.js';
import { jobRepository } from '../db/jobs.js';
import { kpiRepository } from '../db/kpis.js';
import { mappingRepository } from '../db/mapping.js';
import { perfRepository } from '../db/perf.js';
import { reallocationRepository } from '../db/reallocations.js';
import type { Keyring } from '../db/secrets.js';
import { slackPostRepository } from '../db/slack-posts.js';
import { spendRepository } from '../db/spend.js';
import { withClockStamps } from '../db/stamps.js';
import { surveyRepository } from '../db/surveys.js';
import { targetRepository } from '../db/targets.js';
import { tokenRepository } from '../db/tokens.js';
import { workspaceDataRepository } from '../db/workspace-data.js';
import { workspaceRepository } from '../db/workspaces.js';
import { forTeam, type WorkspaceMo } from './team-scope.js';

export { todayIn } from './team-scope.js';

export interface Mo {
  db: Db;
  /** The database's URL: bulk imports write on its driver directly. */
  databaseUrl: string;
  clock: Clock;
  workspaces: ReturnType<typeof workspaceRepository>;
  budgets: ReturnType<typeof budgetRepository>;
  spend: ReturnType<typeof spendRepository>;
  commitments: ReturnType<typeof commitmentRepository>;
  audit: ReturnType<typeof auditRepository>;
  /** Budget moves between categories awaiting or past approval. */
  moves: ReturnType<typeof reallocationRepository>;
  /** Slack posts made under an idempotency key. */
  posts: ReturnType<typeof slackPostRepository>;
  /** API tokens for the import API. */
  tokens: ReturnType<typeof tokenRepository>;
  alerts: ReturnType<typeof alertRepository>;
  surveys: ReturnType<typeof surveyRepository>;
  /** Vendor campaign -> category rules. */
  mapping: ReturnType<typeof mappingRepository>;
  targets: ReturnType<typeof targetRepository>;
  /** Funnel figures per category or campaign for /mo perf, and the lead cohorts. */
  perf: ReturnType<typeof perfRepository>;
  /** Daily KPI figures and pipeline for the digest. */
  kpis: ReturnType<typeof kpiRepository>;
  /** Each workspace's digest schedule and channel. */
  digestSchedules: ReturnType<typeof digestScheduleRepository>;
  /** Scheduled runs and their leases. */
  jobs: ReturnType<typeof jobRepository>;
  /** Every row of a workspace, deleted at once (`mo workspace delete`, and from Slack). */
  workspaceData: ReturnType<typeof workspaceDataRepository>;
  /** Where Mo is installed, with tokens sealed by the keyring (MO_ENCRYPTION_KEY). */
  installations: ReturnType<typeof installationRepository>;
  /** 'figures' (teamId) after spend or a plan changed: budget alerts listen (main.ts). */
  events: EventEmitter<{ figures: [teamId: string] }>;
  figuresChanged(teamId: string): void;
  /** One workspace's Mo: its repositories with `teamId` bound (src/services/team-scope.ts). */
  forTeam(teamId: string): WorkspaceMo;
}

export function createMo(database: Pick<Database, 'db' | 'url'>, clock: Clock, keyring?: Keyring): Mo {
  const db = withClockStamps(database.db, clock);
  const events = new EventEmitter<{ figures: [teamId: string] }>();
  const mo: Mo = {
    db,
    databaseUrl: database.url,
    clock,
    workspaces: workspaceRepository(db),
    budgets: budgetRepository(db),
    spend: spendRepository(db, clock),
    commitments: commitmentRepository(db),
    audit: auditRepository(db),
    moves: reallocationRepository(db),
    posts: slackPostRepository(db, clock),
    tokens: tokenRepository(db, clock),
    alerts: alertRepository(db),
    surveys: surveyRepository(db),
    mapping: mappingRepository(db),
    targets: targetRepository(db),
    perf: perfRepository(db),
    kpis: kpiRepository(db),
    digestSchedules: digestScheduleRepository(db),
    jobs: jobRepository(db),
    workspaceData: workspaceDataRepository(db),
    installations: installationRepository(db, clock, keyring),
    events,
    figuresChanged: (teamId) => void events.emit('figures', teamId),
    forTeam: (teamId) => forTeam(mo, teamId),
  };
  return mo;
}
