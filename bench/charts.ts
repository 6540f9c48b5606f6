// Chart render time: the same spec rendered warm, Vega -> SVG -> PNG (resvg, shipped font).
// Target: under 100 ms a chart warm. Compared, in the same run, with the same spec drawn by
// headless Chromium and screenshotted at 2x (the way Superset and Grafana render charts for
// Slack), when Chromium is installed (Debian: apt-get install chromium).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY, FONT_FILES, renderChart, THEME } from '../src/charts/render.js';
import {
  burnUpChart,
  funnelByWeekChart,
  pipelineByCategoryChart,
  weeklySpendChart,
} from '../src/charts/specs.js';
import { seededRandom } from '../src/demo.js';
import { addDays } from '../src/domain/calendar.js';
import { CATEGORIES } from './data.js';

const rand = seededRandom(11);
const days = Array.from({ length: 92 }, (_, i) => ({
  date: addDays('2026-11-01', i),
  actual: i < 22 ? BigInt(i + 1) * 520_000n : null,
  forecast: i >= 21 ? BigInt(i + 1) * 520_000n : null,
}));
const weeks = Array.from({ length: 12 }, (_, i) => addDays('2026-08-31', i * 7));
const charts = {
  'budget burn-up': burnUpChart({
    title: 'Budget burn-up · FY2027 Q4',
    currency: 'USD',
    days,
    planned: 45_600_000n,
  }),
  'weekly spend (12 weeks × 8 categories)': weeklySpendChart(
    'Weekly spend by category',
    'USD',
    weeks.flatMap((w) =>
      CATEGORIES.slice(0, 8).map((c) => ({
        bucket: w,
        category: c,
        amount: BigInt(Math.floor(rand() * 2e6)),
      })),
    ),
  ),
  'leads / MQLs / SQLs by week': funnelByWeekChart(
    'Leads, MQLs and SQLs by week',
    weeks.map((w) => ({
      week: w.slice(5),
      leads: 100 + Math.floor(rand() * 50),
      mqls: 30 + Math.floor(rand() * 20),
      sqls: Math.floor(rand() * 15),
    })),
  ),
  'pipeline by category': pipelineByCategoryChart(
    'Pipeline created by category',
    'USD',
    CATEGORIES.slice(0, 10).map((c) => ({ category: c, amount: BigInt(Math.floor(rand() * 5e7)) })),
  ),
};

const RUNS = 10;

async function medianOf(render: () => Promise<unknown>): Promise<number> {
  await render(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await render();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[RUNS / 2] as number;
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
  existsSync(p),
);

/** A warm headless Chromium page that draws a Vega spec as SVG and screenshots it at 2x. */
async function chromiumRenderer() {
  if (!CHROMIUM) return undefined;
  const puppeteer = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 800, height: 600, deviceScaleFactor: 2 });
  const vegaJs = readFileSync(
    join(dirname(createRequire(import.meta.url).resolve('vega')), '..', 'build', 'vega.min.js'),
    'utf8',
  );
  const fonts = FONT_FILES.map(
    (file, i) =>
      `@font-face{font-family:${FONT_FAMILY};font-weight:${i === 0 ? 400 : 700};` +
      `src:url(data:font/ttf;base64,${readFileSync(file).toString('base64')})}`,
  ).join('');
  await page.setContent(
    `<html><head><style>${fonts} body{margin:0;background:#fff}</style><script>${vegaJs}</script></head>` +
      '<body><div id="chart" style="display:inline-block"></div></body></html>',
  );
  return {
    async render(spec: TopLevelSpec): Promise<Uint8Array> {
      const { spec: vegaSpec } = compile({
        ...spec,
        config: { ...THEME, ...(spec.config ?? {}) },
      } as TopLevelSpec);
      await page.evaluate(async (s) => {
        // biome-ignore lint/suspicious/noExplicitAny: vega and the DOM are the page's globals
        const { vega, document } = globalThis as any;
        const el = document.getElementById('chart');
        el.innerHTML = '';
        await new vega.View(vega.parse(s), { renderer: 'svg', container: el }).runAsync();
      }, vegaSpec as object);
      const el = await page.$('#chart');
      if (!el) throw new Error('no chart element');
      return el.screenshot({ type: 'png' });
    },
    close: () => browser.close(),
  };
}

const chromium = await chromiumRenderer();
console.log(
  `\nChart rendering, median of ${RUNS} warm runs: Vega -> SVG -> PNG with resvg (2x)` +
    (chromium ? ' vs headless Chromium screenshot (2x)' : ' (Chromium not installed: no comparison)'),
);
for (const [name, spec] of Object.entries(charts)) {
  const median = await medianOf(() => renderChart(spec));
  const browser = chromium ? await medianOf(() => chromium.render(spec)) : undefined;
  console.log(
    `  ${name.padEnd(40)} resvg ${median.toFixed(0).padStart(4)} ms   ${median < 100 ? 'PASS' : 'FAIL'} (< 100 ms warm)` +
      (browser === undefined ? '' : `   chromium ${browser.toFixed(0).padStart(4)} ms`),
  );
}
await chromium?.close();
