// `mo export kpis --by category|campaign` on fixtures: every figure computed by hand, and the
// rows and TOTAL agree with the time-bucketed export of the same period.
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { mo } from '../support/cli.js';
import { testDatabaseUrl } from '../support/db.js';

let scratch: ScratchDatabase;
const TEAM = 'T0PERF';
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

const csv = (text: string) => parse(text, { columns: true }) as Record<string, string>[];
const exportKpis = async (...extra: string[]) => {
  const r = await mo('export', 'kpis', '--team', TEAM, '--period', '2026-10', ...extra);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out;
};

beforeAll(async () => {
  scratch = await createScratchDatabase(testDatabaseUrl());
  vi.stubEnv('DATABASE_URL', scratch.url);
  vi.stubEnv('MO_NOW', '2026-11-22T15:00:00Z');
  expect((await mo('migrate')).code).toBe(0);
  await mo('settings', '--team', TEAM, '--fiscal-start-month', '1', '--timezone', 'UTC');
  for (const [kind, file] of [
    ['spend', 'perf-spend.csv'],
    ['leads', 'perf-leads.csv'],
    ['opportunities', 'perf-opportunities.csv'],
  ]) {
    // October is a closed month by the pinned clock: history is loaded as an admin would.
    const r = await mo('import', kind as string, fixture(file as string), '--team', TEAM, '--unlocked');
    // stderr carries the progress lines; a refused file exits 2 with its reasons.
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Imported \d+ /);
  }
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await scratch.drop();
});

const HEADER =
  'spend,leads,mqls,sqls,opportunities,pipeline_created,won,cost_per_lead,cost_per_mql,cost_per_sql,' +
  'cost_per_opportunity,pipeline_to_spend,won_to_spend,lead_to_mql_pct,mql_to_sql_pct,sql_to_opportunity_pct';

describe('mo export kpis --by category|campaign', () => {
  it('gives one row per category, sorted by pipeline-to-spend, blanks where a divisor is zero, and a TOTAL', async () => {
    // October 2026. Search: spend 1,000 + 500 − 100 refund; Events: 2,000 (the 999 committed is
    // not actual spend); Webinars: 300 with an MQL, SQL and a win from a September lead and deal.
    // CPL Search 1,400 / 3 = 466.666… → 46667; P2S 13,333.33 / 1,400 = 9.523807… → 9.5238.
    // TOTAL: 3,700 spend, 7 leads, CPL 528.571… → 52857, P2S 24,033.33 / 3,700 = 6.495494… → 6.4955.
    expect(await exportKpis('--by', 'category')).toBe(
      `category,${HEADER}\n` +
        'Paid Media/Search,140000,3,2,1,2,1333333,1000000,46667,70000,140000,70000,9.5238,7.1429,66.67,50.00,200.00\n' +
        'Events,200000,3,1,1,2,820000,0,66667,200000,200000,100000,4.1000,0.0000,33.33,100.00,200.00\n' +
        'Webinars,30000,0,1,1,0,0,500000,,30000,30000,,0.0000,16.6667,,100.00,0.00\n' +
        'Sales/Outbound,0,0,0,0,1,250000,0,,,,0,,,,,\n' +
        'Unattributed,0,1,0,0,0,0,0,0,,,,,,0.00,,\n' +
        'TOTAL,370000,7,4,3,5,2403333,1500000,52857,92500,123333,74000,6.4955,4.0541,57.14,75.00,166.67\n',
    );
  });

  it('gives one row per campaign within its category, with the same TOTAL', async () => {
    const rows = csv(await exportKpis('--by', 'campaign'));
    expect(rows.map((r) => [r.category, r.campaign, r.spend, r.pipeline_to_spend])).toEqual([
      ['Paid Media/Search', 'Brand', '90000', '11.1111'],
      ['Paid Media/Search', 'Generic', '50000', '6.6667'],
      ['Events', 'Summit', '200000', '4.1000'],
      ['Webinars', 'Q4 Webinar', '30000', '0.0000'],
      ['Sales/Outbound', 'Cold call', '0', ''],
      ['Unattributed', 'Partner intro', '0', ''],
      ['TOTAL', '', '370000', '6.4955'],
    ]);
    const byCategory = csv(await exportKpis('--by', 'category'));
    expect(rows.at(-1)).toEqual({ campaign: '', ...byCategory.at(-1) });
    const within = csv(await exportKpis('--by', 'campaign', '--category', 'paid media'));
    expect(within.map((r) => [r.campaign, r.leads])).toEqual([
      ['Brand', '2'],
      ['Generic', '1'],
      ['', '3'],
    ]);
  });

  // The time-bucketed export reads the spend rollup and the lead and opportunity rows day by
  // day; the per-category export reads the funnel rollup, the per-campaign one the rows grouped
  // by campaign. Three paths, one set of figures.
  const COMPARED = [
    'spend',
    'leads',
    'mqls',
    'sqls',
    'opportunities',
    'pipeline_created',
    'won',
    'cost_per_lead',
    'cost_per_opportunity',
  ];
  const ADDITIVE = COMPARED.filter((c) => !c.startsWith('cost'));
  const sum = (rs: Record<string, string>[], column: string) =>
    rs.reduce((a, r) => a + BigInt(r[column] || '0'), 0n);

  it('agrees with the time-bucketed export of the same period: the TOTAL, and the rows adding up to it', async () => {
    for (const grouping of ['category', 'campaign']) {
      const rows = csv(await exportKpis('--by', grouping));
      const total = rows.at(-1) as Record<string, string>;
      expect(total.category).toBe('TOTAL');
      for (const bucket of ['week', 'month']) {
        const buckets = csv(await exportKpis('--by', bucket));
        const bucketTotal = buckets.at(-1) as Record<string, string>;
        for (const column of COMPARED) {
          expect(total[column], `${grouping} vs ${bucket}: ${column}`).toBe(bucketTotal[column]);
        }
        for (const column of ADDITIVE) {
          expect(sum(rows.slice(0, -1), column), `${grouping} rows: ${column}`).toBe(
            BigInt(total[column] as string),
          );
          expect(sum(buckets.slice(0, -1), column), `${bucket} rows: ${column}`).toBe(
            BigInt(total[column] as string),
          );
        }
        // The bucketed export rounds pipeline-to-spend to 2 decimals, this one to 4.
        expect(Number(total.pipeline_to_spend).toFixed(2)).toBe(bucketTotal.pipeline_to_spend);
      }
    }
  });

  it('agrees row by row: each category is its own time-bucketed export, each campaign adds up to its category', async () => {
    const categories = csv(await exportKpis('--by', 'category')).slice(0, -1);
    const campaigns = csv(await exportKpis('--by', 'campaign')).slice(0, -1);
    expect(categories.map((r) => r.category)).toEqual([
      'Paid Media/Search',
      'Events',
      'Webinars',
      'Sales/Outbound',
      'Unattributed',
    ]);
    for (const row of categories) {
      const category = row.category as string;
      for (const bucket of ['week', 'month']) {
        const buckets = csv(await exportKpis('--by', bucket, '--category', category));
        const bucketTotal = buckets.at(-1) as Record<string, string>;
        for (const column of COMPARED)
          expect(row[column], `${category} vs ${bucket}: ${column}`).toBe(bucketTotal[column]);
        for (const column of ADDITIVE)
          expect(sum(buckets.slice(0, -1), column), `${category} ${bucket} rows: ${column}`).toBe(
            BigInt(row[column] as string),
          );
        expect(Number(row.pipeline_to_spend || 'NaN').toFixed(2), `${category}: pipeline_to_spend`).toBe(
          bucketTotal.pipeline_to_spend || 'NaN',
        );
      }
      const own = campaigns.filter((c) => c.category === category);
      expect(own.length, category).toBeGreaterThan(0);
      for (const column of ADDITIVE)
        expect(sum(own, column), `${category} campaigns: ${column}`).toBe(BigInt(row[column] as string));
    }
    // A category's export takes the categories under it: Paid Media is Paid Media/Search here.
    const parent = csv(await exportKpis('--by', 'month', '--category', 'paid media')).at(-1);
    expect(parent).toMatchObject({ spend: '140000', leads: '3', pipeline_created: '1333333' });
  });

  it('answers JSON, and an unknown category or grouping with a clear error', async () => {
    const json = JSON.parse(await exportKpis('--by', 'category', '--format', 'json'));
    expect(json).toMatchObject({ team: TEAM, currency: 'USD', period: '2026-10', by: 'category' });
    expect(json.rows.at(-1)).toMatchObject({ category: 'TOTAL', spend: '370000', lead_to_mql_pct: '57.14' });
    const unknown = await mo('export', 'kpis', '--team', TEAM, '--by', 'category', '--category', 'Radio');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No spend, leads or opportunities are filed under "Radio"');
    const bad = await mo('export', 'kpis', '--team', TEAM, '--by', 'channel');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--by is week, month, category or campaign');
  });
});
