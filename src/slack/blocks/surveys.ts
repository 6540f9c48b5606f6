// Maturity surveys in Slack (pure builders): the channel invitation with its live count,
// the survey modal (paged when the template is long), and the results.
import type { ModalView, PlainTextOption } from '@slack/types';
import type { Change, SurveyScore, SurveyTemplate } from '../../domain/surveys.js';
import {
  type Answers,
  DONT_KNOW,
  DONT_KNOW_TEXT,
  MIN_RESPONSES,
  pages,
  questionBlockId,
} from '../../domain/surveys.js';
import { SURVEY } from '../ids.js';
import { escapeCode, escapeMrkdwn, slackDate, truncate } from '../mrkdwn.js';
import {
  actions,
  type Block,
  button,
  codeSections,
  context,
  header,
  type Message,
  plain,
  section,
} from './common.js';

export interface SurveyInfo {
  id: string;
  anonymous: boolean;
  closesAt: Date;
  closedAt: Date | null;
}

export function invitationMessage(template: SurveyTemplate, survey: SurveyInfo, responses: number): Message {
  const privacy = survey.anonymous
    ? `Anonymous: Mo keeps no names with the answers, and shows results once ${MIN_RESPONSES} people have answered.`
    : 'Named: answers are kept with who gave them.';
  const closed = survey.closedAt !== null;
  const blocks: Block[] = [
    header(`${template.name} survey`),
    section(escapeMrkdwn(template.description)),
    context(
      `${template.questions.length} questions · ${closed ? 'closed' : `closes ${slackDate(survey.closesAt, 'long')}`} · ${privacy}`,
    ),
    section(`*${responses} ${responses === 1 ? 'response' : 'responses'}* so far.`),
  ];
  if (!closed)
    blocks.push(actions('survey_actions', [button('Take the survey', SURVEY.take, survey.id, 'primary')]));
  return {
    text: `${template.name} survey: ${responses} responses so far${closed ? ' (closed)' : ''}.`,
    blocks,
  };
}

/** What the modal carries between pages: survey id, page, answers so far (compact). */
export interface ModalState {
  s: string;
  p: number;
  a: Answers;
}

export function surveyModal(template: SurveyTemplate, state: ModalState, anonymous: boolean): ModalView {
  const all = pages(template);
  const page = all[state.p] ?? [];
  const last = state.p >= all.length - 1;
  const blocks: Block[] = [
    context(
      `${all.length > 1 ? `Page ${state.p + 1} of ${all.length} · ` : ''}` +
        (anonymous ? 'Anonymous: your name is not kept with your answers.' : 'Named survey.') +
        ' Answering again replaces your earlier answers.',
    ),
  ];
  for (const id of page) {
    const q = template.questions.find((x) => x.id === id);
    if (!q) continue;
    const options: PlainTextOption[] = [
      ...q.options.map((o) => ({
        text: plain(o.text),
        value: String(o.value),
        ...(o.description ? { description: plain(o.description) } : {}),
      })),
      { text: plain(DONT_KNOW_TEXT), value: DONT_KNOW },
    ];
    const previous = state.a[id];
    const initial = options.find((o) => o.value === String(previous));
    blocks.push({
      type: 'input',
      block_id: questionBlockId(id),
      label: plain(`${q.dimension}: ${q.prompt}`, 2000),
      element: {
        type: 'radio_buttons',
        action_id: SURVEY.answer,
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: SURVEY.modal,
    title: plain(template.name, 24),
    submit: plain(last ? 'Submit' : 'Next', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(state),
    blocks: blocks.slice(0, 100),
  };
}

const fmt = (n: number | null, digits = 2) => (n === null ? '–' : n.toFixed(digits));

export function resultsMessage(
  template: SurveyTemplate,
  score: SurveyScore,
  options: { changes?: { overall: Change; dimensions: Change[] }; closed: boolean },
): Message {
  const max = Math.max(...template.scale.map((l) => l.value));
  const title = `${template.name}: results`;
  if (score.responses < MIN_RESPONSES) {
    const text = `Results are withheld until ${MIN_RESPONSES} people have answered (${score.responses} of ${MIN_RESPONSES} so far), so no one's answers can be singled out.`;
    return { text: `${title}: ${text}`, blocks: [header(title), section(text)] };
  }
  const delta = (d: Change | undefined) =>
    d?.delta === null || d?.delta === undefined ? '' : `${d.delta > 0 ? '+' : ''}${d.delta.toFixed(2)}`;
  const rows = [
    ['Dimension', 'Mean', 'Spread', 'n', "Don't know", ...(options.changes ? ['Change'] : [])],
    ...score.dimensions.map((d) => [
      truncate(d.dimension, 32),
      fmt(d.mean),
      fmt(d.spread),
      String(d.count),
      String(d.dontKnow),
      ...(options.changes
        ? [delta(options.changes.dimensions.find((c) => c.dimension === d.dimension))]
        : []),
    ]),
  ];
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) =>
    escapeCode(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')),
  );
  const overall =
    `*Overall: ${escapeMrkdwn(score.stage ?? 'not enough answers')}* (${fmt(score.overall)} of ${max}) · ` +
    `${score.responses} responses${options.closed ? '' : ' so far'}` +
    (options.changes?.overall.delta != null
      ? ` · ${delta(options.changes.overall)} since the last survey`
      : '');
  const blocks: Block[] = [header(title), section(overall), ...codeSections(table)];
  if (score.disagreements.length)
    blocks.push(
      section(
        `*Where answers disagree most*\n${score.disagreements
          .slice(0, 3)
          .map(
            (d) =>
              `• ${escapeMrkdwn(d.dimension)}: answers from ${d.min} to ${d.max} (spread ${fmt(d.spread)})`,
          )
          .join('\n')}`,
      ),
    );
  if (score.nextSteps.length)
    blocks.push(
      section(
        `*Next steps for the weakest dimensions*\n${score.nextSteps
          .map((s) => `• *${escapeMrkdwn(s.dimension)}* (${fmt(s.mean)}): ${escapeMrkdwn(s.step)}`)
          .join('\n')}`,
      ),
    );
  blocks.push(
    context(`Mean of 1 to ${max}; spread is the standard deviation; "don't know" answers are not scored.`),
  );
  return {
    text: `${title}: overall ${score.stage ?? '–'} (${fmt(score.overall)} of ${max}), ${score.responses} responses.`,
    blocks,
  };
}

/** The modal after the last page: the confirmation, and a button to close it. */
export function thanksView(done: Message): ModalView {
  return { type: 'modal', title: plain('Thank you', 24), close: plain('Done', 24), blocks: done.blocks };
}
