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

/** Pipeline created by category: one bar each, largest first. */
export function pipelineByCategoryChart(
  title: string,
  currency: string,
  rows: { category: string; amount: bigint }[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: Math.max(120, rows.length * 26),
    data: { values: rows.map((r) => ({ category: r.category, amount: toUnits(r.amount, currency) })) },
    mark: { type: 'bar', color: '#1f3a5f' },
    encoding: {
      y: { field: 'category', type: 'nominal', title: null, sort: '-x' },
      x: {
        field: 'amount',
        type: 'quantitative',
        title: `Pipeline created (${currency})`,
        axis: moneyFormat(currency),
      },
    },
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
