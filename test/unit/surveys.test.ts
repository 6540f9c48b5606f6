import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareScores,
  DONT_KNOW,
  PAGE_SIZE,
  pages,
  parseAnswers,
  parseTemplate,
  scoreSurvey,
  TemplateError,
} from '../../src/domain/surveys.js';
import { loadTemplates, TEMPLATE_DIR } from '../../src/ingest/surveys.js';
import { invitationMessage, resultsMessage, surveyModal } from '../../src/slack/blocks/surveys.js';
import { validateBlocks, validateView } from '../support/fake-slack.js';

const templates = loadTemplates();
const maturity = templates.get('maturity');
const fourKeys = templates.get('four-keys');
if (!maturity || !fourKeys) throw new Error('the shipped templates did not load');

describe('templates', () => {
  it('ships the maturity model (8 dimensions × 4 stages) and the four keys (1–5)', () => {
    expect(maturity.scale.map((l) => l.label)).toEqual([
      'Reactive',
      'Proactive – Decentralized',
      'Proactive – Centralized',
      'Strategic',
    ]);
    expect(maturity.questions.map((q) => q.dimension)).toEqual([
      'Charter',
      'Key responsibilities',
      'Strategy',
      'People',
      'Process',
      'Technology & data',
      'Customer',
      'Results',
    ]);
    expect(fourKeys.questions).toHaveLength(4);
    expect(fourKeys.scale.map((l) => l.value)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects a bad field with a message naming the file and the field', () => {
    const json = JSON.parse(readFileSync(join(TEMPLATE_DIR, 'four-keys.json'), 'utf8'));
    json.questions[2].options[1].text = 'x'.repeat(81);
    expect(() => parseTemplate(json, 'four-keys.json')).toThrow(
      'four-keys.json: questions[2].options[1].text is longer than 75 characters',
    );
    const missing = JSON.parse(readFileSync(join(TEMPLATE_DIR, 'four-keys.json'), 'utf8'));
    delete missing.questions[0].nextSteps['3'];
    missing.name = 'A name that is far too long for a modal';
    expect(() => parseTemplate(missing, 'keys.json')).toThrow(
      'keys.json: name is longer than 24 characters; questions[0].nextSteps has no next step for level 3',
    );
  });

  it('refuses a bad file in the templates folder at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mo-templates-'));
    writeFileSync(join(dir, 'broken.json'), '{"id": "broken"');
    expect(() => loadTemplates(dir)).toThrow(TemplateError);
    expect(() => loadTemplates(dir)).toThrow('broken.json: not valid JSON');
  });
});

describe('scoring', () => {
  const a = (charter: number | 'dont_know', results: number | 'dont_know') => ({ charter, results });

  it('scores per dimension without counting "don\'t know"', () => {
    const score = scoreSurvey(maturity, [a(1, 4), a(3, 4), a(DONT_KNOW, 2), a(2, DONT_KNOW)]);
    const charter = score.dimensions.find((d) => d.questionId === 'charter');
    const results = score.dimensions.find((d) => d.questionId === 'results');
    expect(charter).toMatchObject({ mean: 2, spread: 0.82, min: 1, max: 3, count: 3, dontKnow: 1 });
    expect(results).toMatchObject({ mean: 3.33, spread: 0.94, count: 3, dontKnow: 1 });
    // Dimensions nobody answered are left out of the overall.
    expect(score.dimensions.find((d) => d.questionId === 'people')).toMatchObject({ mean: null, count: 0 });
    expect(score.overall).toBe(2.67);
    expect(score.stage).toBe('Proactive – Decentralized');
    expect(score.disagreements.map((d) => d.questionId)).toEqual(['results', 'charter']);
    expect(score.nextSteps[0]).toEqual({
      dimension: 'Charter',
      mean: 2,
      step: 'Secure a committed budget line for marketing ops and a leader who reports on outcomes.',
    });
  });

  it('floors the overall to a stage and compares with the previous survey', () => {
    const now = scoreSurvey(maturity, [a(4, 4), a(4, 3)]);
    expect(now.overall).toBe(3.75);
    expect(now.stage).toBe('Proactive – Centralized');
    const before = scoreSurvey(maturity, [a(2, 3)]);
    const change = compareScores(now, before);
    expect(change.overall).toEqual({ dimension: 'Overall', before: 2.5, after: 3.75, delta: 1.25 });
    expect(change.dimensions.find((d) => d.dimension === 'Charter')?.delta).toBe(2);
    expect(change.dimensions.find((d) => d.dimension === 'People')?.delta).toBeNull();
  });
});

describe('the modal and its submissions', () => {
  it('pages a long template and every page passes Slack’s limits', () => {
    const all = pages(maturity);
    expect(all.map((p) => p.length)).toEqual([PAGE_SIZE, 8 - PAGE_SIZE]);
    const first = surveyModal(maturity, { s: 'S1', p: 0, a: {} }, true);
    const last = surveyModal(maturity, { s: 'S1', p: 1, a: { charter: 2, strategy: DONT_KNOW } }, true);
    for (const view of [first, last, surveyModal(fourKeys, { s: 'S2', p: 0, a: {} }, false)])
      expect(validateView(view)).toEqual([]);
    expect(first.submit?.text).toBe('Next');
    expect(last.submit?.text).toBe('Submit');
    expect(JSON.parse(last.private_metadata ?? '{}')).toEqual({
      s: 'S1',
      p: 1,
      a: { charter: 2, strategy: DONT_KNOW },
    });
    expect(first.blocks.filter((b) => b.type === 'input')).toHaveLength(PAGE_SIZE);
  });

  it('reads a real view_submission state.values and names unanswered questions', () => {
    // As Slack sends it: values[block_id][action_id] with the type and selected option.
    const values = {
      q_charter: {
        answer: {
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: '3' },
        },
      },
      q_responsibilities: {
        answer: {
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: "Don't know" }, value: 'dont_know' },
        },
      },
      q_strategy: { answer: { type: 'radio_buttons', selected_option: null } },
      q_people: {
        answer: {
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: '9' },
        },
      },
      q_process: {
        answer: {
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: '1' },
        },
      },
    };
    expect(parseAnswers(maturity, pages(maturity)[0] ?? [], values)).toEqual({
      errors: {
        q_strategy: 'Choose an answer (or "Don\'t know")',
        q_people: 'That answer is not one of the options',
      },
    });
    values.q_strategy.answer.selected_option = {
      text: { type: 'plain_text', text: 'x' },
      value: '4',
    } as never;
    values.q_people.answer.selected_option = { text: { type: 'plain_text', text: 'x' }, value: '2' };
    expect(parseAnswers(maturity, pages(maturity)[0] ?? [], values)).toEqual({
      answers: { charter: 3, responsibilities: DONT_KNOW, strategy: 4, people: 2, process: 1 },
    });
  });

  it('withholds results under 3 responses; the invitation and results pass the limits', () => {
    const two = resultsMessage(maturity, scoreSurvey(maturity, [{ charter: 1 }, { charter: 2 }]), {
      closed: true,
    });
    expect(two.text).toContain('withheld until 3 people have answered (2 of 3 so far)');
    expect(JSON.stringify(two.blocks)).not.toContain('Charter');
    const three = resultsMessage(
      maturity,
      scoreSurvey(maturity, [{ charter: 1 }, { charter: 2 }, { charter: 4 }]),
      {
        closed: true,
      },
    );
    expect(validateBlocks(three.blocks, 'message')).toEqual([]);
    expect(three.text).toContain('overall Proactive – Decentralized (2.33 of 4), 3 responses');
    const invite = invitationMessage(
      maturity,
      { id: 'S1', anonymous: true, closesAt: new Date(), closedAt: null },
      5,
    );
    expect(validateBlocks(invite.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(invite.blocks)).toContain('*5 responses* so far');
  });
});
