// npm run bench, part: memory and speed of `mo import spend` on files of 1,000,000 and
// 5,000,000 rows, each in a process of its own as a user runs it (output piped, so progress
// comes as plain lines; --unlocked, as the file spans months the lock has closed). Peak RSS
// is the process's high-water mark (getrusage), rows/s is the file's rows over the command's
// wall time (migration check, import, alert evaluation).
// Targets: peak RSS < 300 MB for both sizes, >= 35,000 rows/s. BENCH_MEMORY_ROWS
// (default "1000000,5000000") picks the sizes. Each line also gives the import's CPU seconds
// (user + system) and the load average around it: on a shared machine wall-clock rows/s
// follows the load, CPU seconds compare runs. BENCH_TRACE_MS=N passes to the child (its
// memory every N ms).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { createMo } from '../src/services/mo.js';
import { writeSpendCsv } from './data.js';

const SIZES = (process.env.BENCH_MEMORY_ROWS ?? '1000000,5000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const NOW = '2026-11-16T15:00:00Z';
const TEAM = 'T1';
const TARGET_RSS_MB = 300;
const TARGET_RATE = 35_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Outcome {
  code: number;
  seconds: number;
  cpuSeconds: number;
  maxRssKb: number;
}

function runChild(
  args: string[],
  env: Record<string, string>,
): Promise<{ outcome: Outcome; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/import-child.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('exit', () => {
      const line = output.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`the import did not report:\n${output}`));
      resolve({ outcome: JSON.parse(line.slice(6)) as Outcome, output });
    });
  });
}

console.log('\nSpend import memory, `mo import spend` in a process of its own (SQLite)');
const dir = mkdtempSync(join(tmpdir(), 'mo-bench-memory-'));
const failures: string[] = [];
try {
  for (const rows of SIZES) {
    const file = join(dir, `spend-${rows}.csv`);
    const stats = await writeSpendCsv(file, rows, '2025-02-01', 730);
    const scratch = await createScratchDatabase();
    await applyMigrations(scratch.url);
    const database = openDatabase(scratch.url);
    const mo = createMo(database, createClock(new Date(NOW)));
    await mo.workspaces.update(
      TEAM,
      { currency: 'USD', fiscalStartMonth: 2, timezone: 'America/New_York' },
      'bench',
    );
    await database.close();

    const loadBefore = loadavg()[0] as number;
    const { outcome, output } = await runChild(['import', 'spend', file, '--team', TEAM, '--unlocked'], {
      DATABASE_URL: scratch.url,
      MO_NOW: NOW,
      LOG_LEVEL: 'warn',
    });
    const load = `load ${loadBefore.toFixed(1)} -> ${(loadavg()[0] as number).toFixed(1)}`;
    if (process.env.BENCH_TRACE_MS)
      for (const l of output.split('\n')) if (l.startsWith('TRACE ')) console.log(`    ${l}`);
    const progressLines = output.split('\n').filter((l) => / rows\/s, /.test(l)).length;
    const check = openDatabase(scratch.url);
    const [stored] = await check.db.$queryRawUnsafe<{ n: bigint | number; total: bigint | number | null }[]>(
      'SELECT COUNT(*) AS n, SUM("amountMinor") AS total FROM "Spend" WHERE "teamId" = ?',
      TEAM,
    );
    await check.close();
    await scratch.drop();
    rmSync(file, { force: true });

    const rate = rows / outcome.seconds;
    const peakMb = (outcome.maxRssKb * 1024) / 1e6;
    const complete =
      outcome.code === 0 && Number(stored?.n) === rows && BigInt(stored?.total ?? 0) === stats.amountMinor;
    if (!complete)
      failures.push(`${fmt(rows)} rows: exit ${outcome.code}, ${stored?.n} rows stored\n${output}`);
    const pass = complete && peakMb < TARGET_RSS_MB && rate >= TARGET_RATE;
    console.log(
      `  ${fmt(rows).padStart(9)} rows (stored and summed: ${complete ? 'ok' : 'WRONG'}): ` +
        `${outcome.seconds.toFixed(1)} s, ${fmt(rate)} rows/s (>= ${fmt(TARGET_RATE)}), ` +
        `${outcome.cpuSeconds.toFixed(1)} CPU s (${fmt(rows / outcome.cpuSeconds)} rows per CPU s), ${load}, ` +
        `peak RSS ${fmt(peakMb)} MB (< ${TARGET_RSS_MB} MB), ${progressLines} progress lines  ${pass ? 'PASS' : 'FAIL'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exitCode = 1;
}
