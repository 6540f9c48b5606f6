// Attribution on import for each vendor format, the cohort funnel and marketing's share, on a
// real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappingRepository } from '../../src/db/mapping.js';
import { perfRepository } from '../../src/db/perf.js';
import { targetRepository } from '../../src/db/targets.js';
import { parsePattern } from '../../src/domain/mapping.js';
import {
  type ImportContext,
  importLeads,
  importOpportunities,
  importSpend,
} from '../../src/ingest/import.js';
import { funnelReport, perfReport } from '../../src/services/perf.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0ATTR';
const FIG = 'T0FIG';
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);
let t: TestDatabase;

const ctx = (teamId: string, file: string): ImportContext => ({
  db: t.mo.db,
  databaseUrl: t.mo.databaseUrl,
  now: t.mo.clock(),
  teamId,
  currency: 'USD',
  fiscalStartMonth: 1,
  source: 'csv',
  actor: 'test',
  open: () => (file.includes('\n') ? Readable.from([file]) : createReadStream(fixture(file))),
});

const categories = async (model: 'lead' | 'opportunity') => {
  const rows =
    model === 'lead'
      ? await t.mo.db.lead.findMany({ where: { teamId: TEAM }, orderBy: { externalId: 'asc' } })
      : await t.mo.db.opportunity.findMany({ where: { teamId: TEAM }, orderBy: { externalId: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.externalId, [r.category, r.campaign]]));
};

beforeAll(async () => {
  t = await createTestDatabase('2026-11-22T15:00:00Z');
  const rules = mappingRepository(t.mo.db);
  await rules.add(TEAM, { ...parsePattern('Brand'), category: 'Paid Media/Brand Search' }, 'U1');
  await rules.add(TEAM, { ...parsePattern('/^partner/'), category: 'Partner' }, 'U1');
  for (const [kind, file] of [
    ['spend', 'perf-spend.csv'],
    ['leads', 'perf-leads.csv'],
    ['opportunities', 'perf-opportunities.csv'],
  ] as const) {
    const importer = { spend: importSpend, leads: importLeads, opportunities: importOpportunities }[kind];
    await importer(ctx(FIG, file));
  }
});
afterAll(() => t.close());

describe('attribution falls through: row, rule on campaign, rule on source, vendor source, Unattributed', () => {
  it('HubSpot contacts (Original Source / Drill-Down 1)', async () => {
    await importLeads(ctx(TEAM, 'hubspot-contacts-sources.csv'));
    expect(await categories('lead')).toEqual({
      'hubspot:201': ['Paid Media/Brand Search', 'Brand Q4'], // a rule on the drill-down (campaign)
      'hubspot:202': ['Partner', 'acme.com'], // no rule on acme.com; one on the source
      'hubspot:203': ['Organic Search', 'google'], // HubSpot's own source
      'hubspot:204': ['Unattributed', ''],
    });
  });

  it('HubSpot deals (Original Source Type / Data 1), which used to land in Unattributed', async () => {
    await importOpportunities(ctx(TEAM, 'hubspot-deals-sources.csv'));
    expect(await categories('opportunity')).toMatchObject({
      'hubspot:9101': ['Paid Media/Brand Search', 'Brand Q4'],
      'hubspot:9102': ['Partner', 'acme.com'],
      'hubspot:9103': ['Organic Search', 'google'],
      'hubspot:9104': ['Unattributed', ''],
    });
  });

  it('Salesforce leads and opportunities (Lead Source / Primary Campaign Source)', async () => {
    await importLeads(ctx(TEAM, 'salesforce-leads-sources.csv'));
    await importOpportunities(ctx(TEAM, 'salesforce-opportunities-sources.csv'));
    const want = {
      K: ['Paid Media/Brand Search', 'Brand Q4'],
      L: ['Partner', ''],
      M: ['Trade Show', 'Summit booth'],
      N: ['Unattributed', ''],
    };
    expect(await categories('opportunity')).toMatchObject({
      'salesforce:006K': want.K,
      'salesforce:006L': want.L,
      'salesforce:006M': want.M,
      'salesforce:006N': want.N,
    });
    // A leads report has no campaign of its own: the source stands in for it.
    expect(await categories('lead')).toMatchObject({
      'salesforce:00Q11': want.K,
      'salesforce:00Q12': ['Partner', 'Partner Referral'],
      'salesforce:00Q13': want.M,
      'salesforce:00Q14': want.N,
    });
  });

  it('Mo’s own CSV: the row’s category first, then rules on campaign, then on source', async () => {
    await importLeads(
      ctx(
        TEAM,
        'external_id,created_date,category,campaign,source\n' +
          'M1,2026-11-02,Events,Brand booth,partner\n' +
          'M2,2026-11-02,,Brand booth,partner\n' +
          'M3,2026-11-02,,Booth,Partner fair\n' +
          'M4,2026-11-02,,Booth,Fair\n',
      ),
    );
    expect(await categories('lead')).toMatchObject({
      M1: ['Events', 'Brand booth'],
      M2: ['Paid Media/Brand Search', 'Brand booth'],
      M3: ['Partner', 'Booth'],
      M4: ['Unattributed', 'Booth'],
    });
  });
});

describe('/mo perf figures', () => {
  it('marks the categories admins call not marketing, and splits pipeline and won', async () => {
    const settings = await t.mo.workspaces.ensure(FIG);
    expect(settings.notMarketing).toEqual([]);
    const all = await perfReport(t.mo.forTeam(settings.teamId), settings, { period: '2026-10' });
    expect(all.share.pipelineShare).toBe(10_000n);
    const marked = await t.mo.workspaces.update(FIG, { notMarketing: ['Sales'] }, 'U1');
    expect(marked.notMarketing).toEqual(['Sales']);
    const report = await perfReport(t.mo.forTeam(marked.teamId), marked, { period: '2026-10' });
    // 24,033.33 pipeline, 2,500 of it Sales/Outbound: 21,533.33 / 24,033.33 = 89.5977… %.
    expect(report.share).toEqual({
      marketingPipeline: 2_153_333n,
      otherPipeline: 250_000n,
      marketingWon: 1_500_000n,
      otherWon: 0n,
      pipelineShare: 8960n,
      wonShare: 10_000n,
    });
  });

  it('checks each row against the targets for it, the workspace’s 5:1 by default', async () => {
    const settings = await t.mo.workspaces.ensure(FIG);
    const targets = targetRepository(t.mo.db);
    await targets.set(FIG, 'cpl', '', 50_000n, 'U1');
    await targets.set(FIG, 'pipeline_to_spend', '2026-10', 40_000n, 'U1', 'Events');
    const report = await perfReport(t.mo.forTeam(settings.teamId), settings, { period: '2026-10' });
    const status = Object.fromEntries(report.table.rows.map((r) => [r.category, r.status]));
    expect(status).toEqual({
      'Paid Media/Search': 'on_target', // CPL 466.67 ≤ 500, 9.52 ≥ 5
      Events: 'below_target', // 4.1 ≥ its own 4:1, but CPL 666.67 > 500
      Webinars: 'below_target', // spent with no leads, and 0:1
      'Sales/Outbound': 'no_target',
      Unattributed: 'on_target', // no spend: CPL 0
    });
    const events = report.table.rows.find((r) => r.category === 'Events');
    expect(events?.checks).toEqual([
      { metric: 'cpl', target: 50_000n, actual: 66_667n, met: false },
      { metric: 'pipeline_to_spend', target: 40_000n, actual: 41_000n, met: true },
    ]);
  });
});

describe('the funnel rollup', () => {
  it('stays equal to the leads and opportunities through inserts and updates', async () => {
    const FIG = 'T0ROLL';
    for (const [kind, file] of [
      ['leads', 'perf-leads.csv'],
      ['opportunities', 'perf-opportunities.csv'],
    ] as const)
      await (kind === 'leads' ? importLeads : importOpportunities)(ctx(FIG, file));
    const perRow = async () => {
      // Per campaign is read from the rows themselves; per category from the rollup.
      const byRows = new Map<string, string>();
      const parts = await perfRepository(t.mo.db).funnelParts(FIG, '2000-01-01', '2099-12-31', 'campaign');
      const sums = new Map<string, Record<string, bigint>>();
      for (const p of parts) {
        const s = sums.get(p.category) ?? {};
        for (const [k, v] of Object.entries(p))
          if (k !== 'category' && k !== 'campaign') s[k] = (s[k] ?? 0n) + BigInt(v as number | bigint);
        sums.set(p.category, s);
      }
      for (const [c, s] of sums)
        byRows.set(
          c,
          JSON.stringify(Object.entries(s).sort(), (_, v) => String(v)),
        );
      const byRollup = new Map<string, string>();
      for (const p of await perfRepository(t.mo.db).funnelParts(
        FIG,
        '2000-01-01',
        '2099-12-31',
        'category',
      )) {
        const s: Record<string, bigint> = {};
        for (const [k, v] of Object.entries(p))
          if (k !== 'category' && BigInt(v as number | bigint) !== 0n) s[k] = BigInt(v as number | bigint);
        byRollup.set(
          p.category,
          JSON.stringify(Object.entries(s).sort(), (_, v) => String(v)),
        );
      }
      return { byRows, byRollup };
    };
    const before = await perRow();
    expect(before.byRollup).toEqual(before.byRows);
    expect(before.byRollup.get('Events')).toBe(
      JSON.stringify(
        Object.entries({
          leads: 3n,
          mqls: 2n,
          opportunities: 2n,
          pipelineCreated: 820_000n,
          sqls: 1n,
        }).sort(),
        (_, v) => String(v),
      ),
    );
    // L2 moves to Events with a later MQL and an SQL; O2 is won; O1 loses its win.
    await importLeads(
      ctx(
        FIG,
        'external_id,created_date,mql_date,sql_date,category,campaign\nL2,2026-10-02,2026-10-20,2026-10-30,Events,Summit\n',
      ),
    );
    await importOpportunities(
      ctx(
        FIG,
        'external_id,created_date,amount,stage,close_date,won,category,campaign\n' +
          'O1,2026-10-06,10000.00,Closed Lost,2026-10-28,false,Paid Media/Search,Brand\n' +
          'O2,2026-10-12,3333.33,Closed Won,2026-11-02,true,Paid Media/Search,Generic\n',
      ),
    );
    const after = await perRow();
    expect(after.byRollup).toEqual(after.byRows);
    expect(after.byRollup).not.toEqual(before.byRollup);
    const rows = await t.mo.db.funnelDaily.findMany({
      where: { teamId: FIG, date: { in: ['2026-10-02', '2026-10-09', '2026-10-28', '2026-11-02'] } },
      orderBy: [{ date: 'asc' }, { category: 'asc' }],
    });
    expect(rows.map((r) => [r.date, r.category, r.leads, r.mqls, r.wonMinor])).toEqual([
      ['2026-10-02', 'Events', 1, 0, 0n],
      ['2026-10-02', 'Paid Media/Search', 0, 1, 0n], // L1's MQL stays; L2's lead left
      ['2026-10-02', 'Webinars', 0, 0, 0n], // L7's SQL
      ['2026-10-09', 'Paid Media/Search', 0, 0, 0n], // L2's old MQL taken away
      ['2026-10-28', 'Paid Media/Search', 0, 0, 0n], // O1's win taken away
      ['2026-11-02', 'Paid Media/Search', 0, 0, 333_333n],
    ]);
  });
});

describe('/mo perf funnel', () => {
  it('follows the leads created in the period to MQL and SQL by today, against the period before', async () => {
    const settings = await t.mo.workspaces.ensure(FIG);
    const f = await funnelReport(t.mo.forTeam(settings.teamId), settings, { period: '2026-10' });
    expect(f.previous.key).toBe('2026-09');
    expect(f.asOf).toBe('2026-11-22');
    // October's seven leads: MQL after 1, 7, 0 and 28 days (L6's in November counts by now);
    // SQL after 3 (L1) and 21 (L4) days from MQL.
    expect(f.current).toEqual({
      leads: 7,
      mqls: 4,
      sqls: 2,
      mqlShare: 5714n,
      sqlShare: 2857n,
      medianDaysToMql: 4,
      medianDaysMqlToSql: 12,
    });
    // September: L7, MQL after 3 days, SQL a day later.
    expect(f.before).toEqual({
      leads: 1,
      mqls: 1,
      sqls: 1,
      mqlShare: 10_000n,
      sqlShare: 10_000n,
      medianDaysToMql: 3,
      medianDaysMqlToSql: 1,
    });
    // As of Oct 31, L6 had not reached MQL yet.
    const then = await funnelReport(t.mo.forTeam(settings.teamId), settings, {
      period: '2026-10',
      today: '2026-10-31',
    });
    expect(then.current).toMatchObject({ mqls: 3, medianDaysToMql: 1 });
  });
});
