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
import { mappingRepository } from '../db/mapping.js';
import { reallocationRepository } from '../db/reallocations.js';
import type { Keyring } from '../db/secrets.js';
import { slackPostRepository } from '../db/slack-posts.js';
import { spendRepository } from '../db/spend.js';
import { withClockStamps } from '../db/stamps.js';
import { surveyRepository } from '../db/surveys.js';
import { targetRepository } from '../db/targets.js';
import { tokenRepository } from '../db/tokens.js';
import { workspaceRepository } from '../db/workspaces.js';
import { dateInZone, type IsoDate } from '../domain/calendar.js';
import { forTeam, type TeamRepositories } from './team-scope.js';

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
  /** Each workspace's digest schedule and channel. */
  digestSchedules: ReturnType<typeof digestScheduleRepository>;
  /** Scheduled runs and their leases. */
  jobs: ReturnType<typeof jobRepository>;
  /** Where Mo is installed, with tokens sealed by the keyring (MO_ENCRYPTION_KEY). */
  installations: ReturnType<typeof installationRepository>;
  /** 'figures' (teamId) after spend or a plan changed: budget alerts listen (main.ts). */
  events: EventEmitter<{ figures: [teamId: string] }>;
  figuresChanged(teamId: string): void;
  /** The workspace repositories with `teamId` bound (src/services/team-scope.ts). */
  forTeam(teamId: string): TeamRepositories;
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
    digestSchedules: digestScheduleRepository(db),
    jobs: jobRepository(db),
    installations: installationRepository(db, clock, keyring),
    events,
    figuresChanged: (teamId) => void events.emit('figures', teamId),
    forTeam: (teamId) => forTeam(mo, teamId),
  };
  return mo;
}

/** Today as a calendar day in the workspace timezone. */
export function todayIn(mo: Mo, timezone: string): IsoDate {
  return dateInZone(mo.clock(), timezone);
}
