// Maturity surveys and their responses. An anonymous survey stores no Slack user id: only a
// keyed hash (HMAC with a secret kept outside the database), enough to replace a repeat
// answer and to skip those who answered when reminding.
import { createHmac } from 'node:crypto';
import type { Answers, SurveyRow } from '../domain/surveys.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export type { SurveyRow };

export function respondentKey(secret: string, surveyId: string, userId: string): string {
  return createHmac('sha256', secret).update(`${surveyId}:${userId}`).digest('hex');
}

export function surveyRepository(db: Db) {
  return {
    async create(input: {
      teamId: string;
      templateId: string;
      channelId: string;
      anonymous: boolean;
      createdBy: string;
      opensAt: Date;
      closesAt: Date;
    }): Promise<SurveyRow> {
      return db.$transaction(async (tx) => {
        const survey = await tx.survey.create({ data: clockStamped(input) });
        await recordAudit(tx as Db, {
          teamId: input.teamId,
          actor: input.createdBy,
          action: 'survey.start',
          entity: 'survey',
          entityId: survey.id,
          after: input,
        });
        return survey;
      });
    },

    get: (teamId: string, id: string): Promise<SurveyRow | null> =>
      db.survey.findFirst({ where: { teamId, id } }),

    /** Removes a survey whose invitation could not be posted (it never opened). */
    async discard(teamId: string, id: string): Promise<void> {
      await db.survey.deleteMany({ where: { teamId, id, messageTs: null } });
    },

    async setMessage(teamId: string, id: string, ts: string): Promise<void> {
      await db.survey.updateMany({ where: { teamId, id }, data: { messageTs: ts } });
    },

    list: (teamId: string, take = 20): Promise<SurveyRow[]> =>
      db.survey.findMany({ where: { teamId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take }),

    /** The open survey most recently started (the default for close and results). */
    latest: (teamId: string, open?: boolean): Promise<SurveyRow | null> =>
      db.survey.findFirst({
        where: { teamId, ...(open ? { closedAt: null } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),

    /** The last closed survey of the same template before this one. */
    previous: (survey: SurveyRow): Promise<SurveyRow | null> =>
      db.survey.findFirst({
        where: {
          teamId: survey.teamId,
          templateId: survey.templateId,
          closedAt: { not: null },
          createdAt: { lt: survey.createdAt },
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),

    /** Open surveys across workspaces: the scheduler's reminders and closes. */
    open: (): Promise<SurveyRow[]> => db.survey.findMany({ where: { closedAt: null } }),

    /** Saves an answer; a second one by the same person replaces the first. */
    async answer(
      survey: SurveyRow,
      key: string,
      userId: string,
      answers: Answers,
      now: Date,
    ): Promise<{ replaced: boolean }> {
      // The survey row is the caller's; only one of its own workspace gets answered.
      if (!(await db.survey.count({ where: { teamId: survey.teamId, id: survey.id } })))
        throw new Error(`No survey ${survey.id} in workspace ${survey.teamId}`);
      const where = { surveyId_respondentKey: { surveyId: survey.id, respondentKey: key } };
      const before = await db.surveyResponse.findUnique({ where, select: { id: true } });
      await db.surveyResponse.upsert({
        where,
        create: clockStamped({
          surveyId: survey.id,
          respondentKey: key,
          userId: survey.anonymous ? null : userId,
          answers: JSON.stringify(answers),
          submittedAt: now,
        }),
        update: { answers: JSON.stringify(answers), submittedAt: now },
      });
      return { replaced: Boolean(before) };
    },

    count: (teamId: string, surveyId: string): Promise<number> =>
      db.surveyResponse.count({ where: { surveyId, survey: { teamId } } }),

    /** Responses per survey, counted in one query. */
    async counts(teamId: string, surveyIds: string[]): Promise<Map<string, number>> {
      const rows = await db.surveyResponse.groupBy({
        by: ['surveyId'],
        where: { surveyId: { in: surveyIds }, survey: { teamId } },
        _count: true,
      });
      return new Map(rows.map((r) => [r.surveyId, r._count]));
    },

    async responses(
      teamId: string,
      surveyId: string,
    ): Promise<{ answers: Answers; userId: string | null; submittedAt: Date; key: string }[]> {
      const rows = await db.surveyResponse.findMany({
        where: { surveyId, survey: { teamId } },
        orderBy: { submittedAt: 'asc' },
      });
      return rows.map((r) => ({
        answers: JSON.parse(r.answers) as Answers,
        userId: r.userId,
        submittedAt: r.submittedAt,
        key: r.respondentKey,
      }));
    },

    /** A workspace's open surveys and, of them, the ones this respondent (by key) has answered. */
    async openFor(
      teamId: string,
      keyOf: (surveyId: string) => string,
    ): Promise<{ survey: SurveyRow; answered: boolean }[]> {
      const open = await db.survey.findMany({
        where: { teamId, closedAt: null, messageTs: { not: null } },
        orderBy: { closesAt: 'asc' },
      });
      if (!open.length) return [];
      const answered = await db.surveyResponse.findMany({
        where: { OR: open.map((s) => ({ surveyId: s.id, respondentKey: keyOf(s.id) })), survey: { teamId } },
        select: { surveyId: true },
      });
      const done = new Set(answered.map((a) => a.surveyId));
      return open.map((survey) => ({ survey, answered: done.has(survey.id) }));
    },

    /** Closes it once: true for the caller that closed it. */
    async close(teamId: string, id: string, now: Date): Promise<boolean> {
      const r = await db.survey.updateMany({
        where: { teamId, id, closedAt: null },
        data: { closedAt: now },
      });
      return r.count === 1;
    },
  };
}

export type SurveyRepository = ReturnType<typeof surveyRepository>;
