// The weekly digest's figures (src/domain/digest.ts), worked out by hand: which week
// "just ended" is on every weekday and across DST, where the fiscal quarter starts when it
// starts mid-week, the 15 % movers edge, pro-rated targets, rounding, and an empty workspace.
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { computeBudget } from '../../src/domain/budget.js';
import { addDays, dateInZone, fiscalQuarter } from '../../src/domain/calendar.js';
import type { DigestData } from '../../src/domain/digest.js';
import {
  conversionPct,
  type DigestWindows,
  digestWindows,
  type MetricId,
  type MetricLine,
  metricLines,
  movers,
  weekShare,
} from '../../src/domain/digest.js';
import type { DayFigures } from '../../src/domain/kpis.js';
import { digestCharts } from '../../src/services/digest.js';
import type { WorkspaceMo } from '../../src/services/team-scope.js';

const byId = (lines: MetricLine[]) =>
  Object.fromEntries(lines.map((l) => [l.id, l])) as Record<MetricId, MetricLine>;

describe('the week just ended', () => {
  it('is the Monday–Sunday week before the current one, on every weekday', () => {
    // Mon Nov 23 … Sun Nov 29, 2026: always Nov 16–22.
    for (let i = 0; i < 7; i++) {
      const today = addDays('2026-11-23', i);
      const w = digestWindows(today, 1);
      expect(w.week, today).toEqual({ start: '2026-11-16', end: '2026-11-22' });
      expect(w.lastWeek, today).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    }
    // On a Monday it is the seven days ending yesterday; on a Sunday the current week is not
    // over, so it is still the one before.
    expect(digestWindows('2026-11-30', 1).week).toEqual({ start: '2026-11-23', end: '2026-11-29' });
    expect(digestWindows('2026-11-29', 1).week).toEqual({ start: '2026-11-16', end: '2026-11-22' });
    expect(digestWindows('2026-11-22', 1).week).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    expect(digestWindows('2026-11-23', 1).twelveWeeks).toEqual({ start: '2026-08-31', end: '2026-11-22' });
  });

  it('reaches back over a year end', () => {
    const w = digestWindows('2027-01-04', 1); // a Monday
    expect(w.week).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    expect(w.lastWeek).toEqual({ start: '2026-12-21', end: '2026-12-27' });
    expect(w.quarter.key).toBe('FY2027-Q1');
    expect(w.qtd).toEqual({ start: '2027-01-01', end: '2027-01-03' });
    // Twelve whole weeks ending with the week: 84 days from a Monday.
    expect(w.twelveWeeks).toEqual({ start: '2026-10-12', end: '2027-01-03' });
  });

  it('is seven calendar days across the fall-back in Los Angeles (a 169-hour week)', () => {
    // Monday Nov 2, 2026, 00:30 PST is 08:30 UTC: the digest day is Monday, the week the
    // one holding Sunday Nov 1 (the clocks went back at 02:00 that morning).
    const monday = dateInZone(new Date('2026-11-02T08:30:00Z'), 'America/Los_Angeles');
    expect(monday).toBe('2026-11-02');
    expect(digestWindows(monday, 1).week).toEqual({ start: '2026-10-26', end: '2026-11-01' });
    // Half an hour earlier it is still Sunday in Los Angeles (Monday in UTC): the week before.
    const sunday = dateInZone(new Date('2026-11-02T07:59:00Z'), 'America/Los_Angeles');
    expect(sunday).toBe('2026-11-01');
    expect(digestWindows(sunday, 1).week).toEqual({ start: '2026-10-19', end: '2026-10-25' });

    // Every day of the DST week counts once: seven days of $1, no day lost or doubled.
    const w = digestWindows(monday, 1);
    const days: DayFigures[] = Array.from({ length: 9 }, (_, i) => ({
      date: addDays('2026-10-25', i), // Oct 25 (last week) … Nov 2 (today, not yet counted)
      spend: 100n,
      leads: 1,
    }));
    const lines = byId(metricLines(w, days, {}).lines);
    expect(lines.spend).toMatchObject({ week: 700n, lastWeek: 100n, changePct: 600 });
    expect(lines.leads).toMatchObject({ week: 7, lastWeek: 1 });
  });

  it('is seven calendar days across the spring-forward (a 167-hour week)', () => {
    // Sunday Mar 14, 2027 loses an hour in Los Angeles; Monday 00:15 PDT is 07:15 UTC.
    const today = dateInZone(new Date('2027-03-15T07:15:00Z'), 'America/Los_Angeles');
    expect(today).toBe('2027-03-15');
    expect(digestWindows(today, 1).week).toEqual({ start: '2027-03-08', end: '2027-03-14' });
  });
});

describe('fiscal quarter to date', () => {
  it('starts at the quarter holding the week’s last day when a boundary falls inside the week', () => {
    // Fiscal year from February: FY2027-Q4 is Nov 1, 2026 – Jan 31, 2027 (92 days), and the
    // week Oct 26 – Nov 1 (also the fall-back week) has six days in Q3 and one in Q4.
    const w = digestWindows('2026-11-04', 2);
    expect(w.week).toEqual({ start: '2026-10-26', end: '2026-11-01' });
    expect(w.quarter).toMatchObject({ key: 'FY2027-Q4', start: '2026-11-01', end: '2027-01-31' });
    expect(w.qtd).toEqual({ start: '2026-11-01', end: '2026-11-01' });

    const days: DayFigures[] = [
      { date: '2026-10-26', spend: 600_00n, leads: 6 }, // Q3, in the week
      { date: '2026-10-31', spend: 50_00n, leads: 2 }, // Q3's last day, in the week
      { date: '2026-11-01', spend: 70_00n, leads: 1 }, // Q4's first day, in the week
      { date: '2026-11-02', spend: 999_00n, leads: 9 }, // after the week: in nothing
    ];
    const lines = byId(metricLines(w, days, { leads: 920n }).lines);
    // The week counts all seven days; the quarter to date only Nov 1.
    expect(lines.spend).toMatchObject({ week: 720_00n, qtd: 70_00n, lastWeek: 0n, changePct: null });
    // The week's target is Q4's × 7 ÷ 92 (920 × 7 ÷ 92 = 70), whichever quarter its days are in.
    expect(lines.leads).toMatchObject({ week: 9, qtd: 1, weekTarget: 70n, quarterTarget: 920n });
  });

  it('with a January fiscal year the same week is all in the quarter that started Oct 1', () => {
    expect(digestWindows('2026-11-02', 1).qtd).toEqual({ start: '2026-10-01', end: '2026-11-01' });
  });

  it('a week ending on a quarter’s last day belongs to that quarter', () => {
    // Sunday Jan 31, 2027 is the last day of FY2027 when the fiscal year starts in February.
    const w = digestWindows('2027-02-01', 2);
    expect(w.week).toEqual({ start: '2027-01-25', end: '2027-01-31' });
    expect(w.quarter.key).toBe('FY2027-Q4');
    expect(w.qtd).toEqual({ start: '2026-11-01', end: '2027-01-31' });
  });
});

describe('targets', () => {
  it('pro-rates the quarter target to a week: target × 7 ÷ days in the quarter, half away from zero', () => {
    const q4 = fiscalQuarter(2026, 4, 1); // Oct 1 – Dec 31, 2026: 92 days
    expect(weekShare(46n, q4)).toBe(4n); // 322 ÷ 92 = 3.5 exactly: up
    expect(weekShare(45n, q4)).toBe(3n); // 315 ÷ 92 = 3.42
    expect(weekShare(92n, q4)).toBe(7n);
    expect(weekShare(10_000_000n, q4)).toBe(760_870n); // $100,000 → $7,608.70 (760,869.57)
    const q1 = fiscalQuarter(2026, 1, 1); // Jan 1 – Mar 31, 2026: 90 days
    expect(weekShare(90n, q1)).toBe(7n);
    expect(weekShare(1_000n, q1)).toBe(78n); // 77.78
    expect(weekShare(1_500n, q4)).toBe(114n); // 114.13
    expect(weekShare(46n, { start: '2026-01-01', end: '2026-03-31' })).toBe(4n); // 3.58
  });

  it('puts targets on the funnel lines only, for the week and the quarter to date', () => {
    const w = digestWindows('2026-11-23', 1); // FY2026-Q4, 92 days
    const lines = byId(
      metricLines(w, [{ date: '2026-11-16', leads: 40, mqls: 10, sqls: 4 }], {
        leads: 500n,
        mqls: 200n,
        sqls: 46n,
        pipeline: 10_000_000n,
        won: 2_300_000n,
      }).lines,
    );
    expect(lines.leads).toMatchObject({ weekTarget: 38n, quarterTarget: 500n }); // 38.04
    expect(lines.mqls).toMatchObject({ weekTarget: 15n, quarterTarget: 200n }); // 15.22
    expect(lines.sqls).toMatchObject({ weekTarget: 4n, quarterTarget: 46n }); // 3.5
    expect(lines.pipeline).toMatchObject({ weekTarget: 760_870n, quarterTarget: 10_000_000n });
    expect(lines.won).toMatchObject({ weekTarget: 175_000n, quarterTarget: 2_300_000n });
    for (const id of ['spend', 'mqlToSql', 'costPerLead', 'costPerOpportunity', 'pipelineToSpend'] as const) {
      expect(lines[id], id).toMatchObject({ weekTarget: null, quarterTarget: null });
    }
  });
});

describe('figures', () => {
  const w = digestWindows('2026-11-23', 1);

  it('reads the week, last week and quarter to date, with changes and targets', () => {
    const { lines } = metricLines(
      w,
      [
        {
          date: '2026-11-16',
          spend: 100_000n,
          leads: 3,
          mqls: 4,
          sqls: 1,
          opportunities: 1,
          pipelineCreated: 500_000n,
        },
        { date: '2026-11-22', spend: 50_001n, leads: 0, won: 20_000n },
        { date: '2026-11-10', spend: 120_000n, leads: 4, mqls: 2, sqls: 1 },
        { date: '2026-10-01', spend: 7n }, // the quarter's first day: quarter to date only
      ],
      { leads: 1_500n, pipeline: 9_200_000n },
    );
    const l = byId(lines);
    expect(l.spend).toMatchObject({ week: 150_001n, lastWeek: 120_000n, changePct: 25, qtd: 270_008n });
    expect(l.leads).toMatchObject({
      week: 3,
      lastWeek: 4,
      changePct: -25,
      weekTarget: 114n,
      quarterTarget: 1_500n,
    });
    expect(l.costPerLead).toMatchObject({ week: 50_000n, lastWeek: 30_000n });
    expect(l.costPerOpportunity).toMatchObject({ week: 150_001n, lastWeek: null, changePct: null });
    expect(l.mqlToSql).toMatchObject({ week: 25, lastWeek: 50 });
    expect(l.pipeline).toMatchObject({ week: 500_000n, weekTarget: 700_000n });
    expect(l.pipelineToSpend).toMatchObject({ week: 3.33 });
  });

  it('rounds cost per lead and per opportunity to the nearest minor unit, half away from zero', () => {
    const lines = byId(
      metricLines(
        w,
        [
          { date: '2026-11-16', spend: 100_000n, leads: 3, opportunities: 6, pipelineCreated: 100_000n },
          { date: '2026-11-09', spend: 5n, leads: 2, opportunities: 4, pipelineCreated: 1n },
        ],
        {},
      ).lines,
    );
    expect(lines.costPerLead).toMatchObject({ week: 33_333n, lastWeek: 3n }); // 33,333.33; 2.5 → 3
    expect(lines.costPerOpportunity).toMatchObject({ week: 16_667n, lastWeek: 1n }); // 16,666.67; 1.25
    expect(lines.pipelineToSpend).toMatchObject({ week: 1, lastWeek: 0.2 });
  });

  it('changes week over week in whole percent, none when last week is zero', () => {
    const lines = byId(
      metricLines(
        w,
        [
          { date: '2026-11-16', spend: 2n, leads: 0, mqls: 3, sqls: 1, won: 5n },
          { date: '2026-11-09', spend: 3n, leads: 4, mqls: 3, sqls: 2 },
        ],
        {},
      ).lines,
    );
    expect(lines.spend.changePct).toBe(-33); // −33.3
    expect(lines.leads.changePct).toBe(-100);
    expect(lines.won).toMatchObject({ week: 5n, lastWeek: 0n, changePct: null });
    // MQL → SQL: 1 ÷ 3 = 33.3 %, 2 ÷ 3 = 66.7 %.
    expect(lines.mqlToSql).toMatchObject({ week: 33.3, lastWeek: 66.7 });
    expect(lines.costPerLead).toMatchObject({ week: null, lastWeek: 1n, changePct: null });
    expect(conversionPct(3, 2)).toBe(66.7);
    expect(conversionPct(0, 5)).toBeNull();
    expect(conversionPct(0, 0)).toBeNull();
    expect(conversionPct(3, 1)).toBe(33.3);
  });

  it('an empty workspace has zeros for sums and nothing for rates, changes and targets', () => {
    const windows: DigestWindows = digestWindows('2026-11-23', 1);
    const { lines } = metricLines(windows, [], {});
    const l = byId(lines);
    expect(lines.map((x) => x.id)).toEqual([
      'spend',
      'leads',
      'mqls',
      'sqls',
      'mqlToSql',
      'pipeline',
      'won',
      'costPerLead',
      'costPerOpportunity',
      'pipelineToSpend',
    ]);
    expect(l.spend).toMatchObject({ week: 0n, lastWeek: 0n, qtd: 0n, changePct: null, weekTarget: null });
    expect(l.leads).toMatchObject({ week: 0, lastWeek: 0, changePct: null });
    for (const id of ['mqlToSql', 'costPerLead', 'costPerOpportunity', 'pipelineToSpend'] as const) {
      expect(l[id], id).toMatchObject({ week: null, lastWeek: null, qtd: null, changePct: null });
    }
    expect(movers([])).toEqual([]);
  });
});

describe('movers', () => {
  it('takes 15 % exactly, not 14.9 %, in both directions, largest change in money first', () => {
    const m = movers([
      { category: 'Events', lastWeek: 200_00n, week: 230_00n }, // +15.0 %: in
      { category: 'Content', lastWeek: 200_00n, week: 229_80n }, // +14.9 %: out
      { category: 'Webinars', lastWeek: 200_00n, week: 170_20n }, // −14.9 %: out
      { category: 'Paid Media', lastWeek: 1_000_00n, week: 850_00n }, // −15.0 %: in
      { category: 'Agency', lastWeek: 0n, week: 1n }, // new this week: in, however small
      { category: 'Martech', lastWeek: 400_00n, week: 0n }, // stopped: −100 %
      { category: 'Flat', lastWeek: 0n, week: 0n },
    ]);
    expect(m.map((x) => [x.category, x.changePct])).toEqual([
      ['Martech', -100], // 400.00
      ['Paid Media', -15], // 150.00
      ['Events', 15], // 30.00
      ['Agency', null], // 0.01, "new"
    ]);
  });

  it('breaks ties in money by name and measures a refund week against its absolute size', () => {
    const m = movers([
      { category: 'b', lastWeek: 100n, week: 200n },
      { category: 'a', lastWeek: 300n, week: 400n },
      { category: 'Refunds', lastWeek: -100n, week: -200n }, // −100 % of |−100|
    ]);
    expect(m.map((x) => [x.category, x.changePct])).toEqual([
      ['a', 33],
      ['b', 100],
      ['Refunds', -100],
    ]);
  });
});

describe('charts across a year end', () => {
  // An ordinal axis sorted by its text would put January's weeks before December's from
  // January to March: the charts keep the rows' time order (`sort: null` / the weeks given).
  it('keeps the weeks in time order on the x axis', async () => {
    const windows = digestWindows('2027-01-11', 1);
    const budget = computeBudget({ period: windows.quarter, today: '2027-01-11', months: [] });
    const data: DigestData = {
      teamId: 'T1',
      currency: 'USD',
      today: '2027-01-11',
      windows,
      hasData: true,
      lines: [],
      budget,
      pace: { bookedPct: null, elapsedPct: 11 },
      movers: [],
      flagged: [],
      // As digestData builds them: weeks keyed by their Monday, in time order.
      weeklySpend: [
        { bucket: '2026-12-28', category: 'Events', amount: 100n },
        { bucket: '2027-01-04', category: 'Events', amount: 200n },
      ],
      funnel: [
        { week: '2026-12-28', leads: 1, mqls: 0, sqls: 0 },
        { week: '2027-01-04', leads: 2, mqls: 0, sqls: 0 },
      ],
      pipeline: [],
    };
    const charts = await digestCharts({} as WorkspaceMo, {} as WorkspaceSettings, data);
    for (const chart of charts) {
      const { spec } = compile(chart.spec);
      const x = spec.scales?.find((s) => s.name === 'x');
      const values = (spec.data ?? []).flatMap((d) =>
        'values' in d ? (d.values as { week: string }[]) : [],
      );
      const weeks = [...new Set(values.map((v) => v.week))]; // in time order, as given
      expect(weeks, chart.name).toHaveLength(2);
      // An ordinal domain sorted ascending by its text puts "01-04" before "12-28".
      const shown = (x?.domain as { sort?: unknown } | undefined)?.sort === true ? [...weeks].sort() : weeks;
      expect(shown, chart.name).toEqual(weeks);
      // The weekly spend axis lists all 12 weeks in time order, gaps included.
      if (chart.name === 'weekly-spend.png') {
        const domain = x?.domain as unknown[];
        expect(domain).toHaveLength(12);
        expect(domain[0]).toBe('2026-10-19');
        expect(domain.slice(-3)).toEqual(['2026-12-21', '2026-12-28', '2027-01-04']);
      }
    }
  });
});
