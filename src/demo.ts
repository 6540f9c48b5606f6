// `mo demo`: a realistic workspace to try Mo on — a fiscal year starting in February, nine
// budget lines a quarter under four categories, and a year of spend to date (daily search,
// weekly social, conference invoices and deposits, a refund). Deterministic for a given
// "today", and loaded through the same import pipeline as real files.
import { Readable } from 'node:stream';
import { addDays, fiscalQuarter, fiscalQuarterOf, type IsoDate } from './domain/calendar.js';
import { formatMinorExact } from './domain/money.js';
import type { TargetMetric } from './domain/targets.js';
import type { ImportContext } from './ingest/import.js';
import { evaluateAlerts } from './services/alerts.js';
import type { Mo } from './services/mo.js';
import { todayIn } from './services/team-scope.js';

/** What one demo file's import is given (the database and the team are bound by the scope). */
type DemoImport = Omit<ImportContext, 'db' | 'databaseUrl' | 'teamId'>;

export const DEMO_TEAM = 'T0DEMO';
export const DEMO_ADMIN = 'U0DEMOADMIN';
const TIMEZONE = 'America/New_York';
const FISCAL_START = 2;
const DEMO_TARGETS: [TargetMetric, bigint][] = [
  ['leads', 1_500n],
  ['mqls', 450n],
  ['sqls', 140n],
  ['pipeline', 600_000_000n],
  ['won', 150_000_000n],
];

interface Line {
  category: string;
  quarterly: number;
  owner: string;
}

const LINES: Line[] = [
  { category: 'Paid Media/Search', quarterly: 120_000, owner: 'U0DEMOPAID' },
  { category: 'Paid Media/Social', quarterly: 80_000, owner: 'U0DEMOPAID' },
  { category: 'Paid Media/Display', quarterly: 30_000, owner: 'U0DEMOPAID' },
  { category: 'Events/Conferences', quarterly: 90_000, owner: 'U0DEMOEVENTS' },
  { category: 'Events/Field', quarterly: 25_000, owner: 'U0DEMOEVENTS' },
  { category: 'Content/Production', quarterly: 40_000, owner: 'U0DEMOCONTENT' },
  { category: 'Content/Freelance', quarterly: 15_000, owner: 'U0DEMOCONTENT' },
  { category: 'Martech/Licenses', quarterly: 36_000, owner: DEMO_ADMIN },
  { category: 'Agency/Creative', quarterly: 20_000, owner: DEMO_ADMIN },
];

function nextMonthStart(start: IsoDate, months: number): IsoDate {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
}

/** A small seeded generator (mulberry32): the same demo every time for the same day. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (dollars: number) => formatMinorExact(BigInt(Math.round(dollars * 100)), 'USD');

export function demoFiles(today: IsoDate): {
  budgets: string;
  spend: string;
  leads: string;
  opportunities: string;
} {
  const { fy } = fiscalQuarterOf(today, FISCAL_START);
  const quarters = [1, 2, 3, 4].map((q) => fiscalQuarter(fy, q, FISCAL_START));
  const budgets = ['period,category,amount,owner'];
  for (const q of quarters)
    for (const l of LINES) budgets.push(`${q.key},${l.category},${l.quarterly},${l.owner}`);

  const rand = seededRandom(20270201);
  const spend = ['date,amount,category,campaign,vendor,status,external_id'];
  let n = 0;
  const row = (
    date: IsoDate,
    amount: number,
    category: string,
    campaign: string,
    vendor: string,
    status = 'actual',
  ) => spend.push(`${date},${cents(amount)},${category},"${campaign}",${vendor},${status},demo-${++n}`);

  const start = quarters[0]?.start as IsoDate;
  for (let d = start, i = 0; d <= today; d = addDays(d, 1), i++) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    const dom = Number(d.slice(8));
    // Search runs hot (about 8 % over plan), display under-delivers.
    row(
      d,
      1380 + rand() * 160,
      'Paid Media/Search',
      i % 2 ? 'Brand – Exact' : 'Non-brand – Competitors',
      'Google Ads',
    );
    row(d, 230 + rand() * 60, 'Paid Media/Display', 'Retargeting', 'StackAdapt');
    if (dow === 1) row(d, 5900 + rand() * 900, 'Paid Media/Social', 'LinkedIn – ABM Tier 1', 'LinkedIn');
    if (dom === 15) row(d, 4_800 + rand() * 800, 'Content/Freelance', 'Blog program', 'Upwork');
    if (dom === 20)
      row(d, 11_000 + rand() * 4_000, 'Content/Production', 'Customer video series', 'Fabrikam Films');
    if (dom === 10 && rand() > 0.3)
      row(d, 6_000 + rand() * 3_000, 'Events/Field', 'Executive dinner', 'Local venue');
  }
  // Contracts signed for the quarter: billed at month end (actual once billed, committed
  // until then), and conference sponsorships paid as they fall due.
  const contract = (date: IsoDate, amount: number, category: string, campaign: string, vendor: string) =>
    row(date, amount, category, campaign, vendor, date <= today ? 'actual' : 'committed');
  for (const q of quarters) {
    if (q.start > today) continue;
    for (let m = 1; m <= 3; m++) {
      const monthEnd = addDays(nextMonthStart(q.start, m), -1);
      contract(monthEnd, 12_000, 'Martech/Licenses', 'Marketing automation licenses', 'HubSpot');
      contract(monthEnd, 6_500, 'Agency/Creative', 'Creative retainer', 'Northwind Studio');
    }
    contract(addDays(q.start, 50), 52_000, 'Events/Conferences', 'SaaStr sponsorship', 'SaaStr');
    contract(addDays(q.start, 70), 41_500, 'Events/Conferences', 'Booth build and travel', 'Expo Partners');
  }
  row(addDays(start, 30), -1_250, 'Events/Field', 'Venue refund', 'Local venue');
  const funnel = demoFunnel(start, today);
  return { budgets: `${budgets.join('\n')}\n`, spend: `${spend.join('\n')}\n`, ...funnel };
}

const SOURCES = [
  { category: 'Paid Media/Search', campaign: 'Non-brand – Competitors', weight: 0.4 },
  { category: 'Paid Media/Social', campaign: 'LinkedIn – ABM Tier 1', weight: 0.25 },
  { category: 'Events/Conferences', campaign: 'SaaStr sponsorship', weight: 0.15 },
  { category: 'Content/Production', campaign: 'Customer video series', weight: 0.2 },
];

/**
 * Leads from the year's campaigns (10–25 a weekday), about 30 % becoming MQLs within two
 * weeks and 30 % of those SQLs; each SQL opens an opportunity that closes one to three
 * months later, a third of them won. Stages after `today` have not happened yet.
 */
function demoFunnel(start: IsoDate, today: IsoDate): { leads: string; opportunities: string } {
  const rand = seededRandom(7);
  const leads = ['created_date,mql_date,sql_date,category,campaign,external_id'];
  const opportunities = ['created_date,amount,stage,close_date,won,category,campaign,external_id'];
  const pick = () => {
    let r = rand();
    for (const s of SOURCES) {
      r -= s.weight;
      if (r < 0) return s;
    }
    return SOURCES[0] as (typeof SOURCES)[number];
  };
  const upTo = (date: IsoDate) => (date <= today ? date : '');
  let n = 0;
  for (let d = start; d <= today; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    const count = dow === 0 || dow === 6 ? Math.floor(rand() * 4) : 10 + Math.floor(rand() * 16);
    for (let i = 0; i < count; i++) {
      const source = pick();
      const id = `demo-lead-${++n}`;
      const mql = rand() < 0.3 ? addDays(d, 2 + Math.floor(rand() * 12)) : '';
      const sql = mql && rand() < 0.3 ? addDays(mql, 3 + Math.floor(rand() * 10)) : '';
      leads.push(
        `${d},${upTo(mql)},${mql && mql <= today ? upTo(sql) : ''},${source.category},"${source.campaign}",${id}`,
      );
      if (sql && sql <= today) {
        const close = addDays(sql, 30 + Math.floor(rand() * 60));
        const won = rand() < 0.33;
        const closed = close <= today;
        opportunities.push(
          `${sql},${cents(15_000 + Math.round(rand() * 65) * 1_000)},${closed ? (won ? 'Closed Won' : 'Closed Lost') : 'Proposal'},` +
            `${closed ? close : ''},${closed ? String(won) : ''},${source.category},"${source.campaign}",demo-opp-${n}`,
        );
      }
    }
  }
  return { leads: `${leads.join('\n')}\n`, opportunities: `${opportunities.join('\n')}\n` };
}

/** Reports one demo file's import as it goes (the CLI's progress bar or lines). */
export type DemoProgress = (
  label: string,
  totalBytes: number,
) => { meter(): NodeJS.ReadWriteStream; update(rows: number): void; done(): void };

export async function loadDemo(all: Mo, teamId = DEMO_TEAM, progress?: DemoProgress) {
  // The demo writes into the one workspace it names.
  const mo = all.forTeam(teamId);
  const settings = await mo.workspaces.update(
    { currency: 'USD', fiscalStartMonth: FISCAL_START, timezone: TIMEZONE, adminUserIds: [DEMO_ADMIN] },
    'cli',
  );
  const files = demoFiles(todayIn(mo, TIMEZONE));
  const base = {
    now: mo.clock(),
    currency: settings.currency,
    fiscalStartMonth: FISCAL_START,
    source: 'demo',
    actor: 'cli',
  };
  const step = async <T>(label: string, text: string, run: (ctx: DemoImport) => Promise<T>) => {
    const p = progress?.(label, Buffer.byteLength(text));
    try {
      return await run({
        ...base,
        label,
        open: () => (p ? Readable.from([text]).pipe(p.meter()) : Readable.from([text])) as Readable,
        onProgress: p ? (rows) => p.update(rows) : undefined,
      });
    } finally {
      p?.done();
    }
  };
  const budgets = await step('demo budgets', files.budgets, mo.imports.budgets);
  const spend = await step('demo spend', files.spend, mo.imports.spend);
  const leads = await step('demo leads', files.leads, mo.imports.leads);
  const opportunities = await step('demo opportunities', files.opportunities, mo.imports.opportunities);
  // This quarter's targets, so the digest has something to compare against.
  const { fy, quarter } = fiscalQuarterOf(todayIn(mo, TIMEZONE), FISCAL_START);
  const key = fiscalQuarter(fy, quarter, FISCAL_START).key;
  const targets = mo.targets;
  for (const [metric, value] of DEMO_TARGETS) await targets.set(metric, key, value, 'cli');
  // The lines already over plan raise their alerts now; `mo serve` delivers them.
  const alerts = await evaluateAlerts(mo);
  return { settings, budgets, spend, leads, opportunities, alerts: alerts.raised.length };
}
