// The scheduler: a node-cron tick every minute in every process. Each tick asks every job
// which slots are due — the latest slot of each workspace's schedule, caught up for 24 hours —
// and works through them with a few runs in flight at once, round-robin across workspaces;
// each (key, slot) runs at most once across all processes: the JobRun row is the lease, and a
// process with a free slot claims the next run another has not taken, so no process idles
// while another has a queue. A runner that dies stops renewing its lease and the slot is
// taken over after it expires; a failed run is recorded and retried with backoff, never lost.
import cron, { type ScheduledTask } from 'node-cron';
import type { JobRepository } from '../src/db/jobs.js';
import type { Logger } from '../src/log.js';
import {
  CATCH_UP_MS,
  DEFAULT_LEASE_MS,
  type DueRun,
  describeError,
  processOwner,
  type RunOutcome,
  runOnce,
} from '../src/services/jobs.js';
import type { Mo } from '../src/services/mo.js';

const TICK_NAME = 'mo-scheduler';
/** Runs one process makes at once (MO_JOB_CONCURRENCY). */
export const DEFAULT_CONCURRENCY = 4;

// Where a job's one run under a lease lives (a command runs one too: /mo digest now).
export { CATCH_UP_MS, DEFAULT_LEASE_MS, type DueRun, describeError, processOwner, type RunOutcome };

export interface JobDefinition {
  name: string;
  /** The runs due at `now`: slots at or before it (older ones are dropped after 24 h). */
  due(now: Date): Promise<DueRun[]>;
}

export interface SchedulerOptions {
  mo: Mo;
  jobs: JobDefinition[];
  logger: Logger;
  /** Identifies this process in the lease (default host:pid:random). */
  owner?: string;
  leaseMs?: number;
  concurrency?: number;
}

export class Scheduler {
  readonly owner: string;
  private readonly runs: JobRepository;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private task: ScheduledTask | undefined;
  private inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? processOwner();
    this.runs = options.mo.jobs;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /**
   * Catches up in the background (a process that is stopped meanwhile still stops in
   * time), and ticks every minute. Leases keep a catch-up and a tick from running a slot twice.
   */
  async start(): Promise<void> {
    this.track(this.tick()).catch(() => {});
    this.task = cron.schedule('* * * * *', () => this.track(this.tick()), {
      name: TICK_NAME,
      timezone: 'UTC',
      // A tick still working through a long queue keeps it; the next one would list the same runs.
      noOverlap: true,
    });
  }

  /**
   * Stops ticking and starts no new run; runs in flight get until `graceMs` to finish. The
   * leases of those still going are released so another process takes them over at once.
   */
  async stop(graceMs = 8_000): Promise<void> {
    this.stopping = true;
    await this.task?.destroy();
    this.task = undefined;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    const released = await this.runs.release(this.owner);
    if (!finished || released)
      this.options.logger.warn(`scheduler: stopped with runs in flight; released ${released} lease(s)`);
  }

  /**
   * Runs what is due at `now` (Mo's clock by default): at most `concurrency` at once, taking
   * the workspaces in turn; runs another process holds are skipped as taken.
   */
  async tick(now: Date = this.options.mo.clock()): Promise<Array<{ key: string; slot: Date } & RunOutcome>> {
    const due: DueRun[] = [];
    for (const job of this.options.jobs) {
      try {
        due.push(...(await job.due(now)));
      } catch (error) {
        this.options.logger.error(`scheduler: listing ${job.name} runs failed`, error);
      }
    }
    const queue = roundRobinByTeam(due);
    const results: Array<{ key: string; slot: Date } & RunOutcome> = new Array(queue.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < queue.length; i = next++) {
        const run = queue[i] as DueRun;
        results[i] = { key: run.key, slot: run.slot, ...(await this.runOnce(run, now)) };
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    await this.runs.pruneTicks(new Date(now.getTime() - CATCH_UP_MS));
    return results;
  }

  /** Runs one (key, slot) unless another process has it, it is done, or it is too old. */
  runOnce(run: DueRun, now: Date = this.options.mo.clock()): Promise<RunOutcome> {
    return runOnce(this.options.mo, this.options.logger, run, {
      owner: this.owner,
      leaseMs: this.leaseMs,
      now,
      stopping: () => this.stopping,
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    const tracked = p.catch((error) => {
      this.options.logger.error('scheduler: tick failed', error);
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return p;
  }
}

/**
 * One run per workspace in turn (each workspace's own runs in the order the jobs gave them),
 * so a workspace with many due runs does not hold the others back.
 */
export function roundRobinByTeam(runs: DueRun[]): DueRun[] {
  const byTeam = new Map<string, DueRun[]>();
  for (const run of runs) {
    const team = run.teamId ?? '';
    const list = byTeam.get(team);
    if (list) list.push(run);
    else byTeam.set(team, [run]);
  }
  const lists = [...byTeam.values()];
  const out: DueRun[] = [];
  for (let round = 0; out.length < runs.length; round++)
    for (const list of lists) if (round < list.length) out.push(list[round] as DueRun);
  return out;
}
