// Budget alerts end to end: evaluate every live budget line against the workspace's rules,
// move alert state (atomically), then deliver what is due in one batched message to the
// alerts channel plus a DM to each line's owner, each post made once.
import type { WebClient } from '@slack/web-api';
import type { AlertRow } from '../db/alerts.js';
import { deliveryTime, evaluateLine, lineForecast, reconcile } from '../domain/alerts.js';
import { dateInZone } from '../domain/calendar.js';
import { alertsRaised } from '../metrics.js';
import { ALERT_REFUSAL, alertBatchMessage, ownerAlertMessage } from '../slack/blocks/alerts.js';
import type { Message } from '../slack/blocks/common.js';
import { findChannelByName } from '../slack/channels.js';
import { postOnce } from '../slack/post.js';
import type { WorkspaceMo } from './team-scope.js';

export const ALERTS_DEFAULT_CHANNEL = 'marketing';
/** A batch claimed this long ago and not delivered lost its deliverer. */
const ORPHAN_AFTER_MS = 5 * 60_000;

export interface Evaluation {
  lines: number;
  raised: string[];
  quiet: number;
  resolved: number;
}

/** Evaluates every budget line whose period has not ended; safe to run in several processes at once. */
export async function evaluateAlerts(
  mo: WorkspaceMo,
  now: Date = mo.clock(),
  retried = false,
): Promise<Evaluation> {
  const settingsRow = await mo.workspaces.get();
  if (!settingsRow) return { lines: 0, raised: [], quiet: 0, resolved: 0 };
  const alerts = mo.alerts;
  const today = dateInZone(now, settingsRow.timezone);
  const [{ settings }, lines, states, snoozed] = await Promise.all([
    alerts.settings(),
    alerts.lineFigures(today),
    alerts.states(),
    alerts.snoozedLines(now),
  ]);
  const conditions = lines.flatMap((l) => evaluateLine(l, settings, today));
  const liveLines = new Set(lines.map((l) => l.lineId));
  // States of lines no longer evaluated (their period ended) are left as they were.
  const { fire, resolve } = reconcile(
    states.filter((s) => liveLines.has(s.lineId)),
    conditions,
    snoozed,
    settings,
  );
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  const known = new Set(states.map((s) => `${s.lineId}|${s.rule}|${s.threshold}`));
  const deliverAt = deliveryTime(now, settingsRow.timezone);
  const withLine = fire.flatMap((c) => {
    const line = byId.get(c.lineId);
    return line ? [{ c, line: { ...line, forecast: lineForecast(line, today) } }] : [];
  });
  // First crossings go in bulk; a state seen before (resolved) is reopened one at a time.
  const first = withLine.filter((x) => !known.has(`${x.c.lineId}|${x.c.rule}|${x.c.threshold}`));
  const again = withLine.filter((x) => known.has(`${x.c.lineId}|${x.c.rule}|${x.c.threshold}`));
  const raised = await alerts.fireNew(first, now, deliverAt);
  // Another evaluator wrote some of these first: look again at what it left.
  if (raised === null && !retried) return evaluateAlerts(mo, now, true);
  const ids = [...(raised ?? [])];
  alertsRaised.inc(ids.length);
  for (const x of again) {
    const id = await alerts.fire(x.c, x.line, now, deliverAt);
    if (id) ids.push(id);
  }
  let resolved = 0;
  for (const k of resolve) if (await alerts.resolve(k, now)) resolved++;
  return { lines: lines.length, raised: ids, quiet: withLine.filter((x) => !x.c.loud).length, resolved };
}

async function alertsChannel(mo: WorkspaceMo, client: WebClient, set: string | null): Promise<string | null> {
  if (set) return set;
  const digest = await mo.digestSchedules.get();
  if (digest?.channelId) return digest.channelId;
  return (await findChannelByName(client, ALERTS_DEFAULT_CHANNEL)) ?? null;
}

async function deliverBatch(
  mo: WorkspaceMo,
  client: WebClient,
  batchId: string,
  rows: AlertRow[],
  now: Date,
) {
  const alerts = mo.alerts;
  const posts = mo.posts;
  const settings = await mo.workspaces.ensure();
  const { channelId } = await alerts.settings();
  const channel = await alertsChannel(mo, client, channelId);
  let posted: { channel: string; ts: string } | null = null;
  if (channel) {
    posted = await postOnce(client, posts, {
      key: `alerts:${batchId}`,
      channel,
      message: alertBatchMessage(rows, settings.currency),
    });
  }
  const owners = new Map<string, AlertRow[]>();
  for (const r of rows)
    if (r.ownerUserId) owners.set(r.ownerUserId, [...(owners.get(r.ownerUserId) ?? []), r]);
  // An owner who cannot be DMed (deactivated, a guest, a typo in the plan) must not hold
  // back the batch: the channel has the alert, and the failure is in the run's summary.
  const undelivered: string[] = [];
  for (const [owner, theirs] of owners) {
    try {
      await postOnce(client, posts, {
        key: `alerts:${batchId}:dm:${owner}`,
        channel: owner,
        message: ownerAlertMessage(theirs, settings.currency),
      });
    } catch (error) {
      undelivered.push(
        `${owner} (${(error as { data?: { error?: string } }).data?.error ?? (error as Error).message})`,
      );
    }
  }
  await alerts.delivered(batchId, { channelId: posted?.channel ?? null, ts: posted?.ts ?? null }, now);
  const dms = `${owners.size - undelivered.length} owner DMs${undelivered.length ? `; not DMed: ${undelivered.join(', ')}` : ''}`;
  return `${rows.length} alerts ${channel ? `in ${channel}` : '(no alerts channel: DMs only)'}, ${dms}`;
}

/** Delivers batches whose deliverer died, then everything now due (quiet hours over). */
export async function deliverAlerts(
  mo: WorkspaceMo,
  client: WebClient,
  now: Date = mo.clock(),
): Promise<string> {
  const alerts = mo.alerts;
  const done: string[] = [];
  for (const batchId of await alerts.orphanBatches(new Date(now.getTime() - ORPHAN_AFTER_MS)))
    done.push(await deliverBatch(mo, client, batchId, await alerts.batch(batchId), now));
  const batch = await alerts.claimBatch(now);
  if (batch) done.push(await deliverBatch(mo, client, batch.batchId, batch.alerts, now));
  return done.length ? done.join('; ') : 'nothing to deliver';
}

/**
 * One evaluation per workspace at a time in this process. Across processes the database's
 * conditional writes keep alerts single; within one, queueing also keeps SQLite (one
 * connection, where a statement issued during another's transaction runs inside it) safe.
 */
const running = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  running.set(key, next);
  void next
    .finally(() => {
      if (running.get(key) === next) running.delete(key);
    })
    .catch(() => undefined);
  return next;
}

/** After figures change (import, spend, plan) and hourly: evaluate, then deliver what is due. */
export function evaluateAndDeliver(
  mo: WorkspaceMo,
  client: WebClient,
  now: Date = mo.clock(),
): Promise<string> {
  return oneAtATime(mo.key, async () => {
    const evaluation = await evaluateAlerts(mo, now);
    const delivered = await deliverAlerts(mo, client, now);
    return `${evaluation.lines} lines: ${evaluation.raised.length} raised, ${evaluation.resolved} resolved; ${delivered}`;
  });
}

export type AlertAction = 'ack' | 'snoozeDay' | 'snoozeWeek';

/**
 * A button on an alert. Only the line's owner and Mo admins may acknowledge or snooze; the
 * answer is the alert's message redrawn (or a refusal for the clicker alone).
 */
export async function actOnAlert(
  mo: WorkspaceMo,
  who: { userId: string },
  alertId: string,
  action: AlertAction,
  isAdmin: (userId: string) => Promise<boolean>,
): Promise<
  | { refused: string }
  | {
      message: Message;
      alert: { channelId: string | null; messageTs: string | null; batchId: string | null };
    }
> {
  const repo = mo.alerts;
  const alert = await repo.get(alertId);
  if (!alert) return { refused: 'That alert no longer exists.' };
  const allowed = alert.ownerUserId === who.userId || (await isAdmin(who.userId));
  if (!allowed) return { refused: ALERT_REFUSAL };
  const now = mo.clock();
  if (action === 'ack') await repo.acknowledge(alertId, who.userId, now);
  else
    await repo.snooze(
      alertId,
      who.userId,
      new Date(now.getTime() + (action === 'snoozeDay' ? 1 : 7) * 86_400_000),
    );
  const settings = await mo.workspaces.ensure();
  const batch = alert.batchId ? await repo.batch(alert.batchId) : [alert];
  const byLine = await repo.snoozes(batch.filter((a) => a.snoozedBy).map((a) => a.lineId));
  const snoozes = new Map(
    batch.flatMap((a) => (byLine.has(a.lineId) ? [[a.id, byLine.get(a.lineId) as Date]] : [])),
  );
  return { message: alertBatchMessage(batch, settings.currency, snoozes), alert };
}
