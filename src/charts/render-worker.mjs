// A chart pool worker thread (src/charts/pool.ts): draws one chart per task with the same
// renderer as the main thread. Mo runs its TypeScript through tsx, registered here too
// because a worker thread does not inherit the main thread's loader.
import { register } from 'tsx/esm/api';

register();
const { drawChart } = await import('./render.ts');

export default async function draw({ spec, scale }) {
  const chart = await drawChart(spec, scale);
  // A Buffer arrives as a Uint8Array (structured clone); the pool makes it a Buffer again.
  return { png: chart.png, svg: chart.svg, width: chart.width, height: chart.height };
}
