// The chart pool's real worker, except that a spec titled "hang" never finishes: how the
// pool tests make a render hang.
import draw from '../../src/charts/render-worker.mjs';

export default async function (task) {
  if (task.spec.title === 'hang') for (;;) {}
  return draw(task);
}
