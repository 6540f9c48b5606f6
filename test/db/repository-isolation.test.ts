// Every method of every repository on the Mo context, walked with two workspaces: workspace B
// calls each one naming A's rows (A's line, spend, commitment, alert, batch, survey, token,
// post key), and gets back no row of A and changes none. The methods are read off the
// repositories themselves: one not listed here (walked, or global with its reason) fails the
// first test, so a new method cannot slip past this check unnoticed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/db/client.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { importLeads, importOpportunities } from '../../src/ingest/import.js';
import { evaluateAlerts } from '../../src/services/alerts.js';
import type { Mo } from '../../src/services/mo.js';
import {
  CrossWorkspaceError,
  TEAM_SCOPE,
  UNSCOPED,
  type WorkspaceMo,
} from '../../src/services/team-scope.js';
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

/** Models without a teamId column, and how their rows are found by workspace. */
const CHILD_ROWS: Record<string, (teamId: string) => object> = {
  SurveyResponse: (teamId) => ({ survey: { teamId } }),
};

/**
 * Every model Prisma knows (its model list, so a model added later is included here without
 * a change) with a `teamId` column, plus the child rows above: a model with neither fails.
 */
function workspaceTables(): Array<{ model: string; where: (teamId: string) => object }> {
  return Object.values(Prisma.ModelName).map((model) => {
    const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[
      `${model}ScalarFieldEnum`
    ];
    if (fields && 'teamId' in fields) return { model, where: (teamId: string) => ({ teamId }) };
    const child = CHILD_ROWS[model];
    if (!child) throw new Error(`Model ${model} has no teamId column and no way to its workspace here`);
    return { model, where: child };
  });
}

/** Workspace data of `teamId` in every table that holds it, as text (bigints and dates too). */
async function snapshot(teamId: string): Promise<string> {
  const tables: Record<string, string[]> = {};
  for (const { model, where } of workspaceTables()) {
    const delegate = (mo.db as unknown as Record<string, { findMany(a: object): Promise<unknown[]> }>)[
      model.charAt(0).toLowerCase() + model.slice(1)
    ];
    if (!delegate) throw new Error(`No client delegate for model ${model}`);
    tables[model] = (await delegate.findMany({ where: where(teamId) })).map(text).sort();
  }
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
  await evaluateAlerts(mo.forTeam(teamId), now);
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
  await mo.surveys.setMessage(teamId, survey.id, '1.000100');
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
 * Each method called through workspace B's scope (what commands and services hold), naming
 * A's rows wherever it takes an id or a row: the scope binds B, so nothing of A is found.
 */
function walks(): Record<string, Record<string, Walk>> {
  const sb: WorkspaceMo = mo.forTeam(B);
  const now = () => mo.clock();
  const later = () => new Date(now().getTime() + 86_400_000 * 30);
  const lineFiguresOfA = async () => {
    const [line] = await mo.alerts.lineFigures(A, '2026-11-16');
    if (!line) throw new Error('A has no line figures');
    return { ...line, forecast: line.actual };
  };
  /** A's survey row, its team left for the scope to set. */
  const surveyOfA = async () => {
    const { teamId: _, ...row } = (await mo.surveys.get(A, a.surveyId)) as NonNullable<
      Awaited<ReturnType<Mo['surveys']['get']>>
    >;
    return row;
  };
  return {
    workspaces: {
      get: read(() => sb.workspaces.get()),
      ensure: write(() => sb.workspaces.ensure()),
      update: write(() => sb.workspaces.update({ currency: 'EUR' }, 'UB')),
      storedAmounts: read(() => sb.workspaces.storedAmounts()),
    },
    budgets: {
      set: write(() =>
        sb.budgets.set({ period, category: 'Events', plannedMinor: 1n, ownerUserId: 'UA' }, 'UB'),
      ),
      linesOverlapping: read(() => sb.budgets.linesOverlapping(span)),
      estimatesWithin: read(() => sb.budgets.estimatesWithin(span)),
      monthCells: read(async () => {
        const { lines, spent, estimates } = await sb.budgets.monthCells(span, '2026-11-16');
        return [...lines, ...spent, ...estimates];
      }),
      replaceEstimates: write(() =>
        sb.budgets.replaceEstimates(
          { category: 'Events', period: 'FY2026-Q4', months: ['2026-11'], amounts: [] },
          'UB',
        ),
      ),
      linesWithin: read(() => sb.budgets.linesWithin(span)),
      ownedCategories: read(() => sb.budgets.ownedCategories('UA')),
      categories: read(() => sb.budgets.categories()),
    },
    spend: {
      monthSums: read(() => sb.spend.monthSums(span.start, span.end, '2026-11-16')),
      sumsByCategory: read(() => sb.spend.sumsByCategory(span.start, span.end, '2026-11-16')),
      dailyActual: read(() => sb.spend.dailyActual(span.start, span.end)),
      dailyFigures: read(() => sb.spend.dailyFigures(span.start, span.end)),
      actualByCategory: read(() => sb.spend.actualByCategory(span.start, span.end)),
      actualByCampaign: read(() => sb.spend.actualByCampaign(span.start, span.end, 'Events')),
      add: write(() =>
        sb.spend.add(
          {
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
      find: read(() => sb.spend.find(a.spendId)),
      update: read(() => sb.spend.update(a.spendId, { amountMinor: 1n } as never, 'UB')),
      remove: read(() => sb.spend.remove(a.spendId, 'UB', 'spend.delete')),
      closeCommitment: write(() => sb.spend.closeCommitment('PO-1', 'UB')),
      list: read(() => sb.spend.list({ take: 100 })),
      lastEntryBy: read(() => sb.spend.lastEntryBy('UA', new Date(0))),
      categories: read(() => sb.spend.categories()),
    },
    moves: {
      create: write(() => {
        const { teamId: _, ...move } = moveOf(B, 'UB');
        return sb.moves.create(move);
      }),
      get: read(() => sb.moves.get(a.moveId)),
      expireOverdue: write(() => sb.moves.expireOverdue(later())),
      open: read(() => sb.moves.open()),
      approve: read(() => sb.moves.approve(a.moveId, ['from', 'to'], 'UB', now())),
      reject: read(() => sb.moves.reject(a.moveId, 'UB', 'no', now())),
      apply: read(() => sb.moves.apply(a.moveId, 'UB', now(), async () => undefined)),
    },
    commitments: {
      list: read(() => sb.commitments.list({})),
      get: read(() => sb.commitments.get('PO-1')),
    },
    audit: {
      record: write(() => sb.audit.record({ actor: 'UB', action: 'test', entity: 'x', entityId: '1' })),
      recent: read(() => sb.audit.recent(500)),
    },
    posts: {
      get: read(() => sb.posts.get(a.postKey)),
      begin: write(() => sb.posts.begin({ key: a.postKey, channel: 'CB' })),
      takeOver: write(() => sb.posts.takeOver(a.postKey, 0)),
      release: write(() => sb.posts.release(a.postKey)),
      posted: write(() => sb.posts.posted(a.postKey, 'CB', '9.000100')),
    },
    tokens: {
      create: write(() => sb.tokens.create('sync', 'UB')),
      list: read(() => sb.tokens.list()),
      revoke: read(() => sb.tokens.revoke(a.tokenId, 'UB')),
    },
    alerts: {
      batch: read(() => sb.alerts.batch(a.batchId)),
      settings: read(() => sb.alerts.settings()),
      updateSettings: write(() => sb.alerts.updateSettings({ channelId: 'CB' }, 'UB')),
      lineFigures: read(() => sb.alerts.lineFigures('2026-11-16')),
      states: read(() => sb.alerts.states()),
      fireNew: write(async () =>
        sb.alerts.fireNew(
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
      snoozedLines: read(() => sb.alerts.snoozedLines(now())),
      fire: write(async () =>
        sb.alerts.fire(
          { lineId: a.lineId, rule: 'consumed', threshold: 100, loud: true } as never,
          await lineFiguresOfA(),
          now(),
          now(),
        ),
      ),
      resolve: write(() => sb.alerts.resolve({ lineId: a.lineId, rule: 'consumed', threshold: 100 }, now())),
      claimBatch: read(() => sb.alerts.claimBatch(later())),
      orphanBatches: read(() => sb.alerts.orphanBatches(later())),
      delivered: write(() => sb.alerts.delivered(a.batchId, { channelId: 'CB', ts: '2.000100' }, now())),
      get: read(() => sb.alerts.get(a.alertId)),
      acknowledge: read(() => sb.alerts.acknowledge(a.alertId, 'UB', now())),
      snooze: read(() => sb.alerts.snooze(a.alertId, 'UB', later())),
      snoozes: read(() => sb.alerts.snoozes([a.lineId])),
      open: read(async () => (await sb.alerts.open(now(), { take: 100 })).alerts),
      history: read(() => sb.alerts.history(100)),
      openAlertCategories: read(() => sb.alerts.openAlertCategories(span.start, span.end)),
    },
    surveys: {
      create: write(() =>
        sb.surveys.create({
          templateId: 'marketing-ops-maturity',
          channelId: 'CB',
          anonymous: true,
          createdBy: 'UB',
          opensAt: now(),
          closesAt: later(),
        }),
      ),
      get: read(() => sb.surveys.get(a.surveyId)),
      discard: write(() => sb.surveys.discard(a.surveyId)),
      setMessage: write(() => sb.surveys.setMessage(a.surveyId, '3.000100')),
      list: read(() => sb.surveys.list(100)),
      latest: read(() => sb.surveys.latest()),
      previous: read(async () => sb.surveys.previous(await surveyOfA())),
      answer: write(async () => sb.surveys.answer(await surveyOfA(), 'key-UB', 'UB', {} as never, now())),
      count: read(() => sb.surveys.count(a.surveyId)),
      counts: read(async () => [...(await sb.surveys.counts([a.surveyId, b.surveyId])).keys()]),
      responses: read(() => sb.surveys.responses(a.surveyId)),
      openFor: read(() => sb.surveys.openFor(() => 'key-UA')),
      close: write(() => sb.surveys.close(a.surveyId, now())),
    },
    mapping: {
      list: read(() => sb.mapping.list()),
      add: write(() => sb.mapping.add({ kind: 'prefix', pattern: 'other', category: 'Events' }, 'UB')),
      remove: write(() => sb.mapping.remove(0, 'UB')),
    },
    targets: {
      set: write(() => sb.targets.set('leads', 'FY2026-Q4', 1n, 'UB')),
      list: read(() => sb.targets.list()),
      perfTargets: read(() => sb.targets.perfTargets()),
    },
    perf: {
      funnelParts: read(() => sb.perf.funnelParts(span.start, span.end, 'campaign', 'Events')),
      cohort: read(() => sb.perf.cohort(span.start, span.end)),
      categories: read(() => sb.perf.categories()),
    },
    kpis: {
      dailyFigures: read(() => sb.kpis.dailyFigures(span.start, span.end)),
      pipelineByCategory: read(() => sb.kpis.pipelineByCategory(span.start, span.end)),
      hasAnyFigures: read(() => sb.kpis.hasAnyFigures()),
    },
    digestSchedules: {
      get: read(() => sb.digestSchedules.get()),
      update: write(() => sb.digestSchedules.update({ enabled: false }, 'UB', now())),
      rememberChannel: write(() => sb.digestSchedules.rememberChannel('CB2')),
    },
    jobs: {
      recent: read(() => sb.jobs.recent({ limit: 100 })),
    },
    // Last: it removes B's rows the walks above read.
    workspaceData: {
      remove: write(() => sb.workspaceData.remove()),
    },
  };
}

/** Everything on the Mo context that is not a repository. */
const NOT_REPOSITORIES = new Set(['db', 'databaseUrl', 'clock', 'events', 'figuresChanged', 'forTeam']);

/** A scoped method that takes its team inside its input: called naming A, it is refused. */
const INPUT_NAMING_A: Record<string, () => Promise<unknown>> = {
  'budgets.set': () =>
    mo
      .forTeam(B)
      .budgets.set({ teamId: A, period, category: 'Events', plannedMinor: 1n, ownerUserId: null }, 'UB'),
  'budgets.replaceEstimates': () =>
    mo
      .forTeam(B)
      .budgets.replaceEstimates(
        { teamId: A, category: 'Events', period: 'FY2026-Q4', months: ['2026-11'], amounts: [] },
        'UB',
      ),
  'spend.add': () =>
    mo.forTeam(B).spend.add(
      {
        teamId: A,
        date: '2026-11-11',
        amountMinor: 1n,
        status: 'actual',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'k-actual',
      },
      'UB',
    ),
  'audit.record': () =>
    mo.forTeam(B).audit.record({ teamId: A, actor: 'UB', action: 'test', entity: 'x', entityId: '1' }),
  'moves.create': () => mo.forTeam(B).moves.create(moveOf(A, 'UB')),
  'posts.begin': () => mo.forTeam(B).posts.begin({ teamId: A, key: 'other', channel: 'CB' }),
  'surveys.create': () =>
    mo.forTeam(B).surveys.create({
      teamId: A,
      templateId: 'marketing-ops-maturity',
      channelId: 'CB',
      anonymous: true,
      createdBy: 'UB',
      opensAt: mo.clock(),
      closesAt: mo.clock(),
    }),
  'surveys.previous': async () =>
    mo.forTeam(B).surveys.previous((await mo.surveys.get(A, a.surveyId)) as never),
  'surveys.answer': async () =>
    mo
      .forTeam(B)
      .surveys.answer((await mo.surveys.get(A, a.surveyId)) as never, 'k', 'UB', {} as never, mo.clock()),
  'jobs.recent': () => mo.forTeam(B).jobs.recent({ teamId: A }),
  'imports.spend': () =>
    mo.forTeam(B).imports.spend({
      teamId: A,
      now: mo.clock(),
      currency: 'USD',
      fiscalStartMonth: 1,
      source: 'csv',
      actor: 'UB',
      open: () => {
        throw new Error('never read');
      },
    }),
};

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T12:00:00Z');
  mo = t.mo;
  a = await seed(A, 'UA', 100_00n);
  b = await seed(B, 'UB', 300_00n);
});
afterAll(() => t?.close());

describe('every repository method, with two workspaces', () => {
  it('is walked here or named unscoped with its reason (src/services/team-scope.ts)', () => {
    const plan = walks();
    const unscoped: Record<string, Record<string, string>> = UNSCOPED;
    const repositories = Object.keys(mo).filter((k) => !NOT_REPOSITORIES.has(k));
    expect(repositories.sort()).toEqual(
      [...new Set([...Object.keys(plan), ...Object.keys(unscoped)])].sort(),
    );
    for (const name of repositories) {
      const methods = Object.keys(mo[name as keyof Mo] as object).sort();
      const listed = [...Object.keys(plan[name] ?? {}), ...Object.keys(unscoped[name] ?? {})].sort();
      expect(methods, name).toEqual(listed);
    }
  });

  it('gives B no row of A and changes none of A’s', async () => {
    const before = await snapshot(A);
    expect(before).toContain(a.alertId);
    expect(before).toContain('PO-1');
    // Every table with a teamId is in the snapshot, these among them with A's rows.
    const tables = JSON.parse(before) as Record<string, string[]>;
    for (const model of ['Lead', 'Opportunity', 'WorkspaceAdmin', 'FunnelDaily', 'SurveyResponse'])
      expect(tables[model]?.length, model).toBeGreaterThan(0);
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

  it('refuses a scoped call whose input names another workspace, and changes nothing', async () => {
    const inputs = Object.entries(TEAM_SCOPE).flatMap(([repo, spec]) =>
      Object.entries(spec)
        .filter(([, kind]) => kind === 'input')
        .map(([method]) => `${repo}.${method}`),
    );
    expect(Object.keys(INPUT_NAMING_A).sort()).toEqual([...inputs, 'imports.spend'].sort());
    const before = await snapshot(A);
    for (const [name, call] of Object.entries(INPUT_NAMING_A))
      await expect(call(), name).rejects.toThrow(CrossWorkspaceError);
    expect(await snapshot(A)).toBe(before);
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
