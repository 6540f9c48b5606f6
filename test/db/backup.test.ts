// mo backup / mo restore on SQLite: a backup taken while an import is writing holds what was
// committed (none of the import: imports commit once), a restore into an empty database
// matches its backup row for row and cent for cent, and a non-empty target is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackupSummary,
  backupDatabase,
  compareSummaries,
  restoreDatabase,
  summarizeSqliteFile,
} from '../../src/db/backup.js';
import { UserError } from '../../src/domain/errors.js';
import { importBudgets, importSpend } from '../../src/ingest/import.js';
import { createTestDatabase, provider, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

let t: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'mo-backup-'));
const TEAM = 'T0BACKUP';
const ROWS = 3000;

const ctx = (csv: string) => csvImport(t.mo, TEAM, csv, { actor: 'U0OPS' });

function spendCsv(rows: number, prefix: string): { csv: string; cents: bigint } {
  const lines = ['date,amount,category,campaign,external_id'];
  let cents = 0n;
  for (let i = 0; i < rows; i++) {
    const amount = 1000 + ((i * 37) % 9000);
    cents += BigInt(amount);
    lines.push(
      `2026-10-${String(1 + (i % 28)).padStart(2, '0')},${(amount / 100).toFixed(2)},Paid Media/Search,C${i % 7},${prefix}-${i}`,
    );
  }
  return { csv: lines.join('\n'), cents };
}

const path = () => t.mo.databaseUrl.slice('file:'.length);

describe.skipIf(provider() !== 'sqlite')('backup and restore (SQLite)', () => {
  beforeAll(async () => {
    t = await createTestDatabase('2026-10-15T12:00:00Z');
    await t.mo.workspaces.ensure(TEAM);
    await importBudgets(ctx('period,category,amount\n2026-10,Paid Media/Search,50000\n'));
    await importSpend(ctx(spendCsv(500, 'first').csv));
  });
  afterAll(() => t?.close());

  it('backs up during an import what was committed, and restores it exactly', async () => {
    const before = summarizeSqliteFile(path());
    expect(before.rows.Spend).toBe(500);
    const file = join(dir, 'during.db');
    let during: (BackupSummary & { bytes: number }) | undefined;
    const { csv, cents } = spendCsv(ROWS, 'second');
    await importSpend({
      ...ctx(csv),
      // Mid-file, with the import's transaction open and batches written.
      onProgress: async (rows) => {
        if (!during && rows >= 1500) during = await backupDatabase(t.mo.databaseUrl, file);
      },
    });
    expect(during).toBeDefined();
    expect(compareSummaries(before, during as BackupSummary)).toEqual([]);

    const restoredUrl = `file:${join(dir, 'restored-during.db')}`;
    const restored = await restoreDatabase(restoredUrl, file);
    expect(compareSummaries(summarizeSqliteFile(file), restored)).toEqual([]);

    // After the import: the backup has it all, to the cent.
    const after = await backupDatabase(t.mo.databaseUrl, join(dir, 'after.db'));
    expect(after.rows.Spend).toBe(500 + ROWS);
    expect(BigInt(after.totals['Spend.amountMinor'] ?? 0)).toBe(
      BigInt(before.totals['Spend.amountMinor'] ?? 0) + cents,
    );
    expect(after.totals['SpendDaily.amountMinor']).toBe(after.totals['Spend.amountMinor']);
    const again = await restoreDatabase(`file:${join(dir, 'restored-after.db')}`, join(dir, 'after.db'));
    expect(again.rows).toEqual(after.rows);
    expect(again.totals).toEqual(after.totals);
  }, 60_000);

  it('refuses to restore over a database with data, or to overwrite a backup', async () => {
    const file = join(dir, 'refuse.db');
    await backupDatabase(t.mo.databaseUrl, file);
    await expect(restoreDatabase(t.mo.databaseUrl, file)).rejects.toThrow(/is not empty/);
    await expect(backupDatabase(t.mo.databaseUrl, file)).rejects.toBeInstanceOf(UserError);
  });

  it('sends PostgreSQL to pg_dump and pg_restore', async () => {
    await expect(backupDatabase('postgresql://db.example/mo', join(dir, 'pg.db'))).rejects.toThrow(
      /pg_dump --format=custom/,
    );
  });
});
