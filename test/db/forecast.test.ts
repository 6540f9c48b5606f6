// Latest estimates on a real database: who may set one, how it is phased over the months
// still open, how /mo budget shows it beside the computed forecast, and clearing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import { UserError } from '../../src/domain/errors.js';
import { evaluateAlerts } from '../../src/services/alerts.js';
import { budgetReport } from '../../src/services/budget.js';
import { clearLatestEstimate, setLatestEstimate } from '../../src/services/forecast.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0LE';
const q4 = fiscalQuarter(2026, 4, 1); // Oct 1 – Dec 31, 2026
const q3 = fiscalQuarter(2026, 3, 1);
let t: TestDatabase;
let settings: WorkspaceSettings;

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as UserError,
  );

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T12:00:00Z'); // Nov 16: day 16 of November's 30
  settings = await t.mo.workspaces.update(TEAM, { fiscalStartMonth: 1, timezone: 'UTC' }, 'U0ADMIN');
  await t.mo.budgets.set(
    { teamId: TEAM, period: q4, category: 'Events', plannedMinor: 300_000n, ownerUserId: 'U0OWNER' },
    'U0ADMIN',
  );
  await t.mo.spend.add(
    {
      teamId: TEAM,
      date: '2026-10-10',
      amountMinor: 50_000n,
      status: 'actual',
      category: 'Events',
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: 'le-1',
    },
    'U0ADMIN',
  );
});
afterAll(() => t.close());

describe('a latest estimate', () => {
  const req = { category: 'events', period: q4, actor: 'U0OWNER', isAdmin: false };

  it('is refused to anyone but the line owner or an admin, writing nothing', async () => {
    const e = await failure(
      setLatestEstimate(t.mo.forTeam(settings.teamId), settings, {
        ...req,
        actor: 'U0STRANGER',
        amountMinor: 1n,
      }),
    );
    expect(e).toBeInstanceOf(UserError);
    expect([e?.kind, e?.message]).toEqual([
      'refused',
      "Only the owner of Events's line or an admin can set or clear the latest estimate for Events.",
    ]);
    expect(await t.mo.db.latestEstimate.count()).toBe(0);
    expect(await t.mo.db.auditEvent.count({ where: { teamId: TEAM, entity: 'latest_estimate' } })).toBe(0);
  });

  it('keeps what the ended months booked and phases the rest over the open months', async () => {
    // 400,000 for Q4: October (ended) booked 50,000, so 350,000 over Nov (30) and Dec (31):
    // 350,000 × 30/61 = 172,131 r 9 and × 31/61 = 177,868 r 52, the unit left to December.
    const set = await setLatestEstimate(t.mo.forTeam(settings.teamId), settings, {
      ...req,
      amountMinor: 400_000n,
    });
    expect(set.booked).toBe(50_000n);
    expect(set.months).toEqual([
      { month: '2026-11', amountMinor: 172_131n },
      { month: '2026-12', amountMinor: 177_869n },
    ]);
    // Computed forecast beside it: Oct 50,000; Nov 0 so far; Dec its plan share 101,087
    // (300,000 by days: 101,087, 97,826, 101,087). Status follows the LE: +33.33 %, over.
    const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: 'FY2026-Q4' });
    expect(r.total).toMatchObject({
      planned: 300_000n,
      forecast: 151_087n,
      estimate: 400_000n,
      variancePct: 33.33,
      status: 'over',
    });
    // Alerts judge the line by the LE while it is set: 400,000 on 300,000 is over by > 5 %.
    const evaluation = await evaluateAlerts(t.mo.forTeam(TEAM));
    expect(evaluation.raised).not.toHaveLength(0);
    const raised = await t.mo.db.alert.findMany({ where: { teamId: TEAM } });
    expect(raised.map((a) => [a.rule, a.forecastMinor])).toContainEqual(['forecast', 400_000n]);
    const nov = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: '2026-11' });
    expect([nov.total.forecast, nov.total.estimate]).toEqual([0n, 172_131n]);
    const audit = await t.mo.db.auditEvent.findFirstOrThrow({
      where: { teamId: TEAM, action: 'forecast.set' },
    });
    expect([audit.actor, audit.entityId, JSON.parse(audit.after ?? '[]')]).toEqual([
      'U0OWNER',
      'Events|FY2026-Q4',
      [
        { month: '2026-11', amountMinor: '172131' },
        { month: '2026-12', amountMinor: '177869' },
      ],
    ]);
  });

  it('cannot be less than the ended months booked, nor set for a period that has ended', async () => {
    const low = await failure(
      setLatestEstimate(t.mo.forTeam(settings.teamId), settings, { ...req, amountMinor: 49_999n }),
    );
    expect([low?.kind, low?.message]).toEqual([
      'invalid',
      'Events already booked $500 in the months of FY2026-Q4 that have ended: a latest estimate for FY2026-Q4 is at least that.',
    ]);
    const ended = await failure(
      setLatestEstimate(t.mo.forTeam(settings.teamId), settings, {
        ...req,
        period: q3,
        amountMinor: 1n,
        isAdmin: true,
      }),
    );
    expect(ended?.message).toContain('FY2026-Q3 has ended');
    expect(
      (await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: 'FY2026-Q4' })).total.estimate,
    ).toBe(400_000n);
  });

  it('an admin replaces it, and clearing it brings back the computed forecast', async () => {
    await setLatestEstimate(t.mo.forTeam(settings.teamId), settings, {
      ...req,
      actor: 'U0ADMIN',
      isAdmin: true,
      amountMinor: 111_000n,
    });
    expect(
      (await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: 'FY2026-Q4' })).total.estimate,
    ).toBe(111_000n);
    expect(await clearLatestEstimate(t.mo.forTeam(settings.teamId), settings, req)).toMatchObject({
      category: 'Events',
      cleared: 2,
    });
    const r = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: 'FY2026-Q4' });
    expect(r.total).toMatchObject({ forecast: 151_087n, estimate: null, status: 'under' });
    const again = await failure(clearLatestEstimate(t.mo.forTeam(settings.teamId), settings, req));
    expect(again?.kind).toBe('not_found');
    expect(
      (await t.mo.db.auditEvent.findMany({ where: { teamId: TEAM, entity: 'latest_estimate' } }))
        .map((a) => a.action)
        .sort(),
    ).toEqual(['forecast.clear', 'forecast.set', 'forecast.set']);
  });
});
