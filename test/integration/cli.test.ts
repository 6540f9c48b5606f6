// The `mo` command line in-process against a scratch database: demo, run, import, export.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { mo } from '../support/cli.js';
import { testDatabaseUrl } from '../support/db.js';

let scratch: ScratchDatabase;
const dir = mkdtempSync(join(tmpdir(), 'mo-cli-'));

beforeAll(async () => {
  scratch = await createScratchDatabase(testDatabaseUrl());
  vi.stubEnv('DATABASE_URL', scratch.url);
  vi.stubEnv('MO_NOW', '2026-11-22T15:00:00Z');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await scratch.drop();
});

describe('mo', () => {
  it('migrates, then reports the database up to date', async () => {
    expect((await mo('migrate')).out).toMatch(/Applied \d+_init|up to date/);
    expect((await mo('migrate')).out).toContain('The database is up to date.');
  });

  it('loads the demo and answers /mo budget with a table', async () => {
    const demo = await mo('demo');
    expect(demo.code).toBe(0);
    // Piped output: a plain line per demo file, with rows and rows/s.
    expect(demo.err).toMatch(/demo spend: [\d,]+ rows \(100 %\), [\d,]+ rows\/s, in \d+ s/);
    expect(demo.out).toContain('Imported 36 budget rows: 36 added');
    const again = await mo('demo');
    expect(again.out).toContain('0 added, 0 updated, 36 unchanged');
    const run = await mo('run', '--team', 'T0DEMO', '--user', 'U0DEMOADMIN', '/mo budget');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Budget · FY2027-Q4');
    expect(run.out).toMatch(/Category\s+Planned\s+Actual\s+Committed\s+Available\s+Forecast\s+Var\s+Status/);
    expect(run.out).toMatch(/TOTAL\s+\$456,000/);
  });

  it('refuses to export or draw a digest for a team Mo has no workspace for, and creates none', async () => {
    for (const argv of [
      ['export', 'budget', '--team', 'T0TYPO'],
      ['export', 'kpis', '--team', 'T0TYPO'],
      ['export', 'kpis', '--team', 'T0TYPO', '--by', 'category'],
      ['export', 'commitments', '--team', 'T0TYPO'],
      ['digest', '--team', 'T0TYPO', '--out', mkdtempSync(join(tmpdir(), 'mo-digest-'))],
    ]) {
      const r = await mo(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain(
        'Mo has no workspace for team T0TYPO: mo workspace list shows the teams it serves',
      );
      expect(r.out).toBe('');
    }
    expect((await mo('workspace', 'list')).out).not.toContain('T0TYPO');
  });

  it('exports commitments in minor units, agreeing with the budget export', async () => {
    await mo(
      'settings',
      '--team',
      'T0PO',
      '--fiscal-start-month',
      '1',
      '--timezone',
      'UTC',
      '--admins',
      'U0PO',
    );
    const spend = join(dir, 'po.csv');
    writeFileSync(
      spend,
      'date,amount,category,status,external_id,commitment_id\n' +
        '2026-11-02,4500,Events,committed,po-1,PO-4500\n' +
        '2026-11-05,3000,Events,actual,inv-1,PO-4500\n' +
        '2026-11-10,1000,Events,committed,po-2,PO-4600\n' +
        '2026-11-11,200,Events,committed,,\n',
    );
    expect((await mo('import', 'spend', spend, '--team', 'T0PO')).out).toContain('4 added');
    const csv = await mo('export', 'commitments', '--team', 'T0PO', '--period', '2026-11');
    expect(csv.out).toBe(
      'commitment_id,category,date,committed,invoiced,open,status\n' +
        'PO-4500,Events,2026-11-02,450000,300000,150000,open\n' +
        'PO-4600,Events,2026-11-10,100000,0,100000,open\n' +
        'TOTAL,,,550000,300000,250000,\n',
    );
    // The budget's committed is the commitments' open total plus the committed row without one.
    const budget = await mo('export', 'budget', '--team', 'T0PO', '--period', '2026-11');
    expect(budget.out).toContain('Events,0,300000,270000,');
    expect((await mo('export', 'commitments', '--team', 'T0PO', '--format', 'json')).err).toContain(
      'mo export commitments: --format is csv',
    );
    // A PO closed from the shell: its open amount leaves the export and the budget.
    const run = await mo('run', '--team', 'T0PO', '--user', 'U0PO', '/mo spend close PO-4600');
    expect(run.out).toContain('Closed PO-4600: $1,000 no longer counts as committed');
    expect((await mo('export', 'commitments', '--team', 'T0PO', '--period', '2026-11')).out).toContain(
      'PO-4600,Events,2026-11-10,100000,0,0,closed\nTOTAL,,,550000,300000,150000,\n',
    );
    expect((await mo('export', 'budget', '--team', 'T0PO', '--period', '2026-11')).out).toContain(
      'Events,0,300000,170000,',
    );
  });

  it('refuses a currency change once amounts exist; --relabel between equal minor units; --spend-entry', async () => {
    const refused = await mo('settings', '--team', 'T0PO', '--currency', 'EUR');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('The currency cannot change from USD to EUR');
    expect((await mo('settings', '--team', 'T0PO', '--currency', 'JPY', '--relabel')).err).toContain(
      'USD has 2 decimals and JPY has 0',
    );
    const relabel = await mo('settings', '--team', 'T0PO', '--currency', 'EUR', '--relabel');
    expect(relabel.code).toBe(0);
    expect(relabel.out).toContain(
      'Relabelled 4 stored amounts from USD to EUR (audited); nothing was converted.',
    );
    const entry = await mo('settings', '--team', 'T0PO', '--spend-entry', 'everyone');
    expect(entry.out).toContain('spend entry: everyone (every member)');
    expect((await mo('settings', '--team', 'T0PO', '--spend-entry', 'nobody')).err).toContain(
      '--spend-entry: must be one of admins, owners, everyone',
    );
  });

  it('imports spend and exports exact figures in minor units', async () => {
    await mo('settings', '--team', 'T0CSV', '--fiscal-start-month', '1', '--timezone', 'UTC');
    const budgets = join(dir, 'budgets.csv');
    writeFileSync(
      budgets,
      'period,category,amount,owner\nFY2026-Q4,Paid Media/Search,"10,000.00",U0OWNER\nFY2026-Q4,Events,0,\n',
    );
    expect((await mo('import', 'budgets', budgets, '--team', 'T0CSV')).out).toContain('2 added');
    const spend = join(dir, 'spend.csv');
    writeFileSync(
      spend,
      '\uFEFFamount,date,category,campaign,status,external_id\n' +
        '"$1,234.56",2026-10-05,Paid Media/Search,"Brand, exact",actual,g-1\n' +
        '(120.00),2026-10-06,Paid Media/Search,Refund,actual,g-2\n' +
        '500,2026-12-20,Paid Media/Search,Q4 push,committed,g-3\n' +
        '75.5,2026-11-01,Events,Meetup,,\n',
    );
    // October ended more than lock_days (10) before Nov 22: its rows are refused, named by line.
    const locked = await mo('import', 'spend', spend, '--team', 'T0CSV');
    expect(locked.code).toBe(2);
    expect(locked.err).toContain(
      'line 2: 2026-10 is locked: the month ended more than 10 days ago (setting lock_days)',
    );
    expect(locked.err).toContain('line 3: 2026-10 is locked');
    expect(locked.err).not.toContain('line 4');
    expect((await mo('import', 'spend', spend, '--team', 'T0CSV', '--unlocked')).out).toContain(
      'Imported 4 spend rows: 4 added, 0 updated, 0 unchanged.',
    );
    // Importing the same file again changes nothing, so the lock has nothing to refuse.
    expect((await mo('import', 'spend', spend, '--team', 'T0CSV')).out).toContain(
      '0 added, 0 updated, 4 unchanged',
    );
    const csv = await mo('export', 'budget', '--team', 'T0CSV', '--period', 'FY2026-Q4');
    // Q4 = Oct 1 – Dec 31; today is Nov 22. Search's plan phased by days: Oct 336957, Nov
    // 326087, Dec 336956. Oct has ended: 123456 − 12000 = 111456; Nov (day 22 of 30) has no
    // Search spend: 0; Dec has not started: max(336956, committed 50000). Forecast 448412;
    // variance (448412 − 1000000) / 1000000 = −55.16 %. Events in Nov: 7550 × 30 / 22 = 10295.5 → 10295.
    expect(csv.out).toBe(
      'category,planned,actual,committed,available,forecast,variance_pct,status\n' +
        'Events,0,7550,0,-7550,10295,,no plan\n' +
        'Paid Media,1000000,111456,50000,838544,448412,-55.16,under\n' +
        'TOTAL,1000000,119006,50000,830994,458707,-54.13,under\n',
    );
    const json = JSON.parse(
      (
        await mo(
          'export',
          'budget',
          '--team',
          'T0CSV',
          '--period',
          'FY2026-Q4',
          '--category',
          'Paid Media',
          '--format',
          'json',
        )
      ).out,
    );
    expect(json.rows).toEqual([
      expect.objectContaining({
        category: 'Paid Media/Search',
        planned: 1000000,
        forecast: 448412,
        variance_pct: -55.16,
      }),
      expect.objectContaining({ category: 'TOTAL', actual: 111456 }),
    ]);
  });

  it('as of a date counts only what is dated on or before it: a back-dated digest matches the export', async () => {
    // As of Mon Oct 5: Search's Oct 6 refund and Events' Nov 1 spend are not there yet. October
    // is day 5 of 31: 123456 × 31 / 5 = 765427.2 → 765427; Nov and Dec have not started: their
    // plans 326087 and 336956 (the Dec commitment of 50000 is less). Forecast 1428470.
    const asOf = JSON.parse(
      (
        await mo(
          'export',
          'budget',
          '--team',
          'T0CSV',
          '--period',
          'FY2026-Q4',
          '--as-of',
          '2026-10-05',
          '--format',
          'json',
        )
      ).out,
    );
    expect(asOf.today).toBe('2026-10-05');
    expect(asOf.rows.at(-1)).toMatchObject({
      category: 'TOTAL',
      actual: 123456,
      committed: 50000,
      forecast: 1428470,
    });
    const digest = await mo(
      'digest',
      '--team',
      'T0CSV',
      '--out',
      join(dir, 'digest-oct5'),
      '--date',
      '2026-10-05',
    );
    expect(digest.code).toBe(0);
    expect(digest.out).toContain('$1,235 actual + $500 committed of $10,000 planned');
    expect(digest.out).toContain('forecast $14,285');
    expect((await mo('export', 'budget', '--team', 'T0CSV', '--as-of', '2026-13-01')).code).toBe(2);
  });

  it('previews a new fiscal-year start and changes it only with --confirm, moving no plan', async () => {
    const lines = await mo('export', 'budget', '--team', 'T0CSV', '--period', '2026-10', '--format', 'json');
    const preview = await mo('settings', '--team', 'T0CSV', '--fiscal-start-month', '2');
    expect(preview.code).toBe(0);
    // The FY2026-Q4 line (Oct–Dec) falls into FY2027's Q3 (its October) and Q4 (Nov and Dec).
    expect(preview.out).toContain('FY2027 Q3 (Aug 1 – Oct 31, 2026): planned $3,370');
    expect(preview.out).toContain('Paid Media/Search (FY2026-Q4 line): $3,370');
    expect(preview.out).toContain('FY2027 Q4 (Nov 1, 2026 – Jan 31, 2027): planned $6,630');
    expect(preview.out).toContain('Nothing changed. Run again with --confirm');
    expect((await mo('settings', '--team', 'T0CSV')).out).toContain('fiscal year starts in January');
    const saved = await mo('settings', '--team', 'T0CSV', '--fiscal-start-month', '2', '--confirm');
    expect(saved.out).toContain('Saved. Currency USD · fiscal year starts in February');
    // The month view is the same figures under either calendar.
    expect(
      (await mo('export', 'budget', '--team', 'T0CSV', '--period', '2026-10', '--format', 'json')).out,
    ).toBe(lines.out);
    const q3 = JSON.parse(
      (await mo('export', 'budget', '--team', 'T0CSV', '--period', 'FY2027-Q3', '--format', 'json')).out,
    );
    expect(q3.rows.at(-1)).toMatchObject({ planned: 336957 });
    await mo('settings', '--team', 'T0CSV', '--fiscal-start-month', '1', '--confirm');
  });

  it('exports the KPIs per week with a TOTAL row', async () => {
    const leads = join(dir, 'leads.csv');
    writeFileSync(
      leads,
      'created_date,mql_date,sql_date,category,external_id\n2026-10-05,2026-10-06,,Events,L1\n2026-10-07,,,Events,L2\n',
    );
    const opps = join(dir, 'opps.csv');
    writeFileSync(
      opps,
      'created_date,amount,close_date,won,category,external_id\n2026-10-06,"5,000.00",2026-10-08,true,Events,O1\n',
    );
    await mo('import', 'leads', leads, '--team', 'T0CSV');
    await mo('import', 'opportunities', opps, '--team', 'T0CSV');
    const csv = await mo('export', 'kpis', '--team', 'T0CSV', '--period', '2026-10');
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toBe(
      'bucket_start,spend,leads,mqls,sqls,opportunities,pipeline_created,won,cost_per_lead,cost_per_opportunity,pipeline_to_spend',
    );
    // Oct 1 (Thursday) starts a clipped week; Oct 5–11 holds the Search spend of Oct 5 and 6.
    expect(lines[1]).toBe('2026-10-01,0,0,0,0,0,0,0,,,');
    expect(lines[2]).toBe('2026-10-05,111456,2,1,0,1,500000,500000,55728,111456,4.49');
    expect(lines.at(-1)).toBe('TOTAL,111456,2,1,0,1,500000,500000,55728,111456,4.49');
  });

  it('rejects a bad file by line and writes nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'date,amount,category\n2026-10-05,12,Events\n2026-13-01,12,Events\n2026-10-07,abc,Events\n',
    );
    const r = await mo('import', 'spend', bad, '--team', 'T0BAD');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Nothing was imported: 2 problems');
    expect(r.err).toContain('line 3: date "2026-13-01"');
    expect(r.err).toContain('line 4: amount: "abc" is not an amount');
    const csv = await mo('export', 'budget', '--team', 'T0BAD', '--period', 'FY2026-Q4');
    expect(csv.out).toBe(
      'category,planned,actual,committed,available,forecast,variance_pct,status\nTOTAL,0,0,0,0,0,,no plan\n',
    );
  });

  it('says how far an import is, when piped', async () => {
    const spend = join(dir, 'progress.csv');
    writeFileSync(
      spend,
      'date,amount,category,external_id\n2026-11-01,10.00,Events,p-1\n2026-11-02,20.00,Events,p-2\n',
    );
    const r = await mo('import', 'spend', spend, '--team', 'T0PROGRESS');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^progress\.csv: 2 rows \(100 %\), [\d,]+ rows\/s, in \d+ s\n$/);
    expect(r.out).toContain('Imported 2 spend rows: 2 added');
  });

  it('backs the database up while it is in use and restores it into an empty one', async () => {
    const file = join(dir, 'backup.db');
    const backup = await mo('backup', '--out', file);
    expect(backup.code).toBe(0);
    if (!scratch.url.startsWith('file:')) {
      expect(backup.out).toContain('pg_dump --format=custom');
      return;
    }
    expect(backup.out).toMatch(/Backed up to .*backup\.db/);
    expect(backup.out).toMatch(/rows: .*Spend \d+/);
    expect((await mo('backup', '--out', file)).err).toContain('already exists');
    vi.stubEnv('DATABASE_URL', `file:${join(dir, 'restored.db')}`);
    try {
      const restored = await mo('restore', file);
      expect(restored.code).toBe(0);
      expect(restored.out).toContain('rows and money totals match the backup');
      expect(restored.out.split('\n').slice(1).join('\n')).toBe(backup.out.split('\n').slice(1).join('\n'));
      const run = await mo('run', '--team', 'T0DEMO', '--user', 'U0DEMOADMIN', '/mo budget');
      expect(run.out).toMatch(/TOTAL\s+\$456,000/);
      expect((await mo('restore', file)).err).toContain('is not empty');
    } finally {
      vi.stubEnv('DATABASE_URL', scratch.url);
    }
  });

  it('explains usage errors with exit code 2', async () => {
    const r = await mo('export', 'budget');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--team T is required');
    expect((await mo('settings', '--team', 'T1', '--currency', 'XX')).err).toContain(
      '--currency: must be an ISO 4217',
    );
    expect((await mo('frobnicate')).err).toContain('unknown command "frobnicate"');
  });

  it('refuses a flag the verb does not take, naming it and the verb usage', async () => {
    const r = await mo('export', 'kpis', '--team', 'T0CSV', '--owner', 'U1');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('mo export kpis does not take --owner');
    expect(r.err).toContain(
      'Usage: mo export kpis --team T [--period P] [--by week|month|category|campaign] [--category C] [--format csv|json]',
    );
    expect(r.err).not.toContain('mo serve');
    const extra = await mo('jobs', 'now');
    expect(extra.code).toBe(2);
    expect(extra.err).toContain('mo jobs takes no argument "now"');
    const half = await mo('export');
    expect(half.code).toBe(2);
    expect(half.err).toContain('mo export budget --team T');
  });
});
