// The one way Mo writes CSV (mo export budget|kpis, mo survey export): a text cell a
// spreadsheet would run as a formula (`=cmd|' /C calc'!A0`, `@SUM(A1)`, `+1+1`, `-2+3`,
// or one starting with a tab or carriage return) is written with a leading `'`, OWASP's
// rule against CSV injection. Numbers stay numbers: `-120` is a refund, not a formula.
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

/** A cell as a spreadsheet may safely open it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export type CsvCell = string | number | bigint | null | undefined;

export function toCsv(
  rows: Array<Record<string, CsvCell>> | CsvCell[][],
  options: { columns?: string[] } = {},
): string {
  return stringify(rows, {
    header: true,
    ...(options.columns ? { columns: options.columns } : {}),
    cast: { string: neutraliseFormula },
  });
}
