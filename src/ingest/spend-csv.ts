// The canonical spend CSV: date,amount,category,campaign,vendor,status,external_id.
import { createHash } from 'node:crypto';
import type { SpendStatus } from '../db/spend.js';
import { isIsoDate } from '../domain/calendar.js';
import { normalizeCategory } from '../domain/category.js';
import { InvalidError } from '../domain/errors.js';
import { parseAmount } from '../domain/money.js';

export const SPEND_COLUMNS = {
  required: ['date', 'amount', 'category'],
  optional: ['campaign', 'vendor', 'status', 'external_id'],
} as const;

export interface SpendRecord {
  date: string;
  amountMinor: bigint;
  status: SpendStatus;
  category: string;
  campaign: string;
  vendor: string;
  externalId: string;
}

export class RowError extends InvalidError {}

export function parseStatus(text: string | undefined): SpendStatus {
  const s = (text ?? '').trim().toLowerCase();
  if (s === '' || s === 'actual') return 'actual';
  if (s === 'committed') return 'committed';
  throw new RowError(`status "${text}" must be actual or committed`);
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
  return {
    date,
    amountMinor,
    status: parseStatus(values.status),
    category,
    campaign: (values.campaign ?? '').trim(),
    vendor: (values.vendor ?? '').trim(),
    externalId: (values.external_id ?? '').trim(),
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
    occurrence,
  ].join('\u001f');
  return `row:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}
