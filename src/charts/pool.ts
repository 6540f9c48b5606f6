// Charts render in a pool of worker threads (piscina) so the event loop stays free to ack
// Slack within 3 s while a Monday's digests draw their charts (~100 ms of CPU each). The pool
// is sized from the machine's cores, leaving one to the main thread; it grows under load
// and shrinks when idle. Its queue is bounded: past it a render is refused at once ("busy")
// rather than piling up memory. A render that throws is reported; one that hangs is
// stopped at its timeout (its thread is ended and replaced): neither takes Mo down.
// Before any thread loads resvg: it configures resvg's allocator for the whole process.
import './allocator.js';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { TopLevelSpec } from 'vega-lite';
import type { RenderedChart } from './render.js';

export class ChartRenderError extends Error {
  constructor(
    readonly reason: 'failed' | 'timeout' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'ChartRenderError';
  }
}

export interface ChartPoolOptions {
  /** Worker threads at most (default: cores - 1, at least 1); 0 draws on the calling thread. */
  threads?: number;
  /** Threads kept even when idle (default 0; mo serve keeps one warm). */
  minThreads?: number;
  /** Renders waiting for a thread at most (default 8 per thread). */
  maxQueue?: number;
  /** A render taking longer is stopped (default 60 s: a new thread loads the renderer first, which takes seconds on a busy machine). */
  timeoutMs?: number;
  /** An idle thread ends after this (default 60 s). */
  idleTimeoutMs?: number;
  /** The worker module (tests give one that hangs or throws). */
  workerFile?: string;
  /**
   * Charts a set of threads draws before it is replaced (default 1,000): a safety net for
   * memory a renderer keeps per thread. resvg's pixmaps (~4 MB a chart) are freed by N-API
   * finalizers, which Node runs on a turn of the thread's event loop: with piscina's default
   * Atomics wait between tasks that turn never came, and 60 digests left 1.3 GB behind.
   * The threads now idle on their event loop (see `atomics` below), so memory stays flat and
   * a new thread (2 s of CPU to load the renderer) is rarely needed.
   */
  recycleAfter?: number;
}

export const defaultChartThreads = () => Math.max(1, availableParallelism() - 1);

const WORKER = fileURLToPath(new URL('./render-worker.mjs', import.meta.url));

export class ChartPool {
  readonly threads: number;
  readonly timeoutMs: number;
  /** Renders running or waiting at most: the threads' plus the queue's. */
  readonly capacity: number;
  private pool: Piscina | undefined;
  private inFlight = 0;
  private drawn = 0;
  private readonly recycleAfter: number;
  private readonly makePool: () => Piscina;

  constructor(options: ChartPoolOptions = {}) {
    this.threads = options.threads ?? defaultChartThreads();
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.capacity = this.threads + (options.maxQueue ?? this.threads * 8);
    this.recycleAfter = options.recycleAfter ?? 1000;
    this.makePool = () =>
      new Piscina({
        filename: options.workerFile ?? WORKER,
        minThreads: Math.min(options.minThreads ?? 0, this.threads),
        maxThreads: this.threads,
        idleTimeout: options.idleTimeoutMs ?? 60_000,
        // Between tasks a thread waits on its event loop, not in Atomics.wait: the finalizers
        // that free resvg's pixmaps run there (piscina's 'sync' default never lets them run).
        atomics: 'disabled',
      });
    this.pool = this.threads > 0 ? this.makePool() : undefined;
  }

  /** The pool for the next chart: a fresh one once the current has drawn its share (see recycleAfter). */
  private poolForNext(): Piscina {
    const current = this.pool as Piscina;
    if (++this.drawn <= this.recycleAfter) return current;
    this.drawn = 1;
    this.pool = this.makePool();
    // close() lets the charts already running or queued there finish, then ends its threads.
    void current.close().catch(() => undefined);
    return this.pool;
  }

  /** `timeoutMs` counts from the call: time waiting for a thread counts too. */
  async render(spec: TopLevelSpec, scale = 2, timeoutMs = this.timeoutMs): Promise<RenderedChart> {
    if (!this.pool) {
      const { drawChart } = await import('./render.js');
      return drawChart(spec, scale);
    }
    if (this.inFlight >= this.capacity)
      throw new ChartRenderError('busy', 'too many charts are waiting to render; try again in a moment');
    this.inFlight++;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const out = (await this.poolForNext().run({ spec, scale }, { signal })) as Omit<
        RenderedChart,
        'png'
      > & {
        png: Uint8Array;
      };
      return { ...out, png: Buffer.from(out.png.buffer, out.png.byteOffset, out.png.byteLength) };
    } catch (error) {
      if (signal.aborted)
        throw new ChartRenderError('timeout', `the chart took longer than ${timeoutMs} ms to render`);
      throw new ChartRenderError('failed', `the chart failed to render: ${(error as Error).message}`);
    } finally {
      this.inFlight--;
    }
  }

  /**
   * Starts a thread and draws a small chart in it, so the first real render does not pay
   * for loading the renderer (seconds on a busy machine).
   */
  async warm(): Promise<void> {
    await this.render(
      {
        data: { values: [{ x: 1, y: 1 }] },
        mark: 'point',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      1,
      60_000,
    );
  }

  /** Threads alive now (the pool grows under load and shrinks when idle). */
  get liveThreads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Renders running or waiting now. */
  get pending(): number {
    return this.inFlight;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}

let shared: ChartPool | undefined;
let sharedOptions: ChartPoolOptions = {};

/** The process's chart pool, made on first use. */
export function chartPool(): ChartPool {
  shared ??= new ChartPool(sharedOptions);
  return shared;
}

/** Sets the process's pool up (mo serve: MO_CHART_THREADS); replaces one already made. */
export async function configureChartPool(options: ChartPoolOptions): Promise<void> {
  sharedOptions = options;
  const old = shared;
  shared = undefined;
  await old?.close();
}

export async function closeChartPool(): Promise<void> {
  const old = shared;
  shared = undefined;
  await old?.close();
}
