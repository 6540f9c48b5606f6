// Budget alerts as Slack messages (pure): one batched message for the alerts channel with
// buttons per alert, the owner's DM, the history and the settings. Every category, campaign
// or period name is escaped: a line called <!channel> pings nobody.

import type { AlertRule } from '../../domain/alerts.js';
import { describeRule } from '../../domain/alerts.js';
import { formatMoney } from '../../domain/money.js';
import { ALERT } from '../ids.js';
import { escapeMrkdwn, slackDate, truncate, userMention } from '../mrkdwn.js';
import { actions, type Block, button, context, header, type Message, section } from './common.js';

/** What a builder needs of an alert (a database row fits). */
export interface AlertView {
  id: string;
  period: string;
  category: string;
  ownerUserId: string | null;
  rule: string;
  threshold: number;
  plannedMinor: bigint;
  actualMinor: bigint;
  committedMinor: bigint;
  forecastMinor: bigint;
  resolvedAt: Date | null;
  ackBy: string | null;
  ackAt: Date | null;
  snoozedBy: string | null;
}

/** header + 3 blocks an alert (section, state, buttons) stays within Slack's 50. */
export const MAX_ALERTS_SHOWN = 15;

function alertText(a: AlertView, currency: string): string {
  const what = describeRule(a.rule as AlertRule, a.threshold);
  return (
    `*${escapeMrkdwn(truncate(a.category, 80))}* · ${escapeMrkdwn(a.period)} — ${what}\n` +
    `Planned ${formatMoney(a.plannedMinor, currency)} · actual ${formatMoney(a.actualMinor, currency)} · ` +
    `committed ${formatMoney(a.committedMinor, currency)} · forecast ${formatMoney(a.forecastMinor, currency)}` +
    (a.ownerUserId ? ` · owner ${userMention(a.ownerUserId)}` : ' · no owner')
  );
}

function stateLine(a: AlertView, snoozedUntil?: Date | null): string | undefined {
  const parts: string[] = [];
  if (a.ackBy && a.ackAt)
    parts.push(`:white_check_mark: Acknowledged by ${userMention(a.ackBy)} ${slackDate(a.ackAt)}`);
  if (a.snoozedBy && snoozedUntil)
    parts.push(`:zzz: Snoozed by ${userMention(a.snoozedBy)} until ${slackDate(snoozedUntil)}`);
  if (a.resolvedAt) parts.push(':large_green_circle: Back under the threshold');
  return parts.length ? parts.join(' · ') : undefined;
}

function alertBlocks(a: AlertView, currency: string, snoozedUntil?: Date | null): Block[] {
  const blocks: Block[] = [section(alertText(a, currency))];
  const state = stateLine(a, snoozedUntil);
  if (state) blocks.push(context(state));
  const buttons = [
    ...(a.ackBy ? [] : [button('Acknowledge', ALERT.ack, a.id, 'primary')]),
    button('Snooze 1 day', ALERT.snoozeDay, a.id),
    button('Snooze 1 week', ALERT.snoozeWeek, a.id),
    button('Open budget', ALERT.openBudget, a.id),
  ];
  blocks.push(actions(`alert_${a.id}`.slice(0, 255), buttons));
  return blocks;
}

/** The alerts channel's message for one evaluation: every line that crossed, batched. */
export function alertBatchMessage(
  alerts: AlertView[],
  currency: string,
  snoozes: Map<string, Date> = new Map(),
): Message {
  const shown = alerts.slice(0, MAX_ALERTS_SHOWN);
  const blocks: Block[] = [
    header(`:rotating_light: Budget alert${alerts.length === 1 ? '' : `s (${alerts.length})`}`),
  ];
  for (const a of shown) blocks.push(...alertBlocks(a, currency, snoozes.get(a.id)));
  if (alerts.length > shown.length)
    blocks.push(context(`…and ${alerts.length - shown.length} more: see \`/mo alerts history\`.`));
  const text = `Budget alerts: ${alerts
    .slice(0, 5)
    .map(
      (a) =>
        `${escapeMrkdwn(truncate(a.category, 40))} (${escapeMrkdwn(a.period)}) ${describeRule(a.rule as AlertRule, a.threshold)}`,
    )
    .join('; ')}${alerts.length > 5 ? `; and ${alerts.length - 5} more` : ''}`;
  return { text: truncate(text, 3000), blocks };
}

/** The DM to a line's owner: their alerts from the batch, with the same buttons. */
export function ownerAlertMessage(alerts: AlertView[], currency: string): Message {
  const msg = alertBatchMessage(alerts, currency);
  msg.blocks.splice(1, 0, context('A budget line you own crossed a threshold.'));
  return { text: `Your budget line: ${msg.text}`, blocks: msg.blocks.slice(0, 50) };
}

export function alertHistoryMessage(alerts: AlertView[], currency: string): Message {
  if (!alerts.length) return { text: 'No budget alerts yet.', blocks: [section('No budget alerts yet.')] };
  const state = (a: AlertView) =>
    a.resolvedAt ? 'resolved' : a.ackBy ? 'acknowledged' : a.snoozedBy ? 'snoozed' : 'open';
  const lines = alerts
    .slice(0, 40)
    .map(
      (a) =>
        `• *${escapeMrkdwn(truncate(a.category, 60))}* · ${escapeMrkdwn(a.period)} — ${describeRule(a.rule as AlertRule, a.threshold)} · ` +
        `forecast ${formatMoney(a.forecastMinor, currency)} of ${formatMoney(a.plannedMinor, currency)} · _${state(a)}_`,
    );
  const chunks: string[] = [];
  let current = '';
  for (const l of lines) {
    if (current.length + l.length + 1 > 2900) {
      chunks.push(current);
      current = '';
    }
    current += (current ? '\n' : '') + l;
  }
  if (current) chunks.push(current);
  return {
    text: `Recent budget alerts: ${alerts.length}`,
    blocks: [header('Recent budget alerts'), ...chunks.map(section)],
  };
}

export const ALERT_REFUSAL =
  'Sorry, only this budget line’s owner and Mo admins can acknowledge or snooze its alerts. You can still open the budget.';
