import { describe, expect, it } from 'vitest';
import { computeBudget } from '../../src/domain/budget.js';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import type { DigestData } from '../../src/domain/digest.js';
import { conversionPct, digestWindows, metricLines, movers, weekShare } from '../../src/domain/digest.js';
import { digestMessage, MAX_LISTED } from '../../src/slack/blocks/digest.js';
import { messageToText } from '../../src/slack/render-text.js';
import { validateBlocks } from '../support/fake-slack.js';

describe('digestWindows', () => {
  it('is the last complete Monday–Sunday week whatever the weekday', () => {
    for (const today of ['2026-11-23', '2026-11-25', '2026-11-29']) {
      expect(digestWindows(today, 1).week).toEqual({ start: '2026-11-16', end: '2026-11-22' });
    }
    expect(digestWindows('2026-11-22', 1).week).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    expect(digestWindows('2026-11-23', 1).lastWeek).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    expect(digestWindows('2026-11-23', 1).twelveWeeks).toEqual({ start: '2026-08-31', end: '2026-11-22' });
  });

  it('takes the quarter the week ends in: a boundary inside the week leaves one day of quarter to date', () => {
    // The week of the fall-back (Oct 26 – Nov 1, 2026); fiscal year from February: Q4 starts Nov 1.
    const w = digestWindows('2026-11-02', 2);
    expect(w.week).toEqual({ start: '2026-10-26', end: '2026-11-01' });
    expect(w.quarter.key).toBe('FY2027-Q4');
    expect(w.qtd).toEqual({ start: '2026-11-01', end: '2026-11-01' });
    // With a January fiscal year the same week is all Q4 of FY2026 (Oct 1 start).
    expect(digestWindows('2026-11-02', 1).qtd).toEqual({ start: '2026-10-01', end: '2026-11-01' });
  });
});

describe('figures', () => {
  const w = digestWindows('2026-11-23', 1); // week Nov 16–22, FY2026-Q4 (Oct 1 – Dec 31: 92 days)
  const days = [
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
    { date: '2026-10-01', spend: 7n },
  ];

  it('reads the week, last week and quarter to date, with changes and targets', () => {
    const { lines } = metricLines(w, days, { leads: 1_500n, pipeline: 9_200_000n });
    const byId = Object.fromEntries(lines.map((l) => [l.id, l]));
    expect(byId.spend).toMatchObject({ week: 150_001n, lastWeek: 120_000n, changePct: 25, qtd: 270_008n });
    expect(byId.leads).toMatchObject({
      week: 3,
      lastWeek: 4,
      changePct: -25,
      weekTarget: 114n,
      quarterTarget: 1_500n,
    });
    expect(byId.costPerLead).toMatchObject({ week: 50_000n, lastWeek: 30_000n });
    expect(byId.costPerOpportunity).toMatchObject({ week: 150_001n, lastWeek: null, changePct: null });
    expect(byId.mqlToSql).toMatchObject({ week: 25, lastWeek: 50 });
    expect(byId.pipeline).toMatchObject({ week: 500_000n, weekTarget: 700_000n });
    expect(byId.won).toMatchObject({ week: 20_000n, lastWeek: 0n, changePct: null });
    expect(byId.pipelineToSpend).toMatchObject({ week: 3.33 });
  });

  it('pro-rates a quarter target to a week exactly', () => {
    expect(weekShare(1_500n, fiscalQuarter(2026, 4, 1))).toBe(114n); // 1500 × 7 ÷ 92 = 114.13
    expect(weekShare(46n, { start: '2026-01-01', end: '2026-03-31' })).toBe(4n); // 3.58
    expect(conversionPct(0, 0)).toBeNull();
    expect(conversionPct(3, 1)).toBe(33.3);
  });

  it('lists categories that moved 15 % or more, exactly at the edge', () => {
    const m = movers([
      { category: 'Events', lastWeek: 1_000_000n, week: 1_150_000n }, // +15 %: in
      { category: 'Content', lastWeek: 1_000_000n, week: 1_149_000n }, // +14.9 %: out
      { category: 'Paid Media', lastWeek: 2_000_000n, week: 1_700_000n }, // −15 %: in
      { category: 'Agency', lastWeek: 0n, week: 50_000n }, // new
      { category: 'Martech', lastWeek: 600_000n, week: 0n }, // stopped
      { category: 'Flat', lastWeek: 0n, week: 0n },
    ]);
    expect(m.map((x) => [x.category, x.changePct])).toEqual([
      ['Martech', -100],
      ['Paid Media', -15],
      ['Events', 15],
      ['Agency', null],
    ]);
  });
});

function data(overrides: Partial<DigestData> = {}): DigestData {
  const windows = digestWindows('2026-11-23', 1);
  const budget = computeBudget({
    period: windows.quarter,
    today: '2026-11-23',
    months: [
      {
        category: '<!channel> Events',
        month: '2026-10',
        planned: 1_000_000n,
        actual: 900_000n,
        committed: 200_000n,
      },
    ],
  });
  return {
    teamId: 'T1',
    currency: 'USD',
    today: '2026-11-23',
    windows,
    hasData: true,
    lines: metricLines(windows, [{ date: '2026-11-16', spend: 10_000n, leads: 2 }], {}).lines,
    budget,
    pace: { bookedPct: 110, elapsedPct: 59 },
    movers: [],
    flagged: budget.rows.filter((r) => r.status === 'over' || r.status === 'watch'),
    weeklySpend: [],
    funnel: [],
    pipeline: [],
    ...overrides,
  };
}

describe('digestMessage', () => {
  it('passes Slack’s limits, escapes categories and says which chart is missing', () => {
    const msg = digestMessage(data(), { charts: ['A', 'B'], missingCharts: ['Pipeline <by> category'] });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const json = JSON.stringify(msg.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt; Events');
    expect(json).toContain('chart missing: Pipeline &lt;by&gt; category');
    expect(msg.text).toContain('Weekly marketing digest · week of Nov 16: spend $100');
  });

  it('says where the charts go: the thread, the asker’s DM, or with the posted digest', () => {
    const note = (chartsGo?: 'thread' | 'dm' | 'none') =>
      messageToText(digestMessage(data(), { charts: ['A', 'B'], missingCharts: [], chartsGo }));
    expect(note()).toContain('2 charts in the thread');
    expect(note('dm')).toContain('2 charts sent to you in a DM with Mo');
    expect(note('none')).toContain('2 charts with the posted digest');
  });

  it('truncates long lists with "and N more" and stays within 50 blocks', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      category: `Category ${i}`,
      lastWeek: 100n,
      week: 200n + BigInt(i),
      changePct: 100,
    }));
    const msg = digestMessage(data({ movers: many }), { charts: [], missingCharts: [] });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(messageToText(msg)).toContain(`…and ${40 - MAX_LISTED} more categories`);
  });

  it('gives an empty workspace next steps, not zeros', () => {
    const msg = digestMessage(data({ hasData: false }), { charts: [], missingCharts: [] });
    const text = messageToText(msg);
    expect(text).toContain('No data yet');
    expect(text).toContain('/mo budget set CATEGORY AMOUNT');
    expect(text).not.toContain('$0');
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
  });
});
