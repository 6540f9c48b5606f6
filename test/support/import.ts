// An import of CSV text into a test database's workspace, as `mo import` would make it:
// Mo's clock, USD, a January fiscal year, unless the test says otherwise.
import { Readable } from 'node:stream';
import type { ImportContext } from '../../src/ingest/import.js';
import type { Mo } from '../../src/services/mo.js';

export function csvImport(
  mo: Mo,
  teamId: string,
  csv: string | (() => Readable),
  extra: Partial<ImportContext> = {},
): ImportContext {
  return {
    db: mo.db,
    databaseUrl: mo.databaseUrl,
    now: mo.clock(),
    teamId,
    currency: 'USD',
    fiscalStartMonth: 1,
    source: 'csv',
    actor: 'U0IMPORT',
    open: typeof csv === 'string' ? () => Readable.from([csv]) : csv,
    ...extra,
  };
}
