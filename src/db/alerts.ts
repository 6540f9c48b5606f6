// Budget alerts: settings, the state of each (line, rule, threshold), alerts raised and their
// delivery, snoozes. Every transition is one conditional write, so two evaluators at once
// raise one alert, and two deliverers send each alert once.
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  type AlertRule,
  type AlertSettings,
  type AlertStateRow,
  type Condition,
  type LineFigures,
  readAlertSettings,
  type StateKey,
} from '../domain/alerts.js';
import type { MonthFigures } from '../domain/budget.js';
import type { IsoDate } from '../domain/calendar.js';
import { categoryKey, topOf } from '../domain/category.js';
import { phasePlan } from '../domain/phasing.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { spendRepository } from './spend.js';

/** An alert as stored (the generated client's row type). */
export type AlertRow = NonNullable<Awaited<ReturnType<Db['alert']['findFirst']>>>;

/** Rows per createMany: well under SQLite's limit of bound parameters. */
const CHUNK = 500;

const isUnique = (e: unknown) => (e as { code?: string } | null)?.code === 'P2002';

/** An alert's row: the line's figures when the rule was crossed. */
function alertData(
  teamId: string,
  c: Condition,
  line: LineFigures & { forecast: bigint },
  now: Date,
  deliverAt: Date,
) {
  return {
    teamId,
    lineId: line.lineId,
    period: line.period,
    category: line.category,
    ownerUserId: line.ownerUserId,
    rule: c.rule,
    threshold: c.threshold,
    plannedMinor: line.planned,
    actualMinor: line.actual,
    committedMinor: line.committed,
    forecastMinor: line.forecast,
    raisedAt: now,
    deliverAt,
  };
}

/**
 * Alerts and their states name a budget line by id: a line of another workspace is refused
 * here, so an evaluation can never raise an alert in one workspace about another's line.
 */
async function requireOwnLines(tx: Db, teamId: string, lineIds: string[]): Promise<void> {
  const wanted = [...new Set(lineIds)];
  for (let i = 0; i < wanted.length; i += CHUNK) {
    const chunk = wanted.slice(i, i + CHUNK);
    const own = await tx.budgetLine.count({ where: { teamId, id: { in: chunk } } });
    if (own !== chunk.length)
      throw new Error(`An alert for workspace ${teamId} named a line it does not have`);
  }
}

export function alertRepository(db: Db) {
  const batch = (teamId: string, batchId: string): Promise<AlertRow[]> =>
    db.alert.findMany({ where: { teamId, batchId }, orderBy: [{ category: 'asc' }, { rule: 'asc' }] });
  return {
    batch,

    async settings(teamId: string): Promise<{ settings: AlertSettings; channelId: string | null }> {
      const w = await db.workspace.findUnique({
        where: { teamId },
        select: { alertRules: true, alertsChannelId: true },
      });
      return { settings: readAlertSettings(w?.alertRules ?? '{}'), channelId: w?.alertsChannelId ?? null };
    },

    /** Saves the rules and/or the channel, audited from what to what. */
    async updateSettings(
      teamId: string,
      patch: { settings?: AlertSettings; channelId?: string },
      actor: string,
    ): Promise<{ settings: AlertSettings; channelId: string | null }> {
      return db.$transaction(async (tx) => {
        const before = await alertRepository(tx as Db).settings(teamId);
        await tx.workspace.update({
          where: { teamId },
          data: {
            ...(patch.settings ? { alertRules: JSON.stringify(patch.settings) } : {}),
            ...(patch.channelId ? { alertsChannelId: patch.channelId } : {}),
          },
        });
        const after = await alertRepository(tx as Db).settings(teamId);
        await recordAudit(tx as Db, {
          teamId,
          actor,
          action: 'alerts.update',
          entity: 'workspace',
          entityId: teamId,
          before,
          after,
        });
        return after;
      });
    },

    /**
     * Every budget line whose period has not ended, with its figures: spend in the period
     * filed under the line's category, or under a sub-category that has no line of its own
     * in that period. One aggregate over the daily rollup per distinct period.
     */
    async lineFigures(teamId: string, today: IsoDate): Promise<LineFigures[]> {
      const lines = await db.budgetLine.findMany({
        where: { teamId, periodEnd: { gte: today } },
        select: {
          id: true,
          period: true,
          periodStart: true,
          periodEnd: true,
          category: true,
          ownerUserId: true,
          plannedMinor: true,
          phasing: true,
        },
      });
      const byPeriod = new Map<string, typeof lines>();
      for (const l of lines) byPeriod.set(l.period, [...(byPeriod.get(l.period) ?? []), l]);
      const spend = spendRepository(db);
      const out: LineFigures[] = [];
      for (const periodLines of byPeriod.values()) {
        const first = periodLines[0] as (typeof lines)[number];
        const [sums, estimates] = await Promise.all([
          spend.monthSums(teamId, first.periodStart, first.periodEnd, today),
          db.latestEstimate.findMany({
            where: {
              teamId,
              month: { gte: first.periodStart.slice(0, 7), lte: first.periodEnd.slice(0, 7) },
            },
            select: { category: true, month: true, amountMinor: true },
          }),
        ]);
        const figures = new Map(
          periodLines.map((l) => [
            categoryKey(l.category),
            {
              lineId: l.id,
              period: l.period,
              periodStart: l.periodStart,
              periodEnd: l.periodEnd,
              category: l.category,
              ownerUserId: l.ownerUserId,
              planned: l.plannedMinor,
              actual: 0n,
              committed: 0n,
              months: new Map(
                phasePlan(l).map(({ month, planned }) => [
                  month,
                  {
                    category: l.category,
                    month,
                    planned,
                    actual: 0n,
                    committed: 0n,
                    estimate: null,
                  } as MonthFigures,
                ]),
              ),
            },
          ]),
        );
        const lineOf = (category: string) =>
          figures.get(categoryKey(category)) ?? figures.get(categoryKey(topOf(category)));
        for (const s of sums) {
          const line = lineOf(s.category);
          const cell = line?.months.get(s.month);
          if (!line || !cell) continue;
          line.actual += s.actual;
          line.committed += s.committed;
          cell.actual += s.actual;
          cell.committed += s.committed;
        }
        for (const e of estimates) {
          const cell = figures.get(categoryKey(e.category))?.months.get(e.month);
          if (cell) cell.estimate = (cell.estimate ?? 0n) + e.amountMinor;
        }
        for (const f of figures.values()) out.push({ ...f, months: [...f.months.values()] });
      }
      return out;
    },

    /** Every state of the workspace, firing or resolved. */
    async states(teamId: string): Promise<AlertStateRow[]> {
      const rows = await db.alertState.findMany({ where: { teamId } });
      return rows.map((r) => ({
        lineId: r.lineId,
        rule: r.rule as AlertRule,
        threshold: r.threshold,
        status: r.status === 'firing' ? 'firing' : 'resolved',
      }));
    },

    /**
     * First crossings (no state yet) in one transaction: states and alerts written in bulk.
     * Null when another evaluator wrote one of these states first (nothing is written then;
     * evaluate again to see its work).
     */
    async fireNew(
      teamId: string,
      items: { c: Condition & { loud: boolean }; line: LineFigures & { forecast: bigint } }[],
      now: Date,
      deliverAt: Date,
    ): Promise<string[] | null> {
      if (!items.length) return [];
      const withIds = items.map((i) => ({ ...i, alertId: i.c.loud ? uuidv7() : null }));
      try {
        return await db.$transaction(async (tx) => {
          await requireOwnLines(
            tx as Db,
            teamId,
            withIds.map((x) => x.c.lineId),
          );
          for (let i = 0; i < withIds.length; i += CHUNK) {
            const chunk = withIds.slice(i, i + CHUNK);
            await tx.alertState.createMany({
              data: chunk.map(({ c }) => ({
                teamId,
                lineId: c.lineId,
                rule: c.rule,
                threshold: c.threshold,
                status: 'firing',
                changedAt: now,
              })),
            });
            await tx.alert.createMany({
              data: chunk
                .filter((x) => x.alertId)
                .map(({ c, line, alertId }) => ({
                  id: alertId as string,
                  ...alertData(teamId, c, line, now, deliverAt),
                })),
            });
          }
          return withIds.flatMap((x) => (x.alertId ? [x.alertId] : []));
        });
      } catch (error) {
        if (isUnique(error)) return null;
        throw error;
      }
    },

    async snoozedLines(teamId: string, now: Date): Promise<Set<string>> {
      const rows = await db.alertSnooze.findMany({
        where: { teamId, until: { gt: now } },
        select: { lineId: true },
      });
      return new Set(rows.map((r) => r.lineId));
    },

    /**
     * Moves (line, rule, threshold) to firing and, when loud, raises its alert: null when
     * another evaluator got there first (or it was firing already).
     */
    async fire(
      teamId: string,
      c: Condition & { loud: boolean },
      line: LineFigures & { forecast: bigint },
      now: Date,
      deliverAt: Date,
    ): Promise<string | null> {
      const key = { teamId, lineId: c.lineId, rule: c.rule, threshold: c.threshold };
      try {
        return await db.$transaction(async (tx) => {
          await requireOwnLines(tx as Db, teamId, [c.lineId]);
          const existing = await tx.alertState.findUnique({ where: { teamId_lineId_rule_threshold: key } });
          if (existing?.status === 'firing') return null;
          const reopened = await tx.alertState.updateMany({
            where: { ...key, status: 'resolved' },
            data: { status: 'firing', changedAt: now },
          });
          // Creating an existing key fails: it is firing already, or another evaluator won.
          if (reopened.count === 0)
            await tx.alertState.create({ data: { ...key, status: 'firing', changedAt: now } });
          if (!c.loud) return null;
          const alert = await tx.alert.create({
            data: alertData(teamId, c, line, now, deliverAt),
          });
          return alert.id;
        });
      } catch (error) {
        if (isUnique(error)) return null;
        throw error;
      }
    },

    /** The line fell back under: the state resolves quietly, and so do its open alerts. */
    async resolve(teamId: string, k: StateKey, now: Date): Promise<boolean> {
      const r = await db.alertState.updateMany({
        where: { teamId, lineId: k.lineId, rule: k.rule, threshold: k.threshold, status: 'firing' },
        data: { status: 'resolved', changedAt: now },
      });
      await db.alert.updateMany({
        where: { teamId, lineId: k.lineId, rule: k.rule, threshold: k.threshold, resolvedAt: null },
        data: { resolvedAt: now },
      });
      return r.count === 1;
    },

    /** Claims every alert due for delivery into a new batch (each alert joins one batch only). */
    async claimBatch(teamId: string, now: Date): Promise<{ batchId: string; alerts: AlertRow[] } | null> {
      const batchId = randomUUID();
      const claimed = await db.alert.updateMany({
        where: { teamId, batchId: null, resolvedAt: null, deliverAt: { lte: now } },
        data: { batchId, batchAt: now },
      });
      if (claimed.count === 0) return null;
      return { batchId, alerts: await batch(teamId, batchId) };
    },

    /** Batches claimed before `before` and never delivered: their deliverer died. */
    async orphanBatches(teamId: string, before: Date): Promise<string[]> {
      const rows = await db.alert.findMany({
        where: { teamId, batchId: { not: null }, deliveredAt: null, batchAt: { lt: before } },
        select: { batchId: true },
        distinct: ['batchId'],
      });
      return rows.map((r) => r.batchId as string);
    },

    async delivered(
      teamId: string,
      batchId: string,
      where: { channelId: string | null; ts: string | null },
      now: Date,
    ): Promise<void> {
      await db.alert.updateMany({
        where: { teamId, batchId },
        data: { deliveredAt: now, channelId: where.channelId, messageTs: where.ts },
      });
    },

    async get(teamId: string, id: string): Promise<AlertRow | null> {
      return db.alert.findFirst({ where: { teamId, id } });
    },

    async acknowledge(teamId: string, id: string, userId: string, now: Date): Promise<AlertRow | null> {
      await db.alert.updateMany({ where: { teamId, id, ackBy: null }, data: { ackBy: userId, ackAt: now } });
      return db.alert.findFirst({ where: { teamId, id } });
    },

    /** No alert re-fires for the line until `until`; audited. */
    async snooze(teamId: string, id: string, userId: string, until: Date): Promise<AlertRow | null> {
      return db.$transaction(async (tx) => {
        const alert = await tx.alert.findFirst({ where: { teamId, id } });
        if (!alert) return null;
        await tx.alertSnooze.upsert({
          where: { teamId_lineId: { teamId, lineId: alert.lineId } },
          create: { teamId, lineId: alert.lineId, until, by: userId },
          update: { until, by: userId },
        });
        await tx.alert.update({ where: { id }, data: { snoozedBy: userId } });
        await recordAudit(tx as Db, {
          teamId,
          actor: userId,
          action: 'alert.snooze',
          entity: 'budgetLine',
          entityId: alert.lineId,
          after: { until: until.toISOString(), alert: id },
        });
        return tx.alert.findFirst({ where: { teamId, id } });
      });
    },

    /** Snooze ends by line, for the lines of a message. */
    async snoozes(teamId: string, lineIds: string[]): Promise<Map<string, Date>> {
      const rows = await db.alertSnooze.findMany({ where: { teamId, lineId: { in: lineIds } } });
      return new Map(rows.map((r) => [r.lineId, r.until]));
    },

    /**
     * Alerts still asking for attention: not resolved, not acknowledged, not on a snoozed
     * line. `ownerUserId` narrows them to one person's lines. Newest first; `total` counts all.
     */
    async open(
      teamId: string,
      now: Date,
      options: { ownerUserId?: string; take: number },
    ): Promise<{ alerts: AlertRow[]; total: number }> {
      const snoozed = await db.alertSnooze.findMany({
        where: { teamId, until: { gt: now } },
        select: { lineId: true },
      });
      const where = {
        teamId,
        resolvedAt: null,
        ackBy: null,
        ...(options.ownerUserId ? { ownerUserId: options.ownerUserId } : {}),
        ...(snoozed.length ? { lineId: { notIn: snoozed.map((s) => s.lineId) } } : {}),
      };
      const [alerts, total] = await Promise.all([
        db.alert.findMany({ where, orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }], take: options.take }),
        db.alert.count({ where }),
      ]);
      return { alerts, total };
    },

    async history(teamId: string, limit = 20): Promise<AlertRow[]> {
      return db.alert.findMany({
        where: { teamId },
        orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
    },

    /** Categories of budget lines in [start, end] with an alert not yet resolved. */
    async openAlertCategories(teamId: string, start: IsoDate, end: IsoDate): Promise<string[]> {
      const open = await db.alert.findMany({
        where: { teamId, resolvedAt: null },
        select: { lineId: true },
        distinct: ['lineId'],
      });
      if (!open.length) return [];
      const lines = await db.budgetLine.findMany({
        where: {
          teamId,
          id: { in: open.map((a) => a.lineId) },
          periodStart: { lte: end },
          periodEnd: { gte: start },
        },
        select: { category: true },
        distinct: ['category'],
      });
      return lines.map((l) => l.category);
    },

    /** Workspaces with a plan: the hourly evaluation's scope. */
    async teamsWithLines(today: IsoDate): Promise<string[]> {
      const rows = await db.budgetLine.findMany({
        where: { periodEnd: { gte: today } },
        select: { teamId: true },
        distinct: ['teamId'],
      });
      return rows.map((r) => r.teamId);
    },
  };
}

export type AlertRepository = ReturnType<typeof alertRepository>;
