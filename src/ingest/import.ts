// One pipeline for every way data comes in (CLI file today; Slack files and the API later).
// It streams the file once inside one transaction: every row is parsed and validated, and
// batches are written while no row has failed. Any bad row stops the writing, the rest of
// the file is still checked so every problem is reported by line, and the transaction rolls
// back: all or nothing. Each row is compared with what is stored (added/updated/unchanged).
// Memory stays flat in the file size but for the keys kept to catch duplicates.
import type { Readable } from 'node:stream';
import { recordAudit } from '../db/audit.js';
import type { Db } from '../db/client.js';
import { type NewSpend, openSpendBulkWriter, type RollupDelta, type StoredSpend } from '../db/spend-bulk.js';
import { canonicalCategory, categoryKey } from '../domain/category.js';
import { BUDGET_COLUMNS, type BudgetRecord, parseBudgetRecord } from './budgets-csv.js';
import { CsvFormatError, CsvRowShapeError, type CsvSpec, readCsvBatches } from './csv.js';
import { parseSpendRecord, SPEND_COLUMNS, type SpendRecord, spendKey } from './spend-csv.js';

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
export class ImportRejected extends Error {
  constructor(
    readonly problems: RowProblem[],
    readonly totalProblems: number,
  ) {
    const shown = problems.map((p) => (p.line > 0 ? `line ${p.line}: ${p.message}` : p.message));
    const more = totalProblems > problems.length ? `\n…and ${totalProblems - problems.length} more` : '';
    super(
      `Nothing was imported: ${totalProblems} problem${totalProblems === 1 ? '' : 's'} in the file.\n${shown.join('\n')}${more}`,
    );
  }
}

const MAX_LISTED_PROBLEMS = 20;
const BATCH = 2000;

export interface ImportContext {
  db: Db;
  /** The same database's URL: spend is written in bulk on the driver (src/db/spend-bulk.ts). */
  databaseUrl: string;
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

/** Where validated batches go, inside the import's one transaction. */
interface ImportSink<R> {
  write(batch: Parsed<R>[]): Promise<void>;
  finish(rows: number): Promise<void>;
}

/** Runs `work` in a transaction: committed when it returns, rolled back when it throws. */
type InTransaction<R> = (work: (sink: ImportSink<R>) => Promise<void>) => Promise<void>;

/** Streams, validates and writes one file in one transaction; see the top of this file. */
async function runImport<R>(
  ctx: ImportContext,
  columns: CsvSpec,
  parseRow: (values: Record<string, string>) => R,
  keyOf: (record: R) => string,
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
  try {
    await inTransaction(async (sink) => {
      for await (const batch of readCsvBatches(ctx.open(), columns, BATCH)) {
        const good: Parsed<R>[] = [];
        for (const item of batch) {
          rows++;
          if (item instanceof CsvRowShapeError) {
            note(item.line, item.message);
            continue;
          }
          try {
            const record = parseRow(item.values);
            const key = keyOf(record);
            const first = seen.get(key);
            if (first !== undefined)
              throw new Error(`repeats the row on line ${first} (same ${describeKey(key)})`);
            seen.set(key, item.line);
            good.push({ line: item.line, record, key });
          } catch (e) {
            note(item.line, (e as Error).message);
          }
        }
        if (total === 0 && good.length) await sink.write(good);
      }
      // Throwing inside the transaction rolls back whatever was written before the bad row.
      if (total) throw new ImportRejected(problems, total);
      await sink.finish(rows);
    });
  } catch (e) {
    if (e instanceof CsvFormatError)
      throw new ImportRejected([...problems, { line: 0, message: e.message }], total + 1);
    throw e;
  }
  return rows;
}

/** A batch's net change to the daily spend rollup (SpendDaily). */
class RollupDeltas {
  private sums = new Map<string, RollupDelta>();
  constructor(private teamId: string) {}
  add(row: { date: string; category: string; status: string; amountMinor: bigint }, sign: 1n | -1n) {
    const key = `${row.date}\u001f${row.category}\u001f${row.status}`;
    const d = this.sums.get(key);
    if (d) d.amountMinor += sign * row.amountMinor;
    else
      this.sums.set(key, {
        teamId: this.teamId,
        date: row.date,
        category: row.category,
        status: row.status,
        amountMinor: sign * row.amountMinor,
      });
  }
  rows(): RollupDelta[] {
    return [...this.sums.values()];
  }
}

/** Keys rows without an external id by content and occurrence, identically in both passes. */
function spendKeyer() {
  const occurrences = new Map<string, number>();
  return (record: SpendRecord) => {
    if (record.externalId) return spendKey(record, 0);
    const base = spendKey(record, 0);
    const n = occurrences.get(base) ?? 0;
    occurrences.set(base, n + 1);
    return n === 0 ? base : spendKey(record, n);
  };
}

async function knownCategories(db: Db, teamId: string): Promise<Map<string, string>> {
  const [a, b] = await Promise.all([
    db.budgetLine.groupBy({ by: ['category'], where: { teamId } }),
    db.spendDaily.groupBy({ by: ['category'], where: { teamId } }),
  ]);
  const known = new Map<string, string>();
  for (const { category } of [...a, ...b])
    if (!known.has(categoryKey(category))) known.set(categoryKey(category), category);
  return known;
}

/** Keeps the spelling a workspace already uses for a category ("paid media" → "Paid Media"). */
function canonicalizer(known: Map<string, string>) {
  return (category: string) => {
    const parts = category.split('/');
    const top = known.get(categoryKey(parts[0] ?? '')) ?? canonicalCategory(parts[0] ?? '', []);
    const full = parts.length > 1 ? `${top}/${parts[1]}` : top;
    const canonical = known.get(categoryKey(full)) ?? full;
    known.set(categoryKey(canonical), canonical);
    return canonical;
  };
}

const TX = { timeout: 30 * 60_000, maxWait: 60_000 };

export async function importSpend(ctx: ImportContext): Promise<ImportCounts> {
  const counts: ImportCounts = { rows: 0, added: 0, updated: 0, unchanged: 0 };
  const canonical = canonicalizer(await knownCategories(ctx.db, ctx.teamId));
  const inTransaction: InTransaction<SpendRecord> = async (work) => {
    const writer = await openSpendBulkWriter(ctx.databaseUrl);
    // A team's first import cannot match stored rows: skip the per-batch look-ups. (The
    // writer holds the write lock, so no other import can add this team's rows meanwhile.)
    const firstImport = !(await writer.hasSpend(ctx.teamId));
    try {
      await work({
        async write(batch) {
          const existing = firstImport
            ? new Map<string, StoredSpend>()
            : await writer.existing(
                ctx.teamId,
                batch.map((b) => b.key),
              );
          const create: NewSpend[] = [];
          const rollup = new RollupDeltas(ctx.teamId);
          for (const { record, key } of batch) {
            const data = {
              date: record.date,
              amountMinor: record.amountMinor,
              status: record.status,
              category: canonical(record.category),
              campaign: record.campaign,
              vendor: record.vendor,
            };
            const old = existing.get(key);
            if (!old) {
              create.push({ teamId: ctx.teamId, ...data, source: ctx.source, idempotencyKey: key });
              rollup.add(data, 1n);
            } else if (
              old.date !== data.date ||
              old.amountMinor !== data.amountMinor ||
              old.status !== data.status ||
              old.category !== data.category ||
              old.campaign !== data.campaign ||
              old.vendor !== data.vendor
            ) {
              await writer.update(old.id, data);
              rollup.add(old, -1n);
              rollup.add(data, 1n);
              counts.updated++;
            } else {
              counts.unchanged++;
            }
          }
          if (create.length) await writer.insert(create);
          await writer.addToRollup(rollup.rows());
          counts.added += create.length;
        },
        async finish(rows) {
          if (!counts.added && !counts.updated) return;
          await writer.audit({
            teamId: ctx.teamId,
            actor: ctx.actor,
            action: 'spend.import',
            entity: 'spend',
            entityId: ctx.label ?? ctx.source,
            after: JSON.stringify({ ...counts, rows }),
          });
        },
      });
      await writer.commit();
    } catch (e) {
      await writer.rollback();
      throw e;
    }
  };
  counts.rows = await runImport(
    ctx,
    SPEND_COLUMNS,
    (values) => parseSpendRecord(values, ctx.currency),
    spendKeyer(),
    inTransaction,
  );
  return counts;
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
      };
      if (old && old.plannedMinor === data.plannedMinor && old.ownerUserId === data.ownerUserId) {
        counts.unchanged++;
        continue;
      }
      const row = await tx.budgetLine.upsert({
        where,
        create: { teamId: ctx.teamId, period: record.period.key, category, ...data },
        update: data,
      });
      if (old) counts.updated++;
      else counts.added++;
      const view = (l: typeof row) => ({
        period: l.period,
        category: l.category,
        plannedMinor: l.plannedMinor,
        ownerUserId: l.ownerUserId,
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

export function describeCounts(kind: string, c: ImportCounts): string {
  return `Imported ${c.rows} ${kind} row${c.rows === 1 ? '' : 's'}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged.`;
}
