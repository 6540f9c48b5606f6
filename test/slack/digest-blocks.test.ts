// The weekly digest message (src/slack/blocks/digest.ts) is pure: figures in, blocks
// out. Every output passes the fake Slack's validator (what Slack would reject as
// invalid_blocks or msg_blocks_too_long), names come out escaped, long lists are cut short.
import { describe, expect, it } from 'vitest';
import { computeBudget, type MonthFigures } from '../../src/domain/budget.js';
import type { DigestData } from '../../src/domain/digest.js';
import { digestWindows, type Mover, metricLines, movers, type Targets } from '../../src/domain/digest.js';
import type { Message } from '../../src/slack/blocks/common.js';
import { digestMessage, MAX_LISTED } from '../../src/slack/blocks/digest.js';
import { messageToText } from '../../src/slack/render-text.js';
import { validateBlocks } from '../support/fake-slack.js';

const TODAY = '2026-11-25'; // a Wednesday: the week of Nov 16, FY2026-Q4 (fiscal year from January)
const windows = digestWindows(TODAY, 1);
const leaf = (
  category: string,
  planned: bigint,
  actual: bigint,
  committed = 0n,
  month = '2026-10',
): MonthFigures => ({
  category,
  month,
  planned,
  actual,
  committed,
});

function data(
  figures: MonthFigures[],
  overrides: Partial<DigestData> = {},
  targets: Targets = { leads: 400n, pipeline: 50_000_000n },
): DigestData {
  const budget = computeBudget({ period: windows.quarter, today: TODAY, months: figures });
  const { lines } = metricLines(
    windows,
    [
      { date: '2026-11-16', spend: 1_234_500n, leads: 30, mqls: 12, sqls: 4, opportunities: 2 },
      { date: '2026-11-18', pipelineCreated: 4_000_000n, won: 1_000_000n },
      { date: '2026-11-10', spend: 1_000_000n, leads: 20, mqls: 10, sqls: 5 },
    ],
    targets,
  );
  return {
    teamId: 'T1',
    currency: 'USD',
    today: TODAY,
    windows,
    hasData: true,
    lines,
    budget,
    pace: { bookedPct: 60, elapsedPct: 60 },
    movers: [],
    flagged: budget.rows.filter((r) => r.status === 'watch' || r.status === 'over'),
    weeklySpend: [],
    funnel: [],
    pipeline: [],
    ...overrides,
  };
}

/** Every character Slack counts toward msg_blocks_too_long. */
function blockText(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + blockText(x), 0);
  if (!v || typeof v !== 'object') return 0;
  return Object.entries(v).reduce(
    (n, [k, x]) => n + (k === 'text' && typeof x === 'string' ? x.length : blockText(x)),
    0,
  );
}

function expectSendable(msg: Message) {
  expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
  expect(msg.blocks.length).toBeLessThanOrEqual(50);
  expect(blockText(msg.blocks)).toBeLessThan(11_000);
  expect(msg.text.length).toBeGreaterThan(20);
  expect(msg.text.length).toBeLessThanOrEqual(4_000);
}

describe('the weekly digest message', () => {
  // Paid Media in November, day 25 of 30: run rate 7,700 × 30 ÷ 25 = 9,240 on a 10,000 plan
  // (−8 %): watch. Events (October, ended) 3,000 + 2,000 committed on a 4,000 plan: over.
  // Content (October) 5,600 of 9,200: under.
  const figures = [
    leaf('Paid Media/Search', 1_000_000n, 770_000n, 0n, '2026-11'),
    leaf('Events', 400_000n, 300_000n, 200_000n),
    leaf('Content', 920_000n, 560_000n),
  ];

  it('reads as a report: header, quarter pacing, the figures table, movers and lines to watch', () => {
    const msg = digestMessage(
      data(figures, {
        movers: movers([
          { category: 'Events', lastWeek: 100_000n, week: 300_000n },
          { category: 'Content', lastWeek: 0n, week: 50_000n },
        ]),
      }),
      { charts: ['a', 'b', 'c', 'd'], missingCharts: [] },
    );
    expectSendable(msg);
    expect(msg.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Weekly marketing digest · week of Nov 16' },
    });
    const text = messageToText(msg);
    expect(text).toContain('Nov 16–22, 2026 · FY2026-Q4 to date · amounts in USD');
    // Plan, actual, committed, pacing and forecast for the quarter.
    expect(text).toContain(
      '$16,300 actual + $2,000 committed of $23,200 planned (60 % booked, 60 % of the quarter gone)',
    );
    // Week / last week / Δ / week target / QTD / quarter target, one line per metric.
    expect(text).toMatch(/Spend +\$12,345 +\$10,000 +\+23 % +\$22,345/);
    expect(text).toMatch(/Leads +30 +20 +\+50 % +30 +50 +400/); // 400 × 7 ÷ 92 = 30.43
    expect(text).toMatch(/MQL → SQL +33\.3 % +50\.0 % +-16\.7 pts/);
    expect(text).toMatch(/Cost per lead +\$412 +\$500/); // $411.50 rounds to $412
    expect(text).toContain('• Events ▲ 200 % ($1,000 → $3,000)');
    expect(text).toContain('• Content new ($0 → $500)');
    expect(text).toContain('🔴 Events over +25 %: forecast $5,000 of $4,000 planned');
    expect(text).toContain('🟡 Paid Media watch -8 %: forecast $9,240 of $10,000 planned');
    expect(text).not.toMatch(/Content (watch|over|on plan)/);
    expect(text).toContain('4 charts in the thread');
    expect(msg.text).toContain(
      'Weekly marketing digest · week of Nov 16: spend $12,345, leads 30, pipeline $40,000',
    );
  });

  it('escapes names that would ping or link, in movers and in lines to watch', () => {
    const evil = '<!channel> & <@U123> <https://evil.example|click>';
    const msg = digestMessage(
      data([leaf(evil, 100_000n, 200_000n)], {
        movers: movers([{ category: evil, lastWeek: 100n, week: 1_000n }]),
      }),
      { charts: [], missingCharts: ['Pipeline <!here> chart'] },
    );
    expectSendable(msg);
    const json = JSON.stringify(msg.blocks);
    expect(json).not.toMatch(/<!channel>|<!here>|<@U123>|<https:/);
    expect(json.match(/&lt;!channel&gt; &amp; &lt;@U123&gt;/g)).toHaveLength(2); // mover + line
    expect(json).toContain('chart missing: Pipeline &lt;!here&gt; chart');
    expect(msg.text).not.toContain('<!');
  });

  it('says which chart is missing and still carries the figures', () => {
    const msg = digestMessage(data(figures), {
      charts: ['Weekly spend by category'],
      missingCharts: ['Budget burn-up · all categories · FY2026-Q4'],
    });
    expectSendable(msg);
    const text = messageToText(msg);
    expect(text).toContain('the chart in the thread');
    expect(text).toContain('⚠️ chart missing: Budget burn-up · all categories · FY2026-Q4');
    expect(text).toMatch(/Spend +\$12,345/);
  });

  it('says where the charts go: the thread, the asker’s DM, or with the posted digest', () => {
    const note = (chartsGo?: 'thread' | 'dm' | 'none') =>
      messageToText(digestMessage(data(figures), { charts: ['a', 'b'], missingCharts: [], chartsGo }));
    expect(note()).toContain('2 charts in the thread');
    expect(note('dm')).toContain('2 charts sent to you in a DM with Mo');
    expect(note('none')).toContain('2 charts with the posted digest');
  });

  it('cuts 40 movers and 40 lines to watch short with "and N more", under 50 blocks', () => {
    const many: Mover[] = Array.from({ length: 40 }, (_, i) => ({
      category: `Category ${i} ${'x'.repeat(80)}`,
      lastWeek: 100_000n,
      week: 200_000n + BigInt(i),
      changePct: 100,
    }));
    const lines = Array.from({ length: 40 }, (_, i) =>
      leaf(`Line ${i} ${'y'.repeat(80)}`, 100_000n, 130_000n),
    );
    const msg = digestMessage(data(lines, { movers: many }), { charts: [], missingCharts: [] });
    expectSendable(msg);
    const text = messageToText(msg);
    expect(text).toContain(`…and ${40 - MAX_LISTED} more categories`);
    expect(text).toContain(`…and ${40 - MAX_LISTED} more lines`);
    // Long names are cut to fit, not allowed to push a section over 3,000 characters.
    expect(text).not.toContain('x'.repeat(80));
  });

  it('without a plan or targets, says how to set them instead of showing empty columns', () => {
    const msg = digestMessage(
      data([leaf('Events', 0n, 300_000n)], { pace: { bookedPct: null, elapsedPct: 60 } }, {}),
      { charts: [], missingCharts: [] },
    );
    expectSendable(msg);
    const text = messageToText(msg);
    expect(text).toContain(
      'FY2026-Q4 spend as of Nov 25: $3,000 actual + $0 committed · no plan yet (/mo budget set)',
    );
    expect(text).toContain(
      'No FY2026-Q4 targets set: /mo target set leads|mqls|sqls|pipeline|won AMOUNT FY2026-Q4',
    );
    expect(text).toMatch(/Leads +30 +20 +\+50 % +50\n/); // no target columns
    expect(text).not.toContain('null');
    expect(text).toContain('Moved 15 % or more week over week: no category.');
    expect(text).toContain('none; every line is on plan or under.');
  });

  it('gives an empty workspace next steps, not a wall of zeros', () => {
    const msg = digestMessage(data([], { hasData: false }), { charts: [], missingCharts: [] });
    expectSendable(msg);
    const text = messageToText(msg);
    expect(text).toContain('No data yet');
    expect(text).toContain('mo import spend');
    expect(text).toContain('/mo budget set');
    expect(text).toContain('/mo target set');
    expect(text).not.toMatch(/\$0|```|Last week/);
    expect(msg.text).toContain('no data yet');
    expect(msg.blocks.length).toBeLessThanOrEqual(4);
  });
});
