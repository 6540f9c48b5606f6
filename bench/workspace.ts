// The benches' workspace: a scratch database with Mo's migrations, one workspace in USD with
// fiscal years from February (the generated data spans FY2026 and FY2027), Mo's clock on the
// bench's Monday, and the import context its files go through.
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { createMo } from '../src/services/mo.js';

export const BENCH_NOW = new Date('2026-11-16T15:00:00Z');
export const BENCH_TEAM = 'T1';
export const BENCH_FISCAL_START = 2;

/** `baseUrl`: where the scratch database goes (a PostgreSQL server); SQLite in a temp folder without. */
export async function openBenchWorkspace(baseUrl?: string) {
  const scratch = await createScratchDatabase(baseUrl);
  await applyMigrations(scratch.url);
  const database = openDatabase(scratch.url);
  const mo = createMo(database, createClock(BENCH_NOW));
  await mo.workspaces.update(
    BENCH_TEAM,
    { currency: 'USD', fiscalStartMonth: BENCH_FISCAL_START, timezone: 'America/New_York' },
    'bench',
  );
  const importContext = {
    db: mo.db,
    databaseUrl: mo.databaseUrl,
    now: mo.clock(),
    teamId: BENCH_TEAM,
    currency: 'USD',
    fiscalStartMonth: BENCH_FISCAL_START,
    source: 'csv',
    actor: 'bench',
  };
  return { scratch, database, mo, importContext };
}
