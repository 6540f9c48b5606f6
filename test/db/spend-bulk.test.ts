// Bulk spend writes (src/db/spend-bulk.ts): a large import on SQLite sets Spend's non-unique
// indexes aside inside its transaction and builds them again before it commits. Checked on
// the database itself: the index is back with the migration's own SQL and serves queries; a
// rolled-back import leaves it as it was; small imports and PostgreSQL never touch it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBulkSession, timeOrderedIds } from '../../src/db/bulk.js';
import { DEFER_INDEXES, type NewSpend, spendWriter } from '../../src/db/spend-bulk.js';
import { createTestDatabase, provider, type TestDatabase } from '../support/db.js';

let t: TestDatabase;
const NOW = new Date('2026-10-15T12:00:00Z');

beforeAll(async () => {
  t = await createTestDatabase(NOW);
});
afterAll(() => t.close());

const rows = (teamId: string, n: number): NewSpend[] =>
  Array.from({ length: n }, (_, i) => ({
    teamId,
    date: `2026-10-${String((i % 28) + 1).padStart(2, '0')}`,
    amountMinor: BigInt(100 + i),
    status: 'actual',
    category: i % 2 ? 'Events' : 'Paid Media',
    campaign: `Campaign ${i % 7}`,
    vendor: 'Acme',
    source: 'csv',
    idempotencyKey: `ext:${teamId}-${i}`,
    enteredBy: 'U0IMPORTER',
    commitmentId: null,
  }));

/** Spend's indexes as the schema holds them (SQLite): name → SQL. */
async function spendIndexes(): Promise<Record<string, string | null>> {
  const found = await t.mo.db.$queryRawUnsafe<{ name: string; sql: string | null }[]>(
    `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = 'Spend' ORDER BY "name"`,
  );
  return Object.fromEntries(found.map((i) => [i.name, i.sql]));
}

const PER_CAMPAIGN = 'Spend_teamId_category_date_status_campaign_amountMinor_idx';

describe.runIf(provider() === 'sqlite')('setting Spend indexes aside during a large import (SQLite)', () => {
  it('drops the per-campaign index mid-import and builds it again, the same, before the commit', async () => {
    const before = await spendIndexes();
    expect(before[PER_CAMPAIGN]).toContain('CREATE INDEX');
    const session = await openBulkSession(t.mo.databaseUrl, NOW);
    const writer = spendWriter(session, { afterRows: 10, tableShare: 0 });
    await writer.insert(rows('T0BIG', 25));
    // Inside the import's transaction the index is gone; the unique key index stays.
    const inside = await session.all<{ name: string }>(
      `SELECT "name" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = 'Spend'`,
      [],
    );
    expect(inside.map((i) => i.name)).not.toContain(PER_CAMPAIGN);
    expect(inside.map((i) => i.name)).toContain('Spend_teamId_idempotencyKey_key');
    await writer.commit();

    expect(await spendIndexes()).toEqual(before);
    const [check] = await t.mo.db.$queryRawUnsafe<{ integrity_check: string }[]>('PRAGMA integrity_check');
    expect(check?.integrity_check).toBe('ok');
    // The rebuilt index holds every row: a query it covers finds them through it.
    const sql = `SELECT "campaign", SUM("amountMinor") AS "total" FROM "Spend" INDEXED BY "${PER_CAMPAIGN}"
       WHERE "teamId" = 'T0BIG' AND "category" = 'Events' GROUP BY "campaign" ORDER BY "campaign"`;
    const byCampaign = await t.mo.db.$queryRawUnsafe<{ campaign: string; total: bigint }[]>(sql);
    const expected = new Map<string, bigint>();
    for (const r of rows('T0BIG', 25))
      if (r.category === 'Events') expected.set(r.campaign, (expected.get(r.campaign) ?? 0n) + r.amountMinor);
    expect(byCampaign.map((r) => [r.campaign, BigInt(r.total)])).toEqual(
      [...expected].sort((a, b) => a[0].localeCompare(b[0])),
    );
  });

  it('a rolled-back import leaves the index and the rows as they were', async () => {
    const before = await spendIndexes();
    const count = await t.mo.db.spend.count();
    const session = await openBulkSession(t.mo.databaseUrl, NOW);
    const writer = spendWriter(session, { afterRows: 10, tableShare: 0 });
    await writer.insert(rows('T0GONE', 40));
    await writer.rollback();
    expect(await spendIndexes()).toEqual(before);
    expect(await t.mo.db.spend.count()).toBe(count);
  });

  it('keeps the index while the import is small, or small beside the rows already stored, or unasked', async () => {
    for (const options of [
      undefined,
      { afterRows: 1000, tableShare: 0 },
      // 25 rows are stored (the first test): 10 new rows are less than a half of them.
      { afterRows: 1, tableShare: 0.5 },
    ]) {
      const session = await openBulkSession(t.mo.databaseUrl, NOW);
      const writer = spendWriter(session, options);
      // Unasked (mo serve), even more rows than `mo import` sets the index aside after.
      await writer.insert(rows(`T0SMALL${options?.afterRows}`, options ? 10 : DEFER_INDEXES.afterRows + 1));
      const inside = await session.all<{ name: string }>(
        `SELECT "name" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = 'Spend'`,
        [],
      );
      expect(inside.map((i) => i.name)).toContain(PER_CAMPAIGN);
      await writer.rollback();
    }
  });
});

describe.runIf(provider() === 'postgresql')('Spend indexes during a large import (PostgreSQL)', () => {
  it('stay in place: dropping one would lock the table against readers for the whole import', async () => {
    const session = await openBulkSession(t.mo.databaseUrl, NOW);
    const writer = spendWriter(session, { afterRows: 1, tableShare: 0 });
    await writer.insert(rows('T0PG', 25));
    const inside = await session.all<{ indexname: string }>(
      `SELECT "indexname" FROM "pg_indexes" WHERE "tablename" = 'Spend'`,
      [],
    );
    expect(inside.map((i) => i.indexname)).toContain(PER_CAMPAIGN);
    await writer.rollback();
  });
});

describe('ids of rows written in bulk', () => {
  it('are UUIDv7s, unique and in the order they were made, within a millisecond too', () => {
    const next = timeOrderedIds();
    const ids = Array.from({ length: 5000 }, () => next());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // Their first 48 bits are the time they were made, in milliseconds.
    const ms = Number.parseInt((ids[0] as string).replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });
});
