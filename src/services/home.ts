// The App Home tab's figures for one person in one workspace: this quarter's budget, the
// lines they own, the budget moves and alerts waiting for them, the surveys they have not
// answered, and when the digest goes next. Every figure uses the one set of definitions
// (months phased and summed, forecast month by month, latest estimates, status by the
// period's state). Plain data; src/slack/blocks/home.ts draws it.
import type { WebClient } from '@slack/web-api';
import type { AlertRow } from '../db/alerts.js';
import { respondentKey } from '../db/surveys.js';
import type { WorkspaceSettings } from '../db/workspaces.js';
import { type BudgetStatus, monthOutlook, pacing, periodState, periodStatus } from '../domain/budget.js';
import { fiscalQuarter, fiscalQuarterOf } from '../domain/calendar.js';
import { nextWeeklySlot } from '../domain/schedule.js';
import { templateById } from '../ingest/surveys.js';
import { homeView } from '../slack/blocks/home.js';
import { budgetReport } from './budget.js';
import { type BudgetMoveRow, movesAwaiting } from './reallocation.js';
import { todayIn, type WorkspaceMo } from './team-scope.js';

/** Rows fetched per list: the builder shows fewer and says how many more there are. */
const LIST_TAKE = 50;

export interface HomeLine {
  lineId: string;
  period: string;
  category: string;
  ownerUserId: string | null;
  planned: bigint;
  actual: bigint;
  committed: bigint;
  /** The computed forecast: the sum of the months' forecasts. */
  forecast: bigint;
  /** With a latest estimate in any open month: the forecast with it in place (LE); else null. */
  estimate: bigint | null;
  variancePct: number | null;
  status: BudgetStatus;
  /** "closed: over by 4 %", "not started", "watch"… */
  statusLabel: string;
}

export interface HomeData {
  teamId: string;
  userId: string;
  isAdmin: boolean;
  currency: string;
  /** When the tab was drawn (Mo's clock). */
  at: Date;
  quarter: {
    key: string;
    planned: bigint;
    actual: bigint;
    committed: bigint;
    forecast: bigint;
    estimate: bigint | null;
    variancePct: number | null;
    status: BudgetStatus;
    statusLabel: string;
    bookedPct: number | null;
    elapsedPct: number;
    /** Up to three lines of the quarter whose forecast is furthest over their plan. */
    furthestOver: HomeLine[];
  };
  /** Live lines (period not ended) this person owns, by period then category. */
  ownLines: HomeLine[];
  /** Budget move requests waiting for this person's Approve or Reject (oldest first). */
  moves: BudgetMoveRow[];
  /** Open alerts on their lines (an admin: all open alerts), newest first; `total` counts all. */
  alerts: { shown: AlertRow[]; total: number; scope: 'own' | 'all' };
  /** Open surveys this person has not answered. */
  surveys: { id: string; name: string; channelId: string; closesAt: Date }[];
  digest: { enabled: boolean; channelId: string | null; next: Date | null; timeZone: string };
}

export async function homeData(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  who: { userId: string; isAdmin: boolean; secret: string },
): Promise<HomeData> {
  const { teamId } = settings;
  const now = mo.clock();
  const today = todayIn(mo, settings.timezone);
  const { fy, quarter } = fiscalQuarterOf(today, settings.fiscalStartMonth);
  const period = fiscalQuarter(fy, quarter, settings.fiscalStartMonth);

  const [report, figures, alerts, surveys, schedule, moves] = await Promise.all([
    budgetReport(mo, settings, { period, today }),
    mo.alerts.lineFigures(today),
    mo.alerts.open(now, {
      ...(who.isAdmin ? {} : { ownerUserId: who.userId }),
      take: LIST_TAKE,
    }),
    mo.surveys.openFor((surveyId) => respondentKey(who.secret, surveyId, who.userId)),
    mo.digestSchedules.get(),
    movesAwaiting(mo, { actor: who.userId, isAdmin: who.isAdmin }),
  ]);

  const lines: HomeLine[] = figures.map((l) => {
    // The same months, forecast and latest estimates as /mo budget and the alerts.
    let forecast = 0n;
    let outlook = 0n;
    let hasEstimate = false;
    for (const cell of l.months) {
      const m = monthOutlook(cell, today);
      forecast += m.forecast;
      outlook += m.estimate ?? m.forecast;
      if (m.estimate !== null) hasEstimate = true;
    }
    const status = periodStatus(periodState({ start: l.periodStart, end: l.periodEnd }, today), {
      planned: l.planned,
      booked: l.actual + l.committed,
      forecast: outlook,
    });
    return {
      lineId: l.lineId,
      period: l.period,
      category: l.category,
      ownerUserId: l.ownerUserId,
      planned: l.planned,
      actual: l.actual,
      committed: l.committed,
      forecast,
      estimate: hasEstimate ? outlook : null,
      ...status,
    };
  });
  const inQuarter = figures
    .map((l, i) => ({ l, line: lines[i] as HomeLine }))
    .filter(({ l }) => l.periodStart >= period.start && l.periodEnd <= period.end)
    .map(({ line }) => line);
  const over = (l: HomeLine) => (l.estimate ?? l.forecast) - l.planned;
  const furthestOver = inQuarter
    .filter((l) => l.planned > 0n && over(l) > 0n)
    .sort((a, b) => (over(b) > over(a) ? 1 : over(b) < over(a) ? -1 : a.category.localeCompare(b.category)))
    .slice(0, 3);
  const ownLines = lines
    .filter((l) => l.ownerUserId === who.userId)
    .sort((a, b) => a.period.localeCompare(b.period) || a.category.localeCompare(b.category));
  const { bookedPct, elapsedPct } = pacing(report);

  return {
    teamId,
    userId: who.userId,
    isAdmin: who.isAdmin,
    currency: settings.currency,
    at: now,
    quarter: {
      key: period.key,
      planned: report.total.planned,
      actual: report.total.actual,
      committed: report.total.committed,
      forecast: report.total.forecast,
      estimate: report.total.estimate,
      variancePct: report.total.variancePct,
      status: report.total.status,
      statusLabel: report.total.statusLabel,
      bookedPct,
      elapsedPct,
      furthestOver,
    },
    ownLines,
    moves,
    alerts: { shown: alerts.alerts, total: alerts.total, scope: who.isAdmin ? 'all' : 'own' },
    surveys: surveys
      .filter((s) => !s.answered)
      .map(({ survey }) => ({
        id: survey.id,
        name: templateById(survey.templateId)?.name ?? survey.templateId,
        channelId: survey.channelId,
        closesAt: survey.closesAt,
      })),
    digest: {
      enabled: schedule?.enabled ?? false,
      channelId: schedule?.channelId ?? null,
      next: schedule?.enabled ? nextWeeklySlot(schedule, now) : null,
      timeZone: schedule?.timeZone ?? settings.timezone,
    },
  };
}

/** Draws and publishes one person's Home tab (views.publish replaces their previous one). */
export async function publishHome(
  mo: WorkspaceMo,
  client: WebClient,
  settings: WorkspaceSettings,
  who: { userId: string; isAdmin: boolean; secret: string },
): Promise<void> {
  const view = homeView(await homeData(mo, settings, who));
  await client.views.publish({ user_id: who.userId, view });
}
