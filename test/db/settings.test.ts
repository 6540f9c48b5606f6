// Workspace settings on a real database: defaults on first use, audited changes, and the
// list of Mo admins replaced (not merged) on update, one tenant at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const seen = new Set<string>();
/** The audit events written for `teamId` since the last call. */
async function newAudits(teamId: string) {
  const all = await t.mo.db.auditEvent.findMany({ where: { teamId } });
  const fresh = all.filter((a) => !seen.has(a.id));
  for (const a of fresh) seen.add(a.id);
  return fresh.map((a) => ({
    actor: a.actor,
    action: a.action,
    entity: a.entity,
    entityId: a.entityId,
    before: a.before === null ? null : JSON.parse(a.before),
    after: a.after === null ? null : JSON.parse(a.after),
  }));
}

describe('ensure', () => {
  it('creates a workspace with USD, a January fiscal year and UTC, without an audit event', async () => {
    expect(await t.mo.workspaces.get('T0NEW')).toBeNull();
    expect(await t.mo.workspaces.ensure('T0NEW')).toEqual({
      teamId: 'T0NEW',
      currency: 'USD',
      fiscalStartMonth: 1,
      timezone: 'UTC',
      adminUserIds: [],
      lockDays: 10,
      moveAutoApproveMinor: 0n,
      spendEntry: 'owners',
      notMarketing: [],
    });
    expect(await t.mo.workspaces.get('T0NEW')).toMatchObject({ currency: 'USD', timezone: 'UTC' });
    expect(await newAudits('T0NEW')).toEqual([]);
  });

  it('takes the timezone it is given, and only the first time', async () => {
    expect(await t.mo.workspaces.ensure('T0ZONE', { timezone: 'America/Los_Angeles' })).toEqual({
      teamId: 'T0ZONE',
      currency: 'USD',
      fiscalStartMonth: 1,
      timezone: 'America/Los_Angeles',
      adminUserIds: [],
      lockDays: 10,
      moveAutoApproveMinor: 0n,
      spendEntry: 'owners',
      notMarketing: [],
    });
    // A later user in another timezone does not move the workspace.
    expect((await t.mo.workspaces.ensure('T0ZONE', { timezone: 'Europe/Berlin' })).timezone).toBe(
      'America/Los_Angeles',
    );
    expect(await t.mo.db.workspace.count({ where: { teamId: 'T0ZONE' } })).toBe(1);
  });
});

describe('update', () => {
  const TEAM = 'T0SETTINGS';
  const DEFAULTS = {
    teamId: TEAM,
    currency: 'USD',
    fiscalStartMonth: 1,
    timezone: 'UTC',
    adminUserIds: [] as string[],
    lockDays: 10,
    // Audited as JSON: money as a string of minor units.
    moveAutoApproveMinor: '0',
    spendEntry: 'owners',
    notMarketing: [] as string[],
  };

  it('applies a change and audits it from what to what (creating the workspace if need be)', async () => {
    const after = await t.mo.workspaces.update(
      TEAM,
      {
        currency: 'EUR',
        fiscalStartMonth: 4,
        timezone: 'Europe/Berlin',
        adminUserIds: ['U0BEE', 'U0AYE', 'U0BEE'],
        spendEntry: 'everyone',
      },
      'U0OWNER',
    );
    const expected = {
      teamId: TEAM,
      currency: 'EUR',
      fiscalStartMonth: 4,
      timezone: 'Europe/Berlin',
      adminUserIds: ['U0AYE', 'U0BEE'],
      lockDays: 10,
      moveAutoApproveMinor: 0n,
      spendEntry: 'everyone',
      notMarketing: [] as string[],
    };
    expect(after).toEqual(expected);
    expect(await t.mo.workspaces.get(TEAM)).toEqual(expected);
    expect(await newAudits(TEAM)).toEqual([
      {
        actor: 'U0OWNER',
        action: 'settings.update',
        entity: 'workspace',
        entityId: TEAM,
        before: DEFAULTS,
        after: { ...expected, moveAutoApproveMinor: '0' },
      },
    ]);
  });

  it('replaces the admin list rather than adding to it', async () => {
    const after = await t.mo.workspaces.update(TEAM, { adminUserIds: ['U0SEE'] }, 'U0AYE');
    expect(after.adminUserIds).toEqual(['U0SEE']);
    expect(
      await t.mo.db.workspaceAdmin.findMany({ where: { teamId: TEAM }, select: { userId: true } }),
    ).toEqual([{ userId: 'U0SEE' }]);
    const [event] = await newAudits(TEAM);
    expect([event?.actor, event?.before.adminUserIds, event?.after.adminUserIds]).toEqual([
      'U0AYE',
      ['U0AYE', 'U0BEE'],
      ['U0SEE'],
    ]);
    // Everything else stayed as it was.
    expect(event?.after).toMatchObject({ currency: 'EUR', fiscalStartMonth: 4, timezone: 'Europe/Berlin' });
  });

  it('leaves the admins alone when the change does not name them, and clears them with an empty list', async () => {
    const moved = await t.mo.workspaces.update(TEAM, { timezone: 'Asia/Tokyo' }, 'U0SEE');
    expect(moved).toMatchObject({ timezone: 'Asia/Tokyo', adminUserIds: ['U0SEE'] });
    const [event] = await newAudits(TEAM);
    expect([event?.before.timezone, event?.after.timezone]).toEqual(['Europe/Berlin', 'Asia/Tokyo']);

    expect((await t.mo.workspaces.update(TEAM, { adminUserIds: [] }, 'U0SEE')).adminUserIds).toEqual([]);
    expect(await t.mo.db.workspaceAdmin.count({ where: { teamId: TEAM } })).toBe(0);
    const [cleared] = await newAudits(TEAM);
    expect([cleared?.before.adminUserIds, cleared?.after.adminUserIds]).toEqual([['U0SEE'], []]);
  });

  it("touches only its own workspace's admins", async () => {
    await t.mo.workspaces.update('T0OTHER', { adminUserIds: ['U0OTHER'] }, 'U0OTHER');
    await t.mo.workspaces.update(TEAM, { adminUserIds: ['U0DEE'] }, 'U0SEE');
    expect((await t.mo.workspaces.get('T0OTHER'))?.adminUserIds).toEqual(['U0OTHER']);
    expect((await t.mo.workspaces.get(TEAM))?.adminUserIds).toEqual(['U0DEE']);
    expect((await newAudits('T0OTHER')).map((a) => a.entityId)).toEqual(['T0OTHER']);
  });
});

describe('currency once amounts are stored', () => {
  const TEAM = 'T0CURRENCY';
  it('changes freely before any amount, then refuses; --relabel only between equal minor units, audited', async () => {
    await t.mo.workspaces.ensure(TEAM);
    expect((await t.mo.workspaces.update(TEAM, { currency: 'GBP' }, 'U0ADMIN')).currency).toBe('GBP');
    await t.mo.spend.add(
      {
        teamId: TEAM,
        date: '2026-11-02',
        amountMinor: 12_345n,
        status: 'actual',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'manual:1',
      },
      'U0ADMIN',
    );
    await newAudits(TEAM);
    await expect(t.mo.workspaces.update(TEAM, { currency: 'USD' }, 'U0ADMIN')).rejects.toThrow(
      'The currency cannot change from GBP to USD: 1 amount is stored in GBP and Mo never converts them. If GBP was set by mistake, relabel them: mo settings --team T --currency USD --relabel.',
    );
    // To JPY would turn £123.45 into ¥12,345: refused even as a relabel.
    await expect(
      t.mo.workspaces.update(TEAM, { currency: 'JPY' }, 'U0ADMIN', { relabel: true }),
    ).rejects.toThrow(
      'GBP has 2 decimals and JPY has 0: relabelling would change every amount, so Mo refuses it.',
    );
    expect((await t.mo.workspaces.get(TEAM))?.currency).toBe('GBP');
    expect(await newAudits(TEAM)).toEqual([]);
    const relabelled = await t.mo.workspaces.update(TEAM, { currency: 'USD' }, 'U0ADMIN', { relabel: true });
    expect(relabelled).toMatchObject({ currency: 'USD' });
    const [audit] = await newAudits(TEAM);
    expect(audit).toMatchObject({
      action: 'settings.relabel_currency',
      before: { currency: 'GBP' },
      after: { currency: 'USD', relabelledAmounts: 1 },
    });
  });
});

describe('get', () => {
  it('reads every setting exactly, admins sorted, and nothing of another workspace', async () => {
    // Above 2^53: a driver handing the amount back as a float would change it.
    await t.mo.workspaces.update(
      'T0GETBIG',
      { moveAutoApproveMinor: 9_007_199_254_740_993n, adminUserIds: ['U0B', 'U0A'], lockDays: 3 },
      'U0ADMIN',
    );
    await t.mo.workspaces.update('T0GETOTHER', { adminUserIds: ['U0OTHER'] }, 'U0ADMIN');
    expect(await t.mo.workspaces.get('T0GETBIG')).toMatchObject({
      teamId: 'T0GETBIG',
      moveAutoApproveMinor: 9_007_199_254_740_993n,
      adminUserIds: ['U0A', 'U0B'],
      lockDays: 3,
      fiscalStartMonth: 1,
    });
    expect((await t.mo.workspaces.get('T0GETOTHER'))?.adminUserIds).toEqual(['U0OTHER']);
    expect(await t.mo.workspaces.get('T0GETNONE')).toBeNull();
  });
});
