// Chart render time: the same spec rendered warm, Vega -> SVG -> PNG (resvg, shipped font).
// Target: under 100 ms a chart warm. (A headless-Chromium screenshot comparison, the way
// Superset and Grafana render for Slack, is not measured yet.)
import { renderChart } from '../src/charts/render.js';
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

console.log('\nChart rendering (Vega -> SVG -> PNG with resvg, 2x)');
for (const [name, spec] of Object.entries(charts)) {
  await renderChart(spec); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await renderChart(spec);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[5] as number;
  console.log(
    `  ${name.padEnd(40)} median ${median.toFixed(0).padStart(4)} ms   ${median < 100 ? 'PASS' : 'FAIL'} (< 100 ms warm)`,
  );
}
