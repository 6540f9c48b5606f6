// A maturity survey over HTTP with the real Bolt app and the fake Slack: start, the button
// opening the modal, paged submissions, a repeat answer replacing the first, anonymity,
// results withheld under 3, reminders and the close on the scheduler, results with a chart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../jobs/scheduler.js';
import { reminderSlots, surveysJob } from '../../jobs/surveys.js';
import { surveyRepository } from '../../src/db/surveys.js';
import { createLogger } from '../../src/log.js';
import { SURVEY } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { validateBlocks, validateView } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0SURVEY';
const CHANNEL = 'C0MKTG';
const PEOPLE = ['U0ANA', 'U0BEN', 'U0CARA', 'U0DAN'];
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: {
        U0ADMIN: { is_admin: true, tz: 'America/New_York' },
        ...Object.fromEntries(PEOPLE.map((p) => [p, {}])),
      },
      channels: {
        [CHANNEL]: { name: 'marketing', members: ['U0ADMIN', ...PEOPLE] },
        C0PRIVATE: { name: 'secret', is_member: false, is_private: true },
      },
    },
    '2026-11-16T15:00:00Z',
  );
});
afterAll(() => app?.close());

const post = (body: string) =>
  fetch(`${app.base}/slack/events`, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });
const command = (text: string, user: string, id: string) =>
  post(
    new URLSearchParams({
      team_id: TEAM,
      channel_id: CHANNEL,
      user_id: user,
      command: '/mo',
      text,
      response_url: app.slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
    }).toString(),
  );
const interact = (payload: object) =>
  post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

const responseTo = (id: string) =>
  waitFor(() => app.slack.responses().find((r) => r.args.__id === id), `response ${id}`);

type View = {
  private_metadata: string;
  blocks: { type: string; block_id?: string }[];
  submit?: { text: string };
};

/** Clicks "Take the survey" and answers every page with `pick(questionBlockId)`. */
async function takeSurvey(user: string, surveyId: string, pick: (block: string) => string): Promise<View[]> {
  app.slack.reset();
  await interact({
    type: 'block_actions',
    team: { id: TEAM },
    user: { id: user, team_id: TEAM },
    channel: { id: CHANNEL },
    trigger_id: `trigger-take-${user}`,
    response_url: app.slack.responseUrl(`take-${user}`),
    container: { type: 'message', channel_id: CHANNEL, message_ts: '1.1' },
    actions: [
      { type: 'button', action_id: SURVEY.take, block_id: 'survey_actions', value: surveyId, action_ts: '1' },
    ],
  });
  const opened = await waitFor(() => app.slack.callsTo('views.open')[0], 'views.open');
  let view = opened.args.view as View;
  const seen = [view];
  for (;;) {
    const values = Object.fromEntries(
      view.blocks
        .filter((b) => b.type === 'input')
        .map((b) => [
          b.block_id,
          {
            [SURVEY.answer]: {
              type: 'radio_buttons',
              selected_option: { value: pick(b.block_id as string) },
            },
          },
        ]),
    );
    const res = await interact({
      type: 'view_submission',
      team: { id: TEAM },
      user: { id: user, team_id: TEAM },
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: SURVEY.modal,
        private_metadata: view.private_metadata,
        state: { values },
      },
    });
    const body = (await res.json()) as { response_action: string; view: View };
    expect(body.response_action).toBe('update');
    if (!body.view.submit) return [...seen, body.view];
    view = body.view;
    seen.push(view);
  }
}

describe('a maturity survey in Slack', () => {
  let surveyId = '';

  it('an admin starts it: the invitation goes to the channel with a button', async () => {
    await command('survey start maturity --days 3', 'U0ANA', 'refused');
    expect(String((await responseTo('refused')).args.text)).toContain('only Mo admins');
    await command('survey start maturity --days 3', 'U0ADMIN', 'start');
    expect(String((await responseTo('start')).args.text)).toContain('survey is open in <#C0MKTG>');
    const survey = await surveyRepository(app.t.mo.db).latest(TEAM, true);
    surveyId = survey?.id as string;
    const invitation = app.slack.messagesIn(CHANNEL)[0];
    expect(validateBlocks(invitation?.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(invitation?.blocks)).toContain(SURVEY.take);
  });

  it('a survey in a channel Mo is not in is refused and not kept', async () => {
    await command('survey start four-keys <#C0PRIVATE|secret>', 'U0ADMIN', 'private');
    expect(String((await responseTo('private')).args.text)).toContain(
      'Mo cannot post in that channel: invite it first',
    );
    const all = await surveyRepository(app.t.mo.db).list(TEAM);
    expect(all.map((s) => s.templateId)).toEqual(['maturity']);
  });

  it('the button opens a paged modal; the answers are saved anonymously; a repeat replaces', async () => {
    const views = await takeSurvey('U0ANA', surveyId, () => '2');
    expect(views.map((v) => v.submit?.text ?? 'thanks')).toEqual(['Next', 'Submit', 'thanks']);
    for (const v of views)
      expect(validateView({ type: 'modal', title: { type: 'plain_text', text: 'x' }, ...v })).toEqual([]);
    await takeSurvey('U0ANA', surveyId, (b) => (b === 'q_charter' ? 'dont_know' : '3'));
    const rows = await app.t.mo.db.surveyResponse.findMany({ where: { surveyId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.userId).toBeNull();
    expect(rows[0]?.respondentKey).not.toContain('U0ANA');
    expect(JSON.parse(rows[0]?.answers ?? '{}')).toMatchObject({ charter: 'dont_know', results: 3 });
    // The invitation shows the live count.
    const update = await waitFor(() => app.slack.callsTo('chat.update').at(-1), 'chat.update');
    expect(JSON.stringify(update.args.blocks)).toContain('*1 response* so far');
  });

  it('withholds results under 3 responses', async () => {
    await takeSurvey('U0BEN', surveyId, () => '1');
    await command('survey results', 'U0BEN', 'results-2');
    expect(String((await responseTo('results-2')).args.text)).toContain(
      'withheld until 3 people have answered (2 of 3',
    );
  });

  it('reminds only those who have not answered, once per slot', async () => {
    const survey = await surveyRepository(app.t.mo.db).get(TEAM, surveyId);
    if (!survey) throw new Error('no survey');
    const [half] = reminderSlots(survey.opensAt, survey.closesAt);
    const logger = createLogger('error');
    const scheduler = new Scheduler({
      mo: app.t.mo,
      logger,
      jobs: [surveysJob({ mo: app.t.mo, slack: app.moApp.tenancy, logger, secret: SECRET })],
    });
    app.slack.reset();
    await scheduler.tick(new Date((half as Date).getTime() + 60_000));
    await scheduler.tick(new Date((half as Date).getTime() + 120_000));
    const dms = app.slack.callsTo('chat.postMessage').map((c) => c.args.channel);
    // Ana and Ben answered; the admin started it.
    expect(dms.sort()).toEqual(['DCARA', 'DDAN'].map((d) => d.replace('D', 'D0')));
  });

  it('closes at the deadline once, posting results and the chart', async () => {
    await takeSurvey('U0CARA', surveyId, (b) => (b === 'q_results' ? '4' : '2'));
    const survey = await surveyRepository(app.t.mo.db).get(TEAM, surveyId);
    const logger = createLogger('error');
    const scheduler = new Scheduler({
      mo: app.t.mo,
      logger,
      jobs: [surveysJob({ mo: app.t.mo, slack: app.moApp.tenancy, logger, secret: SECRET })],
    });
    app.slack.reset();
    if (!survey) throw new Error('no survey');
    const at = new Date(survey.closesAt.getTime() + 30_000);
    await scheduler.tick(at);
    await scheduler.tick(new Date(at.getTime() + 60_000));
    const results = app.slack.messagesIn(CHANNEL).filter((m) => String(m.text).includes('results'));
    expect(results).toHaveLength(1);
    expect(validateBlocks(results[0]?.blocks, 'message')).toEqual([]);
    expect(String(results[0]?.text)).toContain('overall Proactive – Decentralized');
    expect(String(results[0]?.text)).toContain('3 responses');
    const chart = app.slack.uploads.find((u) => u.completed);
    expect(chart).toMatchObject({ channelId: CHANNEL, threadTs: results[0]?.ts });
    expect(chart?.altText).toContain('mean score per dimension');
    expect((await surveyRepository(app.t.mo.db).get(TEAM, surveyId))?.closedAt).not.toBeNull();
  });
});
