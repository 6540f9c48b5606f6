// Job runs: the lease that elects one runner per (key, slot) across processes, and the
// record `mo jobs` lists. Election is one INSERT (unique key+slot) or one conditional UPDATE,
// so on PostgreSQL two processes racing for a slot cannot both win.
import type { Db } from './client.js';

export type RunStatus = 'running' | 'succeeded' | 'failed';

/** A failed run is tried again (backoff 1, 5, 25 minutes) until this many attempts. */
export const MAX_ATTEMPTS = 4;
const RETRY_BASE_MS = 60_000;

export interface Claim {
  job: string;
  key: string;
  teamId?: string | null;
  slot: Date;
  owner: string;
  leaseMs: number;
  now: Date;
}

export interface JobRunRow {
  id: string;
  job: string;
  key: string;
  teamId: string | null;
  slot: Date;
  status: string;
  owner: string;
  attempts: number;
  leaseUntil: Date;
  retryAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  detail: string;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

export function jobRepository(db: Db) {
  return {
    /**
     * Takes the run of `key` for `slot`: a new slot, a runner whose lease expired (it died),
     * or a failed run due for another attempt. Returns the attempt number, or null when
     * another process has it or it is done.
     */
    async claim(c: Claim): Promise<number | null> {
      const leaseUntil = new Date(c.now.getTime() + c.leaseMs);
      try {
        await db.jobRun.create({
          data: {
            job: c.job,
            key: c.key,
            teamId: c.teamId ?? null,
            slot: c.slot,
            status: 'running',
            owner: c.owner,
            leaseUntil,
            startedAt: c.now,
          },
        });
        return 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const taken = await db.jobRun.updateMany({
        where: {
          key: c.key,
          slot: c.slot,
          OR: [
            { status: 'running', leaseUntil: { lt: c.now } },
            { status: 'failed', attempts: { lt: MAX_ATTEMPTS }, retryAt: { lte: c.now } },
          ],
        },
        data: {
          status: 'running',
          owner: c.owner,
          leaseUntil,
          startedAt: c.now,
          finishedAt: null,
          durationMs: null,
          attempts: { increment: 1 },
        },
      });
      if (taken.count !== 1) return null;
      const row = await db.jobRun.findUnique({ where: { key_slot: { key: c.key, slot: c.slot } } });
      return row?.owner === c.owner ? row.attempts : null;
    },

    /** Extends a running lease; false when this owner no longer holds it. */
    async renew(key: string, slot: Date, owner: string, until: Date): Promise<boolean> {
      const r = await db.jobRun.updateMany({
        where: { key, slot, owner, status: 'running' },
        data: { leaseUntil: until },
      });
      return r.count === 1;
    },

    async finish(
      key: string,
      slot: Date,
      owner: string,
      outcome: { ok: boolean; detail: string; now: Date },
    ): Promise<void> {
      const row = await db.jobRun.findUnique({ where: { key_slot: { key, slot } } });
      if (!row || row.owner !== owner) return;
      const retryAt =
        !outcome.ok && row.attempts < MAX_ATTEMPTS
          ? new Date(outcome.now.getTime() + RETRY_BASE_MS * 5 ** (row.attempts - 1))
          : null;
      await db.jobRun.updateMany({
        where: { key, slot, owner, status: 'running' },
        data: {
          status: outcome.ok ? 'succeeded' : 'failed',
          finishedAt: outcome.now,
          durationMs: Math.max(0, outcome.now.getTime() - row.startedAt.getTime()),
          detail: outcome.detail.slice(0, 2000),
          retryAt,
        },
      });
    },

    /**
     * Gives up the leases `owner` still holds (a process stopping with runs unfinished): they
     * read as expired, so another process takes them at its next tick instead of after the
     * lease time. Their posts are idempotent, so what was done is not done twice.
     */
    async release(owner: string): Promise<number> {
      const r = await db.jobRun.updateMany({
        where: { owner, status: 'running' },
        // The epoch, not this process's "now": expired on any clock, a pinned MO_NOW too.
        data: { leaseUntil: new Date(0) },
      });
      return r.count;
    },

    async get(key: string, slot: Date): Promise<JobRunRow | null> {
      return db.jobRun.findUnique({ where: { key_slot: { key, slot } } });
    },

    async recent(
      options: { teamId?: string; limit?: number; includeTicks?: boolean } = {},
    ): Promise<JobRunRow[]> {
      return db.jobRun.findMany({
        where: {
          ...(options.teamId ? { teamId: options.teamId } : {}),
          ...(options.includeTicks ? {} : { job: { not: TICK_JOB } }),
        },
        orderBy: [{ slot: 'desc' }, { startedAt: 'desc' }, { id: 'desc' }],
        take: options.limit ?? 20,
      });
    },

    /** Scheduler ticks are leases only: keep the last day of them. */
    async pruneTicks(before: Date): Promise<number> {
      const r = await db.jobRun.deleteMany({ where: { job: TICK_JOB, slot: { lt: before } } });
      return r.count;
    },
  };
}

export const TICK_JOB = 'scheduler.tick';

export type JobRepository = ReturnType<typeof jobRepository>;

/** `mo jobs`: one line per run, newest slot first. */
export function formatRuns(runs: JobRunRow[]): string {
  const rows = runs.map((r) => [
    r.slot.toISOString().replace('.000Z', 'Z'),
    r.key,
    r.status,
    `attempt ${r.attempts}`,
    r.durationMs === null ? '-' : `${(r.durationMs / 1000).toFixed(1)} s`,
    r.status === 'failed' && r.retryAt ? `${r.detail} (retry at ${r.retryAt.toISOString()})` : r.detail,
  ]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => (row[i] as string).length)));
  return rows
    .map((row) => row.map((cell, i) => (i < 5 ? cell.padEnd(widths[i] as number) : cell)).join('  '))
    .join('\n');
}
