// Maturity surveys end to end: start (invitation in the channel), answer (one response per
// person, replaced on a second submission), remind those who have not answered, close once
// and post the results with a chart. Every Slack post is made once under its own key.
import type { WebClient } from '@slack/web-api';
import { renderChart } from '../charts/render.js';
import { maturityChart } from '../charts/specs.js';
import { respondentKey, type SurveyRow } from '../db/surveys.js';
import { ConflictError, isUserError, NotFoundError } from '../domain/errors.js';
import {
  type Answers,
  type Change,
  compareScores,
  MIN_RESPONSES,
  pages,
  parseAnswers,
  type SurveyScore,
  type SurveyTemplate,
  scoreSurvey,
} from '../domain/surveys.js';
import { templateById } from '../ingest/surveys.js';
import { type Message, textMessage } from '../slack/blocks/common.js';
import { invitationMessage, type ModalState, resultsMessage, surveyModal } from '../slack/blocks/surveys.js';
import { userErrorText } from '../slack/errors.js';
import { escapeMrkdwn, slackDate } from '../slack/mrkdwn.js';
import { postOnce, uploadOnce } from '../slack/post.js';
import type { ViewStateValues } from '../slack/view-state.js';
import type { WorkspaceMo } from './team-scope.js';

/** The survey cannot take this (closed, or its template is gone). */
export class SurveyError extends ConflictError {}

export function templateOf(survey: Pick<SurveyRow, 'templateId'>): SurveyTemplate {
  const template = templateById(survey.templateId);
  if (!template)
    throw new SurveyError(`The survey's template "${survey.templateId}" is no longer installed.`);
  return template;
}

export async function startSurvey(
  mo: WorkspaceMo,
  client: WebClient,
  input: {
    userId: string;
    channelId: string;
    templateId: string;
    closesAt: Date;
    anonymous: boolean;
  },
): Promise<SurveyRow> {
  const template = templateById(input.templateId);
  if (!template) throw new NotFoundError(`No survey template "${input.templateId}".`);
  const surveys = mo.surveys;
  const survey = await surveys.create({
    templateId: template.id,
    channelId: input.channelId,
    anonymous: input.anonymous,
    createdBy: input.userId,
    opensAt: mo.clock(),
    closesAt: input.closesAt,
  });
  // A survey nobody was invited to must not linger (reminders, a close, results to nowhere).
  const posted = await postOnce(client, mo.posts, {
    key: `survey:${survey.id}:invitation`,
    channel: input.channelId,
    message: invitationMessage(template, survey, 0),
  }).catch(async (error) => {
    await surveys.discard(survey.id);
    throw error;
  });
  await surveys.setMessage(survey.id, posted.ts);
  return { ...survey, messageTs: posted.ts };
}

/** The invitation redrawn with the live response count (or closed). */
export async function refreshInvitation(mo: WorkspaceMo, client: WebClient, surveyId: string): Promise<void> {
  const surveys = mo.surveys;
  const survey = await surveys.get(surveyId);
  if (!survey?.messageTs) return;
  const message = invitationMessage(templateOf(survey), survey, await surveys.count(survey.id));
  await client.chat.update({ channel: survey.channelId, ts: survey.messageTs, ...message });
}

export async function submitAnswers(
  mo: WorkspaceMo,
  secret: string,
  survey: SurveyRow,
  userId: string,
  answers: Answers,
): Promise<{ replaced: boolean }> {
  if (survey.closedAt) throw new SurveyError('This survey is closed.');
  return mo.surveys.answer(survey, respondentKey(secret, survey.id, userId), userId, answers, mo.clock());
}

export interface SurveyResults {
  template: SurveyTemplate;
  score: SurveyScore;
  previous: SurveyScore | null;
  changes?: { overall: Change; dimensions: Change[] };
}

export async function surveyResults(mo: WorkspaceMo, survey: SurveyRow): Promise<SurveyResults> {
  const surveys = mo.surveys;
  const template = templateOf(survey);
  const score = scoreSurvey(
    template,
    (await surveys.responses(survey.id)).map((r) => r.answers),
  );
  const before = await surveys.previous(survey);
  const previousScore = before
    ? scoreSurvey(
        template,
        (await surveys.responses(before.id)).map((r) => r.answers),
      )
    : null;
  const usable = previousScore && previousScore.responses >= 3 ? previousScore : null;
  return {
    template,
    score,
    previous: usable,
    ...(usable ? { changes: compareScores(score, usable) } : {}),
  };
}

export function resultsReply(results: SurveyResults, closed: boolean): Message {
  return resultsMessage(results.template, results.score, {
    closed,
    ...(results.changes ? { changes: results.changes } : {}),
  });
}

/** The chart of a survey's results: stage per dimension, beside the previous survey's. */
export async function resultsChart(results: SurveyResults) {
  const { template, score, previous } = results;
  const rows = score.dimensions.flatMap((d) => {
    const before = previous?.dimensions.find((p) => p.questionId === d.questionId)?.mean;
    return [
      ...(d.mean === null ? [] : [{ dimension: d.dimension, survey: 'This survey', score: d.mean }]),
      ...(before === undefined || before === null
        ? []
        : [{ dimension: d.dimension, survey: 'Previous survey', score: before }]),
    ];
  });
  const max = Math.max(...template.scale.map((l) => l.value));
  const png = (await renderChart(maturityChart(`${template.name} by dimension`, max, rows))).png;
  const alt =
    `Bar chart of the mean score per dimension on a scale of 1 to ${max}: ` +
    score.dimensions
      .map((d) => `${d.dimension} ${d.mean === null ? 'no answers' : d.mean.toFixed(1)}`)
      .join(', ') +
    (previous ? ', each beside the previous survey.' : '.');
  return { png, alt, title: `${template.name} by dimension` };
}

/** Closes the survey once and posts its results (withheld under 3 responses) with the chart. */
export async function closeSurvey(mo: WorkspaceMo, client: WebClient, survey: SurveyRow): Promise<string> {
  const surveys = mo.surveys;
  await surveys.close(survey.id, mo.clock());
  const closed = (await surveys.get(survey.id)) as SurveyRow;
  const results = await surveyResults(mo, closed);
  const posts = mo.posts;
  const posted = await postOnce(client, posts, {
    key: `survey:${survey.id}:results`,
    channel: survey.channelId,
    message: resultsReply(results, true),
  });
  let chart = 'no chart (results withheld)';
  if (results.score.responses >= 3) {
    try {
      const c = await resultsChart(results);
      await uploadOnce(client, posts, {
        key: `survey:${survey.id}:chart`,
        channel: posted.channel,
        threadTs: posted.ts,
        filename: `${results.template.id}-results.png`,
        title: c.title,
        altText: c.alt,
        bytes: c.png,
      });
      chart = 'chart in the thread';
    } catch (e) {
      chart = `chart missing (${(e as Error).message})`;
    }
  }
  await refreshInvitation(mo, client, survey.id).catch(() => undefined);
  return `closed with ${results.score.responses} responses; results posted (ts ${posted.ts}); ${chart}`;
}

/** DMs every channel member who has not answered (anonymous surveys match by keyed hash). */
export async function remindSurvey(
  mo: WorkspaceMo,
  client: WebClient,
  secret: string,
  survey: SurveyRow,
  round: number,
) {
  const surveys = mo.surveys;
  const answered = new Set((await surveys.responses(survey.id)).map((r) => r.key));
  const members: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.members({ channel: survey.channelId, limit: 1000, cursor });
    members.push(...(page.members ?? []));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  const template = templateOf(survey);
  const link = survey.messageTs ? ` in <#${survey.channelId}>` : '';
  const posts = mo.posts;
  let sent = 0;
  let failed = 0;
  for (const userId of members) {
    if (answered.has(respondentKey(secret, survey.id, userId)) || userId === survey.createdBy) continue;
    try {
      await postOnce(client, posts, {
        key: `survey:${survey.id}:remind${round}:${userId}`,
        channel: userId,
        message: {
          text: `Reminder: the ${template.name} survey${link} closes soon.`,
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: `:wave: The *${template.name}* survey${link} closes ${slackDate(survey.closesAt, 'long')}. It takes about ${Math.max(2, template.questions.length)} minutes: use *Take the survey* on the invitation.`,
              },
            },
          ],
        },
      });
      sent++;
    } catch {
      // Bots and deactivated users cannot be DMed; the rest still are.
      failed++;
    }
  }
  return `reminder ${round}: ${sent} DMs${failed ? `, ${failed} could not be sent` : ''}`;
}

/** "Take the survey": the first page of the modal, with the person's earlier answers if any. */
export async function openSurveyModal(mo: WorkspaceMo, surveyId: string) {
  const survey = await mo.surveys.get(surveyId);
  if (!survey) return { error: 'That survey no longer exists.' };
  if (survey.closedAt) return { error: 'This survey is closed. See the results with `/mo survey results`.' };
  return { view: surveyModal(templateOf(survey), { s: survey.id, p: 0, a: {} }, survey.anonymous) };
}

export type SurveySubmission =
  | { errors: Record<string, string> }
  | { next: ReturnType<typeof surveyModal> }
  | { done: Message; surveyId: string };

/** A page submitted: errors back into the form, the next page, or the answers saved. */
export async function submitSurveyPage(
  mo: WorkspaceMo,
  /** Keys the hash that stands for a person in anonymous surveys (the signing secret). */
  secret: string | undefined,
  who: { userId: string },
  privateMetadata: string,
  values: ViewStateValues,
): Promise<SurveySubmission> {
  let state: ModalState;
  try {
    state = JSON.parse(privateMetadata) as ModalState;
  } catch {
    return { errors: {} };
  }
  const survey = await mo.surveys.get(state.s);
  if (!survey) return { done: textMessage('That survey no longer exists.'), surveyId: state.s };
  const template = templateOf(survey);
  const all = pages(template);
  const parsed = parseAnswers(template, all[state.p] ?? [], values);
  if ('errors' in parsed) return { errors: parsed.errors };
  const answers = { ...state.a, ...parsed.answers };
  if (state.p < all.length - 1)
    return { next: surveyModal(template, { s: survey.id, p: state.p + 1, a: answers }, survey.anonymous) };
  if (!secret) throw new Error('survey answers need the signing secret (serve Slack)');
  try {
    const { replaced } = await submitAnswers(mo, secret, survey, who.userId, answers);
    return {
      done: textMessage(
        `:white_check_mark: Thank you: your answers to *${escapeMrkdwn(template.name)}* are ${replaced ? 'updated (they replace your earlier ones)' : 'in'}. ` +
          `Results are shared once ${MIN_RESPONSES} people have answered.`,
      ),
      surveyId: survey.id,
    };
  } catch (e) {
    if (isUserError(e)) return { done: textMessage(userErrorText(e)), surveyId: survey.id };
    throw e;
  }
}
