// Which kind of data a file holds, from the header near its top: for files shared in Slack,
// where no one says whether it is spend, leads, opportunities or budgets.
import { parse } from 'csv-parse/sync';
import { BUDGET_COLUMNS } from './budgets-csv.js';
import { normalizeHeader } from './csv.js';
import { detectFormat, type ImportKind } from './formats.js';

export type FileKind = ImportKind | 'budgets';

export function sniffKind(head: string): FileKind | undefined {
  // Only the first lines matter; a cut-off last line is dropped.
  const lines = head.split(/\r?\n/).slice(0, 25);
  if (lines.length === 25) lines.pop();
  let rows: string[][];
  try {
    rows = parse(lines.join('\n'), {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    });
  } catch {
    return undefined;
  }
  for (const row of rows) {
    const header = row.map(normalizeHeader);
    if (BUDGET_COLUMNS.required.every((c) => header.includes(c))) return 'budgets';
    const format = detectFormat(header);
    if (format) return format.kind;
  }
  return undefined;
}
