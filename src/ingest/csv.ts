// Streams CSV records with csv-parse: header required, columns in any order (matched
// case-insensitively), UTF-8 with or without BOM. Yields each record with its line number.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export interface CsvRow {
  /** 1-based line of the file the record starts on (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export class CsvFormatError extends Error {}

export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '_');
}

export async function* readCsv(
  input: Readable,
  spec: { required: readonly string[]; optional: readonly string[] },
): AsyncGenerator<CsvRow> {
  let sawHeader = false;
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        sawHeader = true;
        const names = header.map(normalizeHeader);
        const missing = spec.required.filter((c) => !names.includes(c));
        if (missing.length) {
          throw new CsvFormatError(
            `the header is missing ${missing.join(', ')} (expected columns: ${[...spec.required, ...spec.optional].join(',')})`,
          );
        }
        const dup = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
        if (dup) throw new CsvFormatError(`the header names column "${dup}" twice`);
        return names;
      },
      skip_empty_lines: true,
      trim: true,
      info: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, values: record };
    }
    if (!sawHeader) {
      throw new CsvFormatError(`the file is empty: a header line is required (${spec.required.join(',')})`);
    }
  } catch (err) {
    if (err instanceof CsvFormatError) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code?.startsWith('CSV_')) {
      throw new CsvFormatError(
        `line ${e.lines ?? '?'}: ${e.message.replace(/^Invalid Record Length: /, '')}`,
      );
    }
    throw err;
  }
}
