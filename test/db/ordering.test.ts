// Newest-first lists on a real database: two events in one clock tick (Mo's clock is pinned
// here, as with MO_NOW) still come back in the order they happened, and /mo spend list reads
// a workspace's entries through an index on (teamId, id) instead of scanning and sorting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAudit, openBulkSession } from '../../src/db/bulk.js';
import { createTestDatabase, provider, type TestDatabase } from '../support/db.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T12:00:00Z');
});
afterAll(() => t.close());

describe('audit.recent', () => {
  const record = (teamId: string, entityId: string) =>
    t.mo.audit.record({ teamId, actor: 'U0ADMIN', action: 'budget.set', entity: 'budget', entityId });

  it('lists events written at the same instant newest first, in the order they were written', async () => {
    const team = 'T0TICK';
    // Another workspace's events are deleted and their space reclaimed between two runs of
    // changes: where a row lands on disk then says nothing about when it was written.
    for (let i = 0; i < 60; i++) await record('T0GONE', `gone-${i}`);
    const written: string[] = [];
    const change = async (i: number) => {
      const entityId = `line-${String(i).padStart(2, '0')}`;
      await record(team, entityId);
      written.push(entityId);
    };
    for (let i = 0; i < 5; i++) await change(i);
    await t.mo.db.auditEvent.deleteMany({ where: { teamId: 'T0GONE' } });
    await t.mo.db.$executeRawUnsafe(provider() === 'sqlite' ? 'VACUUM' : 'VACUUM "AuditEvent"');
    for (let i = 5; i < 12; i++) await change(i);

    const recent = await t.mo.audit.recent(team, 12);
    expect(new Set(recent.map((a) => a.createdAt.toISOString()))).toEqual(
      new Set(['2026-11-16T12:00:00.000Z']),
    );
    expect(recent.map((a) => a.entityId)).toEqual([...written].reverse());
    // A page of the newest: the last ones written.
    expect((await t.mo.audit.recent(team, 2)).map((a) => a.entityId)).toEqual(['line-11', 'line-10']);
  });

  it('orders an import’s event (written in bulk) among the others of the same instant', async () => {
    const team = 'T0BULK';
    await record(team, 'before-import');
    const session = await openBulkSession(t.mo.databaseUrl, t.mo.clock());
    await insertAudit(session, {
      teamId: team,
      actor: 'cli',
      action: 'spend.import',
      entity: 'spend',
      entityId: 'import',
      after: '{}',
    });
    await session.commit();
    await record(team, 'after-import');
    expect((await t.mo.audit.recent(team)).map((a) => a.entityId)).toEqual([
      'after-import',
      'import',
      'before-import',
    ]);
  });
});

/** The plan the database chooses for the query /mo spend list sends (newest first, a page). */
async function spendListPlan(): Promise<string> {
  const db = t.mo.db;
  if (provider() === 'sqlite') {
    const rows = await db.$queryRawUnsafe<{ detail: string }[]>(
      'EXPLAIN QUERY PLAN SELECT * FROM "Spend" WHERE "teamId" = ? ORDER BY "id" DESC LIMIT 11 OFFSET 0',
      'T0LIST',
    );
    return rows.map((r) => r.detail).join('\n');
  }
  // The planner would scan a table this small whatever the indexes: ask what it would use
  // once a scan is the expensive choice, as it is on a real workspace's spend.
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
    const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      'EXPLAIN SELECT * FROM "Spend" WHERE "teamId" = $1 ORDER BY "id" DESC LIMIT 11 OFFSET 0',
      'T0LIST',
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('/mo spend list', () => {
  it("reads a workspace's entries newest first through the (teamId, id) index, without a sort", async () => {
    const plan = await spendListPlan();
    expect(plan).toContain('Spend_teamId_id_idx');
    expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
  });
});
