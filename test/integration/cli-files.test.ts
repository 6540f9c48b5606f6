// `mo import` with files that are not what they claim (random bytes, Latin-1, amounts past
// the bound) and `mo export` with cells a spreadsheet would run: clear messages without a
// stack trace, nothing written, formulas neutralised and numbers left numbers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { neutraliseFormula, toCsv } from '../../src/ingest/csv-write.js';
import { mo } from '../support/cli.js';
import { testDatabaseUrl } from '../support/db.js';

let scratch: ScratchDatabase;
const dir = mkdtempSync(join(tmpdir(), 'mo-cli-files-'));

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function spendRows(team: string) {
  const json = JSON.parse(
    (await mo('export', 'budget', '--team', team, '--period', 'FY2026-Q4', '--format', 'json')).out,
  );
  return json.rows.at(-1).actual as number;
}

beforeAll(async () => {
  scratch = await createScratchDatabase(testDatabaseUrl());
  vi.stubEnv('DATABASE_URL', scratch.url);
  vi.stubEnv('MO_NOW', '2026-11-22T15:00:00Z');
  await mo('migrate');
  // These files are dated in October: kept open (lock_days) so the lock does not mask what is tested.
  for (const team of ['T0FILES', 'T0INJ'])
    await mo(
      'settings',
      '--team',
      team,
      '--fiscal-start-month',
      '1',
      '--timezone',
      'UTC',
      '--lock-days',
      '60',
    );
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await scratch.drop();
});

describe('mo import refuses what it cannot read exactly', () => {
  it('random bytes: "Nothing was imported" with the line, no stack trace', async () => {
    let seed = 11;
    const bytes = Buffer.from(
      Buffer.alloc(4096).map(() => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed >> 16;
      }),
    );
    const path = file('random.csv', bytes);
    for (const extra of [[], ['--encoding', 'latin1'], ['--dry-run']]) {
      const r = await mo('import', 'spend', path, '--team', 'T0FILES', ...extra);
      expect(r.code).toBeGreaterThan(0);
      expect(r.err).toMatch(/^mo: Nothing was imported: 1 problem in the file\.\nline \d+: /);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(await spendRows('T0FILES')).toBe(0);
  });

  it('Latin-1: refused with its line, or read as named with --encoding', async () => {
    const path = file(
      'latin1.csv',
      Buffer.from('date,amount,category\n2026-10-05,12,Events\n2026-10-06,3,Caf\xe9\n', 'latin1'),
    );
    const refused = await mo('import', 'spend', path, '--team', 'T0FILES');
    expect(refused.err).toContain('line 3: this line is not UTF-8 text');
    expect(refused.err).toContain('--encoding windows-1252');
    expect(await spendRows('T0FILES')).toBe(0);
    const read = await mo('import', 'spend', path, '--team', 'T0FILES', '--encoding', 'latin1');
    expect(read.code).toBe(0);
    expect(read.out).toContain('Café: 1 row');
    expect((await mo('import', 'spend', path, '--team', 'T0FILES', '--encoding', 'utf-16')).err).toContain(
      'unknown encoding "utf-16"',
    );
  });

  it('amounts past ±10^12: refused by line in budgets and spend, dry run too', async () => {
    const spend = file(
      'huge.csv',
      'date,amount,category\n2026-10-05,1,Events\n2026-10-06,100000000000000000,Events\n',
    );
    const budgets = file(
      'huge-budgets.csv',
      'period,category,amount\nFY2026-Q4,Events,-100000000000000000\n',
    );
    const before = await spendRows('T0FILES');
    for (const extra of [[], ['--dry-run']]) {
      const r = await mo('import', 'spend', spend, '--team', 'T0FILES', ...extra);
      expect(r.err).toContain('line 3: amount: "100000000000000000" is too large');
      const b = await mo('import', 'budgets', budgets, '--team', 'T0FILES', ...extra);
      expect(b.err).toContain('line 2:');
      expect(b.err).toContain('too large');
    }
    expect(await spendRows('T0FILES')).toBe(before);
  });
});

describe('CSV exports neutralise formulas', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['-120', '-120'],
    ['-80.65', '-80.65'],
    ['Paid Media', 'Paid Media'],
  ])('%j → %j', (cell, safe) => {
    expect(neutraliseFormula(cell)).toBe(safe);
  });

  it('keeps numeric cells numeric', () => {
    expect(toCsv([{ category: '=1+1', amount: -12000n, leads: -3 }])).toBe(
      "category,amount,leads\n'=1+1,-12000,-3\n",
    );
  });

  it('mo export budget writes a formula category as text, and a negative amount as a number', async () => {
    const budgets = file(
      'formula.csv',
      'period,category,amount\nFY2026-Q4,-2+3 Launch,100\nFY2026-Q4,@SUM(A1),5\n',
    );
    expect((await mo('import', 'budgets', budgets, '--team', 'T0INJ')).code).toBe(0);
    const spend = file('refund.csv', 'date,amount,category\n2026-10-05,(120.00),@SUM(A1)\n');
    expect((await mo('import', 'spend', spend, '--team', 'T0INJ')).code).toBe(0);
    const csv = (await mo('export', 'budget', '--team', 'T0INJ', '--period', 'FY2026-Q4')).out;
    // Nov 22: October has ended, December not started: its phased plan (3369 and 168) is its
    // forecast.
    expect(csv).toContain("'-2+3 Launch,10000,0,0,10000,3369,-66.31,under");
    expect(csv).toContain("'@SUM(A1),500,-12000,0,12500,-11832,-2466.40,under");
    expect(csv).not.toMatch(/^[=@+]/m);
  });
});
