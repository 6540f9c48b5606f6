// The canonical spend CSV: date,amount,category,campaign,vendor,status,external_id,commitment_id.
import { createHash } from 'node:crypto';
import type { SpendStatus } from '../db/spend.js';
import { isIsoDate } from '../domain/calendar.js';
import { normalizeCategory } from '../domain/category.js';
import { normalizeCommitmentId } from '../domain/commitments.js';
import { InvalidError } from '../domain/errors.js';
import { parseAmount } from '../domain/money.js';

export const SPEND_COLUMNS = {
  required: ['date', 'amount', 'category'],
  optional: ['campaign', 'vendor', 'status', 'external_id', 'commitment_id'],
} as const;

export interface SpendRecord {
  date: string;
  amountMinor: bigint;
  status: SpendStatus;
  category: string;
  campaign: string;
  vendor: string;
  externalId: string;
  /** The purchase order it opens (committed) or invoices (actual). */
  commitmentId: string | null;
  /** Status `closed`: the committed row that also closes its commitment. */
  closes: boolean;
}

export class RowError extends InvalidError {}

export function parseStatus(text: string | undefined): SpendStatus | 'closed' {
  const s = (text ?? '').trim().toLowerCase();
  if (s === '' || s === 'actual') return 'actual';
  if (s === 'committed') return 'committed';
  if (s === 'closed') return 'closed';
  throw new RowError(`status "${text}" must be actual, committed or closed`);
}

// Files repeat the same dates and categories on many rows: check each spelling once.
const validDates = new Set<string>();
const categories = new Map<string, string>();

function checkedCategory(text: string): string {
  let category = categories.get(text);
  if (category === undefined) {
    category = normalizeCategory(text);
    if (categories.size > 10_000) categories.clear();
    categories.set(text, category);
  }
  return category;
}

export function parseSpendRecord(values: Record<string, string>, currency: string): SpendRecord {
  const date = (values.date ?? '').trim();
  if (!validDates.has(date)) {
    if (!isIsoDate(date)) throw new RowError(`date "${date}" must be a calendar date like 2026-11-03`);
    if (validDates.size > 100_000) validDates.clear();
    validDates.add(date);
  }
  let amountMinor: bigint;
  try {
    amountMinor = parseAmount(values.amount ?? '', currency);
  } catch (e) {
    throw new RowError(`amount: ${(e as Error).message}`);
  }
  let category: string;
  try {
    category = checkedCategory(values.category ?? '');
  } catch (e) {
    throw new RowError((e as Error).message);
  }
  const status = parseStatus(values.status);
  let commitmentId: string | null;
  try {
    commitmentId = normalizeCommitmentId(values.commitment_id ?? '');
  } catch (e) {
    throw new RowError((e as Error).message);
  }
  if (status === 'closed' && !commitmentId)
    throw new RowError('status closed needs the commitment_id of the commitment it closes');
  return {
    date,
    amountMinor,
    status: status === 'closed' ? 'committed' : status,
    category,
    campaign: (values.campaign ?? '').trim(),
    vendor: (values.vendor ?? '').trim(),
    externalId: (values.external_id ?? '').trim(),
    commitmentId,
    closes: status === 'closed',
  };
}

/**
 * The key that makes re-importing a file a no-op: the source's external id, else a hash of
 * the row and how many identical rows came before it in the file (two equal charges on one
 * day stay two rows).
 */
export function spendKey(record: SpendRecord, occurrence: number): string {
  if (record.externalId) return `ext:${record.externalId}`;
  const content = [
    record.date,
    record.amountMinor.toString(),
    record.status,
    record.category.toLowerCase(),
    record.campaign,
    record.vendor,
    // Only when present, so rows without one keep the keys earlier imports gave them.
    ...(record.commitmentId ? [`po:${record.commitmentId}`] : []),
    occurrence,
  ].join('\u001f');
  return `row:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}
