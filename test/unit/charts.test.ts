import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it, vi } from 'vitest';
import { chartShape, drawChart, FONT_FAMILY, renderChart, THEME } from '../../src/charts/render.js';
import {
  burnUpChart,
  funnelByWeekChart,
  pipelineByCategoryChart,
  weeklySpendChart,
} from '../../src/charts/specs.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const days = [
  { date: '2026-11-01', actual: 100_000n, forecast: null },
  { date: '2026-11-02', actual: 250_050n, forecast: 250_050n },
  { date: '2026-11-03', actual: null, forecast: 400_000n },
];

describe('chart specs', () => {
  it('chart money in whole currency units, with the plan as a labelled rule', () => {
    const spec = burnUpChart({ title: 'Burn-up', currency: 'USD', days, planned: 1_000_000n }) as unknown as {
      layer: { data: { values: Record<string, unknown>[] } }[];
    };
    expect(spec.layer[0]?.data.values).toEqual([
      { date: '2026-11-01', series: 'Actual', amount: 1000 },
      { date: '2026-11-02', series: 'Actual', amount: 2500.5 },
      { date: '2026-11-02', series: 'Forecast', amount: 2500.5 },
      { date: '2026-11-03', series: 'Forecast', amount: 4000 },
    ]);
    expect(spec.layer[1]?.data.values).toEqual([{ planned: 10000, label: 'Plan $10,000' }]);
    const jpy = weeklySpendChart('W', 'JPY', [
      { bucket: '2026-11-02', category: 'Events', amount: 1500n },
    ]) as unknown as {
      data: { values: unknown[] };
    };
    expect(jpy.data.values).toEqual([{ week: '2026-11-02', category: 'Events', amount: 1500 }]);
  });
});

describe('renderChart', () => {
  it('renders a white PNG at twice the spec size, the same bytes every time', async () => {
    const spec = burnUpChart({ title: 'Burn-up', currency: 'USD', days, planned: 1_000_000n });
    const a = await renderChart(spec);
    const b = await renderChart(spec);
    expect(a.png.subarray(0, 8)).toEqual(PNG);
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.svg).toContain(`font-family="${FONT_FAMILY}`);
    const oneX = await renderChart(spec, 1);
    expect(a.width).toBe(oneX.width * 2);
    expect(a.height).toBe(oneX.height * 2);
  });

  it('draws text with the shipped font: a different title gives different pixels', async () => {
    const rows = [{ category: 'Events', amount: 500_000n }];
    const one = await renderChart(pipelineByCategoryChart('Pipeline A', 'USD', rows));
    const two = await renderChart(pipelineByCategoryChart('Pipeline B', 'USD', rows));
    expect(one.png.equals(two.png)).toBe(false);
  });

  it('pipeline by category: largest first, and Vega-Lite compiles it without a warning', () => {
    const spec = pipelineByCategoryChart('Pipeline', 'USD', [
      { category: 'Events', amount: 100_00n },
      { category: 'Paid Media', amount: 900_00n },
      { category: 'Content', amount: 100_00n },
    ]) as unknown as { data: { values: { category: string }[] } };
    expect(spec.data.values.map((v) => v.category)).toEqual(['Paid Media', 'Content', 'Events']);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      compile(spec as never);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('compiles a chart shape once: charts of that shape with other data draw what a fresh compile draws', async () => {
    // The SVG a chart had before shapes were kept compiled: Vega-Lite with the data inline.
    const fresh = async (spec: TopLevelSpec) => {
      const view = new View(parse(compile({ ...spec, config: THEME } as unknown as TopLevelSpec).spec), {
        renderer: 'none',
      });
      try {
        return await view.toSVG();
      } finally {
        view.finalize();
      }
    };
    const burnUp = (planned: bigint, actual: bigint) =>
      burnUpChart({
        title: 'Burn-up',
        currency: 'USD',
        planned,
        days: days.map((d) => ({ ...d, actual: d.actual === null ? null : d.actual + actual })),
      });
    const specs = [
      burnUp(1_000_000n, 0n),
      burnUp(2_000_000n, 300_000n),
      burnUp(1_000_000n, 0n),
      weeklySpendChart('Weekly', 'USD', [{ bucket: '2026-11-02', category: 'Events', amount: 100_00n }]),
      weeklySpendChart('Weekly', 'USD', [
        { bucket: '2026-11-02', category: 'Events', amount: 900_00n },
        { bucket: '2026-11-09', category: 'Content', amount: 250_00n },
      ]),
    ];
    const drawn = [];
    for (const spec of specs) drawn.push((await drawChart(spec, 1)).svg);
    for (const [i, spec] of specs.entries()) expect(drawn[i]).toBe(await fresh(spec));
    expect(drawn[1]).not.toBe(drawn[0]);
    expect(drawn[2]).toBe(drawn[0]);
  });

  it("a chart's shape: its inline data (in layers too) become named datasets, in order", () => {
    const spec = burnUpChart({ title: 'Burn-up', currency: 'USD', days, planned: 1_000_000n }) as unknown as {
      layer: { data: { values: unknown[] } }[];
    };
    const { shape, datasets } = chartShape(spec as unknown as TopLevelSpec);
    expect(datasets).toEqual([spec.layer[0]?.data.values, spec.layer[1]?.data.values]);
    const layers = (shape as unknown as { layer: { data: unknown }[] }).layer;
    expect(layers.map((l) => l.data)).toEqual([{ name: 'mo_data_0' }, { name: 'mo_data_1' }]);
    expect(JSON.stringify(shape)).not.toContain('2026-11-01');
    // The spec itself is left as it was.
    expect(spec.layer[0]?.data.values.length).toBe(4);
  });

  it('renders the funnel and weekly spend charts', async () => {
    const funnel = await renderChart(
      funnelByWeekChart('Funnel', [{ week: 'Nov 2', leads: 10, mqls: 4, sqls: 1 }]),
    );
    const weekly = await renderChart(
      weeklySpendChart('Weekly', 'USD', [{ bucket: '2026-11-02', category: 'Events', amount: 100_00n }]),
    );
    for (const c of [funnel, weekly]) expect(c.png.subarray(0, 8)).toEqual(PNG);
  });
});
