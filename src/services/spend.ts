// The spend ledger's use cases: booking an entry (who may, and the rules it must pass),
// listing, correcting, deleting and undoing entries, closing commitments and listing them.
// Every write keeps the rollup and commitments in step (src/db/spend.ts), is audited, and
// tells the alerts that figures changed.
import { randomUUID } from 'node:crypto';
import type { CommitmentListing } from '../db/commitments.js';
import type { SpendEntryView, SpendPatch, SpendStatus } from '../db/spend.js';
import type { WorkspaceSettings } from '../db/workspaces.js';
import { daysBetween, type IsoDate, type Period, requirePeriod } from '../domain/calendar.js';
import { isWithin } from '../domain/category.js';
import { type CommitmentView, normalizeCommitmentId } from '../domain/commitments.js';
import { UserError } from '../domain/errors.js';
import { checkLock } from '../domain/lock.js';
import { formatMinorExact } from '../domain/money.js';
import { entryAmount, entryDate, UNDO_MINUTES, withinMinutes } from '../domain/spend.js';
import { toCsv } from '../ingest/csv-write.js';
import { entryCategory } from './budget.js';
import { todayIn, type WorkspaceMo } from './team-scope.js';

/** Who is asking, and whether they are a Mo admin (Slack admins/owners and those named in settings). */
export interface SpendActor {
  userId: string;
  isAdmin(): Promise<boolean>;
  /** `manual` from Slack, `cli` from the command line or `mo shell`. */
  source?: 'manual' | 'cli';
}

export interface SpendEntryInput {
  amount: string;
  category: string;
  campaign: string;
  vendor: string;
  date?: string;
  status: SpendStatus;
  commitmentId?: string;
  /** `--new`: the category is meant to be new. */
  createCategory?: boolean;
  /** How to create a new category where the entry is typed (default: add --new). */
  categoryHint?: string;
  /** An admin's `--unlocked`: spend dated in a locked month (audited as such). */
  unlocked?: boolean;
}

/**
 * Refuses a change to spend dated in a locked month (`lock_days` after the month ends) unless
 * an admin said `--unlocked`; returns the actor the audit trail names (marked when unlocked).
 */
export async function lockedActor(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  actor: SpendActor,
  dates: (string | null | undefined)[],
  unlocked = false,
): Promise<string> {
  const today = todayIn(mo, settings.timezone);
  const isAdmin = unlocked ? await actor.isAdmin() : false;
  let through = false;
  for (const date of dates)
    if (date && checkLock(date, today, settings.lockDays, { unlocked, isAdmin })) through = true;
  return through ? `${actor.userId} (--unlocked)` : actor.userId;
}

export interface RecordedSpend {
  entry: SpendEntryView;
  /** The category did not exist before this entry. */
  newCategory: boolean;
  /** The commitment the entry opened or invoiced, as it stands now. */
  commitment: CommitmentView | null;
}

/** Refuses someone the workspace's `spend_entry` setting does not let book spend in `category`. */
export async function requireSpendEntry(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  actor: SpendActor,
  category: string,
): Promise<void> {
  const rule = settings.spendEntry;
  if (rule === 'everyone' || (await actor.isAdmin())) return;
  if (rule === 'owners') {
    const owned = await mo.budgets.ownedCategories(actor.userId);
    if (owned.some((c) => isWithin(category, c))) return;
  }
  throw new UserError(
    'refused',
    rule === 'admins'
      ? 'Sorry, only Mo admins can book spend in this workspace (setting spend_entry: admins).'
      : `Sorry, only Mo admins and the owners of a budget line in ${category} can book spend there (setting spend_entry: owners).`,
  );
}

/** Books one entry typed in Slack or the CLI; nothing is written unless every rule passes. */
export async function recordSpend(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  actor: SpendActor,
  input: SpendEntryInput,
): Promise<RecordedSpend> {
  const today = todayIn(mo, settings.timezone);
  const amountMinor = entryAmount(input.amount, settings.currency);
  const date = entryDate(input.date, today, input.status);
  const { category, isNew } = await entryCategory(
    mo,
    input.category,
    input.createCategory,
    input.categoryHint,
  );
  const commitmentId = input.commitmentId ? normalizeCommitmentId(input.commitmentId) : null;
  await requireSpendEntry(mo, settings, actor, category);
  const auditActor = await lockedActor(mo, settings, actor, [date], input.unlocked);
  if (commitmentId && input.status === 'committed') {
    const existing = await mo.commitments.get(commitmentId);
    if (existing?.date)
      throw new UserError(
        'conflict',
        `Commitment ${commitmentId} is already open (${existing.date}, ${existing.category}): book invoices against it without --committed, or correct it with /mo spend edit.`,
        { field: 'commitment_id' },
      );
  }
  const entry = await mo.spend.add(
    {
      date,
      amountMinor,
      status: input.status,
      category,
      campaign: input.campaign.trim(),
      vendor: input.vendor.trim(),
      source: actor.source ?? 'manual',
      idempotencyKey: `manual:${randomUUID()}`,
      commitmentId,
      enteredBy: actor.userId,
    },
    auditActor,
  );
  mo.figuresChanged();
  const commitment = commitmentId ? await mo.commitments.get(commitmentId) : null;
  return { entry, newCategory: isNew, commitment };
}

const FILE_SOURCES: Record<string, string> = {
  csv: 'a file imported with the CLI',
  slack: 'a file shared in Slack',
  api: 'the import API',
  demo: 'the demo data',
};

/** Where an entry came from, as lists show it. */
export function sourceLabel(source: string): string {
  if (source === 'manual') return 'Slack';
  if (source === 'cli') return 'CLI';
  if (source === 'api') return 'API';
  if (source === 'demo') return 'demo';
  return 'file';
}

/** The one entry a (short) id names, that the actor may change. */
async function entryToChange(mo: WorkspaceMo, actor: SpendActor, ref: string): Promise<SpendEntryView> {
  const id = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]{6,36}$/.test(id))
    throw new UserError(
      'invalid',
      `"${ref}" is not an entry id: use the id /mo spend list shows (6 or more characters).`,
      {
        field: 'id',
      },
    );
  const found = await mo.spend.find(id);
  if (found.length === 0)
    throw new UserError('not_found', `No spend entry has the id ${id}. Find it with /mo spend list.`, {
      field: 'id',
    });
  if (found.length > 1)
    throw new UserError('conflict', `${found.length} entries end with ${id}: give more of the id.`, {
      field: 'id',
    });
  const entry = found[0] as SpendEntryView;
  if (entry.enteredBy !== actor.userId && !(await actor.isAdmin()))
    throw new UserError(
      'refused',
      'Sorry, only the person who entered it or a Mo admin can change or delete this entry.',
    );
  return entry;
}

export interface SpendCorrection {
  amount?: string;
  date?: string;
  category?: string;
  campaign?: string;
  createCategory?: boolean;
  /** An admin's `--unlocked`: the entry is dated (or moves) in a locked month. */
  unlocked?: boolean;
}

/** `/mo spend edit`: corrects a typed entry in place; rows from files are corrected by re-importing. */
export async function editSpend(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  actor: SpendActor,
  ref: string,
  correction: SpendCorrection,
) {
  const entry = await entryToChange(mo, actor, ref);
  const from = FILE_SOURCES[entry.source];
  if (from)
    throw new UserError(
      'refused',
      `This entry came from ${from}: correct the file and import it again (its key updates the row in place), or delete the entry with /mo spend delete ${shortId(entry.id)}.`,
    );
  const patch: SpendPatch = {};
  if (correction.amount !== undefined) patch.amountMinor = entryAmount(correction.amount, settings.currency);
  if (correction.date !== undefined)
    patch.date = entryDate(correction.date, todayIn(mo, settings.timezone), entry.status);
  if (correction.category !== undefined)
    patch.category = (await entryCategory(mo, correction.category, correction.createCategory)).category;
  if (correction.campaign !== undefined) patch.campaign = correction.campaign.trim();
  if (Object.keys(patch).length === 0)
    throw new UserError('usage', 'say what to change: an amount, --date, --category or --campaign');
  const auditActor = await lockedActor(mo, settings, actor, [entry.date, patch.date], correction.unlocked);
  const changed = await mo.spend.update(entry.id, patch, auditActor);
  if (!changed) throw new UserError('not_found', `The entry ${shortId(entry.id)} was deleted meanwhile.`);
  mo.figuresChanged();
  return changed;
}

/** `/mo spend delete`: any entry its author or an admin may remove (a file's row too). */
export async function deleteSpend(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  actor: SpendActor,
  ref: string,
  options: { unlocked?: boolean } = {},
) {
  const entry = await entryToChange(mo, actor, ref);
  const auditActor = await lockedActor(mo, settings, actor, [entry.date], options.unlocked);
  const removed = await mo.spend.remove(entry.id, auditActor, 'spend.delete');
  if (!removed) throw new UserError('not_found', `The entry ${shortId(entry.id)} was deleted meanwhile.`);
  mo.figuresChanged();
  return { removed, fromFile: FILE_SOURCES[entry.source] };
}

/** `/mo spend undo`: the person's own last typed entry, within 15 minutes. */
export async function undoSpend(mo: WorkspaceMo, settings: WorkspaceSettings, actor: SpendActor) {
  const now = mo.clock();
  const last = await mo.spend.lastEntryBy(actor.userId, new Date(now.getTime() - UNDO_MINUTES * 60_000));
  if (!last || !withinMinutes(last.createdAt, now, UNDO_MINUTES))
    throw new UserError(
      'not_found',
      `Nothing to undo: you have entered no spend in the last ${UNDO_MINUTES} minutes.`,
    );
  // An entry an admin booked in a locked month with --unlocked is taken back the same way (delete).
  await lockedActor(mo, settings, actor, [last.date]);
  const removed = await mo.spend.remove(last.id, actor.userId, 'spend.undo');
  if (!removed) throw new UserError('not_found', 'Nothing to undo: that entry was deleted meanwhile.');
  mo.figuresChanged();
  return removed;
}

/** `/mo spend close ID`: nothing of the commitment stays open. */
export async function closeCommitment(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  actor: SpendActor,
  ref: string,
  options: { unlocked?: boolean } = {},
) {
  const id = normalizeCommitmentId(ref);
  if (!id) throw new UserError('usage', 'name the commitment to close (its PO number)');
  const existing = await mo.commitments.get(id);
  if (!existing)
    throw new UserError('not_found', `No commitment ${id}. See the open ones with /mo spend commitments.`, {
      field: 'commitment_id',
    });
  await requireSpendEntry(mo, settings, actor, existing.category ?? '');
  // Closing takes its open amount out of the month it is dated in: a locked month stays as is.
  const auditActor =
    existing.status === 'closed'
      ? actor.userId
      : await lockedActor(mo, settings, actor, [existing.date], options.unlocked);
  const result = await mo.spend.closeCommitment(id, auditActor);
  if (!result) throw new UserError('not_found', `No commitment ${id}.`);
  if (!result.already) mo.figuresChanged();
  return { before: existing, already: result.already };
}

export const shortId = (id: string) => id.slice(-8);

function periodOf(settings: WorkspaceSettings, today: IsoDate, text?: string): Period | undefined {
  return text ? requirePeriod(text, today, settings.fiscalStartMonth) : undefined;
}

async function focusCategory(mo: WorkspaceMo, text?: string | null): Promise<string | null> {
  if (!text) return null;
  return (await entryCategory(mo, text, false, 'book spend in it first')).category;
}

export const SPEND_PAGE = 15;

/** `/mo spend list`: the latest entries, newest first, a page at a time. */
export async function listSpend(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: { period?: string; category?: string | null; page?: number },
) {
  const today = todayIn(mo, settings.timezone);
  const period = periodOf(settings, today, query.period);
  const category = await focusCategory(mo, query.category);
  const page = Math.max(1, query.page ?? 1);
  const rows = await mo.spend.list({
    start: period?.start,
    end: period?.end,
    category,
    skip: (page - 1) * SPEND_PAGE,
    take: SPEND_PAGE + 1,
  });
  return {
    period: period ?? null,
    category,
    page,
    entries: rows.slice(0, SPEND_PAGE),
    hasMore: rows.length > SPEND_PAGE,
  };
}

export interface CommitmentLine extends CommitmentListing {
  /** Days since its date (0 on the day; negative when dated ahead). */
  ageDays: number;
}

/** `/mo spend commitments`: open commitments (and over-invoiced ones) with their totals. */
export async function openCommitments(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: { period?: string; category?: string | null },
) {
  const today = todayIn(mo, settings.timezone);
  const period = periodOf(settings, today, query.period);
  const category = await focusCategory(mo, query.category);
  const rows = await mo.commitments.list({
    start: period?.start,
    end: period?.end,
    category,
    openOnly: true,
  });
  const lines: CommitmentLine[] = rows.map((r) => ({
    ...r,
    ageDays: r.date ? daysBetween(r.date, today) : 0,
  }));
  return { period: period ?? null, category, today, lines, totals: totals(lines) };
}

function totals(rows: Pick<CommitmentView, 'committed' | 'invoiced' | 'open'>[]) {
  return rows.reduce(
    (t, r) => ({
      committed: t.committed + r.committed,
      invoiced: t.invoiced + r.invoiced,
      open: t.open + r.open,
    }),
    { committed: 0n, invoiced: 0n, open: 0n },
  );
}

export const COMMITMENT_COLUMNS = [
  'commitment_id',
  'category',
  'date',
  'committed',
  'invoiced',
  'open',
  'status',
];

/** `mo export commitments`: every commitment dated in the period, in minor units, with a TOTAL row. */
export async function commitmentsCsv(
  mo: WorkspaceMo,
  settings: WorkspaceSettings,
  query: { period?: string },
) {
  const today = todayIn(mo, settings.timezone);
  const period = periodOf(settings, today, query.period);
  const rows = await mo.commitments.list({ start: period?.start, end: period?.end });
  const t = totals(rows);
  return toCsv(
    [
      ...rows.map((r) => [
        r.commitmentId,
        r.category ?? '',
        r.date ?? '',
        r.committed,
        r.invoiced,
        r.open,
        r.status,
      ]),
      ['TOTAL', '', '', t.committed, t.invoiced, t.open, ''],
    ],
    { columns: COMMITMENT_COLUMNS },
  );
}

/** Exact amount for confirmations: 1234.56 USD. */
export const exactAmount = (minor: bigint, currency: string) =>
  `${formatMinorExact(minor, currency)} ${currency}`;
