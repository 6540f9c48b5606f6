// Maturity surveys as data: a template (validated with zod, so a new one is a new file) and
// the scoring of answers — per dimension mean, spread and count, overall stage, where people
// disagree, the next steps for the weakest dimensions, and the change since last time. Pure.
import { z } from 'zod';
import { InvalidError } from './errors.js';

export const DONT_KNOW = 'dont_know';
export const DONT_KNOW_TEXT = "Don't know";
/** Results are withheld until this many people answered (anonymity). */
export const MIN_RESPONSES = 3;

const text = (max: number) =>
  z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);

const questionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, 'must be a short lowercase id like "charter"'),
  dimension: text(60),
  prompt: text(300),
  options: z
    .array(z.object({ value: z.number().int(), text: text(75), description: text(75).optional() }))
    .min(2, 'needs at least two options'),
  nextSteps: z.record(z.string(), text(500)),
});

export const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'must be a lowercase id like "maturity"'),
    // The modal's title: Slack allows 24 characters.
    name: text(24),
    description: text(500),
    scale: z
      .array(z.object({ value: z.number().int().min(0).max(10), label: text(60) }))
      .min(2, 'needs at least two levels')
      .max(10, 'has more than 10 levels'),
    questions: z
      .array(questionSchema)
      .min(1, 'needs at least one question')
      .max(50, 'has more than 50 questions'),
  })
  .superRefine((t, ctx) => {
    const levels = t.scale.map((l) => l.value);
    const ids = new Set<string>();
    t.questions.forEach((q, i) => {
      if (ids.has(q.id))
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `repeats "${q.id}"` });
      ids.add(q.id);
      const values = q.options.map((o) => o.value).sort((a, b) => a - b);
      if (values.join() !== [...levels].sort((a, b) => a - b).join())
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'options'],
          message: `must have one option per level of the scale (${levels.join(', ')})`,
        });
      for (const level of levels)
        if (!q.nextSteps[String(level)])
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'nextSteps'],
            message: `has no next step for level ${level}`,
          });
    });
  });

export type SurveyTemplate = z.infer<typeof templateSchema>;

export class TemplateError extends InvalidError {}

/** A template file's JSON, or a message naming the file and the field that is wrong. */
export function parseTemplate(json: unknown, source: string): SurveyTemplate {
  const parsed = templateSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const path = i.path.reduce<string>(
      (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      '',
    );
    return `${path || '(template)'} ${i.message}`;
  });
  throw new TemplateError(`${source}: ${problems.join('; ')}`);
}

export type Answer = number | typeof DONT_KNOW;
export type Answers = Record<string, Answer>;

export interface DimensionScore {
  questionId: string;
  dimension: string;
  /** Mean of the scored answers, two decimals; null when everyone said "don't know". */
  mean: number | null;
  /** Population standard deviation, two decimals (0 for one answer). */
  spread: number | null;
  min: number | null;
  max: number | null;
  /** Scored answers (don't know excluded). */
  count: number;
  dontKnow: number;
}

export interface SurveyScore {
  responses: number;
  dimensions: DimensionScore[];
  /** Mean of the dimension means, two decimals. */
  overall: number | null;
  /** The scale label of floor(overall): a team is at a stage until it has fully reached the next. */
  stage: string | null;
  /** Dimensions with the widest spread first (at least two answers, spread above 0). */
  disagreements: DimensionScore[];
  /** The lowest dimensions with their next step (for their floored level). */
  nextSteps: { dimension: string; mean: number; step: string }[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function scoreSurvey(template: SurveyTemplate, responses: Answers[], weakest = 3): SurveyScore {
  const dimensions = template.questions.map((q): DimensionScore => {
    const scores = responses.map((r) => r[q.id]).filter((a): a is number => typeof a === 'number');
    const dontKnow = responses.filter((r) => r[q.id] === DONT_KNOW).length;
    if (!scores.length)
      return {
        questionId: q.id,
        dimension: q.dimension,
        mean: null,
        spread: null,
        min: null,
        max: null,
        count: 0,
        dontKnow,
      };
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length;
    return {
      questionId: q.id,
      dimension: q.dimension,
      mean: round2(mean),
      spread: round2(Math.sqrt(variance)),
      min: Math.min(...scores),
      max: Math.max(...scores),
      count: scores.length,
      dontKnow,
    };
  });
  const scored = dimensions.filter((d) => d.mean !== null);
  const overall = scored.length
    ? round2(scored.reduce((a, d) => a + (d.mean as number), 0) / scored.length)
    : null;
  const floorLevel = (mean: number) =>
    [...template.scale].reverse().find((l) => l.value <= Math.floor(mean + 1e-9)) ?? template.scale[0];
  const order = new Map(template.questions.map((q, i) => [q.id, i]));
  const byOrder = (a: DimensionScore, b: DimensionScore) =>
    (order.get(a.questionId) ?? 0) - (order.get(b.questionId) ?? 0);
  return {
    responses: responses.length,
    dimensions,
    overall,
    stage: overall === null ? null : (floorLevel(overall)?.label ?? null),
    disagreements: scored
      .filter((d) => d.count >= 2 && (d.spread ?? 0) > 0)
      .sort((a, b) => (b.spread as number) - (a.spread as number) || byOrder(a, b)),
    nextSteps: [...scored]
      .sort((a, b) => (a.mean as number) - (b.mean as number) || byOrder(a, b))
      .slice(0, weakest)
      .map((d) => {
        const q = template.questions.find((x) => x.id === d.questionId);
        const level = floorLevel(d.mean as number)?.value ?? template.scale[0]?.value ?? 1;
        return { dimension: d.dimension, mean: d.mean as number, step: q?.nextSteps[String(level)] ?? '' };
      }),
  };
}

export interface Change {
  dimension: string;
  before: number | null;
  after: number | null;
  /** after − before, two decimals; null when either is missing. */
  delta: number | null;
}

export function compareScores(
  current: SurveyScore,
  previous: SurveyScore,
): { overall: Change; dimensions: Change[] } {
  const change = (dimension: string, after: number | null, before: number | null): Change => ({
    dimension,
    before,
    after,
    delta: after === null || before === null ? null : round2(after - before),
  });
  return {
    overall: change('Overall', current.overall, previous.overall),
    dimensions: current.dimensions.map((d) =>
      change(
        d.dimension,
        d.mean,
        previous.dimensions.find((p) => p.questionId === d.questionId)?.mean ?? null,
      ),
    ),
  };
}

/** Parses a submitted page: `values[block_id][action_id].selected_option.value`, one block per question. */
export function parseAnswers(
  template: SurveyTemplate,
  questionIds: string[],
  values: Record<string, Record<string, { selected_option?: { value?: string } | null }>>,
): { answers: Answers } | { errors: Record<string, string> } {
  const answers: Answers = {};
  const errors: Record<string, string> = {};
  for (const id of questionIds) {
    const q = template.questions.find((x) => x.id === id);
    if (!q) continue;
    const block = values[questionBlockId(id)] ?? {};
    const raw = Object.values(block)[0]?.selected_option?.value;
    if (raw === undefined) errors[questionBlockId(id)] = `Choose an answer (or "${DONT_KNOW_TEXT}")`;
    else if (raw === DONT_KNOW) answers[id] = DONT_KNOW;
    else if (q.options.some((o) => String(o.value) === raw)) answers[id] = Number(raw);
    else errors[questionBlockId(id)] = 'That answer is not one of the options';
  }
  return Object.keys(errors).length ? { errors } : { answers };
}

export const questionBlockId = (questionId: string) => `q_${questionId}`;

/** Questions per modal page: short pages read well on a phone; more pages use views.update. */
export const PAGE_SIZE = 5;

export function pages(template: SurveyTemplate): string[][] {
  const ids = template.questions.map((q) => q.id);
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += PAGE_SIZE) out.push(ids.slice(i, i + PAGE_SIZE));
  return out;
}

export interface SurveyRow {
  id: string;
  teamId: string;
  templateId: string;
  channelId: string;
  messageTs: string | null;
  anonymous: boolean;
  createdBy: string;
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
  createdAt: Date;
}
