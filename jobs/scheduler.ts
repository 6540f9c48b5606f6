// The scheduler: a node-cron tick every minute, elected to one process per minute by a
// database-backed run coordinator (node-cron's `runCoordinator` hook). Each tick asks every
// job which slots are due — the latest slot of each workspace's schedule, caught up for
// 24 hours — and runs each (key, slot) at most once across all processes: the JobRun row
// is the lease. A runner that dies stops renewing its lease and the slot is taken over
// after it expires; a failed run is recorded and retried with backoff, never lost.
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import { type JobRepository, TICK_JOB } from '../src/db/jobs.js';
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
}

export class Scheduler {
  readonly owner: string;
  private readonly runs: JobRepository;
  private readonly leaseMs: number;
  private task: ScheduledTask | undefined;
  private inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? processOwner();
    this.runs = options.mo.jobs;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** node-cron's hook: one process per tick slot, by the same lease as the jobs. */
  coordinator(): RunCoordinator {
    const slotOf = (key: string) => new Date(key.slice(TICK_NAME.length + 1));
    return {
      shouldRun: async (key) => {
        const slot = slotOf(key);
        const attempt = await this.runs.claim({
          job: TICK_JOB,
          key: TICK_JOB,
          slot,
          owner: this.owner,
          leaseMs: this.leaseMs,
          now: this.options.mo.clock(),
        });
        return attempt !== null;
      },
      onComplete: async (key) => {
        await this.runs.finish(TICK_JOB, slotOf(key), this.owner, {
          ok: true,
          detail: '',
          now: this.options.mo.clock(),
        });
      },
    };
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
      noOverlap: true,
      distributed: true,
      runCoordinator: this.coordinator(),
      distributedLease: this.leaseMs,
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

  /** Runs what is due at `now` (Mo's clock by default), one (key, slot) at a time. */
  async tick(now: Date = this.options.mo.clock()): Promise<Array<{ key: string; slot: Date } & RunOutcome>> {
    const results: Array<{ key: string; slot: Date } & RunOutcome> = [];
    for (const job of this.options.jobs) {
      let due: DueRun[];
      try {
        due = await job.due(now);
      } catch (error) {
        this.options.logger.error(`scheduler: listing ${job.name} runs failed`, error);
        continue;
      }
      for (const run of due) {
        if (this.stopping) return results;
        results.push({ key: run.key, slot: run.slot, ...(await this.runOnce(run, now)) });
      }
    }
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
