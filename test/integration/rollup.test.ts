import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSpend } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

const TEAM = 'T0ROLL';
let t: TestDatabase;

async function sums(source: 'spend' | 'spendDaily') {
  const groups =
    source === 'spend'
      ? await t.mo.db.spend.groupBy({
          by: ['date', 'category', 'status'],
          where: { teamId: TEAM },
          _sum: { amountMinor: true },
        })
      : await t.mo.db.spendDaily.groupBy({
          by: ['date', 'category', 'status'],
          where: { teamId: TEAM },
          _sum: { amountMinor: true },
        });
  return Object.fromEntries(
    groups
      .map((g) => [`${g.date} ${g.category} ${g.status}`, g._sum.amountMinor ?? 0n] as const)
      .filter(([, v]) => v !== 0n)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const load = (csv: string) => importSpend(csvImport(t.mo, TEAM, csv, { actor: 'test' }));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('SpendDaily', () => {
  it('matches the spend rows after imports, corrections, refunds and single entries', async () => {
    await load(
      'date,amount,category,status,external_id\n' +
        '2026-10-01,100.00,Events,actual,a\n' +
        '2026-10-01,50.00,Events,actual,b\n' +
        '2026-10-02,(20.00),Events,actual,c\n' +
        '2026-10-02,300,Paid Media/Search,committed,d\n',
    );
    expect(await sums('spendDaily')).toEqual({
      '2026-10-01 Events actual': 15000n,
      '2026-10-02 Events actual': -2000n,
      '2026-10-02 Paid Media/Search committed': 30000n,
    });
    // b moves to another day, d becomes actual in another category, c is unchanged.
    const counts = await load(
      'date,amount,category,status,external_id\n' +
        '2026-10-01,100.00,Events,actual,a\n' +
        '2026-10-03,55.00,Events,actual,b\n' +
        '2026-10-02,(20.00),Events,actual,c\n' +
        '2026-10-02,300,Paid Media/Social,actual,d\n',
    );
    expect(counts).toMatchObject({ added: 0, updated: 2, unchanged: 2 });
    await t.mo.spend.add(
      {
        teamId: TEAM,
        date: '2026-10-01',
        amountMinor: 1n,
        status: 'actual',
        category: 'Events',
        campaign: '',
        vendor: '',
        source: 'manual',
        idempotencyKey: 'manual:1',
      },
      'U1',
    );
    const rollup = await sums('spendDaily');
    expect(rollup).toEqual(await sums('spend'));
    expect(rollup).toEqual({
      '2026-10-01 Events actual': 10001n,
      '2026-10-02 Events actual': -2000n,
      '2026-10-02 Paid Media/Social actual': 30000n,
      '2026-10-03 Events actual': 5500n,
    });
  });

  it('rejects a repeated external id, within a batch or thousands of rows apart, naming both lines', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `2026-10-07,1,Events,actual,r${i}`);
    rows[2399] = '2026-10-07,2,Events,actual,r9'; // line 2401 repeats line 11
    rows[5] = '2026-10-07,3,Events,actual,r4'; // line 7 repeats line 6
    const err = await load(`date,amount,category,status,external_id\n${rows.join('\n')}\n`).catch((e) => e);
    expect(err.message).toContain('2 problems');
    expect(err.message).toContain('line 7: repeats the row on line 6 (same external_id r4)');
    expect(err.message).toContain('line 2401: repeats the row on line 11 (same external_id r9)');
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, date: '2026-10-07' } })).toBe(0);
  });

  it('keeps identical rows without an id apart across batches, and a re-import changes nothing', async () => {
    const csv = `date,amount,category\n${'2026-10-08,2.50,Webinars\n'.repeat(2500)}`;
    expect(await load(csv)).toMatchObject({ rows: 2500, added: 2500 });
    expect(await load(csv)).toMatchObject({ added: 0, unchanged: 2500 });
    expect((await sums('spendDaily'))['2026-10-08 Webinars actual']).toBe(625_000n);
  });

  it('is left untouched by a rejected file', async () => {
    const before = await sums('spendDaily');
    await expect(
      load('date,amount,category,external_id\n2026-10-05,10,Events,x\n2026-10-06,oops,Events,y\n'),
    ).rejects.toThrow('line 3: amount');
    expect(await sums('spendDaily')).toEqual(before);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM, idempotencyKey: 'ext:x' } })).toBe(0);
  });

  it('sums a day past 2^53 cents to the cent (an import adds up its cells as doubles while they are exact)', async () => {
    const team = 'T0ROLLBIG';
    // Across the import's batches one day's sum passes 2^53 cents (9,007,199,254,740,991):
    // 1,000 rows of 99,999,999,999.99, then one cent, make an odd total no double can hold.
    const rows = Array.from({ length: 1000 }, (_, i) => `2026-10-05,99999999999.99,Events,actual,big-${i}`);
    rows.push('2026-10-05,0.01,Events,actual,cent');
    await importSpend(
      csvImport(t.mo, team, `date,amount,category,status,external_id\n${rows.join('\n')}\n`, {
        actor: 'test',
      }),
    );
    const [day] = await t.mo.db.spendDaily.findMany({ where: { teamId: team, date: '2026-10-05' } });
    expect(day?.amountMinor).toBe(1000n * 9_999_999_999_999n + 1n);
    const spend = await t.mo.db.spend.aggregate({ where: { teamId: team }, _sum: { amountMinor: true } });
    expect(spend._sum.amountMinor).toBe(day?.amountMinor);
  });
});
