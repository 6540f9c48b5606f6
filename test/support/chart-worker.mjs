// The chart pool's real worker, except that a spec titled "hang" never finishes (how the
// pool tests make a render hang), one titled "thread" answers with the thread's id instead
// of a drawing (how they see threads replaced), and "later" / "turned" tell whether work
// a task left for the thread's event loop (as resvg's finalizers do) ran before the next task.
import { threadId } from 'node:worker_threads';
import draw from '../../src/charts/render-worker.mjs';

let turned = false;

export default async function (task) {
  const answer = (svg) => ({ png: new Uint8Array(0), svg, width: 0, height: 0 });
  if (task.spec.title === 'hang') for (;;) {}
  if (task.spec.title === 'thread') return answer(String(threadId));
  if (task.spec.title === 'later') {
    turned = false;
    setImmediate(() => {
      turned = true;
    });
    return answer('scheduled');
  }
  if (task.spec.title === 'turned') return answer(String(turned));
  return draw(task);
}
