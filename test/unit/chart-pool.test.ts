// The chart pool: renders in worker threads, reports a render that throws or hangs without
// taking the process down, refuses work past its bounded queue, grows under load and
// shrinks when idle.
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { ChartPool, ChartRenderError } from '../../src/charts/pool.js';

const WORKER = fileURLToPath(new URL('../support/chart-worker.mjs', import.meta.url));
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

const bars = (title: string): TopLevelSpec => ({
  title,
  width: 120,
  height: 80,
  data: {
    values: [
      { a: 'x', b: 1 },
      { a: 'y', b: 3 },
    ],
  },
  mark: 'bar',
  encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
});
const HANG = { title: 'hang' } as TopLevelSpec;

let pools: ChartPool[] = [];
const pool = (options: ConstructorParameters<typeof ChartPool>[0]) => {
  const p = new ChartPool({ workerFile: WORKER, ...options });
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

async function failure(p: Promise<unknown>): Promise<ChartRenderError> {
  try {
    await p;
  } catch (e) {
    return e as ChartRenderError;
  }
  throw new Error('the render did not fail');
}

describe('chart pool', () => {
  it('renders a PNG in a worker thread', async () => {
    const p = pool({ threads: 1 });
    const chart = await p.render(bars('Spend'));
    expect(Buffer.isBuffer(chart.png)).toBe(true);
    expect(chart.png.subarray(0, 4)).toEqual(PNG);
    expect(chart.width).toBeGreaterThan(200);
    expect(p.liveThreads).toBe(1);
  }, 120_000);

  it('reports a render that throws, and renders the next one', async () => {
    const p = pool({ threads: 1 });
    const bad = { mark: 'no-such-mark', data: { values: [] } } as unknown as TopLevelSpec;
    const error = await failure(p.render(bad));
    expect(error).toBeInstanceOf(ChartRenderError);
    expect(error.reason).toBe('failed');
    expect(error.message).toMatch(/^the chart failed to render: /);
    expect((await p.render(bars('After'))).png.subarray(0, 4)).toEqual(PNG);
  }, 120_000);

  it('stops a render that hangs at its timeout, replaces the thread, and renders the next one', async () => {
    const p = pool({ threads: 1 });
    await p.warm();
    const started = Date.now();
    const error = await failure(p.render(HANG, 2, 2000));
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await p.render(bars('After a hang'))).png.subarray(0, 4)).toEqual(PNG);
  }, 120_000);

  it('refuses renders at once past its bounded queue', async () => {
    const p = pool({ threads: 1, maxQueue: 1 });
    await p.warm();
    const started = Date.now();
    const outcomes = [1, 2, 3, 4, 5].map((i) =>
      failure(p.render(HANG, 2, 2000)).then((e) => ({ i, reason: e.reason, ms: Date.now() - started })),
    );
    const results = await Promise.all(outcomes);
    const busy = results.filter((r) => r.reason === 'busy');
    // One running, one waiting: the other three refused.
    expect(busy.map((r) => r.i)).toEqual([3, 4, 5]);
    expect(busy.every((r) => r.ms < 1000)).toBe(true);
    expect(results.filter((r) => r.reason === 'timeout').length).toBe(5 - busy.length);
  }, 120_000);

  it('grows to its size under load and shrinks when idle', async () => {
    const p = pool({ threads: 2, idleTimeoutMs: 1000 });
    expect(p.liveThreads).toBe(0);
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, p.liveThreads);
    }, 10);
    const charts = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => p.render(bars(`Chart ${i}`))));
    clearInterval(watch);
    expect(charts).toHaveLength(8);
    expect(most).toBe(2);
    const end = Date.now() + 60_000;
    while (p.liveThreads > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(p.liveThreads).toBe(0);
  }, 120_000);

  it('replaces its threads after their share of charts (a safety net for memory a renderer keeps)', async () => {
    const p = pool({ threads: 1, recycleAfter: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await p.render({ title: 'thread' } as TopLevelSpec)).svg);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(new Set([ids[0], ids[2], ids[4]]).size).toBe(3);
    expect((await p.render(bars('after'))).png.subarray(0, 4)).toEqual(PNG);
  });

  it("runs a thread's event loop between charts, where resvg's pixmaps are freed", async () => {
    const p = pool({ threads: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await p.render({ title: 'later' } as TopLevelSpec)).svg).toBe('scheduled');
      // The thread is idle meanwhile: on its event loop, not blocked in Atomics.wait.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await p.render({ title: 'turned' } as TopLevelSpec)).svg).toBe('true');
    }
  }, 120_000);

  it('draws on the calling thread when given no threads', async () => {
    const p = pool({ threads: 0 });
    expect((await p.render(bars('Inline'))).png.subarray(0, 4)).toEqual(PNG);
    expect(p.liveThreads).toBe(0);
  }, 120_000);
});
