import { describe, expect, it } from 'vitest';
import {
  AlertSettingError,
  applyAlertSetting,
  type Condition,
  DEFAULT_ALERT_SETTINGS,
  deliveryTime,
  evaluateLine,
  type LineFigures,
  readAlertSettings,
  reconcile,
  setRuleEnabled,
} from '../../src/domain/alerts.js';
import { alertBatchMessage, MAX_ALERTS_SHOWN } from '../../src/slack/blocks/alerts.js';
import { validateBlocks } from '../support/fake-slack.js';

// November 2026: 30 days, a line of one month.
const line = (over: Partial<Omit<LineFigures, 'months'>> = {}): LineFigures => {
  const base = {
    lineId: 'L1',
    period: '2026-11',
    periodStart: '2026-11-01',
    periodEnd: '2026-11-30',
    category: 'Events',
    ownerUserId: 'U0OWNER',
    planned: 1_000_000n,
    actual: 0n,
    committed: 0n,
    ...over,
  };
  const { category, planned, actual, committed } = base;
  return { ...base, months: [{ category, month: '2026-11', planned, actual, committed }] };
};
const only = (rule: 'consumed' | 'forecast' | 'pacing') => ({
  consumed: { ...DEFAULT_ALERT_SETTINGS.consumed, enabled: rule === 'consumed' },
  forecast: { ...DEFAULT_ALERT_SETTINGS.forecast, enabled: rule === 'forecast' },
  pacing: { ...DEFAULT_ALERT_SETTINGS.pacing, enabled: rule === 'pacing' },
});

describe('evaluateLine', () => {
  it('consumed counts actual + committed against each threshold, at the exact edge', () => {
    const s = only('consumed');
    expect(evaluateLine(line({ actual: 899_999n }), s, '2026-11-30')).toEqual([]);
    expect(evaluateLine(line({ actual: 600_000n, committed: 300_000n }), s, '2026-11-30')).toEqual([
      { lineId: 'L1', rule: 'consumed', threshold: 90 },
    ]);
    expect(evaluateLine(line({ actual: 1_000_000n }), s, '2026-11-30').map((c) => c.threshold)).toEqual([
      90, 100,
    ]);
    expect(evaluateLine(line({ planned: 0n, actual: 5n }), s, '2026-11-30')).toEqual([]);
  });

  it('forecast fires only above plan by more than 5 %', () => {
    const s = only('forecast');
    // Day 15 of 30: run rate doubles actual to date.
    expect(evaluateLine(line({ actual: 525_000n }), s, '2026-11-15')).toEqual([]); // exactly +5 %
    expect(evaluateLine(line({ actual: 525_001n }), s, '2026-11-15')).toEqual([
      { lineId: 'L1', rule: 'forecast', threshold: 5 },
    ]);
    // Committed counts in the forecast (actual + committed when larger than the run rate).
    expect(evaluateLine(line({ committed: 1_060_000n }), s, '2026-11-02')).toHaveLength(1);
  });

  it('pacing compares the share of plan spent with the share of the period gone', () => {
    const s = only('pacing');
    // Day 6 of 30 = 20 % gone; 40 % spent is 20 points ahead: not more than 20.
    expect(evaluateLine(line({ actual: 400_000n }), s, '2026-11-06')).toEqual([]);
    expect(evaluateLine(line({ actual: 400_001n }), s, '2026-11-06')).toEqual([
      { lineId: 'L1', rule: 'pacing', threshold: 20 },
    ]);
    // Before the period starts there is no pace; committed alone is not pace.
    expect(evaluateLine(line({ actual: 900_000n }), s, '2026-10-31')).toEqual([]);
    expect(evaluateLine(line({ committed: 900_000n }), s, '2026-11-06')).toEqual([]);
  });
});

describe('reconcile', () => {
  const c = (threshold: number, rule: Condition['rule'] = 'consumed'): Condition => ({
    lineId: 'L1',
    rule,
    threshold,
  });
  const none = new Set<string>();

  it('fires once per crossing and not again while it holds', () => {
    expect(reconcile([], [c(90)], none)).toEqual({ fire: [{ ...c(90), loud: true }], resolve: [] });
    expect(reconcile([{ ...c(90), status: 'firing' }], [c(90)], none)).toEqual({ fire: [], resolve: [] });
  });

  it('fires 90 then 100 in turn, but only 100 when both are crossed at once', () => {
    expect(reconcile([{ ...c(90), status: 'firing' }], [c(90), c(100)], none).fire).toEqual([
      { ...c(100), loud: true },
    ]);
    expect(reconcile([], [c(90), c(100)], none).fire).toEqual([
      { ...c(90), loud: false },
      { ...c(100), loud: true },
    ]);
  });

  it('resolves when the line falls back under, and fires again on a new crossing', () => {
    expect(reconcile([{ ...c(90), status: 'firing' }], [], none)).toEqual({ fire: [], resolve: [c(90)] });
    expect(reconcile([{ ...c(90), status: 'resolved' }], [c(90)], none).fire).toEqual([
      { ...c(90), loud: true },
    ]);
  });

  it('does not resolve a line still over 100 % when the thresholds are replaced by [80]', () => {
    const s = applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'consumed', '80');
    const states = [
      { ...c(90), status: 'firing' as const },
      { ...c(100), status: 'firing' as const },
    ];
    // At 104 %: only 80 is a condition now; 90 and 100 are retired, not recovered.
    expect(reconcile(states, [c(80)], none, s)).toEqual({ fire: [{ ...c(80), loud: true }], resolve: [] });
    // The same states under the old rules and a line fallen back under: resolved.
    expect(reconcile(states, [], none, DEFAULT_ALERT_SETTINGS).resolve).toEqual([c(90), c(100)]);
  });

  it('holds a snoozed line, whose conditions fire once the snooze is over', () => {
    expect(reconcile([], [c(5, 'forecast')], new Set(['L1'])).fire).toEqual([]);
    expect(reconcile([], [c(5, 'forecast')], none).fire).toEqual([{ ...c(5, 'forecast'), loud: true }]);
  });
});

describe('settings', () => {
  it('reads stored JSON over the defaults, ignoring what it cannot read', () => {
    expect(readAlertSettings('{"forecast":{"threshold":8}}').forecast).toEqual({
      enabled: true,
      threshold: 8,
    });
    expect(readAlertSettings('not json')).toEqual(DEFAULT_ALERT_SETTINGS);
  });

  it('parses /mo alerts set values with clear errors', () => {
    expect(applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'consumed', '95,80,100').consumed.thresholds).toEqual([
      80, 95, 100,
    ]);
    expect(applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'pacing', '25%').pacing.threshold).toBe(25);
    expect(() => applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'spend', '5')).toThrow('"spend" is not a rule');
    expect(() => applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'forecast', 'five')).toThrow(
      '"five" is not a whole percent',
    );
    expect(() => applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'forecast', '5,6')).toThrow(
      'forecast takes one percent',
    );
    expect(() => applyAlertSetting(DEFAULT_ALERT_SETTINGS, 'pacing', '150')).toThrow(AlertSettingError);
    expect(setRuleEnabled(DEFAULT_ALERT_SETTINGS, 'pacing', false).pacing.enabled).toBe(false);
  });
});

describe('quiet hours', () => {
  const ny = 'America/New_York';
  it('delivers by day and holds night alerts until 09:00 local, across DST', () => {
    expect(deliveryTime(new Date('2026-11-23T15:00:00Z'), ny).toISOString()).toBe('2026-11-23T15:00:00.000Z');
    // 20:30 EST → 09:00 EST next day.
    expect(deliveryTime(new Date('2026-11-24T01:30:00Z'), ny).toISOString()).toBe('2026-11-24T14:00:00.000Z');
    // 06:00 local → 09:00 the same day.
    expect(deliveryTime(new Date('2026-11-23T11:00:00Z'), ny).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    // Saturday 22:00 EDT before the fall-back → Sunday 09:00 EST.
    expect(deliveryTime(new Date('2026-11-01T02:00:00Z'), ny).toISOString()).toBe('2026-11-01T14:00:00.000Z');
    // Night before spring-forward → 09:00 EDT.
    expect(deliveryTime(new Date('2026-03-08T04:00:00Z'), ny).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(deliveryTime(new Date('2026-11-23T16:00:00Z'), 'Asia/Kolkata').toISOString()).toBe(
      '2026-11-24T03:30:00.000Z',
    );
  });
});

describe('alert messages', () => {
  const view = (i: number, category = `Category ${i}`) => ({
    id: `A${i}`,
    period: 'FY2027-Q4',
    category,
    ownerUserId: 'U0OWNER',
    rule: 'consumed',
    threshold: 90,
    plannedMinor: 100_000n,
    actualMinor: 95_000n,
    committedMinor: 0n,
    forecastMinor: 120_000n,
    resolvedAt: null,
    ackBy: null,
    ackAt: null,
    snoozedBy: null,
  });

  it('escapes names and stays within 50 blocks for 60 alerts', () => {
    const one = alertBatchMessage([view(1, '<!channel> Events')], 'USD');
    expect(validateBlocks(one.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(one.blocks)).toContain('&lt;!channel&gt; Events');
    expect(JSON.stringify(one.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(one.blocks)).toContain(
      'Planned $1,000 · actual $950 · committed $0 · forecast $1,200',
    );
    const many = alertBatchMessage(
      Array.from({ length: 60 }, (_, i) => view(i)),
      'USD',
    );
    expect(validateBlocks(many.blocks, 'message')).toEqual([]);
    expect(many.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(many.blocks)).toContain(`and ${60 - MAX_ALERTS_SHOWN} more`);
  });
});
