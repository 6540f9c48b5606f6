// The `mo` command line: migrate, serve, settings, import, export, run, shell, demo, digest, jobs.
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { describeFiscalStartPreview, describeSettings, settingsPatchSchema } from '../commands/settings.js';
import { createClock } from './clock.js';
import { type Config, loadConfig } from './config.js';
import { backupDatabase, describeSummary, postgresBackupCommands, restoreDatabase } from './db/backup.js';
import { type Database, openDatabase } from './db/client.js';
import { formatRuns } from './db/jobs.js';
import { applyMigrations } from './db/migrate.js';
import { parseKeyring } from './db/secrets.js';
import { providerOf } from './db/url.js';
import { DEMO_ADMIN, DEMO_TEAM, loadDemo } from './demo.js';
import { isIsoDate, requirePeriod } from './domain/calendar.js';
import { EXIT_BUG, EXIT_USER_ERROR, isUserError, NotFoundError, UsageError } from './domain/errors.js';
import { computeKpis, type KpiRow } from './domain/kpis.js';
import { parseAmount } from './domain/money.js';
import type { SettingsPatch } from './domain/settings.js';
import { tuneForOneShotCommand, tuneHeapForBatches } from './heap.js';
import { toCsv } from './ingest/csv-write.js';
import { parseEncoding } from './ingest/decode.js';
import { describeCounts, isImportKind } from './ingest/import.js';
import { templateById } from './ingest/surveys.js';
import { apology, logBug } from './log.js';
import { importProgress } from './progress.js';
import { evaluateAlerts } from './services/alerts.js';
import { budgetReport, previewFiscalStart } from './services/budget.js';
import { createMo, type Mo } from './services/mo.js';
import { perfExportColumns, perfExportRows, perfReport, resolvePerfCategory } from './services/perf.js';
import { commitmentsCsv } from './services/spend.js';
import { todayIn, type WorkspaceMo } from './services/team-scope.js';
import { deleteWorkspace, describeDeleted, describeInstallations } from './services/tenancy.js';
import { localDirectory } from './slack/admins.js';
import { messageToText, modalToText } from './slack/render-text.js';

const USAGE = `mo — marketing ops in Slack

  mo serve                          migrate, then serve Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)
  mo migrate                        apply database migrations (DATABASE_URL; default file:./data/mo.db)
  mo demo [--team T]                load a realistic demo workspace (team ${DEMO_TEAM}, admin ${DEMO_ADMIN})
  mo run --team T --user U "/mo budget ..."   run a slash command locally and print the reply
  mo shell [--team T] [--user U]    type /mo commands and read the replies (no Slack needed)
  mo playground (= mo shell --web)  Mo as mo serve runs it, with a local Slack in your browser
  mo settings --team T [--currency C [--relabel]] [--fiscal-start-month N [--confirm]] [--timezone TZ] [--admins U1,U2]
      [--spend-entry admins|owners|everyone] [--lock-days N] [--move-auto-approve AMOUNT]
  mo import spend|budgets|leads|opportunities FILE --team T [--format F] [--category C] [--dry-run]
      [--encoding latin1|windows-1252] [--unlocked]  (files are read as UTF-8 unless told; --unlocked: a locked month)
  mo token create|list --team T [--label L] · mo token revoke ID --team T   API tokens for /api/v1/import
  mo export kpis --team T [--period P] [--by week|month|category|campaign] [--category C] [--format csv|json]
                                            the digest's figures, per time bucket or per channel
  mo export budget --team T [--period P] [--category C] [--as-of YYYY-MM-DD] [--format csv|json]
  mo export commitments --team T [--period P] [--format csv]   committed, invoiced and open per commitment
  mo digest --team T --out DIR [--date YYYY-MM-DD]   write the weekly digest (blocks JSON + PNGs) locally
  mo survey export --team T [--survey ID]   survey answers as CSV (anonymous ones without identities)
  mo jobs [--team T] [--limit N]    recent scheduled runs: slot, job, status, attempts, duration
  mo workspace list                 installations: team (and enterprise) ids, status, key id
  mo workspace delete --team T      every row of workspace T, in one transaction; prints the counts
  mo keys rotate                    re-encrypt every stored Slack token under MO_ENCRYPTION_KEY's newest key
  mo backup --out FILE              a consistent copy of the SQLite database, while Mo serves
  mo restore FILE                   a backup into an empty DATABASE_URL, checked against the backup
`;

/** A bar on a terminal, plain lines when piped or in CI (stderr: stdout keeps the result). */
const progressFor = (config: Config) => (label: string, totalBytes?: number) =>
  importProgress({ label, totalBytes, bar: Boolean(process.stderr.isTTY) && !config.ci });

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

async function withMo<T>(config: Config, work: (mo: Mo, database: Database) => Promise<T>): Promise<T> {
  await applyMigrations(config.databaseUrl);
  const database = openDatabase(config.databaseUrl);
  const keyring = config.encryptionKey ? parseKeyring(config.encryptionKey) : undefined;
  const mo = createMo(database, createClock(config.now), keyring);
  // Spend typed in `mo run` or `mo shell` changes figures as in Slack: evaluate the alerts
  // (mo serve delivers what they raise).
  const changed = new Set<string>();
  mo.events.on('figures', (teamId) => changed.add(teamId));
  try {
    const result = await work(mo, database);
    for (const teamId of changed) {
      const evaluation = await evaluateAlerts(mo.forTeam(teamId));
      if (evaluation.raised.length)
        out(`${evaluation.raised.length} budget alerts raised; mo serve delivers them to Slack.`);
    }
    return result;
  } finally {
    await database.close();
  }
}

/**
 * The workspace a read-only verb (exports, digest) reads: refused when Mo has none for the
 * team, so a mistyped id is named rather than read as an empty workspace (or created).
 */
async function existingWorkspace(mo: WorkspaceMo) {
  const found = await mo.workspaces.get();
  if (!found)
    throw new NotFoundError(
      `Mo has no workspace for team ${mo.teamId}: mo workspace list shows the teams it serves`,
    );
  return found;
}

function requireTeam(values: { team?: string }): string {
  if (!values.team) throw new UsageError('--team T is required (the Slack team id, e.g. T012ABCDEF)');
  return values.team;
}

async function runOne(mo: Mo, teamId: string, userId: string, line: string): Promise<string> {
  const text = line.trim().replace(/^\/mo\b\s*/, '');
  // Loaded for the verbs that answer commands only: `mo import` stays small without it.
  const { runCommand } = await import('../commands/router.js');
  const local = localDirectory(mo);
  const result = await runCommand(
    text,
    { teamId, userId, channelId: 'CLI' },
    {
      mo: mo.forTeam(teamId),
      isAdmin: (user, settings) => local.isAdmin(teamId, user, settings),
      userTimezone: local.userTimezone,
    },
  );
  return result.kind === 'message' ? messageToText(result.message) : modalToText(result.view);
}

function minorNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error('amount too large for JSON');
  return Number(v);
}

/** Every flag a verb may take; each verb picks its own, and any other is refused by name. */
const FLAG = {
  team: { type: 'string' },
  user: { type: 'string' },
  period: { type: 'string' },
  category: { type: 'string' },
  format: { type: 'string' },
  'dry-run': { type: 'boolean' },
  by: { type: 'string' },
  currency: { type: 'string' },
  'fiscal-start-month': { type: 'string' },
  timezone: { type: 'string' },
  admins: { type: 'string' },
  relabel: { type: 'boolean' },
  'spend-entry': { type: 'string' },
  label: { type: 'string' },
  out: { type: 'string' },
  date: { type: 'string' },
  'as-of': { type: 'string' },
  confirm: { type: 'boolean' },
  'lock-days': { type: 'string' },
  'move-auto-approve': { type: 'string' },
  limit: { type: 'string' },
  survey: { type: 'string' },
  encoding: { type: 'string' },
  web: { type: 'boolean' },
  unlocked: { type: 'boolean' },
} as const;
type FlagName = keyof typeof FLAG;
type Flags = { [K in FlagName]?: (typeof FLAG)[K]['type'] extends 'boolean' ? boolean : string };

/** A `mo` verb: its words, its usage line, its own flags, and what it does. */
interface Verb {
  name: string;
  usage: string;
  flags: FlagName[];
  run(args: { values: Flags; positionals: string[] }, config: Config): Promise<number>;
}

const verb = (name: string, usage: string, flags: FlagName[], run: Verb['run']): Verb => ({
  name,
  usage,
  flags,
  run,
});

/** The verbs that take words besides their flags (a file, a command line, an action). */
const TAKES_ARGUMENTS = new Set(['run', 'import', 'token', 'survey', 'restore']);

/** `mo playground`: Mo and a local Slack in the browser, until Ctrl-C (src/playground). */
async function playground(config: Config): Promise<number> {
  const { playground: run } = await import('./playground/index.js');
  const { createLogger } = await import('./log.js');
  return await run(config, createLogger(config.logLevel));
}

export const VERBS: Verb[] = [
  verb('serve', 'mo serve', [], async (_args, config) => {
    const { serve } = await import('./main.js');
    await serve(config);
    return await new Promise<number>(() => {});
  }),
  verb('backup', 'mo backup --out FILE', ['out'], async ({ values }, config) => {
    if (!values.out) throw new UsageError('--out FILE is required: where to write the backup');
    if (providerOf(config.databaseUrl) === 'postgresql') {
      out(
        `On PostgreSQL, back up and restore with its own tools:\n${postgresBackupCommands(values.out).join('\n')}`,
      );
      return 0;
    }
    const copy = await backupDatabase(config.databaseUrl, values.out);
    out(`Backed up to ${values.out} (${(copy.bytes / 1e6).toFixed(1)} MB):\n${describeSummary(copy)}`);
    return 0;
  }),
  verb('restore', 'mo restore FILE', [], async ({ positionals }, config) => {
    const [file] = positionals;
    if (!file) throw new UsageError('give the backup file: mo restore FILE (into an empty DATABASE_URL)');
    const restored = await restoreDatabase(config.databaseUrl, file);
    const applied = await applyMigrations(config.databaseUrl);
    out(`Restored ${file}; rows and money totals match the backup:\n${describeSummary(restored)}`);
    if (applied.length) out(`Then applied ${applied.join(', ')} (the backup was from an older Mo).`);
    return 0;
  }),
  verb('migrate', 'mo migrate', [], async (_args, config) => {
    const applied = await applyMigrations(config.databaseUrl);
    out(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  }),
  verb('demo', 'mo demo [--team T]', ['team'], async ({ values }, config) => {
    return await withMo(config, async (mo) => {
      const teamId = values.team ?? DEMO_TEAM;
      const r = await loadDemo(mo, teamId, progressFor(config));
      out(`Demo workspace ${teamId} ready: ${describeSettings(r.settings)}`);
      out(describeCounts('budget', r.budgets));
      out(describeCounts('spend', r.spend));
      out(describeCounts('leads', r.leads));
      out(describeCounts('opportunities', r.opportunities));
      if (r.alerts) out(`${r.alerts} budget alerts raised (see /mo alerts history; mo serve delivers them).`);
      out(`Try: npm run mo -- run --team ${teamId} --user ${DEMO_ADMIN} "/mo budget"`);
      return 0;
    });
  }),
  verb(
    'run',
    'mo run --team T --user U "/mo budget ..."',
    ['team', 'user'],
    async ({ values, positionals }, config) => {
      const teamId = requireTeam(values);
      if (!values.user) throw new UsageError('--user U is required (a Slack user id)');
      const line = positionals.join(' ');
      if (!line.trim()) throw new UsageError('give the command to run, e.g. "/mo budget"');
      return await withMo(config, async (mo) => {
        out(await runOne(mo, teamId, values.user as string, line));
        return 0;
      });
    },
  ),
  verb('playground', 'mo playground', [], async (_args, config) => await playground(config)),
  verb(
    'shell',
    'mo shell [--team T] [--user U] [--web]',
    ['team', 'user', 'web'],
    async ({ values }, config) => {
      if (values.web) return await playground(config);
      const teamId = values.team ?? DEMO_TEAM;
      const userId = values.user ?? DEMO_ADMIN;
      return await withMo(config, async (mo) => {
        if (teamId === DEMO_TEAM && !(await mo.workspaces.get(teamId))) {
          out('Loading the demo workspace…');
          await loadDemo(mo, teamId);
        }
        const interactive = process.stdin.isTTY;
        if (interactive) out(`Mo shell for team ${teamId} as ${userId}. Type /mo help, or exit.`);
        // readline shows its prompt only when it has an output to write it to (a terminal).
        const rl = createInterface({
          input: process.stdin,
          output: interactive ? process.stdout : undefined,
          prompt: interactive ? '/mo> ' : '',
        });
        rl.prompt();
        for await (const line of rl) {
          if (/^(exit|quit)$/i.test(line.trim())) break;
          // One line's failure is reported and the shell goes on.
          if (line.trim())
            out(
              await runOne(mo, teamId, userId, line).catch((e) =>
                isUserError(e)
                  ? `mo: ${e.message}`
                  : `mo: ${apology(logBug(console, 'mo shell line failed', e))}`,
              ),
            );
          rl.prompt();
        }
        rl.close();
        return 0;
      });
    },
  ),
  verb(
    'settings',
    'mo settings --team T [--currency C [--relabel]] [--fiscal-start-month N [--confirm]] [--timezone TZ] [--admins U1,U2] [--spend-entry admins|owners|everyone] [--lock-days N] [--move-auto-approve AMOUNT]',
    [
      'team',
      'currency',
      'relabel',
      'fiscal-start-month',
      'confirm',
      'timezone',
      'admins',
      'spend-entry',
      'lock-days',
      'move-auto-approve',
    ],
    async ({ values }, config) => {
      const teamId = requireTeam(values);
      const patch = settingsPatchSchema.safeParse({
        currency: values.currency,
        fiscalStartMonth: values['fiscal-start-month'],
        timezone: values.timezone,
        adminUserIds: values.admins
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        lockDays: values['lock-days'],
        spendEntry: values['spend-entry'],
      });
      if (!patch.success) {
        const names: Record<string, string> = {
          spendEntry: '--spend-entry',
          currency: '--currency',
          fiscalStartMonth: '--fiscal-start-month',
          timezone: '--timezone',
          adminUserIds: '--admins',
          lockDays: '--lock-days',
        };
        throw new UsageError(
          patch.error.issues
            .map((i) => `${names[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`)
            .join('\n'),
        );
      }
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const before = await mo.workspaces.ensure();
        const data: SettingsPatch = { ...patch.data };
        if (values['move-auto-approve'] !== undefined) {
          let threshold: bigint;
          try {
            threshold = parseAmount(values['move-auto-approve'], data.currency ?? before.currency);
          } catch (e) {
            throw new UsageError(`--move-auto-approve: ${(e as Error).message}`);
          }
          if (threshold < 0n)
            throw new UsageError('--move-auto-approve: an amount of 0 or more (0: always ask)');
          data.moveAutoApproveMinor = threshold;
        }
        // A new fiscal-year start re-slices every view: show how this year's plans fall into
        // the new quarters first, and change it only with --confirm.
        const newStart = data.fiscalStartMonth;
        if (newStart !== undefined && newStart !== before.fiscalStartMonth && !values.confirm) {
          out(describeFiscalStartPreview(await previewFiscalStart(mo, before, newStart), before.currency));
          out('Nothing changed. Run again with --confirm to change the fiscal-year start.');
          return 0;
        }
        const changed = Object.values(data).some((v) => v !== undefined);
        const relabelling = Boolean(values.relabel && data.currency && data.currency !== before.currency);
        const amounts = relabelling ? await mo.workspaces.storedAmounts() : 0;
        const after = changed ? await mo.workspaces.update(data, 'cli', { relabel: values.relabel }) : before;
        if (relabelling)
          out(
            `Relabelled ${amounts} stored amount${amounts === 1 ? '' : 's'} from ${before.currency} to ${after.currency} (audited); nothing was converted.`,
          );
        out(`${changed ? 'Saved. ' : ''}${describeSettings(after)}`);
        return 0;
      });
    },
  ),
  verb(
    'import',
    'mo import spend|budgets|leads|opportunities FILE --team T [--format F] [--category C] [--dry-run] [--encoding latin1|windows-1252] [--unlocked]',
    ['team', 'format', 'category', 'dry-run', 'encoding', 'unlocked'],
    async ({ values, positionals }, config) => {
      const [kind, file] = positionals;
      if (!isImportKind(kind)) {
        throw new UsageError(
          'mo import spend|budgets|leads|opportunities FILE --team T [--format F] [--category C] [--dry-run] [--encoding latin1|windows-1252]',
        );
      }
      if (!file) throw new UsageError(`give the CSV file: mo import ${kind} FILE --team T`);
      if (!existsSync(file)) throw new UsageError(`no file ${file}`);
      const teamId = requireTeam(values);
      tuneForOneShotCommand();
      const progress = progressFor(config)(basename(file), statSync(file).size);
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const settings = await mo.workspaces.ensure();
        const ctx = {
          now: mo.clock(),
          currency: settings.currency,
          fiscalStartMonth: settings.fiscalStartMonth,
          source: 'csv',
          actor: 'cli',
          open: () => createReadStream(file).pipe(progress.meter()),
          onProgress: (rows: number) => progress.update(rows),
          label: file,
          format: values.format,
          category: values.category,
          dryRun: values['dry-run'],
          encoding: parseEncoding(values.encoding),
          ownProcess: true,
          // The server's operator is an admin: --unlocked lets a file change a locked month (audited).
          lock: {
            today: todayIn(mo, settings.timezone),
            lockDays: settings.lockDays,
            unlocked: Boolean(values.unlocked),
          },
        };
        let described: string;
        try {
          described = await mo.imports.describe(kind, ctx);
        } catch (e) {
          progress.done(false);
          throw e;
        }
        progress.done();
        out(described);
        if ((kind === 'spend' || kind === 'budgets') && !values['dry-run']) {
          const evaluation = await evaluateAlerts(mo);
          if (evaluation.raised.length)
            out(`${evaluation.raised.length} budget alerts raised; mo serve delivers them to Slack.`);
        }
        return 0;
      });
    },
  ),
  verb(
    'token',
    'mo token create|list --team T [--label L] · mo token revoke ID --team T',
    ['team', 'label'],
    async ({ values, positionals }, config) => {
      const [action, id] = positionals;
      const teamId = requireTeam(values);
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const tokens = mo.tokens;
        if (action === 'create') {
          const t = await tokens.create(values.label ?? '', 'cli');
          out(
            `Token ${t.id}${t.label ? ` (${t.label})` : ''}; copy it now, it is not shown again:\n${t.secret}`,
          );
        } else if (action === 'list') {
          for (const t of await tokens.list()) {
            out(
              `${t.id}  ${t.label || '-'}  created ${t.createdAt.toISOString()}  ${t.revokedAt ? 'revoked' : t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : 'never used'}`,
            );
          }
        } else if (action === 'revoke' && id) {
          if (!(await tokens.revoke(id, 'cli')))
            throw new UsageError(`no live token ${id} for team ${teamId}`);
          out(`Revoked ${id}.`);
        } else {
          throw new UsageError('mo token create|list --team T [--label L], mo token revoke ID --team T');
        }
        return 0;
      });
    },
  ),
  verb(
    'export kpis',
    'mo export kpis --team T [--period P] [--by week|month|category|campaign] [--category C] [--format csv|json]',
    ['team', 'period', 'by', 'category', 'format'],
    async ({ values }, config) => {
      const teamId = requireTeam(values);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new UsageError('--format is csv or json');
      const by = values.by ?? 'week';
      if (by === 'category' || by === 'campaign') {
        return await withMo(config, async (all) => {
          // Only the workspace --team names, from here on.
          const mo = all.forTeam(teamId);
          const settings = await existingWorkspace(mo);
          const report = await perfReport(mo, settings, {
            period: values.period,
            category: values.category,
            by,
          });
          const rows = perfExportRows(report);
          if (format === 'json')
            out(
              JSON.stringify(
                { team: teamId, currency: settings.currency, period: report.period.key, by, rows },
                null,
                2,
              ),
            );
          else out(toCsv(rows, { columns: perfExportColumns(by) }));
          return 0;
        });
      }
      if (by !== 'week' && by !== 'month') throw new UsageError('--by is week, month, category or campaign');
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const settings = await existingWorkspace(mo);
        const period = requirePeriod(
          values.period ?? 'this-quarter',
          todayIn(mo, settings.timezone),
          settings.fiscalStartMonth,
        );
        const within =
          values.category === undefined ? undefined : await resolvePerfCategory(mo, values.category);
        const { rows, total } = computeKpis(
          period,
          by,
          await mo.kpis.dailyFigures(period.start, period.end, within),
        );
        const kpiRows = [...rows, total];
        const cells = (r: KpiRow) => ({
          bucket_start: r.bucketStart,
          spend: r.spend.toString(),
          leads: r.leads,
          mqls: r.mqls,
          sqls: r.sqls,
          opportunities: r.opportunities,
          pipeline_created: r.pipelineCreated.toString(),
          won: r.won.toString(),
          cost_per_lead: r.costPerLead?.toString() ?? '',
          cost_per_opportunity: r.costPerOpportunity?.toString() ?? '',
          pipeline_to_spend: r.pipelineToSpend === null ? '' : r.pipelineToSpend.toFixed(2),
        });
        if (format === 'json') {
          out(
            JSON.stringify(
              { team: teamId, currency: settings.currency, period: period.key, by, rows: kpiRows.map(cells) },
              null,
              2,
            ),
          );
        } else {
          out(toCsv(kpiRows.map(cells)));
        }
        return 0;
      });
    },
  ),
  verb(
    'export commitments',
    'mo export commitments --team T [--period P] [--format csv]',
    ['team', 'period', 'format'],
    async ({ values }, config) => {
      const teamId = requireTeam(values);
      if ((values.format ?? 'csv') !== 'csv') throw new UsageError('mo export commitments: --format is csv');
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const settings = await existingWorkspace(mo);
        process.stdout.write(await commitmentsCsv(mo, settings, { period: values.period }));
        return 0;
      });
    },
  ),
  verb(
    'export budget',
    'mo export budget --team T [--period P] [--category C] [--as-of YYYY-MM-DD] [--format csv|json]',
    ['team', 'period', 'category', 'as-of', 'format'],
    async ({ values }, config) => {
      const teamId = requireTeam(values);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new UsageError('--format is csv or json');
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const settings = await existingWorkspace(mo);
        const asOf = values['as-of'];
        if (asOf !== undefined && !isIsoDate(asOf)) throw new UsageError('--as-of takes YYYY-MM-DD');
        // As of a date: only what is dated on or before it counts, and it is "today".
        const report = await budgetReport(mo, settings, {
          period: values.period,
          category: values.category,
          ...(asOf ? { today: asOf } : {}),
        });
        const rows = [...report.rows, { ...report.total, category: 'TOTAL' }];
        if (format === 'json') {
          out(
            JSON.stringify(
              {
                team: teamId,
                currency: settings.currency,
                period: { key: report.period.key, start: report.period.start, end: report.period.end },
                today: report.today,
                category: report.focus,
                rows: rows.map((r) => ({
                  category: r.category,
                  planned: minorNumber(r.planned),
                  actual: minorNumber(r.actual),
                  committed: minorNumber(r.committed),
                  available: minorNumber(r.available),
                  forecast: minorNumber(r.forecast),
                  variance_pct: r.variancePct,
                  status: r.statusLabel,
                })),
              },
              null,
              2,
            ),
          );
        } else {
          out(
            toCsv(
              rows.map((r) => [
                r.category,
                r.planned.toString(),
                r.actual.toString(),
                r.committed.toString(),
                r.available.toString(),
                r.forecast.toString(),
                r.variancePct === null ? '' : r.variancePct.toFixed(2),
                r.statusLabel,
              ]),
              {
                columns: [
                  'category',
                  'planned',
                  'actual',
                  'committed',
                  'available',
                  'forecast',
                  'variance_pct',
                  'status',
                ],
              },
            ),
          );
        }
        return 0;
      });
    },
  ),
  verb(
    'digest',
    'mo digest --team T --out DIR [--date YYYY-MM-DD]',
    ['team', 'out', 'date'],
    async ({ values }, config) => {
      const teamId = requireTeam(values);
      if (!values.out)
        throw new UsageError('--out DIR is required: where to write digest.json and the charts');
      if (values.date && !isIsoDate(values.date)) throw new UsageError('--date takes YYYY-MM-DD');
      const dir = values.out;
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const settings = await existingWorkspace(mo);
        const { renderDigest } = await import('./services/digest.js');
        const digest = await renderDigest(mo, settings, {
          today: values.date ?? todayIn(mo, settings.timezone),
        });
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'digest.json'), `${JSON.stringify(digest.message, null, 2)}\n`);
        for (const chart of digest.charts) writeFileSync(join(dir, chart.name), chart.png);
        out(messageToText(digest.message));
        out(
          `Wrote ${join(dir, 'digest.json')}${digest.charts.map((c) => `, ${join(dir, c.name)}`).join('')}` +
            (digest.missingCharts.length ? ` (missing: ${digest.missingCharts.join(', ')})` : ''),
        );
        return 0;
      });
    },
  ),
  verb(
    'survey',
    'mo survey export --team T [--survey ID]',
    ['team', 'survey'],
    async ({ values, positionals }, config) => {
      const [action] = positionals;
      if (action !== 'export') throw new UsageError('mo survey export --team T [--survey ID]');
      const teamId = requireTeam(values);
      return await withMo(config, async (all) => {
        // Only the workspace --team names, from here on.
        const mo = all.forTeam(teamId);
        const surveys = mo.surveys;
        const chosen = values.survey ? [await surveys.get(values.survey)] : await surveys.list(1000);
        if (!chosen[0])
          throw new UsageError(
            values.survey ? `no survey ${values.survey} for team ${teamId}` : `no surveys for team ${teamId}`,
          );
        const rows: Record<string, string>[] = [];
        for (const survey of chosen) {
          if (!survey) continue;
          const template = templateById(survey.templateId);
          for (const [i, r] of (await surveys.responses(survey.id)).entries()) {
            for (const q of template?.questions ?? []) {
              rows.push({
                survey_id: survey.id,
                template: survey.templateId,
                response: String(i + 1),
                respondent: survey.anonymous ? '' : (r.userId ?? ''),
                submitted_at: r.submittedAt.toISOString(),
                question_id: q.id,
                dimension: q.dimension,
                answer: String(r.answers[q.id] ?? ''),
              });
            }
          }
        }
        out(
          toCsv(rows, {
            columns: [
              'survey_id',
              'template',
              'response',
              'respondent',
              'submitted_at',
              'question_id',
              'dimension',
              'answer',
            ],
          }),
        );
        return 0;
      });
    },
  ),
  // --- tenancy: installations and whole workspaces
  verb('workspace list', 'mo workspace list', [], async (_args, config) =>
    withMo(config, async (mo) => {
      out(await describeInstallations(mo));
      return 0;
    }),
  ),
  verb('workspace delete', 'mo workspace delete --team T', ['team'], async ({ values }, config) => {
    const teamId = requireTeam(values);
    return withMo(config, async (mo) => {
      out(describeDeleted(await deleteWorkspace(mo.forTeam(teamId))).join('\n'));
      return 0;
    });
  }),
  verb('keys rotate', 'mo keys rotate', [], async (_args, config) =>
    withMo(config, async (mo) => {
      const { resealed, current } = await mo.installations.rotateKeys();
      out(`${resealed} installation(s) re-encrypted under key ${current}.`);
      return 0;
    }),
  ),
  // --- end tenancy
  verb('jobs', 'mo jobs [--team T] [--limit N]', ['team', 'limit'], async ({ values }, config) => {
    const limit = Number(values.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError('--limit N takes a whole number, 1 or more');
    return await withMo(config, async (mo) => {
      const runs = await mo.jobs.recent({ teamId: values.team, limit });
      out(runs.length ? formatRuns(runs) : 'No scheduled runs yet.');
      return 0;
    });
  }),
];

/** The verb the words name: the longest match, so `export kpis` before `export`. */
function findVerb(words: string[]): { verb: Verb; rest: string[] } | undefined {
  const matches = VERBS.map((v) => ({ verb: v, parts: v.name.split(' ') }))
    .filter(({ parts }) => parts.every((p, i) => words[i] === p))
    .sort((a, b) => b.parts.length - a.parts.length);
  const best = matches[0];
  return best ? { verb: best.verb, rest: words.slice(best.parts.length) } : undefined;
}

export async function main(argv: string[]): Promise<number> {
  tuneHeapForBatches();
  const [first] = argv;
  if (first === undefined || first === 'help' || first === '--help') {
    out(USAGE);
    return first ? 0 : EXIT_USER_ERROR;
  }
  const found = findVerb(argv);
  try {
    if (!found) {
      const group = VERBS.filter((v) => v.name.startsWith(`${first} `));
      throw new UsageError(
        group.length ? group.map((v) => v.usage).join('\n') : `unknown command "${first}"`,
      );
    }
    const { verb: v, rest } = found;
    let args: { values: Flags; positionals: string[] };
    try {
      const options = Object.fromEntries(v.flags.map((f) => [f, FLAG[f]]));
      const parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
      args = { values: parsed.values as Flags, positionals: parsed.positionals };
      if (!TAKES_ARGUMENTS.has(v.name) && args.positionals.length)
        throw new UsageError(`mo ${v.name} takes no argument "${args.positionals[0]}"`);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (!code?.startsWith('ERR_PARSE_ARGS')) throw e;
      const flag = /'(-[^']+)'/.exec((e as Error).message)?.[1];
      throw new UsageError(
        code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag
          ? `mo ${v.name} does not take ${flag}`
          : `mo ${v.name}: ${(e as Error).message}`,
      );
    }
    return await v.run(args, loadConfig());
  } catch (e) {
    return reportError(e, found?.verb.usage);
  }
}

/** The CLI's one translator: a user error is a message and exit 2 (usage adds the usage); a bug exits 1. */
function reportError(e: unknown, usage?: string): number {
  if (isUserError(e)) {
    const help = e.kind !== 'usage' ? '' : usage ? `\n\nUsage: ${usage}` : `\n\n${USAGE}`;
    process.stderr.write(`mo: ${e.message}${help}\n`);
    return EXIT_USER_ERROR;
  }
  const ref = logBug({ error: (...args: unknown[]) => console.error(...args) }, 'mo failed', e);
  process.stderr.write(`mo: ${apology(ref)}\n`);
  return EXIT_BUG;
}
