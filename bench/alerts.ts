// Budget alert evaluation: 5,000 budget lines (1,250 categories × a month, a quarter, the
// fiscal year and the next quarter) after an import of 100,000 spend rows, on SQLite.
// Target: evaluation under 1 s. Reported twice: the first evaluation (which raises the
// alerts, one transaction each) and a steady-state one (nothing changed). Seeded, with the
// clock pinned, so runs do the same work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { seededRandom } from '../src/demo.js';
import { addDays, calendarMonth, daysInclusive, fiscalQuarter, fiscalYear } from '../src/domain/calendar.js';
import { importBudgets, importSpend } from '../src/ingest/import.js';
import { evaluateAlerts } from '../src/services/alerts.js';
import { createMo } from '../src/services/mo.js';

const TEAM = 'T1';
const NOW = new Date('2026-11-16T15:00:00Z');
const CATEGORIES = Array.from({ length: 1_250 }, (_, i) => `Program ${Math.floor(i / 25)}/Line ${i % 25}`);
const SPEND_ROWS = 100_000;
const TARGET_MS = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'mo-bench-alerts-'));
const url = `file:${join(dir, 'mo.db')}`;
try {
  await applyMigrations(url);
  const database = openDatabase(url);
  const mo = createMo(database, () => NOW);
  await mo.workspaces.update(TEAM, { fiscalStartMonth: 2, timezone: 'America/New_York' }, 'bench');
  const periods = [
    calendarMonth(2026, 11),
    fiscalQuarter(2027, 4, 2),
    fiscalYear(2027, 2),
    fiscalQuarter(2028, 1, 2),
  ];
  const rand = seededRandom(5);
  // Plans sized to each line's expected spend (about $1,250 a day a category) × 1.0–2.0, so
  // that some lines run over and most do not, as in a real workspace.
  const budgets = ['period,category,amount,owner'];
  for (const p of periods) {
    const days = daysInclusive(p.start, p.end);
    for (const c of CATEGORIES)
      budgets.push(`${p.key},${c},${Math.round(1_250 * days * (1 + rand()))},U0OWNER`);
  }
  const spend = ['date,amount,category,campaign,vendor,status,external_id'];
  for (let i = 0; i < SPEND_ROWS; i++) {
    const c = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as string;
    const date = addDays('2026-11-01', Math.floor(rand() * 16));
    spend.push(`${date},${(50 + rand() * 400).toFixed(2)},${c},Campaign ${i % 97},Vendor,actual,b${i}`);
  }
  const base = {
    db: mo.db,
    databaseUrl: mo.databaseUrl,
    now: mo.clock(),
    teamId: TEAM,
    currency: 'USD',
    fiscalStartMonth: 2,
    source: 'bench',
    actor: 'bench',
  };
  let t = performance.now();
  await importBudgets({
    ...base,
    open: () => Readable.from([`${budgets.join('\n')}\n`]),
    label: 'bench budgets',
  });
  await importSpend({ ...base, open: () => Readable.from([`${spend.join('\n')}\n`]), label: 'bench spend' });
  const importMs = performance.now() - t;

  t = performance.now();
  const first = await evaluateAlerts(mo.forTeam(TEAM), NOW);
  const firstMs = performance.now() - t;
  t = performance.now();
  const again = await evaluateAlerts(mo.forTeam(TEAM), NOW);
  const againMs = performance.now() - t;
  await database.close();

  const verdict = (ms: number) => (ms < TARGET_MS ? 'PASS' : 'FAIL');
  console.log(
    `\nBudget alert evaluation (SQLite, ${first.lines.toLocaleString('en-US')} budget lines, ${SPEND_ROWS.toLocaleString('en-US')} spend rows imported in ${(importMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `  first evaluation, ${first.raised.length} alerts raised (+${first.quiet} quiet)   ${firstMs.toFixed(0).padStart(5)} ms   ${verdict(firstMs)} (< ${TARGET_MS} ms)`,
  );
  console.log(
    `  steady state, nothing new (${again.raised.length} raised)             ${againMs.toFixed(0).padStart(5)} ms   ${verdict(againMs)} (< ${TARGET_MS} ms)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
