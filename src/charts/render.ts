// The one chart renderer: Vega-Lite -> Vega (headless, renderer 'none') -> SVG -> PNG with
// resvg, using the Roboto files the project ships in assets/fonts (never the machine's fonts),
// on white, at 2x for crisp Slack previews. The same spec and data give the same bytes.
// Compiling Vega-Lite and parsing Vega is a third of a chart's CPU and depends only on the
// chart's shape, not its data: each shape is compiled once (its inline data swapped for named
// datasets) and its parsed runtime drawn again with each chart's own data.
// Before resvg loads: it configures resvg's allocator.
import './allocator.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { parse, type Runtime, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { chartPool } from './pool.js';

const FONT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'fonts');
export const FONT_FILES = [join(FONT_DIR, 'Roboto-Regular.ttf'), join(FONT_DIR, 'Roboto-Bold.ttf')];
export const FONT_FAMILY = 'Roboto';

/** Mo's look for every chart: the shipped font, quiet axes, a white background. */
export const THEME = {
  background: 'white',
  font: FONT_FAMILY,
  padding: 12,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    grid: true,
    gridColor: '#eeeeee',
    domainColor: '#999999',
    tickColor: '#999999',
  },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 10 },
  range: {
    category: [
      '#1f3a5f',
      '#e07a2f',
      '#3c9d6b',
      '#c0392b',
      '#8e6fbf',
      '#7f8c8d',
      '#d4a017',
      '#2e86c1',
      '#a04000',
      '#5d6d7e',
    ],
  },
} as const;

export interface RenderedChart {
  png: Buffer;
  svg: string;
  width: number;
  height: number;
}

/**
 * Renders a chart off the event loop, in the chart pool's worker threads (src/charts/pool.ts):
 * rejects with a ChartRenderError when it fails, takes too long, or the pool is full.
 */
export function renderChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  return chartPool().render(spec, scale);
}

// Characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE/FFFF, lone surrogates):
// vega writes a category's or campaign's name into the SVG as it is, and resvg refuses the
// whole document over one of them.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlSafe = (svg: string) => svg.replace(NOT_XML, '');

/** Prefix of the datasets a chart's inline data becomes (no Vega-Lite name starts so). */
const DATASET = 'mo_data_';
/** Chart shapes kept compiled, least recently drawn dropped first (a digest has five). */
const SHAPES_KEPT = 64;
const runtimes = new Map<string, Runtime>();

/**
 * The chart's shape (the spec, each inline `data.values` replaced by a named dataset) and
 * the values of those datasets in order.
 */
export function chartShape(spec: TopLevelSpec): { shape: TopLevelSpec; datasets: unknown[][] } {
  const datasets: unknown[][] = [];
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const values = key === 'data' && (value as { values?: unknown } | null)?.values;
      if (Array.isArray(values)) {
        const { values: _, ...rest } = value as { values: unknown[] };
        out[key] = { ...rest, name: `${DATASET}${datasets.push(values) - 1}` };
      } else out[key] = strip(value);
    }
    return out;
  };
  return { shape: strip(spec) as TopLevelSpec, datasets };
}

/** The parsed Vega runtime of a chart shape: compiled on first sight, then reused. */
function runtimeOf(shape: TopLevelSpec): Runtime {
  const key = JSON.stringify(shape);
  let runtime = runtimes.get(key);
  if (runtime) runtimes.delete(key);
  else {
    const { spec: vegaSpec } = compile({
      ...shape,
      config: { ...THEME, ...(shape.config ?? {}) },
    } as TopLevelSpec);
    runtime = parse(vegaSpec);
    if (runtimes.size >= SHAPES_KEPT) runtimes.delete(runtimes.keys().next().value as string);
  }
  runtimes.set(key, runtime);
  return runtime;
}

/** Draws a chart on the calling thread (the pool's workers call this; ~100 ms of CPU). */
export async function drawChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  const { shape, datasets } = chartShape(spec);
  const view = new View(runtimeOf(shape), { renderer: 'none' });
  try {
    // Copies: Vega stamps each row it ingests, and a spec may be drawn again.
    datasets.forEach((values, i) => {
      view.data(
        `${DATASET}${i}`,
        values.map((v) => (v !== null && typeof v === 'object' ? { ...v } : v)),
      );
    });
    const svg = xmlSafe(await view.toSVG());
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    });
    const image = resvg.render();
    return { png: image.asPng(), svg, width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}
