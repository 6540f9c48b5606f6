// Budget overrun alerts: the rules, their settings, which conditions a budget line meets
// now, how that changes the alert state (fire once per crossing, again only higher, resolve
// quietly, fire again after), and quiet hours. Pure: the service reads and writes state.
import { z } from 'zod';
import { type MonthFigures, monthOutlook } from './budget.js';
import { addDays, dateInZone, daysInclusive, type IsoDate } from './calendar.js';
import { InvalidError } from './errors.js';
import { zonedInstant } from './schedule.js';

export const ALERT_RULES = ['consumed', 'forecast', 'pacing'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface AlertSettings {
  /** Actual + committed reaching these percentages of plan (each fires once). */
  consumed: { enabled: boolean; thresholds: number[] };
  /** Forecast above plan by more than this many percent. */
  forecast: { enabled: boolean; threshold: number };
  /** Actual's share of plan ahead of the period's elapsed share by more than this many points. */
  pacing: { enabled: boolean; threshold: number };
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  consumed: { enabled: true, thresholds: [90, 100] },
  forecast: { enabled: true, threshold: 5 },
  pacing: { enabled: true, threshold: 20 },
};

const percent = z.number().int('a whole percent').min(1, 'at least 1').max(500, 'at most 500');
const storedSchema = z
  .object({
    consumed: z.object({ enabled: z.boolean(), thresholds: z.array(percent).min(1).max(5) }).partial(),
    forecast: z.object({ enabled: z.boolean(), threshold: percent }).partial(),
    pacing: z.object({ enabled: z.boolean(), threshold: percent.max(100, 'at most 100 points') }).partial(),
  })
  .partial();

/** Settings as stored (JSON, possibly partial or from an older version) over the defaults. */
export function readAlertSettings(json: string): AlertSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json || '{}');
  } catch {
    raw = {};
  }
  const parsed = storedSchema.safeParse(raw);
  const s = parsed.success ? parsed.data : {};
  return {
    consumed: { ...DEFAULT_ALERT_SETTINGS.consumed, ...s.consumed },
    forecast: { ...DEFAULT_ALERT_SETTINGS.forecast, ...s.forecast },
    pacing: { ...DEFAULT_ALERT_SETTINGS.pacing, ...s.pacing },
  };
}

export class AlertSettingError extends InvalidError {}

const PERCENT_TEXT = /^\d{1,3}\s*%?$/;

/** `/mo alerts set RULE VALUE`: consumed takes "80,95,100"; the others one whole percent. */
export function applyAlertSetting(settings: AlertSettings, rule: string, valueText: string): AlertSettings {
  if (!(ALERT_RULES as readonly string[]).includes(rule))
    throw new AlertSettingError(`"${rule}" is not a rule: use consumed, forecast or pacing`);
  const parts = valueText.split(',').map((p) => p.trim());
  if (!parts.every((p) => PERCENT_TEXT.test(p)))
    throw new AlertSettingError(
      `"${valueText}" is not a whole percent${rule === 'consumed' ? ' or a list like 80,95,100' : ''}`,
    );
  const values = parts.map((p) => Number(p.replace('%', '').trim()));
  if (rule !== 'consumed' && values.length !== 1) throw new AlertSettingError(`${rule} takes one percent`);
  const next: AlertSettings = structuredClone(settings);
  if (rule === 'consumed')
    next.consumed = { enabled: true, thresholds: [...new Set(values)].sort((a, b) => a - b) };
  else next[rule as 'forecast' | 'pacing'] = { enabled: true, threshold: values[0] as number };
  const checked = storedSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AlertSettingError(`${rule}: ${issue?.message ?? 'not a valid value'}`);
  }
  return next;
}

export function setRuleEnabled(settings: AlertSettings, rule: string, enabled: boolean): AlertSettings {
  if (!(ALERT_RULES as readonly string[]).includes(rule))
    throw new AlertSettingError(`"${rule}" is not a rule: use consumed, forecast or pacing`);
  const next: AlertSettings = structuredClone(settings);
  next[rule as AlertRule].enabled = enabled;
  return next;
}

/** A budget line with its figures in its period (minor units). */
export interface LineFigures {
  lineId: string;
  period: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  category: string;
  ownerUserId: string | null;
  planned: bigint;
  actual: bigint;
  committed: bigint;
  /**
   * The line's calendar months: its phased plan, the category's actual (dated through today)
   * and committed, and a latest estimate where one is set. The forecast is their sum.
   */
  months: MonthFigures[];
}

export interface Condition {
  lineId: string;
  rule: AlertRule;
  threshold: number;
}

/** The line's forecast: its months' forecasts summed, a latest estimate where one is set. */
export function lineForecast(line: Pick<LineFigures, 'months'>, today: IsoDate): bigint {
  return line.months.reduce((sum, cell) => {
    const { forecast, estimate } = monthOutlook(cell, today);
    return sum + (estimate ?? forecast);
  }, 0n);
}

/**
 * The conditions a line meets today. No plan, no alert. Exact integer comparisons:
 * - consumed t: (actual + committed) × 100 ≥ planned × t;
 * - forecast t: (forecast − planned) × 100 > planned × t (5 % exactly does not fire);
 * - pacing t: actual's share of plan minus the elapsed share of the period is more than t
 *   points: actual × 100 × days − elapsed × 100 × planned > t × planned × days. Not before the
 *   period starts.
 */
export function evaluateLine(line: LineFigures, settings: AlertSettings, today: IsoDate): Condition[] {
  const { planned } = line;
  if (planned <= 0n) return [];
  const out: Condition[] = [];
  const at = (rule: AlertRule, threshold: number) => out.push({ lineId: line.lineId, rule, threshold });
  if (settings.consumed.enabled) {
    const booked = line.actual + line.committed;
    for (const t of settings.consumed.thresholds) if (booked * 100n >= planned * BigInt(t)) at('consumed', t);
  }
  if (settings.forecast.enabled) {
    const t = BigInt(settings.forecast.threshold);
    if ((lineForecast(line, today) - planned) * 100n > planned * t)
      at('forecast', settings.forecast.threshold);
  }
  if (settings.pacing.enabled) {
    const days = BigInt(daysInclusive(line.periodStart, line.periodEnd));
    const elapsed = BigInt(Math.max(0, Math.min(Number(days), daysInclusive(line.periodStart, today))));
    const t = BigInt(settings.pacing.threshold);
    if (elapsed > 0n && line.actual * 100n * days - elapsed * 100n * planned > t * planned * days)
      at('pacing', settings.pacing.threshold);
  }
  return out;
}

export interface StateKey {
  lineId: string;
  rule: AlertRule;
  threshold: number;
}

export interface AlertStateRow extends StateKey {
  status: 'firing' | 'resolved';
}

export interface Transitions {
  /** Newly crossed: `loud` ones raise an alert; quiet ones are recorded as firing only. */
  fire: (Condition & { loud: boolean })[];
  /** Firing states whose condition is gone (plan raised, refund): resolved quietly. */
  resolve: StateKey[];
}

const keyOf = (k: StateKey) => `${k.lineId}\u0000${k.rule}\u0000${k.threshold}`;

/**
 * One alert per (line, rule, threshold) crossing. A condition already firing does nothing;
 * a gone one resolves; a crossed one fires, except on a snoozed line (it waits, and fires
 * when the snooze ends if still true). Of the consumed thresholds crossed at once only the
 * highest is loud, and a lower one crossed under a higher one already firing stays quiet:
 * 90 % then 100 % fire in turn, but a jump past both fires once. A state whose rule or
 * threshold the settings no longer have is left as it was: the line did not recover, the
 * rule changed (so a line at 104 % is not "resolved" when 100 % is replaced by 80 %).
 */
export function reconcile(
  states: AlertStateRow[],
  conditions: Condition[],
  snoozed: ReadonlySet<string>,
  settings?: AlertSettings,
): Transitions {
  const active = (s: StateKey) => !settings || isActiveRule(settings, s.rule, s.threshold);
  const firing = new Map(states.filter((s) => s.status === 'firing' && active(s)).map((s) => [keyOf(s), s]));
  const current = new Set(conditions.map(keyOf));
  const resolve = [...firing.values()]
    .filter((s) => !current.has(keyOf(s)))
    .map(({ lineId, rule, threshold }) => ({ lineId, rule, threshold }));
  const fresh = conditions.filter((c) => !firing.has(keyOf(c)) && !snoozed.has(c.lineId));
  const highestConsumed = new Map<string, number>();
  for (const c of conditions)
    if (c.rule === 'consumed')
      highestConsumed.set(c.lineId, Math.max(highestConsumed.get(c.lineId) ?? 0, c.threshold));
  const fire = fresh.map((c) => ({
    ...c,
    loud: c.rule !== 'consumed' || c.threshold === highestConsumed.get(c.lineId),
  }));
  return { fire, resolve };
}

/** Whether the settings evaluate this rule at this threshold. */
export function isActiveRule(settings: AlertSettings, rule: AlertRule, threshold: number): boolean {
  if (rule === 'consumed')
    return settings.consumed.enabled && settings.consumed.thresholds.includes(threshold);
  return settings[rule].enabled && settings[rule].threshold === threshold;
}

/** Night in the workspace timezone: alerts found from 20:00 are held until 09:00. */
export const QUIET_FROM = '20:00';
export const QUIET_UNTIL = '09:00';

/** When an alert found at `now` may be delivered: now by day, the next 09:00 by night. */
export function deliveryTime(now: Date, timeZone: string): Date {
  const today = dateInZone(now, timeZone);
  const morning = zonedInstant(today, QUIET_UNTIL, timeZone);
  if (now.getTime() < morning.getTime()) return morning;
  const evening = zonedInstant(today, QUIET_FROM, timeZone);
  if (now.getTime() < evening.getTime()) return now;
  return zonedInstant(addDays(today, 1), QUIET_UNTIL, timeZone);
}

export function describeRule(rule: AlertRule, threshold: number): string {
  switch (rule) {
    case 'consumed':
      return `actual + committed reached ${threshold} % of plan`;
    case 'forecast':
      return `forecast is more than ${threshold} % over plan`;
    case 'pacing':
      return `spend is more than ${threshold} points ahead of the calendar`;
  }
}

export function describeSettings(s: AlertSettings): string[] {
  const onOff = (e: boolean) => (e ? 'on' : 'off');
  return [
    `consumed (${onOff(s.consumed.enabled)}): actual + committed at ${s.consumed.thresholds.join(' %, ')} % of plan`,
    `forecast (${onOff(s.forecast.enabled)}): forecast more than ${s.forecast.threshold} % over plan`,
    `pacing (${onOff(s.pacing.enabled)}): spend more than ${s.pacing.threshold} points ahead of the calendar`,
  ];
}
