// Vega-Lite spec builders: plain data in, a chart spec out (pure; no rendering here).
// Money arrives in minor units and is charted in whole currency units.
import type { TopLevelSpec } from 'vega-lite';
import { minorDigits } from '../domain/money.js';

const toUnits = (minor: bigint, currency: string) => Number(minor) / 10 ** minorDigits(currency);

/** d3-format for whole amounts with the currency's symbol, e.g. "$,.0f" → $12,346. */
function moneyFormat(currency: string): { format: string; formatType?: 'number' } {
  return { format: currency === 'USD' ? '$,.0f' : ',.0f' };
}

export interface BurnUpInput {
  title: string;
  currency: string;
  /** Every day of the period: cumulative actual through today, forecast to the end. */
  days: { date: string; actual: bigint | null; forecast: bigint | null }[];
  planned: bigint;
}

/** Budget burn-up: cumulative actual against the plan line, the forecast dashed to period end. */
export function burnUpChart(input: BurnUpInput): TopLevelSpec {
  const values = input.days.flatMap((d) => [
    ...(d.actual === null
      ? []
      : [{ date: d.date, series: 'Actual', amount: toUnits(d.actual, input.currency) }]),
    ...(d.forecast === null
      ? []
      : [{ date: d.date, series: 'Forecast', amount: toUnits(d.forecast, input.currency) }]),
  ]);
  const planned = toUnits(input.planned, input.currency);
  const axisTitle = `Spend (${input.currency})`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: input.title,
    width: 560,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x: { field: 'date', type: 'temporal', title: null, axis: { format: '%b %d' } },
          y: { field: 'amount', type: 'quantitative', title: axisTitle, axis: moneyFormat(input.currency) },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: ['Actual', 'Forecast'], range: ['#1f3a5f', '#e07a2f'] },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['Actual', 'Forecast'],
              range: [
                [1, 0],
                [6, 4],
              ],
            },
          },
        },
      },
      {
        data: {
          values: [
            {
              planned,
              label: `Plan ${new Intl.NumberFormat('en-US', { style: 'currency', currency: input.currency, maximumFractionDigits: 0 }).format(planned)}`,
            },
          ],
        },
        layer: [
          {
            mark: { type: 'rule', color: '#3c9d6b', strokeWidth: 2 },
            encoding: { y: { field: 'planned', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', align: 'left', dx: 4, dy: -7, color: '#3c9d6b', fontWeight: 'bold' },
            encoding: {
              y: { field: 'planned', type: 'quantitative' },
              x: { value: 0 },
              text: { field: 'label' },
            },
          },
        ],
      },
    ],
  };
}

export interface CategoryAmount {
  bucket: string;
  category: string;
  amount: bigint;
}

/**
 * The x axis of the weekly charts: a week is keyed by its Monday (YYYY-MM-DD) and shown as
 * MM-DD, in data order (never text order: 12-28 comes before 01-04 across a new year);
 * `weeks` lists every week, so one without data is a gap.
 */
function weekAxis(weeks?: string[]) {
  return {
    field: 'week',
    type: 'ordinal' as const,
    title: 'Week starting',
    sort: weeks ?? null,
    ...(weeks ? { scale: { domain: weeks } } : {}),
    axis: { labelAngle: 0, labelExpr: 'length(datum.value) == 10 ? slice(datum.value, 5) : datum.value' },
  };
}

/**
 * Spend by category per week, stacked bars (weekly spend for the last 12 weeks). `weeks`
 * fixes the axis: every week in time order, a week without spend as a gap.
 */
export function weeklySpendChart(
  title: string,
  currency: string,
  rows: CategoryAmount[],
  weeks?: string[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 260,
    data: {
      values: rows.map((r) => ({
        week: r.bucket,
        category: r.category,
        amount: toUnits(r.amount, currency),
      })),
    },
    mark: { type: 'bar' },
    encoding: {
      x: weekAxis(weeks),
      y: {
        field: 'amount',
        type: 'quantitative',
        stack: 'zero',
        title: `Spend (${currency})`,
        axis: moneyFormat(currency),
      },
      color: { field: 'category', type: 'nominal', title: null },
      order: { field: 'category' },
    },
  };
}

/** Pipeline created by category: one bar each, largest first, its amount written at its end. */
export function pipelineByCategoryChart(
  title: string,
  currency: string,
  rows: { category: string; amount: bigint }[],
): TopLevelSpec {
  // Largest first by the rows' own order: a `-x` sort on both layers makes Vega-Lite warn on
  // every render that the layers' sorts conflict.
  const y = { field: 'category', type: 'nominal' as const, title: null, sort: null };
  const sorted = [...rows].sort((a, b) =>
    a.amount === b.amount ? a.category.localeCompare(b.category) : a.amount > b.amount ? -1 : 1,
  );
  const x = {
    field: 'amount',
    type: 'quantitative' as const,
    title: `Pipeline created (${currency})`,
    axis: moneyFormat(currency),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: Math.max(120, rows.length * 26),
    data: {
      values: sorted.map((r) => ({
        category: r.category,
        amount: toUnits(r.amount, currency),
        label: compactMoney(r.amount, currency),
      })),
    },
    layer: [
      { mark: { type: 'bar', color: '#1f3a5f' }, encoding: { y, x } },
      {
        mark: { type: 'text', align: 'left', dx: 4, color: '#333333' },
        encoding: { y, x, text: { field: 'label' } },
      },
    ],
  };
}

/** `$12.3k`, `$1.2M`: short labels for charts (the exact figures are in the text reply). */
export function compactMoney(minor: bigint, currency: string): string {
  const units = toUnits(minor, currency);
  const symbol = currency === 'USD' ? '$' : '';
  const suffix = currency === 'USD' ? '' : ` ${currency}`;
  const abs = Math.abs(units);
  const sign = units < 0 ? '-' : '';
  const body =
    abs >= 1e6
      ? `${(abs / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`
      : abs >= 1e3
        ? `${(abs / 1e3).toFixed(abs >= 1e4 ? 0 : 1)}k`
        : abs.toFixed(0);
  return `${sign}${symbol}${body}${suffix}`;
}

export interface SpendPipelinePoint {
  category: string;
  spend: bigint;
  pipeline: bigint;
}

const SCATTER = { width: 560, height: 340, fontSize: 10, lineHeight: 12, gap: 7 } as const;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Where each point's label goes, in pixels: beside its point if there is room, else moved up
 * or down a line at a time (and to the left of the point near the right edge) until it covers
 * no other label or point. Vega-Lite has no label placement of its own, and channels with no
 * pipeline sit together on the axis: their labels would print over one another.
 */
export function placeScatterLabels(
  points: { x: number; y: number; label: string }[],
  size: { width: number; height: number } = SCATTER,
  /** Other things drawn on the chart that labels must not cover (the target line's label). */
  obstacles: Box[] = [],
): { x: number; y: number; moved: boolean }[] {
  // Roboto at 10 px averages under 5.8 px a character: a box a little wide is harmless.
  const widthOf = (label: string) => label.length * 5.8;
  const r = 6;
  const taken: Box[] = [
    ...obstacles,
    ...points.map((p) => ({ left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r })),
  ];
  const steps = [0];
  for (let k = 1; k <= 12; k++) steps.push(-k, k);
  return points.map((p) => {
    const w = widthOf(p.label);
    const sides =
      p.x + SCATTER.gap + w <= size.width
        ? [p.x + SCATTER.gap, p.x - SCATTER.gap - w]
        : [p.x - SCATTER.gap - w];
    let fallback: { x: number; y: number; moved: boolean } | null = null;
    for (const step of steps) {
      const baseline = p.y - 4 + step * SCATTER.lineHeight;
      if (baseline - SCATTER.fontSize < 0 || baseline > size.height) continue;
      for (const left of sides) {
        if (left < 0) continue;
        const box = { left, top: baseline - SCATTER.fontSize + 1, right: left + w, bottom: baseline + 2 };
        const placed = { x: left, y: baseline, moved: step !== 0 };
        fallback ??= placed;
        if (taken.some((t) => overlaps(t, box))) continue;
        taken.push(box);
        return placed;
      }
    }
    return fallback ?? { x: p.x + SCATTER.gap, y: p.y - 4, moved: false };
  });
}

/**
 * Spend against pipeline created per category: a labelled scatter with the target ratio as a
 * line through the origin (GitLab's 5:1), so a channel below the line is below target at a
 * glance. The line is cut where it leaves the chart, so it never stretches the axes.
 */
export function spendVsPipelineChart(
  title: string,
  currency: string,
  points: SpendPipelinePoint[],
  /** Pipeline per unit of spend the line shows. */
  targetRatio = 5,
): TopLevelSpec {
  const values = points.map((p) => ({
    category: p.category,
    spend: toUnits(p.spend, currency),
    pipeline: toUnits(p.pipeline, currency),
    label: `${p.category} (${p.spend > 0n ? `${(Number(p.pipeline) / Number(p.spend)).toFixed(1)}:1` : 'no spend'})`,
    below: p.spend > 0n && Number(p.pipeline) < Number(p.spend) * targetRatio,
  }));
  const xMax = Math.max(1, ...values.map((v) => v.spend)) * 1.15;
  const yMax = Math.max(1, ...values.map((v) => v.pipeline)) * 1.15;
  const lineEnd = Math.min(xMax, yMax / targetRatio);
  const { width, height } = SCATTER;
  const toPx = (v: { spend: number; pipeline: number }) => ({
    x: (v.spend / xMax) * width,
    y: height - (v.pipeline / yMax) * height,
  });
  const toData = (px: { x: number; y: number }) => ({
    spend: (px.x / width) * xMax,
    pipeline: ((height - px.y) / height) * yMax,
  });
  const targetLabel = `${targetRatio}:1 target`;
  const lineTip = toPx({ spend: lineEnd, pipeline: lineEnd * targetRatio });
  const placed = placeScatterLabels(
    values.map((v) => ({ ...toPx(v), label: v.label })),
    SCATTER,
    [
      {
        left: lineTip.x - 6 - targetLabel.length * 7,
        top: lineTip.y - 18,
        right: lineTip.x,
        bottom: lineTip.y,
      },
    ],
  );
  const labels = values.map((v, i) => {
    const at = placed[i] as { x: number; y: number; moved: boolean };
    const anchor = toData(at);
    const point = toPx(v);
    // A moved label is tied to its point by a thin line to the label's nearer end.
    const end = toData({ x: at.x > point.x ? at.x - 2 : at.x + v.label.length * 5.8 + 2, y: at.y - 4 });
    return {
      label: v.label,
      spend: anchor.spend,
      pipeline: anchor.pipeline,
      moved: at.moved,
      fromSpend: v.spend,
      fromPipeline: v.pipeline,
      toSpend: end.spend,
      toPipeline: end.pipeline,
    };
  });
  const x = {
    field: 'spend',
    type: 'quantitative' as const,
    title: `Spend (${currency})`,
    scale: { domain: [0, xMax], nice: false },
    axis: moneyFormat(currency),
  };
  const y = {
    field: 'pipeline',
    type: 'quantitative' as const,
    title: `Pipeline created (${currency})`,
    scale: { domain: [0, yMax], nice: false },
    axis: moneyFormat(currency),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    height,
    layer: [
      {
        data: {
          values: [
            { spend: 0, pipeline: 0 },
            { spend: lineEnd, pipeline: lineEnd * targetRatio },
          ],
        },
        mark: { type: 'line', color: '#3c9d6b', strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { x, y },
      },
      {
        data: {
          values: [{ spend: lineEnd, pipeline: lineEnd * targetRatio, label: targetLabel }],
        },
        mark: { type: 'text', align: 'right', dx: -6, dy: -4, color: '#3c9d6b', fontWeight: 'bold' },
        encoding: { x, y, text: { field: 'label' } },
      },
      {
        data: { values },
        mark: { type: 'circle', size: 90, opacity: 0.9 },
        encoding: {
          x,
          y,
          // Below the line in red: the channels that miss the target.
          color: { condition: { test: 'datum.below', value: '#c0392b' }, value: '#1f3a5f' },
        },
      },
      {
        data: { values: labels.filter((l) => l.moved) },
        mark: { type: 'rule', color: '#999999', strokeWidth: 0.75 },
        encoding: {
          x: { ...x, field: 'fromSpend' },
          y: { ...y, field: 'fromPipeline' },
          x2: { field: 'toSpend' },
          y2: { field: 'toPipeline' },
        },
      },
      {
        data: { values: labels },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'alphabetic',
          fontSize: SCATTER.fontSize,
          color: '#333333',
        },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}

/** Leads, MQLs and SQLs by week, grouped bars. */
export function funnelByWeekChart(
  title: string,
  rows: { week: string; leads: number; mqls: number; sqls: number }[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 240,
    data: {
      values: rows.flatMap((r) => [
        { week: r.week, stage: 'Leads', count: r.leads },
        { week: r.week, stage: 'MQLs', count: r.mqls },
        { week: r.week, stage: 'SQLs', count: r.sqls },
      ]),
    },
    mark: { type: 'bar' },
    encoding: {
      x: weekAxis(),
      xOffset: { field: 'stage', sort: ['Leads', 'MQLs', 'SQLs'] },
      y: { field: 'count', type: 'quantitative', title: null },
      color: { field: 'stage', type: 'nominal', title: null, sort: ['Leads', 'MQLs', 'SQLs'] },
    },
  };
}

/** Maturity by dimension: this survey's mean beside the previous one's, on the template's scale. */
export function maturityChart(
  title: string,
  scaleMax: number,
  rows: { dimension: string; survey: string; score: number }[],
): TopLevelSpec {
  const surveys = [...new Set(rows.map((r) => r.survey))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 520,
    height: { step: 16 },
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'dimension', type: 'nominal', title: null, sort: null },
      yOffset: { field: 'survey', sort: surveys },
      x: {
        field: 'score',
        type: 'quantitative',
        title: `Mean score (1–${scaleMax})`,
        scale: { domain: [0, scaleMax] },
        axis: { tickMinStep: 1 },
      },
      color: { field: 'survey', type: 'nominal', title: null, sort: surveys },
    },
  };
}
