// One pipeline for every way data comes in (CLI file today; Slack files and the API later).
// It streams the file once inside one transaction: every row is parsed and validated, and
// batches are written while no row has failed. Any bad row stops the writing, the rest of
// the file is still checked so every problem is reported by line, and the transaction rolls
// back: all or nothing. Each row is compared with what is stored (added/updated/unchanged).
// Memory stays flat in the file size: keys seen are kept in the session's temporary tables
// (src/db/bulk.ts), never in JS, and the caches are bounded.

import type { Readable } from 'node:stream';
import { recordAudit } from '../db/audit.js';
import {
  type BulkSession,
  insertAudit,
  keyLedger,
  openBulkSession,
  recordTable,
  timeOrderedIds,
} from '../db/bulk.js';
import type { Db } from '../db/client.js';
import { mappingRepository } from '../db/mapping.js';
import { addToFunnelRollup } from '../db/perf.js';
import { DEFER_INDEXES, type NewSpend, openSpendBulkWriter, type StoredSpend } from '../db/spend-bulk.js';
import { clockStamped } from '../db/stamps.js';
import type { IsoDate } from '../domain/calendar.js';
import { canonicalCategory, categoryKey, normalizeCategory, topOf } from '../domain/category.js';
import {
  applyLedgerChanges,
  CommitmentConflict,
  type CommitmentState,
  type LedgerChange,
  type LedgerStatus,
} from '../domain/commitments.js';
import { UserError } from '../domain/errors.js';
import { isLocked } from '../domain/lock.js';
import { compileRules } from '../domain/mapping.js';
import { formatMoney } from '../domain/money.js';
import { FunnelDeltas } from '../domain/perf.js';
import { rowsImported } from '../metrics.js';
import { BUDGET_COLUMNS, type BudgetRecord, parseBudgetRecord } from './budgets-csv.js';
import { CsvFormatError, CsvRowShapeError, type CsvSpec, type HeaderSpec, readCsvBatches } from './csv.js';
import type { Encoding } from './decode.js';
import {
  type AnyFormat,
  detectFormat,
  FORMATS,
  type Format,
  formatMatches,
  formatNamed,
  type ImportKind,
  type LeadRecord,
  type OpportunityRecord,
  type RowContext,
} from './formats.js';
import { type SpendRecord, spendKey } from './spend-csv.js';

export interface ImportCounts {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
}

export interface RowProblem {
  line: number;
  message: string;
}

/** The file was rejected as a whole; nothing was written. */
export class ImportRejected extends UserError {
  constructor(
    readonly problems: RowProblem[],
    readonly totalProblems: number,
  ) {
    const shown = problems.map((p) => (p.line > 0 ? `line ${p.line}: ${p.message}` : p.message));
    const more = totalProblems > problems.length ? `\n…and ${totalProblems - problems.length} more` : '';
    super(
      'invalid',
      `Nothing was imported: ${totalProblems} problem${totalProblems === 1 ? '' : 's'} in the file.\n${shown.join('\n')}${more}`,
    );
  }
}

const MAX_LISTED_PROBLEMS = 20;
// Rows in flight at once. A batch stays alive across its database round trips, long enough
// for V8 to promote its rows to the old generation; at 2,000 rows that garbage piled up
// faster than major GCs ran (the heap reached 200 MB at 300,000 rows). At 500 it dies young
// and the heap stays under 100 MB whatever the file's size, at the same speed.
const BATCH = 500;

export interface ImportContext {
  db: Db;
  /** The same database's URL: spend is written in bulk on the driver (src/db/spend-bulk.ts). */
  databaseUrl: string;
  /** Mo's clock at the start of the import: every row it writes carries this timestamp. */
  now: Date;
  teamId: string;
  currency: string;
  fiscalStartMonth: number;
  /** `csv`, `slack`, `api`, `demo`: where the rows came from. */
  source: string;
  actor: string;
  /** Opens the input afresh: the file is read twice (validate, then write). */
  open: () => Readable;
  /** Named in the audit trail (a file name). */
  label?: string;
  /** Force a format by name (see src/ingest/formats.ts) instead of detecting it from the header. */
  format?: string;
  /** File every row under this category (overrides mapping rules and vendor defaults). */
  category?: string;
  /** Check and count everything, write nothing. */
  dryRun?: boolean;
  /** How the file's bytes are text: strict UTF-8 unless the user names an 8-bit encoding. */
  encoding?: Encoding;
  /** Called after each batch with the rows read so far (progress on large files). */
  onProgress?: (rows: number) => void | Promise<void>;
  /**
   * Closed months lock (setting lock_days): a spend row that would add, change or close
   * anything dated in a locked month rejects the file, unless `unlocked` (an admin's
   * --unlocked, audited). Without it nothing is locked (the demo's own data).
   */
  lock?: { today: IsoDate; lockDays: number; unlocked?: boolean };
  /**
   * A process of its own (`mo import`), not `mo serve`: a large spend file may set Spend's
   * non-unique indexes aside and rebuild them before the commit (src/db/spend-bulk.ts).
   */
  ownProcess?: boolean;
}

export interface ImportResult extends ImportCounts {
  /** The format the file was read as. */
  format: string;
  /** Rows and amounts per category: where the file lands. */
  landing: { category: string; rows: number; amountMinor: bigint; campaigns: string[] }[];
  /** Categories the workspace did not have before this file. */
  newCategories: string[];
  dryRun: boolean;
}

interface Parsed<R> {
  line: number;
  record: R;
  key: string;
}

function describeKey(key: string): string {
  if (key.startsWith('ext:')) return `external_id ${key.slice(4)}`;
  if (key.startsWith('budget:')) return 'period and category';
  return 'row';
}

const DRY_RUN = Symbol('dry run');

/** Where validated batches go, inside the import's one transaction. */
interface ImportSink<R> {
  write(batch: Parsed<R>[]): Promise<void>;
  finish(rows: number): Promise<void>;
  /**
   * Records the batch's keys and returns the repeated ones (line → first line). Without it,
   * keys are remembered in memory (fine for small files such as budgets).
   */
  claim?(entries: { key: string; line: number }[]): Promise<Map<number, number>>;
  /** Adds each base's count in the batch; returns how many the file had before (see RowKey). */
  count?(bases: Map<string, number>): Promise<Map<string, number>>;
}

/** A row's key, or for rows without an id a base and how to number the n-th identical row. */
type RowKey = string | { base: string; make(n: number): string };

/** Runs `work` in a transaction: committed when it returns, rolled back when it throws. */
type InTransaction<R> = (work: (sink: ImportSink<R>) => Promise<void>) => Promise<void>;

/** Streams, validates and writes one file in one transaction; see the top of this file. */
async function runImport<R>(
  ctx: ImportContext,
  columns: CsvSpec | HeaderSpec,
  parseRow: (values: Record<string, string>, header: string[]) => R,
  keyOf: (record: R) => RowKey,
  inTransaction: InTransaction<R>,
): Promise<number> {
  const problems: RowProblem[] = [];
  let total = 0;
  let rows = 0;
  const note = (line: number, message: string) => {
    total++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line, message });
  };
  const seen = new Map<string, number>();
  const counted = new Map<string, number>();
  let header: string[] = [];
  const countInMemory = async (bases: Map<string, number>) => {
    const before = new Map<string, number>();
    for (const [base, n] of bases) {
      before.set(base, counted.get(base) ?? 0);
      counted.set(base, (counted.get(base) ?? 0) + n);
    }
    return before;
  };
  const inMemory = async (entries: { key: string; line: number }[]) => {
    const repeats = new Map<number, number>();
    for (const e of entries) {
      const first = seen.get(e.key);
      if (first !== undefined) repeats.set(e.line, first);
      else seen.set(e.key, e.line);
    }
    return repeats;
  };
  try {
    await inTransaction(async (sink) => {
      for await (const batch of readCsvBatches(
        ctx.open(),
        columns,
        BATCH,
        (h) => {
          header = h;
        },
        ctx.encoding,
      )) {
        const good: Parsed<R>[] = [];
        const numbered: { at: number; key: Extract<RowKey, object> }[] = [];
        for (const item of batch) {
          rows++;
          if (item instanceof CsvRowShapeError) {
            note(item.line, item.message);
            continue;
          }
          try {
            const record = parseRow(item.values, header);
            const key = keyOf(record);
            if (typeof key !== 'string') numbered.push({ at: good.length, key });
            good.push({ line: item.line, record, key: typeof key === 'string' ? key : '' });
          } catch (e) {
            note(item.line, (e as Error).message);
          }
        }
        if (numbered.length) {
          // Identical rows without an id are told apart by how many came before them in the file.
          const inBatch = new Map<string, number>();
          for (const { key } of numbered) inBatch.set(key.base, (inBatch.get(key.base) ?? 0) + 1);
          const before = await (sink.count ?? countInMemory)(inBatch);
          const next = new Map<string, number>();
          for (const { at, key } of numbered) {
            const n = next.get(key.base) ?? before.get(key.base) ?? 0;
            next.set(key.base, n + 1);
            (good[at] as Parsed<R>).key = key.make(n);
          }
        }
        const repeats = await (sink.claim ?? inMemory)(good.map((g) => ({ key: g.key, line: g.line })));
        if (repeats.size) {
          for (const g of good) {
            const first = repeats.get(g.line);
            if (first !== undefined)
              note(g.line, `repeats the row on line ${first} (same ${describeKey(g.key)})`);
          }
        }
        if (total === 0 && good.length) await sink.write(good);
        await ctx.onProgress?.(rows);
      }
      // Throwing inside the transaction rolls back whatever was written before the bad row.
      if (total)
        throw new ImportRejected(
          problems.sort((a, b) => a.line - b.line),
          total,
        );
      await sink.finish(rows);
      // A dry run goes all the way, then rolls back.
      if (ctx.dryRun) throw DRY_RUN;
    });
  } catch (e) {
    if (e === DRY_RUN) return rows;
    if (e instanceof CsvFormatError)
      throw new ImportRejected([...problems, { line: e.line, message: e.message }], total + 1);
    throw e;
  }
  return rows;
}

/**
 * Keys spend rows: the external id; for a vendor report, its day and campaign (a corrected
 * export updates the day in place); else a hash of the row. Repeats get an occurrence number.
 */
function spendKeyer(reading: { format(): AnyFormat }) {
  return (record: SpendRecord): RowKey => {
    if (record.externalId) return spendKey(record, 0);
    const format = reading.format();
    if (format.vendor) {
      const base = `${format.name}:${record.date}:${record.campaign.toLowerCase()}`;
      return { base, make: (n) => (n === 0 ? base : `${base}#${n}`) };
    }
    const base = spendKey(record, 0);
    return { base, make: (n) => (n === 0 ? base : spendKey(record, n)) };
  };
}

const MAX_CAMPAIGNS_LISTED = 12;

/** Rows and amounts per category, and which campaigns went there: for the reply and --dry-run. */
class Landing {
  private sums = new Map<
    string,
    { category: string; rows: number; amountMinor: bigint; campaigns: Set<string> }
  >();
  add(category: string, amountMinor: bigint, campaign: string) {
    const l = this.sums.get(category) ?? { category, rows: 0, amountMinor: 0n, campaigns: new Set<string>() };
    l.rows++;
    l.amountMinor += amountMinor;
    if (campaign && l.campaigns.size < MAX_CAMPAIGNS_LISTED) l.campaigns.add(campaign);
    this.sums.set(category, l);
  }
  list() {
    return [...this.sums.values()]
      .sort((a, b) => a.category.localeCompare(b.category))
      .map((l) => ({
        category: l.category,
        rows: l.rows,
        amountMinor: l.amountMinor,
        campaigns: [...l.campaigns],
      }));
  }
}

/**
 * Finds the file's format from its header (or the one --format names), with the workspace's
 * mapping rules and --category ready for its rows.
 */
async function formatReader<R>(ctx: ImportContext, kind: ImportKind) {
  const forced = ctx.format ? formatNamed(ctx.format) : undefined;
  if (ctx.format && (!forced || forced.kind !== kind)) {
    const names = FORMATS.filter((f) => f.kind === kind).map((f) => f.name);
    throw new ImportRejected(
      [{ line: 0, message: `unknown ${kind} format "${ctx.format}" (known: ${names.join(', ')})` }],
      1,
    );
  }
  const override = ctx.category ? normalizeCategory(ctx.category) : undefined;
  const rules = compileRules(await mappingRepository(ctx.db).list(ctx.teamId));
  const rowContext: RowContext = {
    currency: ctx.currency,
    categorize: (campaign, fallback) => override ?? rules(campaign) ?? fallback,
    rule: rules,
  };
  let format: AnyFormat | undefined = forced;
  const candidates = FORMATS.filter((f) => f.kind === kind);
  const header: HeaderSpec = {
    match: (names) => {
      format = forced ? (formatMatches(forced, names) ? forced : undefined) : detectFormat(names, kind);
      return format !== undefined;
    },
    mismatch: (names) =>
      forced
        ? `the header does not have the columns of ${forced.label}: ${forced.columns.join(', ')}` +
          (names.length ? ` (found ${names.filter(Boolean).join(', ')})` : '')
        : nearestMissing(candidates, names) +
          `no header of a known ${kind} format in the first lines; expected one of: ` +
          candidates.map((f) => `${f.label} (${f.columns.join(', ')})`).join('; '),
    preambleLines: 20,
    isReport: () => Boolean(format?.vendor),
  };
  return {
    header,
    format: () => format as AnyFormat,
    parse: (values: Record<string, string>, names: string[]): R => {
      const record = (format as Format<R>).read(values, rowContext, names) as R & { category: string };
      if (override) record.category = override;
      return record;
    },
    result: (counts: ImportCounts, landing: Landing, created: Set<string>): ImportResult => ({
      ...counts,
      format: (format as AnyFormat | undefined)?.label ?? kind,
      landing: landing.list(),
      newCategories: [...created].sort((a, b) => a.localeCompare(b)),
      dryRun: Boolean(ctx.dryRun),
    }),
  };
}

/** A header with some of a format's columns most likely meant it: name the ones it lacks. */
function nearestMissing(candidates: AnyFormat[], names: string[]): string {
  const near = candidates
    .map((f) => ({ f, missing: f.columns.filter((c) => !names.includes(c)) }))
    .filter(({ f, missing }) => missing.length < f.columns.length)
    .sort((a, b) => a.missing.length - b.missing.length)[0];
  return near ? `the header is missing ${near.missing.join(', ')} for a ${near.f.label}; ` : '';
}

async function knownCategories(db: Db, teamId: string): Promise<Map<string, string>> {
  const [a, b] = await Promise.all([
    db.budgetLine.groupBy({ by: ['category'], where: { teamId } }),
    db.spendDaily.groupBy({ by: ['category'], where: { teamId } }),
  ]);
  const known = new Map<string, string>();
  // Tops too: "paid media/Display" joins the workspace's "Paid Media/Search" as "Paid Media/Display".
  for (const { category } of [...a, ...b])
    for (const c of [category, topOf(category)]) if (!known.has(categoryKey(c))) known.set(categoryKey(c), c);
  return known;
}

/**
 * Keeps the spelling a workspace already uses for a category ("paid media" → "Paid Media").
 * Categories the workspace did not have are collected in `created` (the summary lists them).
 */
function canonicalizer(known: Map<string, string>, created?: Set<string>) {
  return (category: string) => {
    if (created && !known.has(categoryKey(category))) {
      const parts = category.split('/');
      const top = known.get(categoryKey(parts[0] ?? '')) ?? parts[0] ?? '';
      created.add(parts.length > 1 ? `${top}/${parts[1]}` : top);
    }
    const parts = category.split('/');
    const top = known.get(categoryKey(parts[0] ?? '')) ?? canonicalCategory(parts[0] ?? '', []);
    const full = parts.length > 1 ? `${top}/${parts[1]}` : top;
    const canonical = known.get(categoryKey(full)) ?? full;
    known.set(categoryKey(canonical), canonical);
    if (!known.has(categoryKey(top))) known.set(categoryKey(top), top);
    return canonical;
  };
}

const TX = { timeout: 30 * 60_000, maxWait: 60_000 };

export async function importSpend(ctx: ImportContext): Promise<ImportResult> {
  const counts: ImportCounts = { rows: 0, added: 0, updated: 0, unchanged: 0 };
  const created = new Set<string>();
  const canonical = canonicalizer(await knownCategories(ctx.db, ctx.teamId), created);
  const reading = await formatReader<SpendRecord>(ctx, 'spend');
  const landing = new Landing();
  let unlockedRows = 0;
  // Whether a date's month is locked, worked out once per month of the file rather than per
  // row (date arithmetic for every row was a few per cent of an import).
  const lockedMonths = new Map<string, boolean>();
  const monthLocked = (date: string): boolean => {
    const lock = ctx.lock;
    if (!lock) return false;
    const month = date.slice(0, 7);
    let locked = lockedMonths.get(month);
    if (locked === undefined) {
      locked = isLocked(date, lock.today, lock.lockDays);
      lockedMonths.set(month, locked);
    }
    return locked;
  };
  const inTransaction: InTransaction<SpendRecord> = async (work) => {
    const writer = await openSpendBulkWriter(
      ctx.databaseUrl,
      ctx.now,
      ctx.ownProcess ? DEFER_INDEXES : undefined,
    );
    // A team's first import cannot match stored rows: skip the per-batch look-ups. (The
    // writer holds the write lock, so no other import can add this team's rows meanwhile.)
    const firstImport = !(await writer.hasSpend(ctx.teamId));
    try {
      await work({
        claim: (entries) => writer.claimKeys(entries),
        count: (bases) => writer.countOccurrences(bases),
        async write(batch) {
          const existing = firstImport
            ? new Map<string, StoredSpend>()
            : await writer.existing(
                ctx.teamId,
                batch.map((b) => b.key),
              );
          const create: NewSpend[] = [];
          const changes: LedgerChange[] = [];
          // Lines of rows naming a commitment (to report a conflict), and unchanged rows that close one.
          const lineOf = new Map<string, number>();
          const closing = new Map<string, string>();
          const lockedLines: RowProblem[] = [];
          const lock = ctx.lock;
          /** A row that changes spend dated in a locked month: refused, or counted as unlocked. */
          const touches = (line: number, ...dates: string[]) => {
            if (!lock) return;
            const locked = dates.find(monthLocked);
            if (!locked) return;
            if (lock.unlocked) unlockedRows++;
            else
              lockedLines.push({
                line,
                message: `${locked.slice(0, 7)} is locked: the month ended more than ${lock.lockDays} days ago (setting lock_days), so its spend stays what was reported; an admin can import with --unlocked`,
              });
          };
          for (const { record, key, line } of batch) {
            const data = {
              date: record.date,
              amountMinor: record.amountMinor,
              status: record.status,
              category: canonical(record.category),
              campaign: record.campaign,
              vendor: record.vendor,
              commitmentId: record.commitmentId,
            };
            landing.add(data.category, data.amountMinor, data.campaign);
            if (data.commitmentId) lineOf.set(key, line);
            const after = { key, ...data };
            const old = existing.get(key);
            if (!old) {
              touches(line, data.date);
              create.push({
                teamId: ctx.teamId,
                ...data,
                source: ctx.source,
                idempotencyKey: key,
                enteredBy: ctx.actor,
              });
              changes.push({ after, close: record.closes });
            } else if (
              old.date !== data.date ||
              old.amountMinor !== data.amountMinor ||
              old.status !== data.status ||
              old.category !== data.category ||
              old.campaign !== data.campaign ||
              old.vendor !== data.vendor ||
              old.commitmentId !== data.commitmentId
            ) {
              touches(line, old.date, data.date);
              await writer.update(old.id, data);
              changes.push({
                before: { key, ...old, status: old.status as LedgerStatus },
                after,
                close: record.closes,
              });
              counts.updated++;
            } else {
              counts.unchanged++;
              if (record.closes && data.commitmentId) {
                touches(line, data.date);
                changes.push({ before: after, after, close: true });
                closing.set(key, data.commitmentId);
              }
            }
          }
          // Every locked row of the batch is named; the transaction rolls back (all or nothing).
          if (lockedLines.length) throw new ImportRejected(lockedLines.slice(0, 20), lockedLines.length);
          if (create.length) await writer.insert(create);
          counts.added += create.length;
          const ids = new Set<string>();
          for (const c of changes) {
            if (c.before?.commitmentId) ids.add(c.before.commitmentId);
            if (c.after?.commitmentId) ids.add(c.after.commitmentId);
          }
          const commitments = ids.size
            ? await writer.commitments.load(ctx.teamId, [...ids])
            : new Map<string, CommitmentState>();
          let applied: ReturnType<typeof applyLedgerChanges>;
          try {
            applied = applyLedgerChanges(changes, commitments);
          } catch (e) {
            if (e instanceof CommitmentConflict)
              throw new ImportRejected([{ line: lineOf.get(e.key) ?? 0, message: e.message }], 1);
            throw e;
          }
          if (applied.touched.length) await writer.commitments.save(ctx.teamId, applied.touched, ctx.actor);
          await writer.addToRollup(applied.cells.map((c) => ({ teamId: ctx.teamId, ...c })));
          // A row already stored that now closes its commitment changed something.
          for (const id of closing.values())
            if (applied.closed.has(id)) {
              counts.unchanged--;
              counts.updated++;
            }
        },
        async finish(rows) {
          if (!counts.added && !counts.updated) return;
          await writer.audit({
            teamId: ctx.teamId,
            actor: unlockedRows ? `${ctx.actor} (--unlocked)` : ctx.actor,
            action: 'spend.import',
            entity: 'spend',
            entityId: ctx.label ?? ctx.source,
            after: JSON.stringify({ ...counts, rows, ...(unlockedRows ? { unlockedRows } : {}) }),
          });
        },
      });
      await writer.commit();
    } catch (e) {
      await writer.rollback();
      throw e;
    }
  };
  counts.rows = await runImport(ctx, reading.header, reading.parse, spendKeyer(reading), inTransaction);
  if (!ctx.dryRun) rowsImported.inc({ kind: 'spend' }, counts.rows);
  return reading.result(counts, landing, created);
}

export async function importBudgets(ctx: ImportContext): Promise<ImportCounts> {
  const counts: ImportCounts = { rows: 0, added: 0, updated: 0, unchanged: 0 };
  const canonical = canonicalizer(await knownCategories(ctx.db, ctx.teamId));
  counts.rows = await runImport(
    ctx,
    BUDGET_COLUMNS,
    (values) => parseBudgetRecord(values, ctx.currency, ctx.fiscalStartMonth),
    (r: BudgetRecord) => `budget:${r.period.key}|${categoryKey(r.category)}`,
    (work) =>
      ctx.db.$transaction(
        (tx) => work({ write: (batch) => writeBudgets(tx as Db, batch), finish: async () => {} }),
        TX,
      ),
  );
  if (!ctx.dryRun) rowsImported.inc({ kind: 'budgets' }, counts.rows);
  return counts;

  async function writeBudgets(tx: Db, batch: Parsed<BudgetRecord>[]) {
    for (const { record } of batch) {
      const category = canonical(record.category);
      const where = { teamId_period_category: { teamId: ctx.teamId, period: record.period.key, category } };
      const old = await tx.budgetLine.findUnique({ where });
      const data = {
        periodStart: record.period.start,
        periodEnd: record.period.end,
        plannedMinor: record.plannedMinor,
        ownerUserId: record.ownerUserId,
        phasing: record.phasing,
      };
      if (
        old &&
        old.plannedMinor === data.plannedMinor &&
        old.ownerUserId === data.ownerUserId &&
        old.phasing === data.phasing
      ) {
        counts.unchanged++;
        continue;
      }
      const row = await tx.budgetLine.upsert({
        where,
        create: clockStamped({ teamId: ctx.teamId, period: record.period.key, category, ...data }),
        update: data,
      });
      if (old) counts.updated++;
      else counts.added++;
      const view = (l: typeof row) => ({
        period: l.period,
        category: l.category,
        plannedMinor: l.plannedMinor,
        ownerUserId: l.ownerUserId,
        phasing: l.phasing,
      });
      await recordAudit(tx, {
        teamId: ctx.teamId,
        actor: ctx.actor,
        action: old ? 'budget.update' : 'budget.create',
        entity: 'budget_line',
        entityId: row.id,
        before: old && view(old),
        after: view(row),
      });
    }
  }
}

/** Runs `work` in a bulk session: committed when it returns, rolled back when it throws. */
async function inBulkSession(
  url: string,
  now: Date,
  work: (session: BulkSession) => Promise<void>,
): Promise<void> {
  const session = await openBulkSession(url, now);
  try {
    await work(session);
    await session.commit();
  } catch (e) {
    await session.rollback();
    throw e;
  }
}

/**
 * Leads and opportunities, keyed by the CRM's record id: a changed record (a lead that became
 * an MQL, a deal that closed) updates in place. Written in bulk in one transaction.
 */
async function importRecords<R extends LeadRecord | OpportunityRecord>(
  ctx: ImportContext,
  kind: 'leads' | 'opportunities',
  table: string,
  columns: (keyof R & string)[],
  types: Partial<Record<keyof R & string, 'boolean' | 'bigint'>>,
): Promise<ImportResult> {
  const counts: ImportCounts = { rows: 0, added: 0, updated: 0, unchanged: 0 };
  const created = new Set<string>();
  const canonical = canonicalizer(await knownCategories(ctx.db, ctx.teamId), created);
  const reading = await formatReader<R>(ctx, kind);
  const landing = new Landing();
  const compared = columns.filter((c) => c !== 'externalId');
  counts.rows = await runImport(
    ctx,
    reading.header,
    reading.parse,
    (r: R) => `ext:${r.externalId}`,
    (work) =>
      inBulkSession(ctx.databaseUrl, ctx.now, async (session) => {
        // biome-ignore lint/suspicious/noExplicitAny: the record types are the table's columns
        const rows = recordTable<any>(session, table, 'externalId', columns, timeOrderedIds(), types);
        await work({
          claim: keyLedger(session),
          async write(batch) {
            const existing = await rows.existing(
              ctx.teamId,
              batch.map((b) => b.record.externalId),
            );
            const create: R[] = [];
            const rollup = new FunnelDeltas();
            for (const { record } of batch) {
              const data = { ...record, category: canonical(record.category) };
              landing.add(data.category, 'amountMinor' in data ? data.amountMinor : 0n, data.campaign);
              const old = existing.get(record.externalId);
              if (!old) {
                create.push(data);
                rollup.add(data, 1);
              } else if (compared.some((f) => old[f] !== data[f])) {
                await rows.update(old.id, data);
                rollup.add(old, -1);
                rollup.add(data, 1);
                counts.updated++;
              } else counts.unchanged++;
            }
            if (create.length) await rows.insert(ctx.teamId, ctx.source, create);
            await addToFunnelRollup(session, ctx.teamId, rollup.list());
            counts.added += create.length;
          },
          async finish(n) {
            if (!counts.added && !counts.updated) return;
            await insertAudit(session, {
              teamId: ctx.teamId,
              actor: ctx.actor,
              action: `${kind}.import`,
              entity: kind,
              entityId: ctx.label ?? ctx.source,
              after: JSON.stringify({ ...counts, rows: n }),
            });
          },
        });
      }),
  );
  if (!ctx.dryRun) rowsImported.inc({ kind }, counts.rows);
  return reading.result(counts, landing, created);
}

export function importLeads(ctx: ImportContext): Promise<ImportResult> {
  return importRecords<LeadRecord>(
    ctx,
    'leads',
    'Lead',
    ['externalId', 'createdDate', 'mqlDate', 'sqlDate', 'category', 'campaign'],
    {},
  );
}

export function importOpportunities(ctx: ImportContext): Promise<ImportResult> {
  return importRecords<OpportunityRecord>(
    ctx,
    'opportunities',
    'Opportunity',
    ['externalId', 'name', 'createdDate', 'amountMinor', 'stage', 'closeDate', 'won', 'category', 'campaign'],
    { won: 'boolean', amountMinor: 'bigint' },
  );
}

export function describeResult(
  kind: string,
  r: ImportResult,
  currency: string,
  format: (m: bigint, c: string) => string,
): string {
  const head = r.dryRun
    ? `Dry run, nothing written: ${r.rows} ${kind} row${r.rows === 1 ? '' : 's'} read as ${r.format} would be ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.`
    : `${describeCounts(kind, r)} (${r.format})`;
  const lines = r.landing.map(
    (l) =>
      `  ${l.category}: ${l.rows} row${l.rows === 1 ? '' : 's'}${kind === 'leads' ? '' : `, ${format(l.amountMinor, currency)}`}` +
      (l.campaigns.length
        ? ` ← ${l.campaigns.join('; ')}${l.campaigns.length === MAX_CAMPAIGNS_LISTED ? '; …' : ''}`
        : ''),
  );
  const created = r.newCategories.length
    ? [
        `${r.dryRun ? 'Would create' : 'Created'} ${r.newCategories.length} new categor${r.newCategories.length === 1 ? 'y' : 'ies'}: ${r.newCategories.join(', ')}.`,
      ]
    : [];
  return [head, ...created, ...(lines.length ? ['Where the rows land:', ...lines] : [])].join('\n');
}

export function describeCounts(kind: string, c: ImportCounts): string {
  return `Imported ${c.rows} ${kind} row${c.rows === 1 ? '' : 's'}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged.`;
}

export const IMPORT_KINDS = ['spend', 'budgets', 'leads', 'opportunities'] as const;
export type ImportFileKind = (typeof IMPORT_KINDS)[number];

export const isImportKind = (kind: string | undefined): kind is ImportFileKind =>
  IMPORT_KINDS.includes(kind as ImportFileKind);

/** Imports a file of the given kind and says what happened, the same way everywhere. */
export async function importAndDescribe(kind: ImportFileKind, ctx: ImportContext): Promise<string> {
  if (kind === 'budgets') return describeCounts('budget', await importBudgets(ctx));
  const importer = { spend: importSpend, leads: importLeads, opportunities: importOpportunities }[kind];
  return describeResult(kind, await importer(ctx), ctx.currency, formatMoney);
}
