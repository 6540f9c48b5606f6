// One scheduled run under a lease: the JobRun row is the lease, so each (key, slot) runs at
// most once across processes. The scheduler's ticks and /mo digest now both run through it.
import { hostname } from 'node:os';
import { type Logger, withCorrelation } from '../log.js';
import { jobRuns } from '../metrics.js';
import type { Mo } from './mo.js';

/** A slot older than this when Mo sees it (it was down) is not run any more. */
export const CATCH_UP_MS = 24 * 3_600_000;
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/** The default lease: renewed every third of it while the run lasts. */
export const DEFAULT_LEASE_MS = 60_000;

export interface DueRun {
  job: string;
  /** The job and its subject, e.g. digest:T0123: one run per (key, slot). */
  key: string;
  teamId?: string;
  slot: Date;
  /** Does the work; resolves with a one-line summary for `mo jobs`. */
  run: () => Promise<string>;
}

export type RunOutcome =
  | { status: 'succeeded' | 'failed'; attempt: number; detail: string }
  | { status: 'skipped'; reason: 'taken' | 'too-old' };

/** Runs one (key, slot) unless another process has it, it is done, or it is too old. */
export function runOnce(mo: Mo, logger: Logger, run: DueRun, lease: LeaseOptions): Promise<RunOutcome> {
  // Every line the run causes carries its correlation id, job and workspace.
  return withCorrelation(
    { surface: 'job', job: run.job, ...(run.teamId ? { teamId: run.teamId } : {}) },
    () => runLeased(mo, logger, run, lease),
  );
}

export interface LeaseOptions {
  owner: string;
  leaseMs: number;
  now?: Date;
  /** True once the process is stopping: the lease is then handed over, not renewed. */
  stopping?: () => boolean;
}

async function runLeased(mo: Mo, logger: Logger, run: DueRun, lease: LeaseOptions): Promise<RunOutcome> {
  const now = lease.now ?? mo.clock();
  const { owner, leaseMs } = lease;
  const runs = mo.jobs;
  if (now.getTime() - run.slot.getTime() > CATCH_UP_MS) return { status: 'skipped', reason: 'too-old' };
  const attempt = await runs.claim({
    job: run.job,
    key: run.key,
    teamId: run.teamId,
    slot: run.slot,
    owner: owner,
    leaseMs: leaseMs,
    now,
  });
  if (attempt === null) return { status: 'skipped', reason: 'taken' };
  const clock = mo.clock;
  // A lease is written and compared on Mo's clock: the claim above compares it with `now`.
  const renew = setInterval(
    () => {
      if (lease.stopping?.()) return;
      const until = new Date(Math.max(clock().getTime(), now.getTime()) + leaseMs);
      runs.renew(run.key, run.slot, owner, until).then(
        (held) => held || logger.warn(`scheduler: lost the lease of ${run.key} @ ${run.slot.toISOString()}`),
        (error) => logger.warn('scheduler: lease renewal failed', error),
      );
    },
    Math.max(1000, Math.floor(leaseMs / 3)),
  );
  renew.unref();
  const finishedAt = () => new Date(Math.max(clock().getTime(), now.getTime()));
  try {
    const detail = await run.run();
    await runs.finish(run.key, run.slot, owner, { ok: true, detail, now: finishedAt() });
    jobRuns.inc({ job: run.job, status: 'succeeded' });
    logger.info(`scheduler: ${run.key} @ ${run.slot.toISOString()} succeeded: ${detail}`);
    return { status: 'succeeded', attempt, detail };
  } catch (error) {
    const detail = describeError(error);
    await runs.finish(run.key, run.slot, owner, { ok: false, detail, now: finishedAt() });
    jobRuns.inc({ job: run.job, status: 'failed' });
    logger.error(`scheduler: ${run.key} @ ${run.slot.toISOString()} failed (attempt ${attempt}): ${detail}`);
    return { status: 'failed', attempt, detail };
  } finally {
    clearInterval(renew);
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
