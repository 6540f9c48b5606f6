// `mo workspace delete`: every row of one workspace goes, in one transaction, and not one row
// of another workspace does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/db/client.js';
import { clockStamped } from '../../src/db/stamps.js';
import { deleteWorkspaceRows, workspaceModels } from '../../src/db/workspace-data.js';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const WHEN = new Date('2026-11-16T12:00:00Z');

/** One or more rows in every model of a workspace. */
async function seed(teamId: string) {
  const { mo } = t;
  const db = mo.db;
  await mo.workspaces.ensure(teamId);
  await mo.workspaces.update(teamId, { adminUserIds: ['U1'] }, 'U1');
  const period = requirePeriod('FY2026-Q4', '2026-11-16', 1);
  await mo.budgets.set({ teamId, period, category: 'Events', plannedMinor: 100n, ownerUserId: null }, 'U1');
  const line = await db.budgetLine.findFirstOrThrow({ where: { teamId } });
  await mo.budgets.replaceEstimates(
    {
      teamId,
      category: 'Events',
      period: period.key,
      months: ['2026-12'],
      amounts: [{ month: '2026-12', amountMinor: 90n }],
    },
    'U1',
  );
  await mo.moves.create({
    teamId,
    amountMinor: 10n,
    fromCategory: 'Events',
    toCategory: 'Print',
    period,
    reason: 'test',
    requestedBy: 'U1',
    fromOwner: null,
    toOwner: null,
    expiresAt: WHEN,
  });
  await mo.spend.add(
    {
      teamId,
      date: '2026-11-10',
      amountMinor: 50n,
      status: 'actual',
      category: 'Events',
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: `k-${teamId}`,
    },
    'U1',
  );
  await mo.tokens.create(teamId, 'sync', 'U1');
  await db.lead.create({
    data: clockStamped({
      teamId,
      externalId: 'L1',
      createdDate: '2026-11-01',
      category: 'Events',
      source: 'csv',
    }),
  });
  await db.opportunity.create({
    data: clockStamped({
      teamId,
      externalId: 'O1',
      createdDate: '2026-11-01',
      amountMinor: 10n,
      category: 'Events',
      source: 'csv',
    }),
  });
  await db.commitment.create({ data: clockStamped({ teamId, commitmentId: 'PO-1', committedMinor: 10n }) });
  await db.target.create({
    data: clockStamped({ teamId, metric: 'leads', period: 'FY2026-Q4', value: 10n, createdBy: 'U1' }),
  });
  await db.mappingRule.create({
    data: clockStamped({
      teamId,
      position: 1,
      kind: 'prefix',
      pattern: 'ev',
      category: 'Events',
      createdBy: 'U1',
    }),
  });
  await db.jobRun.create({
    data: {
      job: 'digest',
      key: `digest:${teamId}`,
      teamId,
      slot: WHEN,
      status: 'succeeded',
      owner: 'x',
      leaseUntil: WHEN,
      startedAt: WHEN,
    },
  });
  await db.slackPost.create({ data: clockStamped({ teamId, key: 'p1', channel: 'C1', status: 'posted' }) });
  await db.alertState.create({
    data: { teamId, lineId: line.id, rule: 'consumed', threshold: 80, status: 'firing', changedAt: WHEN },
  });
  await db.alert.create({
    data: {
      teamId,
      lineId: line.id,
      period: 'FY2026-Q4',
      category: 'Events',
      rule: 'consumed',
      threshold: 80,
      plannedMinor: 100n,
      actualMinor: 90n,
      committedMinor: 0n,
      forecastMinor: 90n,
      raisedAt: WHEN,
      deliverAt: WHEN,
    },
  });
  await db.alertSnooze.create({ data: { teamId, lineId: line.id, until: WHEN, by: 'U1' } });
  const survey = await db.survey.create({
    data: clockStamped({
      teamId,
      templateId: 'mops',
      channelId: 'C1',
      createdBy: 'U1',
      opensAt: WHEN,
      closesAt: WHEN,
    }),
  });
  await db.surveyResponse.createMany({
    data: ['a', 'b'].map((k) => ({
      surveyId: survey.id,
      respondentKey: k,
      answers: '{}',
      submittedAt: WHEN,
      updatedAt: WHEN,
    })),
  });
  await mo.installations.store({
    teamId,
    enterpriseId: null,
    isEnterpriseInstall: false,
    botUserId: 'UBOT',
    botScopes: [],
    source: 'oauth',
    botToken: `xoxb-${teamId}`,
  });
  await mo.installations.rememberOrgWorkspace(teamId, 'E0ORG');
}

async function countsFor(teamId: string): Promise<Record<string, number>> {
  const db = t.mo.db as unknown as Record<string, { count(args: object): Promise<number> }>;
  const out: Record<string, number> = {};
  for (const model of workspaceModels()) {
    const d = db[model.charAt(0).toLowerCase() + model.slice(1)] as { count(args: object): Promise<number> };
    out[model] = await d.count({ where: model === 'SurveyResponse' ? { survey: { teamId } } : { teamId } });
  }
  return out;
}

describe('deleting a workspace', () => {
  it('covers every model: each has a teamId or is deleted through its parent', () => {
    const models = Object.values(Prisma.ModelName);
    expect([...workspaceModels()].sort()).toEqual([...models].sort());
  });

  it('removes every row of one workspace in one go, counts them, and leaves the other intact', async () => {
    await seed('T0GONE');
    await seed('T0STAY');
    const before = await countsFor('T0STAY');
    const gone = await countsFor('T0GONE');
    // The seed reaches every model, so the test proves each one is deleted.
    for (const [model, n] of Object.entries(gone)) expect(n, model).toBeGreaterThan(0);

    const removed = await deleteWorkspaceRows(t.mo.db, 'T0GONE');
    expect(removed).toEqual(gone);
    expect(Object.values(await countsFor('T0GONE')).every((n) => n === 0)).toBe(true);
    expect(await countsFor('T0STAY')).toEqual(before);
    expect(await deleteWorkspaceRows(t.mo.db, 'T0GONE')).toEqual(
      Object.fromEntries(Object.keys(gone).map((m) => [m, 0])),
    );
  });

  it('keeps the installation when asked (a delete from Slack: Mo stays installed)', async () => {
    const removed = await deleteWorkspaceRows(t.mo.db, 'T0STAY', { keepInstallation: true });
    expect(removed.Installation).toBeUndefined();
    expect(removed.Spend).toBe(1);
    expect(await t.mo.installations.forWorkspace('T0STAY')).not.toBeNull();
  });
});
