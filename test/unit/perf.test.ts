import { describe, expect, it } from 'vitest';
import { placeScatterLabels, spendVsPipelineChart } from '../../src/charts/specs.js';
import { calendarMonth, fiscalQuarter, fiscalYear } from '../../src/domain/calendar.js';
import { compileRules } from '../../src/domain/mapping.js';
import {
  attribute,
  channelTable,
  checkTargets,
  cohortFunnel,
  DEFAULT_PIPELINE_TO_SPEND,
  formatPercent,
  formatRatio,
  marketingShare,
  medianDays,
  NO_COUNTS,
  type PerfTarget,
  perfExportCells,
  perfRatios,
  perfTable,
  previousPeriod,
  stageConversions,
  targetFor,
  trend,
} from '../../src/domain/perf.js';

describe('per-row KPIs', () => {
  it('divide exactly and round once, half away from zero', () => {
    // $1,000.00 spend, 3 leads, 2 MQLs, 1 SQL, 1 opportunity of $7,000.01, $2,500 won.
    const r = perfRatios({
      spend: 100_000n,
      leads: 3,
      mqls: 2,
      sqls: 1,
      opportunities: 1,
      pipelineCreated: 700_001n,
      won: 250_000n,
    });
    expect(r).toEqual({
      costPerLead: 33_333n, // 333.333… → 333.33
      costPerMql: 50_000n,
      costPerSql: 100_000n,
      costPerOpportunity: 100_000n,
      pipelineToSpend: 70_000n, // 7.00001 → 7.0000
      wonToSpend: 25_000n, // 2.5
      leadToMql: 6667n, // 66.666… % → 66.67 %
      mqlToSql: 5000n,
      sqlToOpportunity: 10_000n,
    });
    expect(perfExportCells({ ...NO_COUNTS, ...r, spend: 100_000n, leads: 3 }).slice(7)).toEqual([
      '33333',
      '50000',
      '100000',
      '100000',
      '7.0000',
      '2.5000',
      '66.67',
      '50.00',
      '100.00',
    ]);
  });

  it('leave a blank, not zero or infinity, wherever the divisor is zero', () => {
    const noSpend = perfRatios({ ...NO_COUNTS, leads: 4, mqls: 0, pipelineCreated: 500n });
    expect(noSpend.pipelineToSpend).toBeNull();
    expect(noSpend.wonToSpend).toBeNull();
    expect(noSpend.costPerLead).toBe(0n); // no spend over four leads costs nothing each
    expect(noSpend.mqlToSql).toBeNull();
    expect(noSpend.leadToMql).toBe(0n);
    const noLeads = perfRatios({ ...NO_COUNTS, spend: 999n });
    expect(noLeads.costPerLead).toBeNull();
    expect(noLeads.costPerMql).toBeNull();
    expect(noLeads.costPerSql).toBeNull();
    expect(noLeads.costPerOpportunity).toBeNull();
    expect(noLeads.leadToMql).toBeNull();
    expect(noLeads.pipelineToSpend).toBe(0n);
    expect(perfExportCells({ ...NO_COUNTS, ...perfRatios(NO_COUNTS) })).toEqual([
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('format ratios to 4 decimals and percentages to 2, negatives (refunds) included', () => {
    expect(formatRatio(50_000n)).toBe('5.0000');
    expect(formatRatio(7n)).toBe('0.0007');
    expect(formatRatio(-12_345n)).toBe('-1.2345');
    expect(formatPercent(6250n)).toBe('62.50');
    expect(formatPercent(5n)).toBe('0.05');
    expect(formatPercent(-150n)).toBe('-1.50');
    expect(formatPercent(null)).toBe('');
  });
});

describe('the table', () => {
  const parts = [
    { category: 'Events', spend: 200_000n },
    { category: 'Events', leads: 10, mqls: 4, sqls: 2 },
    { category: 'Events', opportunities: 1, pipelineCreated: 400_000n },
    { category: 'Paid Media/Search', spend: 100_000n, leads: 5 },
    { category: 'Paid Media/Search', opportunities: 2, pipelineCreated: 900_000n, won: 300_000n },
    { category: 'Unattributed', leads: 3, opportunities: 1, pipelineCreated: 50_000n },
    { category: 'Webinars', spend: 50_000n },
  ];

  it('merges the parts per category, totals them and sorts by pipeline-to-spend (blanks last)', () => {
    const t = perfTable(parts, [], 'FY2027');
    expect(t.rows.map((r) => [r.category, r.pipelineToSpend])).toEqual([
      ['Paid Media/Search', 90_000n],
      ['Events', 20_000n],
      ['Webinars', 0n],
      ['Unattributed', null],
    ]);
    expect(t.total).toMatchObject({
      category: 'TOTAL',
      spend: 350_000n,
      leads: 18,
      mqls: 4,
      sqls: 2,
      opportunities: 4,
      pipelineCreated: 1_350_000n,
      won: 300_000n,
      costPerLead: 19_444n, // 3500 / 18 = 194.444…
      pipelineToSpend: 38_571n, // 13500 / 3500 = 3.857142…
    });
    // The workspace default 5:1 holds every row with spend to it.
    expect(t.rows.map((r) => r.status)).toEqual(['on_target', 'below_target', 'below_target', 'no_target']);
  });

  it('keys per campaign within a category', () => {
    const t = perfTable(
      [
        { category: 'Events', campaign: 'Booth', spend: 100n },
        { category: 'Events', campaign: 'Booth', leads: 2 },
        { category: 'Events', campaign: '', leads: 1 },
      ],
      [],
      'FY2027',
    );
    expect(t.rows.map((r) => [r.category, r.campaign, r.spend, r.leads])).toEqual([
      ['Events', 'Booth', 100n, 2],
      ['Events', '', 0n, 1],
    ]);
  });
});

describe('targets', () => {
  const targets: PerfTarget[] = [
    { metric: 'cpl', period: '', category: '', value: 10_000n },
    { metric: 'cpl', period: 'FY2027', category: '', value: 12_000n },
    { metric: 'cpl', period: '', category: 'Events', value: 30_000n },
    { metric: 'cpl', period: 'FY2027', category: 'Events/Booth', value: 40_000n },
    { metric: 'pipeline_to_spend', period: '', category: 'Paid Media', value: 80_000n },
  ];

  it('take the most specific: category, then parent, then workspace; a period before standing', () => {
    expect(targetFor(targets, 'cpl', 'FY2027', 'Events/Booth')).toBe(40_000n);
    expect(targetFor(targets, 'cpl', 'FY2026', 'Events/Booth')).toBe(30_000n);
    expect(targetFor(targets, 'cpl', 'FY2027', 'Events')).toBe(30_000n);
    expect(targetFor(targets, 'cpl', 'FY2027', 'Webinars')).toBe(12_000n);
    expect(targetFor(targets, 'cpl', 'FY2026', 'Webinars')).toBe(10_000n);
    expect(targetFor(targets, 'pipeline_to_spend', 'FY2027', 'paid media/search')).toBe(80_000n);
    expect(targetFor(targets, 'pipeline_to_spend', 'FY2027', 'Webinars')).toBe(DEFAULT_PIPELINE_TO_SPEND);
    expect(targetFor(targets, 'cost_per_opportunity', 'FY2027', 'Webinars')).toBeUndefined();
  });

  it('treat costs as ceilings, pipeline-to-spend as a floor; spend without leads misses CPL', () => {
    const row = (c: Partial<typeof NO_COUNTS>) => {
      const counts = { ...NO_COUNTS, ...c };
      return { ...counts, ...perfRatios(counts) };
    };
    // CPL 100.00 exactly at a 100.00 target, pipe-to-spend 5.0 at the default: on target.
    expect(
      checkTargets(row({ spend: 10_000n, leads: 1, pipelineCreated: 50_000n }), targets, 'FY2026', 'X')
        .status,
    ).toBe('on_target');
    const miss = checkTargets(
      row({ spend: 10_001n, leads: 1, pipelineCreated: 50_005n }),
      targets,
      'FY2026',
      'X',
    );
    expect(miss.status).toBe('below_target');
    expect(miss.checks).toEqual([
      { metric: 'cpl', target: 10_000n, actual: 10_001n, met: false },
      { metric: 'pipeline_to_spend', target: 50_000n, actual: 50_000n, met: true },
    ]);
    const noLeads = checkTargets(row({ spend: 1n, pipelineCreated: 5n }), targets, 'FY2026', 'X');
    expect(noLeads.checks[0]).toEqual({ metric: 'cpl', target: 10_000n, actual: null, met: false });
    expect(checkTargets(row({ leads: 3 }), [], 'FY2026', 'X').status).toBe('no_target');
  });
});

describe('the funnel as cohorts', () => {
  it('medians of a histogram, odd and even', () => {
    expect(medianDays(new Map())).toBeNull();
    expect(medianDays(new Map([[3, 1]]))).toBe(3);
    expect(
      medianDays(
        new Map([
          [1, 2],
          [10, 1],
        ]),
      ),
    ).toBe(1);
    expect(
      medianDays(
        new Map([
          [4, 1],
          [1, 1],
          [2, 1],
          [9, 1],
        ]),
      ),
    ).toBe(3); // 1 2 | 4 9 → (2 + 4) / 2
  });

  it('counts the leads that reached each stage by now, with the median days between stages', () => {
    // Five leads created in November:
    //   A Nov 1 → MQL Nov 3 (2 days) → SQL Nov 10 (7 days)
    //   B Nov 1 → MQL Nov 6 (5 days)
    //   C Nov 2 → MQL Nov 3 (1 day)  → SQL Nov 4 (1 day)
    //   D Nov 5 → no MQL             → SQL Nov 20 (straight to SQL)
    //   E Nov 9 → MQL Dec 15 (after "now": not reached yet)
    const f = cohortFunnel(
      5,
      [
        { from: '2026-11-01', to: '2026-11-03', count: 1 },
        { from: '2026-11-01', to: '2026-11-06', count: 1 },
        { from: '2026-11-02', to: '2026-11-03', count: 1 },
        { from: '2026-11-05', to: null, count: 1 },
        { from: '2026-11-09', to: '2026-12-15', count: 1 },
      ],
      [
        { mql: '2026-11-03', sql: '2026-11-10', count: 1 },
        { mql: '2026-11-03', sql: '2026-11-04', count: 1 },
        { mql: null, sql: '2026-11-20', count: 1 },
      ],
      '2026-12-01',
    );
    expect(f).toEqual({
      leads: 5,
      mqls: 3,
      sqls: 3,
      mqlShare: 6000n,
      sqlShare: 6000n,
      medianDaysToMql: 2, // 1 2 5
      medianDaysMqlToSql: 4, // 1 7 → 4
    });
    const empty = cohortFunnel(0, [], [], '2026-12-01');
    expect(empty).toMatchObject({ mqlShare: null, sqlShare: null, medianDaysToMql: null });
  });

  it('compares with the period before', () => {
    expect(previousPeriod(fiscalQuarter(2027, 1, 2), 2).key).toBe('FY2026-Q4');
    expect(previousPeriod(fiscalQuarter(2027, 3, 2), 2).key).toBe('FY2027-Q2');
    expect(previousPeriod(calendarMonth(2027, 1), 2).key).toBe('2026-12');
    expect(previousPeriod(fiscalYear(2027, 2), 2)).toMatchObject({ start: '2025-02-01', end: '2026-01-31' });
  });
});

describe('marketing-sourced share', () => {
  it('splits pipeline and won by the categories marked not marketing (and theirs)', () => {
    const s = marketingShare(
      [
        { category: 'Paid Media/Search', pipelineCreated: 600_000n, won: 100_000n },
        { category: 'Events', pipelineCreated: 20_000n, won: 0n },
        { category: 'Sales/Outbound', pipelineCreated: 300_000n, won: 300_000n },
        { category: 'partner', pipelineCreated: 80_000n, won: 0n },
      ],
      ['Sales/Outbound', 'Partner'],
    );
    expect(s).toEqual({
      marketingPipeline: 620_000n,
      otherPipeline: 380_000n,
      marketingWon: 100_000n,
      otherWon: 300_000n,
      pipelineShare: 6200n,
      wonShare: 2500n,
    });
    expect(marketingShare([], []).pipelineShare).toBeNull();
  });
});

describe('attribution', () => {
  const rules = compileRules([
    { position: 1, kind: 'prefix', pattern: 'Brand', category: 'Paid Media/Search' },
    { position: 2, kind: 'regex', pattern: '^partner', category: 'Partner' },
  ]);
  it('falls through: row category, rule on campaign, rule on source, vendor source, Unattributed', () => {
    expect(attribute({ category: 'Events', campaign: 'Brand X' }, rules)).toBe('Events');
    expect(attribute({ campaign: 'Brand X', source: 'Partner Referral' }, rules)).toBe('Paid Media/Search');
    expect(attribute({ campaign: 'Webinar', source: 'Partner Referral', vendorSource: 'Web' }, rules)).toBe(
      'Partner',
    );
    expect(attribute({ campaign: 'Webinar', source: 'Web', vendorSource: 'Web' }, rules)).toBe('Web');
    expect(attribute({ campaign: ' ', source: '' }, rules)).toBe('Unattributed');
  });
});

describe('the digest’s channel table', () => {
  it('ranks the week’s categories by spend, compares each with last week, counts the rest', () => {
    const week = perfTable(
      [
        { category: 'Events', spend: 500n, pipelineCreated: 1_000n, leads: 2 },
        { category: 'Search', spend: 900n, pipelineCreated: 9_000n, leads: 3 },
        { category: 'Partner', pipelineCreated: 4_000n },
        { category: 'Webinars', spend: 100n },
        { category: 'Idle', leads: 1 },
      ],
      [],
      'FY2027',
    );
    const last = perfTable(
      [
        { category: 'Search', spend: 1_000n, pipelineCreated: 5_000n },
        { category: 'events', spend: 500n, pipelineCreated: 2_000n },
      ],
      [],
      'FY2027',
    );
    const { lines, others } = channelTable(week, last, 3);
    expect(lines.map((l) => [l.category, l.spendTrend, l.pipelineTrend, l.pipelineToSpendTrend])).toEqual([
      ['Search', 'down', 'up', 'up'], // 10.0 from 5.0
      ['Events', 'flat', 'down', 'down'], // 2.0 from 4.0
      ['Webinars', 'up', 'flat', 'new'],
    ]);
    expect(others).toBe(1); // Partner; Idle had neither spend nor pipeline
    expect(lines[0]).toMatchObject({ pipelineToSpend: 100_000n, costPerLead: 300n, status: 'on_target' });
    expect(trend(null, null)).toBe('flat');
  });

  it('gives each stage’s conversion with its change in points, blank without a divisor', () => {
    const now = perfRatios({ ...NO_COUNTS, leads: 10, mqls: 4, sqls: 1, opportunities: 1 });
    const then = perfRatios({ ...NO_COUNTS, leads: 8, mqls: 2, sqls: 0 });
    expect(stageConversions(now, then)).toEqual([
      { stage: 'lead_to_mql', label: 'Lead→MQL', week: 4000n, lastWeek: 2500n, change: 1500n },
      { stage: 'mql_to_sql', label: 'MQL→SQL', week: 2500n, lastWeek: 0n, change: 2500n },
      { stage: 'sql_to_opportunity', label: 'SQL→opp', week: 10_000n, lastWeek: null, change: null },
    ]);
  });
});

describe('the spend-vs-pipeline chart', () => {
  it('draws the target line through the origin, cut where it leaves the chart, and marks rows below it', () => {
    const spec = spendVsPipelineChart('t', 'USD', [
      { category: 'Search', spend: 100_000n, pipeline: 2_000_000n }, // 20:1
      { category: 'Events', spend: 400_000n, pipeline: 800_000n }, // 2:1
      { category: 'Partner', spend: 0n, pipeline: 50_000n },
    ]) as unknown as { layer: { data: { values: Record<string, unknown>[] } }[] };
    // x up to 4,000 × 1.15 = 4,600; y up to 20,000 × 1.15 = 23,000: 5:1 stops at x = 4,600.
    expect(spec.layer[0]?.data.values).toEqual([
      { spend: 0, pipeline: 0 },
      { spend: 4600, pipeline: 23_000 },
    ]);
    expect(spec.layer[2]?.data.values.map((v) => [v.label, v.below])).toEqual([
      ['Search (20.0:1)', false],
      ['Events (2.0:1)', true],
      ['Partner (no spend)', false],
    ]);
  });

  it('moves labels that would print over one another: channels with no pipeline sit together on the axis', () => {
    // Four channels with no pipeline within 30 px of each other on the x axis (y = 340).
    const points = [100, 110, 125, 130].map((x, i) => ({ x, y: 340, label: `Channel ${i} (0.0:1)` }));
    const placed = placeScatterLabels(points);
    const boxes = placed.map((p, i) => ({
      left: p.x,
      right: p.x + (points[i]?.label.length ?? 0) * 5.8,
      top: p.y - 9,
      bottom: p.y + 2,
    }));
    for (const [i, a] of boxes.entries()) {
      expect(a.left, `label ${i} inside the plot`).toBeGreaterThanOrEqual(0);
      expect(a.top, `label ${i} inside the plot`).toBeGreaterThanOrEqual(0);
      for (const b of boxes.slice(i + 1)) {
        const clear = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(clear, JSON.stringify([a, b])).toBe(true);
      }
    }
    // Nor does a label cover a point: only the last, with no point to its right, stays beside
    // its own; the others are moved (and get a leader line).
    for (const [i, a] of boxes.entries())
      for (const p of points) {
        const clear = a.right <= p.x - 6 || p.x + 6 <= a.left || a.bottom <= p.y - 6 || p.y + 6 <= a.top;
        expect(clear, `label ${i} over the point at ${p.x}`).toBe(true);
      }
    expect(placed.map((p) => p.moved)).toEqual([true, true, true, false]);
    expect(placed[3]).toEqual({ x: 137, y: 336, moved: false });
    // Near the right edge a label goes to the left of its point.
    const [edge] = placeScatterLabels([{ x: 550, y: 100, label: 'Paid Media/Search (8.2:1)' }]);
    expect(edge?.x).toBeCloseTo(550 - 7 - 25 * 5.8);
    expect(edge?.moved).toBe(false);
  });
});
