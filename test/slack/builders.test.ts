// Block Kit builders are pure: report in, blocks out. Every output passes the fake Slack's
// validator, which rejects what Slack would (invalid_blocks).
import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../commands/router.js';
import { computeBudget } from '../../src/domain/budget.js';
import { fiscalQuarter, fiscalYear } from '../../src/domain/calendar.js';
import { categoryRef } from '../../src/domain/category.js';
import {
  budgetMessage,
  decodeRef,
  encodeRef,
  formatVariance,
  MAX_ROWS,
} from '../../src/slack/blocks/budget.js';
import { codeSections } from '../../src/slack/blocks/common.js';
import { budgetEditModal, settingsModal, spendAddModal } from '../../src/slack/blocks/modals.js';
import { StaleButtonError } from '../../src/slack/blocks/refs.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { messageToText } from '../../src/slack/render-text.js';
import { validateBlocks, validateView } from '../support/fake-slack.js';

const period = fiscalQuarter(2027, 3, 2); // Aug 1 – Oct 31, 2026
const leaf = (category: string, planned: bigint, actual: bigint, committed = 0n) => ({
  category,
  planned,
  actual,
  committed,
  month: '2026-09',
});

describe('budgetMessage', () => {
  const report = computeBudget({
    period,
    today: '2026-09-15',
    months: [
      leaf('Paid Media/Search', 12_000_000n, 6_600_000n),
      leaf('Paid Media/Social', 8_000_000n, 3_000_000n, 500_000n),
      leaf('Events', 5_000_000n, 0n, 1_000_000n),
      leaf('<!channel> & <@U123>', 0n, 10_000n),
    ],
  });
  const msg = budgetMessage(report, { currency: 'USD', canEdit: true });

  it('passes Slack’s limits and carries a text fallback', () => {
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(msg.text).toContain('Budget · FY2027-Q3');
    expect(msg.text).toContain('planned $250,000');
  });

  it('escapes names from data so they cannot ping or link', () => {
    const json = JSON.stringify(msg.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U123>');
    expect(json).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
  });

  it('shows the table rows with whole-unit money and whole percentages', () => {
    const text = messageToText(msg);
    // Search: day 15 of September's 30, run rate 66,000 × 30 / 15 = 132,000 vs plan 120,000: +10 %, watch.
    expect(text).toMatch(
      /Paid Media\s+\$200,000\s+\$96,000\s+\$5,000\s+\$99,000\s+\$192,000\s+-4 %\s+on plan/,
    );
    expect(text).toMatch(/Events\s+\$50,000\s+\$0\s+\$10,000\s+\$40,000\s+\$10,000\s+-80 %\s+under/);
    expect(text).toMatch(/TOTAL\s+\$250,000/);
  });

  it('offers share, drill-down into categories with children, and edit for admins only', () => {
    const actions = JSON.stringify(msg.blocks.at(-1));
    expect(actions).toContain('Share to channel');
    expect(actions).toContain('Drill into a category');
    expect(actions).toContain('Edit plan');
    const drill = (
      msg.blocks.at(-1) as { elements: { type: string; options?: { value: string }[] }[] }
    ).elements.find((e) => e.type === 'static_select');
    expect(drill?.options?.map((o) => decodeRef(o.value).categoryRef)).toEqual([categoryRef('paid media')]);
    const member = budgetMessage(report, { currency: 'USD', canEdit: false });
    expect(JSON.stringify(member.blocks)).not.toContain('Edit plan');
  });

  it('has no buttons once shared, and says who shared it', () => {
    const shared = budgetMessage(report, { currency: 'USD', sharedBy: 'U0DANA' });
    expect(shared.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(shared.blocks)).toContain('shared by <@U0DANA>');
  });

  it('stays within limits with hundreds of categories, summing the rest', () => {
    const many = computeBudget({
      period,
      today: '2026-09-15',
      months: Array.from({ length: 250 }, (_, i) =>
        leaf(`Category ${String(i).padStart(3, '0')} with a rather long descriptive name`, 100_00n, 50_00n),
      ),
    });
    const big = budgetMessage(many, { currency: 'USD', canEdit: true });
    expect(validateBlocks(big.blocks, 'message')).toEqual([]);
    expect(messageToText(big)).toContain(`and ${250 - MAX_ROWS} more categories`);
  });

  it('explains an empty period instead of a wall of zeros', () => {
    const empty = budgetMessage(computeBudget({ period, today: '2026-09-15', months: [] }), {
      currency: 'EUR',
    });
    expect(validateBlocks(empty.blocks, 'message')).toEqual([]);
    expect(messageToText(empty)).toContain('Nothing planned or spent for FY2027-Q3');
  });
});

describe('small builders', () => {
  it('formats variance and round-trips button references', () => {
    expect(formatVariance(null)).toBe('');
    expect(formatVariance(-2.13)).toBe('-2 %');
    expect(formatVariance(9.5)).toBe('+10 %');
    expect(formatVariance(0)).toBe('0 %');
    expect(decodeRef(encodeRef({ period: 'FY2027', category: 'Paid Media' }))).toEqual({
      period: 'FY2027',
      category: 'Paid Media',
    });
    expect(() => decodeRef('{}')).toThrow(StaleButtonError);
    expect(() => decodeRef('not json')).toThrow(StaleButtonError);
  });

  it('keeps every button value within 2,000 characters for a 100-character category JSON escapes most', () => {
    // Each control character is six characters in JSON: the worst a category can be.
    const worst = `${'\u0001'.repeat(98)}/\u0001`;
    const focused = computeBudget({
      period,
      today: '2026-09-15',
      focus: worst,
      months: [leaf(worst, 100n, 50n)],
    });
    const view = budgetMessage(focused, { currency: 'USD', canEdit: true });
    expect(validateBlocks(view.blocks, 'message')).toEqual([]);
    const buttons = (view.blocks.at(-1) as { elements: { value?: string }[] }).elements;
    expect(buttons.map((b) => (b.value ?? '').length).every((n) => n > 500 && n <= 2000)).toBe(true);
    expect(buttons.map((b) => decodeRef(b.value).category)).toEqual([
      worst,
      '\u0001'.repeat(98),
      worst,
      worst,
    ]);
  });

  it('splits long preformatted text into sections under 3000 characters', () => {
    const sections = codeSections(Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`));
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect((s.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('A&B <!here> *bold*')).toBe('A&amp;B &lt;!here&gt; *bold*');
  });

  it('builds help and modals Slack accepts', () => {
    expect(validateBlocks(helpMessage().blocks, 'message')).toEqual([]);
    const origin = { channelId: 'C1', responseUrl: 'https://hooks.slack.com/commands/T1/1/x' };
    for (const view of [
      budgetEditModal(
        { period: 'FY2027-Q3', currency: 'USD', category: 'Events', amount: '1000.00' },
        origin,
      ),
      spendAddModal('USD', '2026-11-16', origin),
      settingsModal(
        {
          currency: 'USD',
          fiscalStartMonth: 2,
          timezone: 'UTC',
          adminUserIds: ['U1'],
          spendEntry: 'owners',
          lockDays: 10,
          moveAutoApproveMinor: 50_000n,
        },
        origin,
      ),
    ]) {
      expect(validateView(view)).toEqual([]);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });

  it('shows a new fiscal-year start in the settings form, its plan lines escaped and capped', () => {
    const saved = {
      currency: 'USD',
      fiscalStartMonth: 1,
      timezone: 'UTC',
      adminUserIds: [],
      spendEntry: 'owners' as const,
      lockDays: 10,
      moveAutoApproveMinor: 0n,
    };
    const year = fiscalYear(2027, 2);
    const preview = {
      startMonth: 2,
      year,
      quarters: [1, 2, 3, 4].map((n) => ({
        quarter: fiscalQuarter(2027, n, 2),
        planned: 500n * 100n,
        lines: Array.from({ length: 100 }, (_, i) => ({
          period: 'FY2026',
          category: `<!channel> \`${'x'.repeat(90)}${i}`,
          planned: 5n * 100n,
        })),
      })),
    };
    const view = settingsModal({ ...saved, fiscalStartMonth: 2 }, { channelId: 'C1' }, { preview, saved });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('The fiscal year would start in February instead of January');
    expect(text).toContain('fiscal year from *January*');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain("more lines: 'mo settings --fiscal-start-month 2' lists them all");
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({ channelId: 'C1', fiscalPreview: 2 });
  });
});
