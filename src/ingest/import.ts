// One pipeline for every way data comes in (CLI file today; Slack files and the API later):
// pass 1 streams the file and validates every row, so a bad row rejects the whole file with
// its line number and nothing is written; pass 2 streams it again and writes in batches
// inside one transaction, comparing each row with what is stored (added/updated/unchanged).
// Memory stays flat in the file size but for the set of keys used to catch duplicates.
import type { Readable } from 'node:stream';
import { recordAudit } from '../db/audit.js';
import type { Db } from '../db/client.js';
import { canonicalCategory, categoryKey } from '../domain/category.js';
import { BUDGET_COLUMNS, type BudgetRecord, parseBudgetRecord } from './budgets-csv.js';
import { readCsv } from './csv.js';
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

async function validate<R>(
  ctx: ImportContext,
  columns: { required: readonly string[]; optional: readonly string[] },
  parseRow: (values: Record<string, string>) => R,
  keyOf: (record: R, line: number) => string,
): Promise<number> {
  const problems: RowProblem[] = [];
  let total = 0;
  let rows = 0;
  const seen = new Map<string, number>();
  try {
    for await (const { line, values } of readCsv(ctx.open(), columns)) {
      rows++;
      try {
        const record = parseRow(values);
        const key = keyOf(record, line);
        const first = seen.get(key);
        if (first !== undefined)
          throw new Error(`repeats the row on line ${first} (same ${describeKey(key)})`);
        seen.set(key, line);
      } catch (e) {
        total++;
        if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line, message: (e as Error).message });
      }
    }
  } catch (e) {
    throw new ImportRejected([...problems, { line: 0, message: (e as Error).message }], total + 1);
  }
  if (total) throw new ImportRejected(problems, total);
  return rows;
}

function describeKey(key: string): string {
  if (key.startsWith('ext:')) return `external_id ${key.slice(4)}`;
  if (key.startsWith('budget:')) return 'period and category';
  return 'row';
}

async function* batches<R>(
  ctx: ImportContext,
  columns: { required: readonly string[]; optional: readonly string[] },
  parseRow: (values: Record<string, string>) => R,
  keyOf: (record: R, line: number) => string,
): AsyncGenerator<Parsed<R>[]> {
  let batch: Parsed<R>[] = [];
  for await (const { line, values } of readCsv(ctx.open(), columns)) {
    const record = parseRow(values);
    batch.push({ line, record, key: keyOf(record, line) });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
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
    db.spend.groupBy({ by: ['category'], where: { teamId } }),
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
  const parseRow = (values: Record<string, string>) => parseSpendRecord(values, ctx.currency);
  const rows = await validate(ctx, SPEND_COLUMNS, parseRow, spendKeyer());
  const counts: ImportCounts = { rows, added: 0, updated: 0, unchanged: 0 };
  const canonical = canonicalizer(await knownCategories(ctx.db, ctx.teamId));
  await ctx.db.$transaction(async (tx) => {
    for await (const batch of batches(ctx, SPEND_COLUMNS, parseRow, spendKeyer())) {
      const existing = await tx.spend.findMany({
        where: { teamId: ctx.teamId, idempotencyKey: { in: batch.map((b) => b.key) } },
        select: {
          id: true,
          idempotencyKey: true,
          date: true,
          amountMinor: true,
          status: true,
          category: true,
          campaign: true,
          vendor: true,
        },
      });
      const byKey = new Map(existing.map((e) => [e.idempotencyKey, e]));
      const create = [];
      for (const { record, key } of batch) {
        const data = {
          date: record.date,
          amountMinor: record.amountMinor,
          status: record.status,
          category: canonical(record.category),
          campaign: record.campaign,
          vendor: record.vendor,
        };
        const old = byKey.get(key);
        if (!old) {
          create.push({ teamId: ctx.teamId, ...data, source: ctx.source, idempotencyKey: key });
        } else if (
          old.date !== data.date ||
          old.amountMinor !== data.amountMinor ||
          old.status !== data.status ||
          old.category !== data.category ||
          old.campaign !== data.campaign ||
          old.vendor !== data.vendor
        ) {
          await tx.spend.update({ where: { id: old.id }, data });
          counts.updated++;
        } else {
          counts.unchanged++;
        }
      }
      if (create.length) await tx.spend.createMany({ data: create });
      counts.added += create.length;
    }
    if (counts.added || counts.updated) {
      await recordAudit(tx as Db, {
        teamId: ctx.teamId,
        actor: ctx.actor,
        action: 'spend.import',
        entity: 'spend',
        entityId: ctx.label ?? ctx.source,
        after: counts,
      });
    }
  }, TX);
  return counts;
}

export async function importBudgets(ctx: ImportContext): Promise<ImportCounts> {
  const parseRow = (values: Record<string, string>) =>
    parseBudgetRecord(values, ctx.currency, ctx.fiscalStartMonth);
  const keyOf = (r: BudgetRecord) => `budget:${r.period.key}|${categoryKey(r.category)}`;
  const rows = await validate(ctx, BUDGET_COLUMNS, parseRow, keyOf);
  const counts: ImportCounts = { rows, added: 0, updated: 0, unchanged: 0 };
  const canonical = canonicalizer(await knownCategories(ctx.db, ctx.teamId));
  await ctx.db.$transaction(async (tx) => {
    for await (const batch of batches(ctx, BUDGET_COLUMNS, parseRow, keyOf)) {
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
        await recordAudit(tx as Db, {
          teamId: ctx.teamId,
          actor: ctx.actor,
          action: old ? 'budget.update' : 'budget.create',
          entity: 'budget_line',
          entityId: row.id,
          before: old && {
            period: old.period,
            category: old.category,
            plannedMinor: old.plannedMinor,
            ownerUserId: old.ownerUserId,
          },
          after: {
            period: row.period,
            category: row.category,
            plannedMinor: row.plannedMinor,
            ownerUserId: row.ownerUserId,
          },
        });
      }
    }
  }, TX);
  return counts;
}

export function describeCounts(kind: string, c: ImportCounts): string {
  return `Imported ${c.rows} ${kind} row${c.rows === 1 ? '' : 's'}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged.`;
}
