// Every method of every repository on the Mo context, walked with two workspaces: workspace B
// calls each one naming A's rows (A's line, spend, commitment, alert, batch, survey, token,
// post key), and gets back no row of A and changes none. The methods are read off the
// repositories themselves: one not listed here (walked, or global with its reason) fails the
// first test, so a new method cannot slip past this check unnoticed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeriod } from '../../src/domain/calendar.js';
import { importLeads, importOpportunities } from '../../src/ingest/import.js';
import { evaluateAlerts } from '../../src/services/alerts.js';
import type { Mo } from '../../src/services/mo.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

const A = 'T0ISOA';
const B = 'T0ISOB';
const period = requirePeriod('FY2026-Q4', '2026-11-16', 1);
const span = { start: period.start, end: period.end };

interface Seeded {
  moveId: string;
  lineId: string;
  spendId: string;
  alertId: string;
  batchId: string;
  surveyId: string;
  tokenId: string;
  postKey: string;
}

let t: TestDatabase;
let mo: Mo;
let a: Seeded;
let b: Seeded;

/** Workspace data of `teamId` in every table that holds it, as text (bigints and dates too). */
async function snapshot(teamId: string): Promise<string> {
  const db = mo.db;
  const where = { where: { teamId } };
  const surveys = await db.survey.findMany({ ...where, orderBy: { id: 'asc' } });
  const tables = {
    workspace: await db.workspace.findMany(where),
    budgetLine: await db.budgetLine.findMany({ ...where, orderBy: { id: 'asc' } }),
    spend: await db.spend.findMany({ ...where, orderBy: { id: 'asc' } }),
    commitment: await db.commitment.findMany({ ...where, orderBy: { commitmentId: 'asc' } }),
    spendDaily: await db.spendDaily.findMany({
      ...where,
      orderBy: [{ date: 'asc' }, { category: 'asc' }, { status: 'asc' }],
    }),
    target: await db.target.findMany({ ...where, orderBy: { id: 'asc' } }),
    latestEstimate: await db.latestEstimate.findMany({ ...where, orderBy: { month: 'asc' } }),
    budgetMove: await db.budgetMove.findMany({ ...where, orderBy: { id: 'asc' } }),
    spendMonthly: await db.spendMonthly.findMany({
      ...where,
      orderBy: [{ month: 'asc' }, { category: 'asc' }, { status: 'asc' }],
    }),
    mappingRule: await db.mappingRule.findMany({ ...where, orderBy: { id: 'asc' } }),
    apiToken: await db.apiToken.findMany({ ...where, orderBy: { id: 'asc' } }),
    auditEvent: await db.auditEvent.findMany({ ...where, orderBy: { id: 'asc' } }),
    slackPost: await db.slackPost.findMany({ ...where, orderBy: { key: 'asc' } }),
    alertState: await db.alertState.findMany({
      ...where,
      orderBy: [{ lineId: 'asc' }, { threshold: 'asc' }],
    }),
    alert: await db.alert.findMany({ ...where, orderBy: { id: 'asc' } }),
    alertSnooze: await db.alertSnooze.findMany({ ...where, orderBy: { lineId: 'asc' } }),
    survey: surveys,
    surveyResponse: await db.surveyResponse.findMany({
      where: { surveyId: { in: surveys.map((s) => s.id) } },
      orderBy: { id: 'asc' },
    }),
    jobRun: await db.jobRun.findMany({ ...where, orderBy: { id: 'asc' } }),
  };
  return text(tables);
}

const text = (value: unknown) =>
  JSON.stringify(value, (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v instanceof Set ? [...v] : v,
  ) ?? 'undefined';

/** What must never appear in an answer to B: A's team id and the ids of A's rows. */
const markersOfA = () => [A, a.moveId, a.lineId, a.spendId, a.alertId, a.batchId, a.surveyId, a.tokenId];

const moveOf = (teamId: string, user: string) => ({
  teamId,
  amountMinor: 10_00n,
  fromCategory: 'Events',
  toCategory: 'Print',
  period,
  reason: `move ${teamId}`,
  requestedBy: user,
  fromOwner: user,
  toOwner: null,
  expiresAt: new Date('2026-12-31T00:00:00Z'),
});

async function seed(teamId: string, user: string, amount: bigint): Promise<Seeded> {
  const now = mo.clock();
  await mo.workspaces.ensure(teamId, { timezone: 'America/New_York' });
  await mo.workspaces.update(teamId, { adminUserIds: [user] }, user);
  await mo.budgets.set({ teamId, period, category: 'Events', plannedMinor: amount, ownerUserId: user }, user);
  const [line] = await mo.budgets.linesWithin(teamId, span);
  if (!line) throw new Error(`no budget line for ${teamId}`);
  const entry = {
    teamId,
    date: '2026-11-10',
    status: 'actual' as const,
    category: 'Events',
    campaign: `Launch ${teamId}`,
    vendor: 'Venue',
    source: 'manual',
    enteredBy: user,
  };
  const spend = await mo.spend.add({ ...entry, amountMinor: amount * 2n, idempotencyKey: 'k-actual' }, user);
  await mo.spend.add(
    {
      ...entry,
      status: 'committed',
      amountMinor: amount,
      commitmentId: 'PO-1',
      idempotencyKey: 'k-po',
    },
    user,
  );
  // Twice the plan spent: the evaluation raises alerts (A's are claimed into a batch below).
  await evaluateAlerts(mo, teamId, now);
  const claimed = await mo.alerts.claimBatch(teamId, new Date(now.getTime() + 86_400_000 * 3));
  if (!claimed?.alerts[0]) throw new Error(`no alert raised for ${teamId}`);
  const survey = await mo.surveys.create({
    teamId,
    templateId: 'marketing-ops-maturity',
    channelId: `C${teamId}`,
    anonymous: false,
    createdBy: user,
    opensAt: now,
    closesAt: new Date(now.getTime() + 7 * 86_400_000),
  });
  await mo.surveys.setMessage(survey.id, '1.000100');
  await mo.surveys.answer(survey, `key-${user}`, user, { q1: 3 } as never, now);
  await mo.mapping.add(teamId, { kind: 'prefix', pattern: `pattern-${teamId}`, category: 'Events' }, user);
  await mo.targets.set(teamId, 'leads', 'FY2026-Q4', 40n, user);
  await mo.targets.set(teamId, 'cpl', '', 120_00n, user, 'Events');
  // A lead and a deal on the campaign that names the team: /mo perf's figures of A carry A's id.
  await importLeads(
    csvImport(
      mo,
      teamId,
      `external_id,created_date,mql_date,sql_date,category,campaign\nL1,2026-11-02,2026-11-05,2026-11-09,Events,Launch ${teamId}\n`,
    ),
  );
  await importOpportunities(
    csvImport(
      mo,
      teamId,
      `external_id,created_date,amount,stage,close_date,won,category,campaign\nO1,2026-11-03,${amount},Won,2026-11-12,true,Events,Launch ${teamId}\n`,
    ),
  );
  await mo.digestSchedules.update(teamId, { enabled: true, channelId: `C${teamId}` }, user, now);
  await mo.budgets.replaceEstimates(
    {
      teamId,
      category: 'Events',
      period: 'FY2026-Q4',
      months: ['2026-12'],
      amounts: [{ month: '2026-12', amountMinor: amount }],
    },
    user,
  );
  const move = await mo.moves.create(moveOf(teamId, user));
  const token = await mo.tokens.create(teamId, `sync ${teamId}`, user);
  const postKey = 'digest:2026-11-16';
  await mo.posts.begin({ teamId, key: postKey, channel: `C${teamId}` });
  await mo.jobs.claim({
    job: 'digest',
    key: `digest:${teamId}`,
    teamId,
    slot: now,
    owner: 'test',
    leaseMs: 60_000,
    now,
  });
  return {
    moveId: move.id,
    lineId: line.id,
    spendId: spend.id,
    alertId: claimed.alerts[0].id,
    batchId: claimed.batchId,
    surveyId: survey.id,
    tokenId: token.id,
    postKey,
  };
}

type Call = () => Promise<unknown>;
interface Walk {
  /** A read: its answer to B holds nothing of A. A write: done as B, it leaves A as it was. */
  kind: 'read' | 'write';
  call: Call;
}
const read = (call: Call): Walk => ({ kind: 'read', call });
const write = (call: Call): Walk => ({ kind: 'write', call });

/**
 * Each method called as workspace B, naming A's rows where it takes an id. Methods that take
 * a row or a batch rather than a team are reached only through a lookup scoped by team: their
 * walk shows that lookup finds nothing of A for B, then calls them with B's own row.
 */
function walks(): Record<string, Record<string, Walk>> {
  const now = () => mo.clock();
  const later = () => new Date(now().getTime() + 86_400_000 * 30);
  const lineOfA = { lineId: '', rule: 'consumed', threshold: 100 } as const;
  const lineFiguresOfA = async () => {
    const [line] = await mo.alerts.lineFigures(A, '2026-11-16');
    if (!line) throw new Error('A has no line figures');
    return { ...line, forecast: line.actual };
  };
  return {
    workspaces: {
      get: read(() => mo.workspaces.get(B)),
      ensure: write(() => mo.workspaces.ensure(B)),
      update: write(() => mo.workspaces.update(B, { currency: 'EUR' }, 'UB')),
      storedAmounts: read(() => mo.workspaces.storedAmounts(B)),
    },
    budgets: {
      set: write(() =>
        mo.budgets.set({ teamId: B, period, category: 'Events', plannedMinor: 1n, ownerUserId: 'UA' }, 'UB'),
      ),
      linesOverlapping: read(() => mo.budgets.linesOverlapping(B, span)),
      estimatesWithin: read(() => mo.budgets.estimatesWithin(B, span)),
      monthCells: read(async () => {
        const { lines, spent, estimates } = await mo.budgets.monthCells(B, span, '2026-11-16');
        return [...lines, ...spent, ...estimates];
      }),
      replaceEstimates: write(() =>
        mo.budgets.replaceEstimates(
          { teamId: B, category: 'Events', period: 'FY2026-Q4', months: ['2026-11'], amounts: [] },
          'UB',
        ),
      ),
      linesWithin: read(() => mo.budgets.linesWithin(B, span)),
      categories: read(() => mo.budgets.categories(B)),
    },
    spend: {
      monthSums: read(() => mo.spend.monthSums(B, span.start, span.end, '2026-11-16')),
      sumsByCategory: read(() => mo.spend.sumsByCategory(B, span.start, span.end, '2026-11-16')),
      dailyActual: read(() => mo.spend.dailyActual(B, span.start, span.end)),
      dailyFigures: read(() => mo.spend.dailyFigures(B, span.start, span.end)),
      actualByCategory: read(() => mo.spend.actualByCategory(B, span.start, span.end)),
      actualByCampaign: read(() => mo.spend.actualByCampaign(B, span.start, span.end, 'Events')),
      add: write(() =>
        mo.spend.add(
          {
            teamId: B,
            date: '2026-11-11',
            amountMinor: 1n,
            status: 'committed',
            category: 'Events',
            campaign: '',
            vendor: '',
            source: 'manual',
            commitmentId: 'PO-1',
            idempotencyKey: 'k-actual',
          },
          'UB',
        ),
      ),
      find: read(() => mo.spend.find(B, a.spendId)),
      update: read(() => mo.spend.update(B, a.spendId, { amountMinor: 1n } as never, 'UB')),
      remove: read(() => mo.spend.remove(B, a.spendId, 'UB', 'spend.delete')),
      closeCommitment: write(() => mo.spend.closeCommitment(B, 'PO-1', 'UB')),
      list: read(() => mo.spend.list(B, { take: 100 })),
      lastEntryBy: read(() => mo.spend.lastEntryBy(B, 'UA', new Date(0))),
      categories: read(() => mo.spend.categories(B)),
    },
    moves: {
      create: write(() => mo.moves.create(moveOf(B, 'UB'))),
      get: read(() => mo.moves.get(B, a.moveId)),
      expireOverdue: write(() => mo.moves.expireOverdue(B, later())),
      open: read(() => mo.moves.open(B)),
      approve: read(() => mo.moves.approve(B, a.moveId, ['from', 'to'], 'UB', now())),
      reject: read(() => mo.moves.reject(B, a.moveId, 'UB', 'no', now())),
      apply: read(() => mo.moves.apply(B, a.moveId, 'UB', now(), async () => undefined)),
    },
    commitments: {
      list: read(() => mo.commitments.list(B, {})),
      get: read(() => mo.commitments.get(B, 'PO-1')),
    },
    audit: {
      record: write(() =>
        mo.audit.record({ teamId: B, actor: 'UB', action: 'test', entity: 'x', entityId: '1' }),
      ),
      recent: read(() => mo.audit.recent(B, 500)),
    },
    posts: {
      get: read(() => mo.posts.get(B, a.postKey)),
      begin: write(() => mo.posts.begin({ teamId: B, key: a.postKey, channel: 'CB' })),
      takeOver: write(() => mo.posts.takeOver(B, a.postKey, 0)),
      release: write(() => mo.posts.release(B, a.postKey)),
      posted: write(() => mo.posts.posted(B, a.postKey, 'CB', '9.000100')),
    },
    tokens: {
      create: write(() => mo.tokens.create(B, 'sync', 'UB')),
      list: read(() => mo.tokens.list(B)),
      revoke: read(() => mo.tokens.revoke(B, a.tokenId, 'UB')),
    },
    alerts: {
      batch: read(async () => {
        // A batch id is found through alerts scoped by team: B finds none of A's.
        expect(await mo.alerts.orphanBatches(B, later())).not.toContain(a.batchId);
        expect((await mo.alerts.get(B, a.alertId))?.batchId).toBeUndefined();
        return mo.alerts.batch(b.batchId);
      }),
      settings: read(() => mo.alerts.settings(B)),
      updateSettings: write(() => mo.alerts.updateSettings(B, { channelId: 'CB' }, 'UB')),
      lineFigures: read(() => mo.alerts.lineFigures(B, '2026-11-16')),
      states: read(() => mo.alerts.states(B)),
      fireNew: write(async () =>
        mo.alerts.fireNew(
          B,
          [
            {
              c: { lineId: a.lineId, rule: 'consumed', threshold: 50, loud: true } as never,
              line: await lineFiguresOfA(),
            },
          ],
          now(),
          now(),
        ),
      ),
      snoozedLines: read(() => mo.alerts.snoozedLines(B, now())),
      fire: write(async () =>
        mo.alerts.fire(
          B,
          { lineId: a.lineId, rule: 'consumed', threshold: 100, loud: true } as never,
          await lineFiguresOfA(),
          now(),
          now(),
        ),
      ),
      resolve: write(() => mo.alerts.resolve(B, { ...lineOfA, lineId: a.lineId }, now())),
      claimBatch: read(() => mo.alerts.claimBatch(B, later())),
      orphanBatches: read(() => mo.alerts.orphanBatches(B, later())),
      delivered: write(async () => {
        expect(await mo.alerts.orphanBatches(B, later())).not.toContain(a.batchId);
        return mo.alerts.delivered(b.batchId, { channelId: 'CB', ts: '2.000100' }, now());
      }),
      get: read(() => mo.alerts.get(B, a.alertId)),
      acknowledge: read(() => mo.alerts.acknowledge(B, a.alertId, 'UB', now())),
      snooze: read(() => mo.alerts.snooze(B, a.alertId, 'UB', later())),
      snoozes: read(() => mo.alerts.snoozes(B, [a.lineId])),
      open: read(async () => (await mo.alerts.open(B, now(), { take: 100 })).alerts),
      history: read(() => mo.alerts.history(B, 100)),
      openAlertCategories: read(() => mo.alerts.openAlertCategories(B, span.start, span.end)),
    },
    surveys: {
      create: write(() =>
        mo.surveys.create({
          teamId: B,
          templateId: 'marketing-ops-maturity',
          channelId: 'CB',
          anonymous: true,
          createdBy: 'UB',
          opensAt: now(),
          closesAt: later(),
        }),
      ),
      get: read(() => mo.surveys.get(B, a.surveyId)),
      // By survey id: callers hold a survey found by (team, id); B cannot find A's.
      discard: write(async () => {
        expect(await mo.surveys.get(B, a.surveyId)).toBeNull();
        return mo.surveys.discard(b.surveyId);
      }),
      setMessage: write(async () => {
        expect(await mo.surveys.get(B, a.surveyId)).toBeNull();
        return mo.surveys.setMessage(b.surveyId, '3.000100');
      }),
      list: read(() => mo.surveys.list(B, 100)),
      latest: read(() => mo.surveys.latest(B)),
      previous: read(async () => mo.surveys.previous((await mo.surveys.get(B, b.surveyId)) as never)),
      answer: write(async () =>
        mo.surveys.answer((await mo.surveys.get(B, b.surveyId)) as never, 'key-UA', 'UA', {} as never, now()),
      ),
      count: read(async () => {
        expect(await mo.surveys.get(B, a.surveyId)).toBeNull();
        return mo.surveys.count(b.surveyId);
      }),
      counts: read(async () => mo.surveys.counts((await mo.surveys.list(B, 100)).map((s) => s.id))),
      responses: read(async () => {
        expect(await mo.surveys.get(B, a.surveyId)).toBeNull();
        return mo.surveys.responses(b.surveyId);
      }),
      openFor: read(() => mo.surveys.openFor(B, () => 'key-UA')),
      close: write(async () => {
        expect(await mo.surveys.get(B, a.surveyId)).toBeNull();
        return mo.surveys.close(b.surveyId, now());
      }),
    },
    mapping: {
      list: read(() => mo.mapping.list(B)),
      add: write(() => mo.mapping.add(B, { kind: 'prefix', pattern: 'other', category: 'Events' }, 'UB')),
      remove: write(() => mo.mapping.remove(B, 0, 'UB')),
    },
    targets: {
      set: write(() => mo.targets.set(B, 'leads', 'FY2026-Q4', 1n, 'UB')),
      list: read(() => mo.targets.list(B)),
      perfTargets: read(() => mo.targets.perfTargets(B)),
    },
    perf: {
      funnelParts: read(() => mo.perf.funnelParts(B, span.start, span.end, 'campaign', 'Events')),
      cohort: read(() => mo.perf.cohort(B, span.start, span.end)),
      categories: read(() => mo.perf.categories(B)),
    },
    digestSchedules: {
      get: read(() => mo.digestSchedules.get(B)),
      update: write(() => mo.digestSchedules.update(B, { enabled: false }, 'UB', now())),
      rememberChannel: write(() => mo.digestSchedules.rememberChannel(B, 'CB2')),
    },
    jobs: {
      recent: read(() => mo.jobs.recent({ teamId: B, limit: 100 })),
    },
  };
}

/** Methods that work across workspaces by design, and why that is safe. */
const GLOBAL: Record<string, Record<string, string>> = {
  tokens: { verify: 'finds a token by its secret; the token then names its one workspace' },
  alerts: { teamsWithLines: 'the hourly job lists the workspaces to evaluate, each run then scoped' },
  surveys: { open: 'the scheduler lists open surveys; each run works on its own survey’s team' },
  digestSchedules: { enabled: 'the scheduler lists enabled digests; each run is scoped to its team' },
  jobs: {
    claim: 'a lease on (job key, slot): scheduler state, no workspace data',
    renew: 'a lease on (job key, slot)',
    finish: 'a lease on (job key, slot)',
    release: 'the leases of one process',
    get: 'a run by (job key, slot)',
    pruneTicks: 'the scheduler’s own ticks',
  },
  installations: Object.fromEntries(
    [
      'installationKey',
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
    ].map((m) => [m, 'installations are found by the team and enterprise ids Slack signs (the gate)']),
  ),
};

/** Everything on the Mo context that is not a repository. */
const NOT_REPOSITORIES = new Set(['db', 'databaseUrl', 'clock', 'events', 'figuresChanged', 'forTeam']);

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T12:00:00Z');
  mo = t.mo;
  a = await seed(A, 'UA', 100_00n);
  b = await seed(B, 'UB', 300_00n);
});
afterAll(() => t?.close());

describe('every repository method, with two workspaces', () => {
  it('is walked here or named global with its reason', () => {
    const plan = walks();
    const repositories = Object.keys(mo).filter((k) => !NOT_REPOSITORIES.has(k));
    expect(repositories.sort()).toEqual([...new Set([...Object.keys(plan), ...Object.keys(GLOBAL)])].sort());
    for (const name of repositories) {
      const methods = Object.keys(mo[name as keyof Mo] as object).sort();
      const listed = [...Object.keys(plan[name] ?? {}), ...Object.keys(GLOBAL[name] ?? {})].sort();
      expect(methods, name).toEqual(listed);
    }
  });

  it('gives B no row of A and changes none of A’s', async () => {
    const before = await snapshot(A);
    expect(before).toContain(a.alertId);
    expect(before).toContain('PO-1');
    const markers = markersOfA();
    for (const [repo, methods] of Object.entries(walks()))
      for (const [method, walk] of Object.entries(methods)) {
        const name = `${repo}.${method}`;
        let answer: unknown;
        try {
          answer = await walk.call();
        } catch (e) {
          // A write B may not make (a duplicate key, say) must fail without touching A; a read must answer.
          if (walk.kind === 'read') throw new Error(`${name} failed: ${String(e)}`);
        }
        if (walk.kind === 'read')
          for (const m of markers) expect(text(answer), `${name} answered ${m}`).not.toContain(m);
        expect(await snapshot(A), `${name} changed A`).toBe(before);
      }
  });

  it('still serves A its own rows (the walk above could fail)', async () => {
    expect(text(await mo.spend.find(A, a.spendId))).toContain(a.spendId);
    expect(text(await mo.alerts.get(A, a.alertId))).toContain(a.alertId);
    expect(text(await mo.surveys.get(A, a.surveyId))).toContain(a.surveyId);
    expect(text(await mo.commitments.get(A, 'PO-1'))).toContain('"committed":"10000n"');
    expect(text(await mo.tokens.list(A))).toContain(a.tokenId);
    expect(text(await mo.posts.get(A, a.postKey))).toContain(A);
    expect(text(await mo.jobs.recent({ teamId: A }))).toContain(A);
  });
});
