// The weekly digest's content on a real database (SQLite, PostgreSQL when TEST_DATABASE_URL
// is set): spend, leads and opportunities imported through the import functions, a plan and
// targets set through the repositories, and every figure in digestData worked out by hand.
// Only the chart renderer is wrapped, so a test can make one chart fail.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderChart } from '../../src/charts/render.js';
import { targetRepository } from '../../src/db/targets.js';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { fiscalQuarter, fiscalYear } from '../../src/domain/calendar.js';
import type { MetricId, MetricLine } from '../../src/domain/digest.js';
import {
  type ImportContext,
  importBudgets,
  importLeads,
  importOpportunities,
  importSpend,
} from '../../src/ingest/import.js';
import { digestData, renderDigest } from '../../src/services/digest.js';
import { todayIn } from '../../src/services/mo.js';
import { messageToText } from '../../src/slack/render-text.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { validateBlocks } from '../support/fake-slack.js';

vi.mock('../../src/charts/render.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/charts/render.js')>();
  return { ...original, renderChart: vi.fn(original.renderChart) };
});

const TEAM = 'T0DIGEST';
const EMPTY = 'T0EMPTY';
const ACTOR = 'U0TEST';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let t: TestDatabase;
let settings: WorkspaceSettings;
let empty: WorkspaceSettings;

const ctx = (teamId: string, csv: string): ImportContext => ({
  db: t.mo.db,
  databaseUrl: t.mo.databaseUrl,
  now: t.mo.clock(),
  teamId,
  currency: 'USD',
  fiscalStartMonth: 2,
  source: 'csv',
  actor: ACTOR,
  open: () => Readable.from([csv]),
});

const byId = (lines: MetricLine[]) =>
  Object.fromEntries(lines.map((l) => [l.id, l])) as Record<MetricId, MetricLine>;

beforeAll(async () => {
  // Wednesday Nov 25, 2026, 12:00 in Los Angeles (PST): the week just ended is Nov 16–22.
  // Fiscal year from February: FY2027-Q4 is Nov 1, 2026 – Jan 31, 2027 (92 days), and today
  // is its 25th day.
  t = await createTestDatabase('2026-11-25T20:00:00Z');
  settings = await t.mo.workspaces.update(
    TEAM,
    { fiscalStartMonth: 2, timezone: 'America/Los_Angeles' },
    ACTOR,
  );
  empty = await t.mo.workspaces.update(
    EMPTY,
    { fiscalStartMonth: 2, timezone: 'America/Los_Angeles' },
    ACTOR,
  );

  await importSpend(
    ctx(
      TEAM,
      'date,amount,category,campaign,vendor,status,external_id\n' +
        '2026-11-10,1000.00,Paid Media/Search,Brand,Google,actual,s1\n' + // last week
        '2026-11-17,1150.00,Paid Media/Search,Brand,Google,actual,s2\n' + // week: +15.0 %
        '2026-11-12,200.00,Events,Booth,Acme,actual,s3\n' + // last week
        '2026-11-18,229.80,Events,Booth,Acme,actual,s4\n' + // week: +14.9 %, not a mover
        '2026-11-20,300.00,Content,Ebook,Writers,actual,s5\n' + // week: new
        '2026-11-23,50.00,Paid Media/Social,Retargeting,Meta,actual,s6\n' + // after the week
        '2026-10-30,400.00,Paid Media/Search,Brand,Google,actual,s7\n' + // FY2027-Q3
        '2026-11-02,100.00,Events,Coffee,Cafe,actual,s8\n' + // Q4 to date, neither week
        '2026-12-01,500.00,Events,Summit,Acme,committed,s9\n', // committed, not spend
    ),
  );
  await importLeads(
    ctx(
      TEAM,
      'created_date,mql_date,sql_date,category,campaign,external_id\n' +
        '2026-11-16,2026-11-17,2026-11-19,Paid Media/Search,Brand,L1\n' +
        '2026-11-17,2026-11-18,,Paid Media/Search,Brand,L2\n' +
        '2026-11-18,,,Events,Booth,L3\n' +
        '2026-11-21,,,Events,Booth,L4\n' +
        '2026-11-22,2026-11-22,,Content,Ebook,L5\n' +
        '2026-11-19,,,Content,Ebook,L10\n' +
        '2026-11-09,2026-11-10,2026-11-12,Events,Booth,L6\n' +
        '2026-11-11,2026-11-13,,Events,Booth,L7\n' +
        '2026-11-03,,,Events,Coffee,L8\n' +
        '2026-10-28,2026-11-16,,Paid Media/Search,Brand,L9\n', // created in Q3, an MQL this week
    ),
  );
  await importOpportunities(
    ctx(
      TEAM,
      'external_id,created_date,amount,stage,close_date,won,category,campaign\n' +
        'O1,2026-11-16,"$25,000.00",Closed Won,2026-11-20,true,Paid Media/Search,Brand\n' +
        'O2,2026-11-19,8000,Discovery,,,Events,Booth\n' +
        'O3,2026-11-10,5000,Discovery,,,Events,Booth\n' +
        'O4,2026-10-20,12000,Closed Won,2026-11-11,true,Paid Media/Search,Brand\n' +
        'O5,2026-11-20,3000,Closed Lost,2026-11-21,false,Content,Ebook\n',
    ),
  );

  const q4 = fiscalQuarter(2027, 4, 2);
  const plan = (category: string, plannedMinor: bigint) =>
    t.mo.budgets.set({ teamId: TEAM, period: q4, category, plannedMinor }, ACTOR);
  await plan('Paid Media/Search', 500_000n);
  await plan('Events', 180_000n);
  await plan('Content', 110_000n);
  // A plan for another quarter and the year: not the digest's quarter.
  await t.mo.budgets.set(
    { teamId: TEAM, period: fiscalQuarter(2027, 3, 2), category: 'Events', plannedMinor: 1n },
    ACTOR,
  );
  await t.mo.budgets.set(
    { teamId: TEAM, period: fiscalYear(2027, 2), category: 'Content', plannedMinor: 1n },
    ACTOR,
  );

  const targets = targetRepository(t.mo.db);
  await targets.set(TEAM, 'leads', 'FY2027-Q4', 500n, ACTOR);
  await targets.set(TEAM, 'pipeline', 'FY2027-Q4', 10_000_000n, ACTOR);
  // Only a target set for the quarter itself counts: not a month's, a year's or another quarter's.
  await targets.set(TEAM, 'mqls', '2026-11', 100n, ACTOR);
  await targets.set(TEAM, 'sqls', 'FY2027', 50n, ACTOR);
  await targets.set(TEAM, 'leads', 'FY2027-Q3', 999n, ACTOR);
  // A target alone is not data: the empty workspace still gets the "no data yet" digest.
  await targets.set(EMPTY, 'leads', 'FY2027-Q4', 100n, ACTOR);
});
afterAll(() => t.close());

describe('digestData', () => {
  it('takes the week just ended and the quarter to date in the workspace timezone', async () => {
    const today = todayIn(t.mo, settings.timezone);
    expect(today).toBe('2026-11-25');
    const data = await digestData(t.mo.forTeam(settings.teamId), settings, { today });
    expect(data.windows).toMatchObject({
      week: { start: '2026-11-16', end: '2026-11-22' },
      lastWeek: { start: '2026-11-09', end: '2026-11-15' },
      quarter: { key: 'FY2027-Q4', start: '2026-11-01', end: '2027-01-31' },
      qtd: { start: '2026-11-01', end: '2026-11-22' },
      twelveWeeks: { start: '2026-08-31', end: '2026-11-22' },
    });
    expect(data.hasData).toBe(true);
  });

  it('has every figure exactly, with last week, the change and the target', async () => {
    const data = await digestData(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-25' });
    const l = byId(data.lines);
    // Week: s2 + s4 + s5 = 1,150.00 + 229.80 + 300.00; last week: s1 + s3. QTD adds s8.
    expect(l.spend).toMatchObject({
      week: 167_980n,
      lastWeek: 120_000n,
      changePct: 40, // 39.98
      qtd: 297_980n,
      weekTarget: null,
      quarterTarget: null,
    });
    // Leads by created date: L1–L5, L10 | L6, L7 | + L8. Target 500 × 7 ÷ 92 = 38.04.
    expect(l.leads).toMatchObject({
      week: 6,
      lastWeek: 2,
      changePct: 200,
      qtd: 9,
      weekTarget: 38n,
      quarterTarget: 500n,
    });
    // MQLs by MQL date: L1, L2, L5 and L9 (created in Q3) | L6, L7. No month or year target.
    expect(l.mqls).toMatchObject({ week: 4, lastWeek: 2, changePct: 100, qtd: 6, quarterTarget: null });
    expect(l.sqls).toMatchObject({ week: 1, lastWeek: 1, changePct: 0, qtd: 2, quarterTarget: null });
    expect(l.mqlToSql).toMatchObject({ week: 25, lastWeek: 50, qtd: 33.3 });
    // Pipeline by created date: O1 + O2 + O5 (lost later, still created) | O3.
    expect(l.pipeline).toMatchObject({
      week: 3_600_000n,
      lastWeek: 500_000n,
      changePct: 620,
      qtd: 4_100_000n,
      weekTarget: 760_870n, // 10,000,000 × 7 ÷ 92 = 760,869.57
      quarterTarget: 10_000_000n,
    });
    // Won by close date: O1 | O4 (created in Q3). O5 closed lost.
    expect(l.won).toMatchObject({ week: 2_500_000n, lastWeek: 1_200_000n, changePct: 108, qtd: 3_700_000n });
    // 167,980 ÷ 6 = 27,996.67; 297,980 ÷ 9 = 33,108.89.
    expect(l.costPerLead).toMatchObject({ week: 27_997n, lastWeek: 60_000n, changePct: -53, qtd: 33_109n });
    // 167,980 ÷ 3 = 55,993.33; 297,980 ÷ 4 = 74,495.
    expect(l.costPerOpportunity).toMatchObject({ week: 55_993n, lastWeek: 120_000n, qtd: 74_495n });
    // 3,600,000 ÷ 167,980 = 21.431; 500,000 ÷ 120,000 = 4.167; 4,100,000 ÷ 297,980 = 13.759.
    expect(l.pipelineToSpend).toMatchObject({ week: 21.43, lastWeek: 4.17, qtd: 13.76 });
  });

  it('has the quarter’s plan, pacing, forecast, the lines to watch and the movers', async () => {
    const data = await digestData(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-25' });
    // Day 25 of 92, and of November's 30. Plans phased by days (Nov, Dec, Jan): Search 163,044,
    // 168,478, 168,478; Events 58,696, 60,652, 60,652; Content 35,870, 37,065, 37,065 (the
    // 1-cent Q3 and FY lines fall in Aug and Mar 2026). November's run rate is × 30 ÷ 25:
    //   Search 215,000 → 258,000 + 168,478 + 168,478 = 594,956; Social 5,000 → 6,000;
    //   Paid Media 600,956 on 500,000: +20.19 %, over.
    //   Events 52,980 → 63,576 + max(60,652, committed 50,000) + 60,652 = 184,880: +2.71 %.
    //   Content 30,000 → 36,000 + 37,065 + 37,065 = 110,130: +0.12 %.
    //   Total 895,966 on 790,000: over.
    expect(data.budget).toMatchObject({ periodDays: 92, elapsedDays: 25 });
    expect(data.budget.total).toMatchObject({
      planned: 790_000n,
      actual: 302_980n,
      committed: 50_000n,
      forecast: 895_966n,
      status: 'over',
    });
    expect(data.pace).toEqual({ bookedPct: 45, elapsedPct: 27 }); // 352,980 ÷ 790,000; 25 ÷ 92
    expect(data.flagged.map((r) => [r.category, r.status, r.forecast, r.variancePct])).toEqual([
      ['Paid Media', 'over', 600_956n, 20.19],
    ]);
    expect(data.budget.rows.map((r) => [r.category, r.forecast, r.status])).toEqual([
      ['Content', 110_130n, 'on plan'],
      ['Events', 184_880n, 'on plan'],
      ['Paid Media', 600_956n, 'over'],
    ]);
    // Paid Media +15.0 % (Social's Nov 23 is after the week); Events +14.9 % is not a mover.
    expect(data.movers).toEqual([
      { category: 'Content', lastWeek: 0n, week: 30_000n, changePct: null },
      { category: 'Paid Media', lastWeek: 100_000n, week: 115_000n, changePct: 15 },
    ]);
  });

  it('has the charts’ series: weekly spend by top-level category, the funnel by week, pipeline by category', async () => {
    const data = await digestData(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-25' });
    const order = (a: { bucket: string; category: string }, b: { bucket: string; category: string }) =>
      `${a.bucket} ${a.category}`.localeCompare(`${b.bucket} ${b.category}`);
    expect([...data.weeklySpend].sort(order)).toEqual([
      { bucket: '2026-10-26', category: 'Paid Media', amount: 40_000n },
      { bucket: '2026-11-02', category: 'Events', amount: 10_000n },
      { bucket: '2026-11-09', category: 'Events', amount: 20_000n },
      { bucket: '2026-11-09', category: 'Paid Media', amount: 100_000n },
      { bucket: '2026-11-16', category: 'Content', amount: 30_000n },
      { bucket: '2026-11-16', category: 'Events', amount: 22_980n },
      { bucket: '2026-11-16', category: 'Paid Media', amount: 115_000n },
    ]);
    expect(data.funnel).toHaveLength(12);
    expect(data.funnel.slice(-4)).toEqual([
      { week: '2026-10-26', leads: 1, mqls: 0, sqls: 0 },
      { week: '2026-11-02', leads: 1, mqls: 0, sqls: 0 },
      { week: '2026-11-09', leads: 2, mqls: 2, sqls: 1 },
      { week: '2026-11-16', leads: 6, mqls: 4, sqls: 1 },
    ]);
    expect(data.pipeline).toEqual([
      { category: 'Paid Media', amount: 2_500_000n },
      { category: 'Events', amount: 1_300_000n },
      { category: 'Content', amount: 300_000n },
    ]);
  });

  it('an empty workspace (a target but no spend, leads, opportunities or plan) has no data, and nothing leaks in', async () => {
    const data = await digestData(t.mo.forTeam(empty.teamId), empty, { today: '2026-11-25' });
    expect(data.hasData).toBe(false);
    expect(data.lines.find((l) => l.id === 'spend')).toMatchObject({ week: 0n, qtd: 0n });
    expect(data.lines.find((l) => l.id === 'leads')).toMatchObject({ week: 0, quarterTarget: 100n });
    expect(data.budget.rows).toEqual([]);
    expect([data.movers, data.flagged, data.weeklySpend, data.pipeline]).toEqual([[], [], [], []]);
  });
});

describe('renderDigest', () => {
  it('renders five PNG charts with alt text and a message that passes Slack’s checks', async () => {
    const digest = await renderDigest(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-25' });
    expect(digest.missingCharts).toEqual([]);
    expect(digest.charts.map((c) => c.name)).toEqual([
      'weekly-spend.png',
      'budget-burn-up.png',
      'leads-mqls-sqls.png',
      'pipeline-by-category.png',
      'spend-vs-pipeline.png',
    ]);
    for (const chart of digest.charts) {
      expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE), chart.name).toBe(true);
      expect(chart.png.length, chart.name).toBeGreaterThan(5_000);
      expect(chart.title.length, chart.name).toBeGreaterThan(10);
    }
    const alt = digest.charts.map((c) => c.altText);
    expect(alt[0]).toContain('for the 12 weeks ending 2026-11-22: $3,380 in all'); // 337,980
    expect(alt[1]).toContain('$3,030 by day 25 of 92, forecast $8,960 against a plan of $7,900');
    expect(alt[2]).toContain('10 leads, 6 MQLs, 2 SQLs');
    expect(alt[3]).toContain('largest: Paid Media with $25,000');

    expect(validateBlocks(digest.message.blocks, 'message')).toEqual([]);
    const text = messageToText(digest.message);
    expect(text).toContain('Weekly marketing digest · week of Nov 16');
    expect(text).toContain('5 charts in the thread');
    // The week per category: Search 1,150.00 → 25,000 pipeline (21.74), CPL 1,150 / 2 leads;
    // Events 229.80 → 8,000 (34.81; last week 200 → 5,000, 25.00), CPL 114.90; Content new.
    expect(text).toMatch(/Paid Media\/Search \$1,150 ▲ +\$25,000 ▲ +21\.74 ▲ \$575 ✓/);
    expect(text).toMatch(/Content +\$300 ▲ +\$3,000 ▲ +10\.00 · \$150 ✓/);
    expect(text).toMatch(/Events +\$230 ▲ +\$8,000 ▲ +34\.81 ▲ \$115 ✓/);
    // 6 leads, 4 MQLs, 1 SQL, 3 opportunities this week; 2, 2, 1, 1 the week before.
    expect(text).toContain(
      'Stage conversions: Lead→MQL 66.7 % (-33.3 pts) · MQL→SQL 25.0 % (-25.0 pts) · SQL→opp 300.0 % (+200.0 pts)',
    );
    expect(text).toContain('Marketing-sourced: 100 % of pipeline, 100 % of won (FY2027-Q4 to date)');
    expect(alt[4]).toContain(
      'Scatter of spend against pipeline created for 3 categories in FY2027-Q4 to date, with a 5:1 line; 0 below it.',
    );
    expect(text).toMatch(/Spend +\$1,680 +\$1,200 +\+40 % +\$2,980/);
    expect(text).toContain('(45 % booked, 27 % of the quarter gone) · forecast $8,960');
    expect(digest.message.text).toContain('spend $1,680, leads 6, pipeline $36,000');
  });

  it('a chart that fails to render is named as missing; the rest and the text still go out', async () => {
    const render = vi.mocked(renderChart);
    render.mockRejectedValueOnce(new Error('resvg: out of memory')); // the first chart
    const digest = await renderDigest(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-25' });
    expect(digest.charts.map((c) => c.name)).toEqual([
      'budget-burn-up.png',
      'leads-mqls-sqls.png',
      'pipeline-by-category.png',
      'spend-vs-pipeline.png',
    ]);
    expect(digest.missingCharts).toEqual(['Weekly spend by category · 12 weeks to 2026-11-22']);
    expect(validateBlocks(digest.message.blocks, 'message')).toEqual([]);
    const text = messageToText(digest.message);
    expect(text).toContain('4 charts in the thread');
    expect(text).toContain('chart missing: Weekly spend by category · 12 weeks to 2026-11-22');
    expect(text).toMatch(/Spend +\$1,680/);
  });

  it('an empty workspace gets the "no data yet" digest and no charts', async () => {
    const digest = await renderDigest(t.mo.forTeam(empty.teamId), empty, { today: '2026-11-25' });
    expect(digest.charts).toEqual([]);
    expect(digest.missingCharts).toEqual([]);
    expect(validateBlocks(digest.message.blocks, 'message')).toEqual([]);
    const text = messageToText(digest.message);
    expect(text).toContain('No data yet');
    expect(text).toContain('/mo target set');
    expect(text).not.toMatch(/\$0|Last week/);
  });

  it('with 30 categories, each planned, spent, with leads and pipeline: within Slack’s limits, the rest counted', async () => {
    const MANY = 'T0THIRTY';
    const many = await t.mo.workspaces.update(
      MANY,
      { fiscalStartMonth: 2, timezone: 'America/Los_Angeles' },
      ACTOR,
    );
    // Long names, one with mrkdwn control characters; top-level categories, so the budget,
    // the movers and the charts all see 30 lines.
    const names = Array.from({ length: 30 }, (_, i) =>
      i === 29
        ? '<!channel> & Partners'
        : `Channel ${String(i).padStart(2, '0')} with a long descriptive name`,
    );
    const csv = (header: string, rows: string[]) => `${header}\n${rows.join('\n')}\n`;
    const q = (name: string) => `"${name}"`;
    await importBudgets(
      ctx(
        MANY,
        csv(
          'period,category,amount',
          names.map((n, i) => `FY2027-Q4,${q(n)},${1000 + i * 10}`),
        ),
      ),
    );
    await importSpend(
      ctx(
        MANY,
        csv(
          'date,amount,category,campaign,status,external_id',
          names.flatMap((n, i) => [
            `2026-11-10,${100 + i},${q(n)},Brand,actual,a${i}`, // last week
            `2026-11-17,${900 + i * 7},${q(n)},Brand,actual,b${i}`, // the week: far over plan
          ]),
        ),
      ),
    );
    await importLeads(
      ctx(
        MANY,
        csv(
          'external_id,created_date,mql_date,sql_date,category,campaign',
          names.flatMap((n, i) => [
            `L${i}a,2026-11-10,2026-11-12,,${q(n)},Brand`,
            `L${i}b,2026-11-17,2026-11-18,2026-11-19,${q(n)},Brand`,
          ]),
        ),
      ),
    );
    await importOpportunities(
      ctx(
        MANY,
        csv(
          'external_id,created_date,amount,stage,close_date,won,category,campaign',
          names.map((n, i) => `O${i},2026-11-18,${1000 + i * 250},Discovery,,,${q(n)},Brand`),
        ),
      ),
    );
    const digest = await renderDigest(t.mo.forTeam(many.teamId), many, { today: '2026-11-25' });
    expect(digest.missingCharts).toEqual([]);
    expect(digest.charts.map((c) => c.name)).toContain('spend-vs-pipeline.png');
    expect(validateBlocks(digest.message.blocks, 'message')).toEqual([]);
    expect(digest.message.blocks.length).toBeLessThanOrEqual(50);
    expect(digest.message.text.length).toBeLessThanOrEqual(4000);
    const blocks = JSON.stringify(digest.message.blocks);
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).toContain('&lt;!channel&gt; &amp; Partners');
    const text = messageToText(digest.message);
    // Eight channels by the week's spend (the last names spent most), names cut to fit the
    // table; the other 22 counted.
    expect(text).toMatch(/<!channel> & Partners +\$1,103 ▲ +\$8,250 ▲ +7\.48 ▲ \$1,103 ✓\n/);
    expect(text).toMatch(
      /Channel 22 with a long de… \$1,054 ▲ +\$6,500 ▲ +6\.17 ▲ \$1,054 ✓\n…and 22 more in \/mo perf\n/,
    );
    expect(text).not.toContain('Channel 21 with a long de…');
    expect(text).toContain('…and 22 more lines'); // the budget lines to watch
    // The scatter shows the top 15 by spend of the quarter to date.
    const scatter = digest.charts.find((c) => c.name === 'spend-vs-pipeline.png');
    expect(scatter?.altText).toContain('for 15 categories in FY2027-Q4 to date');
    expect(scatter?.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });
});
