// Who changed a budget, a setting or a threshold, and from what to what.
import { nextAuditId } from './bulk.js';
import type { Db } from './client.js';
import { clockStamped } from './stamps.js';

export interface AuditInput {
  teamId: string;
  /** A Slack user id, or `cli` for the command line. */
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const json = (value: unknown) =>
  value === undefined || value === null
    ? null
    : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

export async function recordAudit(db: Db, event: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: clockStamped({
      id: nextAuditId(),
      teamId: event.teamId,
      actor: event.actor,
      action: event.action,
      entity: event.entity,
      entityId: event.entityId,
      before: json(event.before),
      after: json(event.after),
    }),
  });
}

export function auditRepository(db: Db) {
  return {
    record: (event: AuditInput) => recordAudit(db, event),
    /** Newest first; the time-ordered id orders events written in the same tick of Mo's clock. */
    recent: (teamId: string, take = 50) =>
      db.auditEvent.findMany({ where: { teamId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take }),
  };
}
