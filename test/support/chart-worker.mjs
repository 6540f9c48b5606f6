// The chart pool's real worker, except that a spec titled "hang" never finishes (how the
// pool tests make a render hang) and one titled "thread" answers with the thread's id
// instead of a drawing (how they see threads replaced).
import { threadId } from 'node:worker_threads';
import draw from '../../src/charts/render-worker.mjs';

export default async function (task) {
  if (task.spec.title === 'hang') for (;;) {}
  if (task.spec.title === 'thread')
    return { png: new Uint8Array(0), svg: String(threadId), width: 0, height: 0 };
  return draw(task);
}
