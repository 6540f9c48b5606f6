// The scheduler: a node-cron tick every minute, elected to one process per minute by a
// database-backed run coordinator (node-cron's `runCoordinator` hook). Each tick asks every
// job which slots are due — the latest slot of each workspace's schedule, caught up for
// 24 hours — and runs each (key, slot) at most once across all processes: the JobRun row
// is the lease. A runner that dies stops renewing its lease and the slot is taken over
// after it expires; a failed run is recorded and retried with backoff, never lost.
import { hostname } from 'node:os';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import { type JobRepository, jobRepository, TICK_JOB } from '../src/db/jobs.js';
import type { Logger } from '../src/log.js';
import type { Mo } from '../src/services/mo.js';

/** A slot older than this when Mo sees it (it was down) is not run any more. */
export const CATCH_UP_MS = 24 * 3_600_000;
export const DEFAULT_LEASE_MS = 60_000;
const TICK_NAME = 'mo-scheduler';

export interface DueRun {
  job: string;
  /** The job and its subject, e.g. digest:T0123: one run per (key, slot). */
  key: string;
  teamId?: string;
  slot: Date;
  /** Does the work; resolves with a one-line summary for `mo jobs`. */
  run: () => Promise<string>;
}

export interface JobDefinition {
  name: string;
  /** The runs due at `now`: slots at or before it (older ones are dropped after 24 h). */
  due(now: Date): Promise<DueRun[]>;
}

export type RunOutcome =
  | { status: 'succeeded' | 'failed'; attempt: number; detail: string }
  | { status: 'skipped'; reason: 'taken' | 'too-old' };

export interface SchedulerOptions {
  mo: Mo;
  jobs: JobDefinition[];
  logger: Logger;
  /** Identifies this process in the lease (default host:pid:random). */
  owner?: string;
  leaseMs?: number;
}

export function processOwner(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

export class Scheduler {
  readonly owner: string;
  private readonly runs: JobRepository;
  private readonly leaseMs: number;
  private task: ScheduledTask | undefined;
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? processOwner();
    this.runs = jobRepository(options.mo.db);
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

  /** Catches up at once, then ticks every minute. */
  async start(): Promise<void> {
    await this.track(this.tick());
    this.task = cron.schedule('* * * * *', () => this.track(this.tick()), {
      name: TICK_NAME,
      timezone: 'UTC',
      noOverlap: true,
      distributed: true,
      runCoordinator: this.coordinator(),
      distributedLease: this.leaseMs,
    });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await Promise.allSettled([...this.inFlight]);
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
      for (const run of due)
        results.push({ key: run.key, slot: run.slot, ...(await this.runOnce(run, now)) });
    }
    await this.runs.pruneTicks(new Date(now.getTime() - CATCH_UP_MS));
    return results;
  }

  /** Runs one (key, slot) unless another process has it, it is done, or it is too old. */
  async runOnce(run: DueRun, now: Date = this.options.mo.clock()): Promise<RunOutcome> {
    if (now.getTime() - run.slot.getTime() > CATCH_UP_MS) return { status: 'skipped', reason: 'too-old' };
    const attempt = await this.runs.claim({
      job: run.job,
      key: run.key,
      teamId: run.teamId,
      slot: run.slot,
      owner: this.owner,
      leaseMs: this.leaseMs,
      now,
    });
    if (attempt === null) return { status: 'skipped', reason: 'taken' };
    const { logger } = this.options;
    const clock = this.options.mo.clock;
    // A lease is written and compared on Mo's clock: the claim above compares it with `now`.
    const renew = setInterval(
      () => {
        const until = new Date(Math.max(clock().getTime(), now.getTime()) + this.leaseMs);
        this.runs.renew(run.key, run.slot, this.owner, until).then(
          (held) =>
            held || logger.warn(`scheduler: lost the lease of ${run.key} @ ${run.slot.toISOString()}`),
          (error) => logger.warn('scheduler: lease renewal failed', error),
        );
      },
      Math.max(1000, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    const finishedAt = () => new Date(Math.max(clock().getTime(), now.getTime()));
    try {
      const detail = await run.run();
      await this.runs.finish(run.key, run.slot, this.owner, { ok: true, detail, now: finishedAt() });
      logger.info(`scheduler: ${run.key} @ ${run.slot.toISOString()} succeeded: ${detail}`);
      return { status: 'succeeded', attempt, detail };
    } catch (error) {
      const detail = describeError(error);
      await this.runs.finish(run.key, run.slot, this.owner, { ok: false, detail, now: finishedAt() });
      logger.error(
        `scheduler: ${run.key} @ ${run.slot.toISOString()} failed (attempt ${attempt}): ${detail}`,
      );
      return { status: 'failed', attempt, detail };
    } finally {
      clearInterval(renew);
    }
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

/** A Slack error names its code (ratelimited, channel_not_found, an HTTP status); others their message. */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
    if (e.data?.error === 'not_in_channel')
      return 'Slack: not_in_channel (invite Mo to the channel: /invite @Mo)';
    if (e.data?.error) return `Slack: ${e.data.error}`;
    if (e.statusCode) return `Slack: HTTP ${e.statusCode}`;
    if (e.message) return e.message;
  }
  return String(error);
}
