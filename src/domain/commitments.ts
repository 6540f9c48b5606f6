// Commitments (purchase orders) and the invoices that relieve them. A committed spend row
// with a commitment id opens the commitment; actual rows with the same id are invoices
// against it. Every figure reads "committed" as the open amount: what is left of the
// commitment once its invoices are counted as actual (never below zero, none once closed),
// on the commitment's own date and in its category. Pure: the repositories keep the
// state and the daily rollup in step with what these functions compute.
import type { IsoDate } from './calendar.js';
import { UserError } from './errors.js';
import { inner } from './nested.js';

export type LedgerStatus = 'actual' | 'committed';

/** A spend row as far as the rollup and commitments care. */
export interface LedgerRow {
  key: string;
  date: IsoDate;
  category: string;
  status: LedgerStatus;
  amountMinor: bigint;
  commitmentId: string | null;
}

export interface CommitmentState {
  commitmentId: string;
  /** The idempotency key of the committed row that opened it; null while only invoices name it. */
  openingKey: string | null;
  date: IsoDate | null;
  category: string | null;
  committedMinor: bigint;
  invoicedMinor: bigint;
  closed: boolean;
}

/** An amount to add to the daily rollup's (date, category, status) cell. */
export interface RollupCell {
  date: IsoDate;
  category: string;
  status: LedgerStatus;
  amountMinor: bigint;
}

export const MAX_COMMITMENT_ID_LENGTH = 64;

/** A commitment id as typed or imported: trimmed, printable, at most 64 characters. */
export function normalizeCommitmentId(text: string): string | null {
  const id = text.trim();
  if (id === '') return null;
  if (id.length > MAX_COMMITMENT_ID_LENGTH || /[^\x21-\x7e\u00a1-\uffff]/.test(id))
    throw new UserError(
      'invalid',
      `commitment id "${id.slice(0, 30)}" must be one word of at most ${MAX_COMMITMENT_ID_LENGTH} characters (a PO number like PO-4500)`,
      { field: 'commitment_id' },
    );
  return id;
}

/** What is left to invoice: max(0, committed − invoiced), nothing once closed. */
export function openAmount(c: Pick<CommitmentState, 'committedMinor' | 'invoicedMinor' | 'closed'>): bigint {
  if (c.closed) return 0n;
  const open = c.committedMinor - c.invoicedMinor;
  return open > 0n ? open : 0n;
}

/** Invoiced above the committed amount (finance will ask why). */
export function isOverInvoiced(c: Pick<CommitmentState, 'committedMinor' | 'invoicedMinor' | 'openingKey'>) {
  return c.openingKey !== null && c.invoicedMinor > c.committedMinor;
}

export function emptyCommitment(commitmentId: string): CommitmentState {
  return {
    commitmentId,
    openingKey: null,
    date: null,
    category: null,
    committedMinor: 0n,
    invoicedMinor: 0n,
    closed: false,
  };
}

/** The commitment's cell in the committed rollup, or null when it adds nothing. */
function contribution(c: CommitmentState): RollupCell | null {
  const open = openAmount(c);
  if (open === 0n || c.date === null || c.category === null) return null;
  return { date: c.date, category: c.category, status: 'committed', amountMinor: open };
}

/** A change to one spend row: added (no before), removed (no after) or corrected. */
export interface LedgerChange {
  before?: LedgerRow;
  after?: LedgerRow;
  /** Closes the row's commitment (CSV status `closed`). */
  close?: boolean;
}

/** The row's own cell: actuals and invoices count as actual; unkeyed committed rows as committed. */
function ownCell(row: LedgerRow, sign: bigint): RollupCell | null {
  if (row.status === 'committed' && row.commitmentId) return null;
  return { date: row.date, category: row.category, status: row.status, amountMinor: sign * row.amountMinor };
}

export class CommitmentConflict extends UserError {
  constructor(
    readonly commitmentId: string,
    /** The key of the row that tried to open it again. */
    readonly key: string,
  ) {
    super(
      'conflict',
      `commitment ${commitmentId} is already opened by another committed row: invoice it with actual rows, or correct that row`,
      { field: 'commitment_id' },
    );
  }
}

/**
 * Applies spend-row changes to the commitments they name (`load`ed beforehand, changed in
 * place) and returns the rollup cells that keep SpendDaily equal to: actual rows, committed
 * rows without a commitment, and the open amount of each commitment. `touched` lists the
 * commitments whose state changed (to be saved).
 */
export function applyLedgerChanges(
  changes: LedgerChange[],
  commitments: Map<string, CommitmentState>,
): { cells: RollupCell[]; touched: CommitmentState[]; closed: Set<string> } {
  const cells: RollupCell[] = [];
  const before = new Map<string, RollupCell | null>();
  const touched = new Map<string, CommitmentState>();
  const closed = new Set<string>();
  const commitment = (id: string) => {
    let c = commitments.get(id);
    if (!c) {
      c = emptyCommitment(id);
      commitments.set(id, c);
    }
    if (!before.has(id)) before.set(id, contribution(c));
    touched.set(id, c);
    return c;
  };
  for (const change of changes) {
    if (change.before) {
      const cell = ownCell(change.before, -1n);
      if (cell) cells.push(cell);
      const id = change.before.commitmentId;
      if (id) {
        const c = commitment(id);
        if (change.before.status === 'actual') c.invoicedMinor -= change.before.amountMinor;
        else {
          c.committedMinor -= change.before.amountMinor;
          if (c.openingKey === change.before.key) {
            c.openingKey = null;
            c.date = null;
            c.category = null;
          }
        }
      }
    }
    if (change.after) {
      const cell = ownCell(change.after, 1n);
      if (cell) cells.push(cell);
      const id = change.after.commitmentId;
      if (id) {
        const c = commitment(id);
        if (change.after.status === 'actual') c.invoicedMinor += change.after.amountMinor;
        else {
          if (c.openingKey !== null && c.openingKey !== change.after.key)
            throw new CommitmentConflict(id, change.after.key);
          c.openingKey = change.after.key;
          c.date = change.after.date;
          c.category = change.after.category;
          c.committedMinor += change.after.amountMinor;
        }
        if (change.close && !c.closed) {
          c.closed = true;
          closed.add(id);
        }
      }
    }
  }
  for (const [id, was] of before) {
    const now = contribution(commitments.get(id) as CommitmentState);
    if (was) cells.push({ ...was, amountMinor: -was.amountMinor });
    if (now) cells.push(now);
  }
  return { cells: mergeCells(cells), touched: [...touched.values()], closed };
}

/** Closes a commitment: its open amount leaves the committed rollup. */
export function closeCommitment(c: CommitmentState): RollupCell[] {
  const was = contribution(c);
  c.closed = true;
  return was ? [{ ...was, amountMinor: -was.amountMinor }] : [];
}

/** Sums cells per (date, category, status), dropping none: a zero still marks a category in use. */
export function mergeCells(cells: RollupCell[]): RollupCell[] {
  // Found by day, category and status in nested maps, not by a key string built per cell:
  // an import merges a cell for every row it reads.
  const merged: RollupCell[] = [];
  const byDate = new Map<string, Map<string, Map<string, RollupCell>>>();
  for (const c of cells) {
    const statuses = inner(inner(byDate, c.date), c.category);
    const sum = statuses.get(c.status);
    if (sum) sum.amountMinor += c.amountMinor;
    else {
      const first = { ...c };
      statuses.set(c.status, first);
      merged.push(first);
    }
  }
  return merged;
}

/** A commitment as /mo spend commitments and the export show it. */
export interface CommitmentView {
  commitmentId: string;
  date: IsoDate | null;
  category: string | null;
  committed: bigint;
  invoiced: bigint;
  open: bigint;
  status: 'open' | 'invoiced' | 'closed' | 'over-invoiced' | 'invoices only';
  overInvoiced: boolean;
}

export function viewCommitment(c: CommitmentState): CommitmentView {
  const open = openAmount(c);
  const over = isOverInvoiced(c);
  const status: CommitmentView['status'] = c.closed
    ? 'closed'
    : c.openingKey === null
      ? 'invoices only'
      : over
        ? 'over-invoiced'
        : open === 0n
          ? 'invoiced'
          : 'open';
  return {
    commitmentId: c.commitmentId,
    date: c.date,
    category: c.category,
    committed: c.committedMinor,
    invoiced: c.invoicedMinor,
    open,
    status,
    overInvoiced: over,
  };
}
