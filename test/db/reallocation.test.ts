// Budget moves through the service on a real database: the limits a request checks up front,
// per-side approval, the one transaction that changes both lines, rejection, expiry and the
// auto-approve threshold.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import type { UserError } from '../../src/domain/errors.js';
import { approveMove, openMoves, rejectMove, requestMove } from '../../src/services/reallocation.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0MOVE';
const NOW = '2026-11-16T12:00:00Z';
const q4 = fiscalQuarter(2026, 4, 1);
const EVENTS_OWNER = 'U0EVENTS';
const SEARCH_OWNER = 'U0SEARCH';
let t: TestDatabase;
let settings: WorkspaceSettings;

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as UserError,
  );
const plans = async () =>
  Object.fromEntries(
    (await t.mo.db.budgetLine.findMany({ where: { teamId: TEAM } })).map((l) => [l.category, l.plannedMinor]),
  );
const ask = (actor: string, amountMinor: bigint, extra: Partial<Parameters<typeof requestMove>[2]> = {}) =>
  requestMove(t.mo.forTeam(settings.teamId), settings, {
    actor,
    isAdmin: actor === 'U0ADMIN',
    amountMinor,
    from: 'Events',
    to: 'Paid Media/Search',
    period: q4,
    reason: 'Summit moved online',
    ...extra,
  });

beforeAll(async () => {
  t = await createTestDatabase(NOW);
});
afterAll(() => t.close());
beforeEach(async () => {
  t.setNow(NOW);
  await t.mo.db.budgetMove.deleteMany({});
  await t.mo.db.budgetLine.deleteMany({});
  await t.mo.db.spend.deleteMany({});
  await t.mo.db.spendDaily.deleteMany({});
  await t.mo.db.spendMonthly.deleteMany({});
  settings = await t.mo.workspaces.update(
    TEAM,
    { fiscalStartMonth: 1, timezone: 'UTC', adminUserIds: ['U0ADMIN'], moveAutoApproveMinor: 0n },
    'U0ADMIN',
  );
  const line = (category: string, plannedMinor: bigint, ownerUserId: string | null) =>
    t.mo.budgets.set({ teamId: TEAM, period: q4, category, plannedMinor, ownerUserId }, 'U0ADMIN');
  await line('Events', 1_000_000n, EVENTS_OWNER);
  await line('Paid Media/Search', 500_000n, SEARCH_OWNER);
  await t.mo.spend.add(
    {
      teamId: TEAM,
      date: '2026-10-05',
      amountMinor: 600_000n,
      status: 'actual',
      category: 'Events',
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: 'e1',
    },
    'U0ADMIN',
  );
});

describe('a budget move', () => {
  it('asks the other owner, and changes both plans in one go when they approve', async () => {
    const asked = await ask(EVENTS_OWNER, 250_000n);
    // The requester owns the giving line: that side is approved by asking.
    expect([asked.applied, asked.approvers, asked.move.fromApprovedBy]).toEqual([
      false,
      [SEARCH_OWNER],
      EVENTS_OWNER,
    ]);
    expect(await plans()).toEqual({ Events: 1_000_000n, 'Paid Media/Search': 500_000n });
    expect((await openMoves(t.mo.forTeam(TEAM))).map((m) => m.id)).toEqual([asked.move.id]);

    const stranger = await failure(
      approveMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
        actor: 'U0NOBODY',
        isAdmin: false,
      }),
    );
    expect(stranger?.kind).toBe('refused');

    const done = await approveMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
      actor: SEARCH_OWNER,
      isAdmin: false,
    });
    expect([done.applied, done.move.status, done.move.toApprovedBy]).toEqual([
      true,
      'approved',
      SEARCH_OWNER,
    ]);
    expect(await plans()).toEqual({ Events: 750_000n, 'Paid Media/Search': 750_000n });
    expect(await openMoves(t.mo.forTeam(TEAM))).toEqual([]);
    const again = await failure(
      approveMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
        actor: SEARCH_OWNER,
        isAdmin: false,
      }),
    );
    expect([again?.kind, again?.message]).toEqual([
      'conflict',
      'This request to move budget is already approved.',
    ]);
    const audit = await t.mo.db.auditEvent.findMany({
      where: { teamId: TEAM, entity: { in: ['budget_move', 'budget_line'] } },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'budget.move.request',
        'budget.move.approve',
        'budget.move.apply',
        'budget.update',
      ]),
    );
    const applied = audit.find((a) => a.action === 'budget.move.apply');
    expect(JSON.parse(applied?.after ?? '{}')).toMatchObject({
      requestedBy: EVENTS_OWNER,
      fromApprovedBy: EVENTS_OWNER,
      toApprovedBy: SEARCH_OWNER,
    });
  });

  it('never takes a line below its actual + committed or below zero, and says so up front', async () => {
    // Events: 1,000,000 planned, 600,000 spent: it can give at most 400,000.
    const over = await failure(ask(EVENTS_OWNER, 400_001n));
    expect([over?.kind, over?.message]).toEqual([
      'invalid',
      'Moving $4,000.01 would leave Events $5,999.99 for FY2026-Q4, below the $6,000.00 it has already spent and committed: it can give at most $4,000.00.',
    ]);
    const below = await failure(ask('U0ADMIN', 500_001n, { from: 'Paid Media/Search', to: 'Events' }));
    expect(below?.message).toBe(
      "Moving $5,000.01 would take Paid Media/Search's FY2026-Q4 plan below zero: it is $5,000.00.",
    );
    expect(await t.mo.db.budgetMove.count()).toBe(0);
    const noLine = await failure(
      ask('U0ADMIN', 1n, { from: 'Paid Media/Search', to: 'Events', period: fiscalQuarter(2027, 1, 1) }),
    );
    expect(noLine?.message).toBe('Paid Media/Search has no plan line for FY2027-Q1 to move budget from.');
    const stranger = await failure(ask('U0NOBODY', 1n));
    expect(stranger?.kind).toBe('refused');
  });

  it('a rejection needs a reason and changes nothing', async () => {
    const asked = await ask(EVENTS_OWNER, 100_000n);
    const noReason = await failure(
      rejectMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
        actor: SEARCH_OWNER,
        isAdmin: false,
        reason: '  ',
      }),
    );
    expect([noReason?.kind, noReason?.field]).toEqual(['invalid', 'reason']);
    const rejected = await rejectMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
      actor: SEARCH_OWNER,
      isAdmin: false,
      reason: 'Search is already pacing over',
    });
    expect([rejected.status, rejected.rejectReason, rejected.decidedBy]).toEqual([
      'rejected',
      'Search is already pacing over',
      SEARCH_OWNER,
    ]);
    expect(await plans()).toEqual({ Events: 1_000_000n, 'Paid Media/Search': 500_000n });
  });

  it('expires after 14 days', async () => {
    const asked = await ask(EVENTS_OWNER, 100_000n);
    t.setNow('2026-11-30T12:00:01Z');
    const late = await failure(
      approveMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
        actor: SEARCH_OWNER,
        isAdmin: false,
      }),
    );
    expect(late?.message).toBe('This request to move budget is already expired.');
    expect(await openMoves(t.mo.forTeam(TEAM))).toEqual([]);
    expect(await plans()).toEqual({ Events: 1_000_000n, 'Paid Media/Search': 500_000n });
  });

  it('at or under the auto-approve amount, is applied at once; a new receiving line has no owner', async () => {
    settings = await t.mo.workspaces.update(TEAM, { moveAutoApproveMinor: 50_000n }, 'U0ADMIN');
    const small = await ask(EVENTS_OWNER, 50_000n, { to: 'Webinars' });
    expect([small.applied, small.move.status]).toEqual([true, 'approved']);
    expect(await plans()).toMatchObject({ Events: 950_000n, Webinars: 50_000n });
    const big = await ask(EVENTS_OWNER, 50_001n);
    expect(big.applied).toBe(false);
  });

  it('an admin approves a side whose line has no owner', async () => {
    await t.mo.budgets.set(
      { teamId: TEAM, period: q4, category: 'Content', plannedMinor: 0n, ownerUserId: null },
      'U0ADMIN',
    );
    const asked = await ask(EVENTS_OWNER, 10_000n, { to: 'Content' });
    expect(asked.approvers).toEqual(['U0ADMIN']);
    const done = await approveMove(t.mo.forTeam(settings.teamId), settings, asked.move.id, {
      actor: 'U0ADMIN',
      isAdmin: true,
    });
    expect(done.applied).toBe(true);
    expect(await plans()).toMatchObject({ Events: 990_000n, Content: 10_000n });
  });
});
