// `mo demo`: a realistic workspace to try Mo on — a fiscal year starting in February, nine
// budget lines a quarter under four categories, and a year of spend to date (daily search,
// weekly social, conference invoices and deposits, a refund). Deterministic for a given
// "today", and loaded through the same import pipeline as real files.
import { Readable } from 'node:stream';
import { addDays, fiscalQuarter, fiscalQuarterOf, type IsoDate } from './domain/calendar.js';
import { formatMinorExact } from './domain/money.js';
import { importBudgets, importSpend } from './ingest/import.js';
import { type Mo, todayIn } from './services/mo.js';

export const DEMO_TEAM = 'T0DEMO';
export const DEMO_ADMIN = 'U0DEMOADMIN';
const TIMEZONE = 'America/New_York';
const FISCAL_START = 2;

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

export function demoFiles(today: IsoDate): { budgets: string; spend: string } {
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
  return { budgets: `${budgets.join('\n')}\n`, spend: `${spend.join('\n')}\n` };
}

export async function loadDemo(mo: Mo, teamId = DEMO_TEAM) {
  const settings = await mo.workspaces.update(
    teamId,
    { currency: 'USD', fiscalStartMonth: FISCAL_START, timezone: TIMEZONE, adminUserIds: [DEMO_ADMIN] },
    'cli',
  );
  const files = demoFiles(todayIn(mo, TIMEZONE));
  const base = {
    db: mo.db,
    databaseUrl: mo.databaseUrl,
    teamId,
    currency: settings.currency,
    fiscalStartMonth: FISCAL_START,
    source: 'demo',
    actor: 'cli',
  };
  const budgets = await importBudgets({
    ...base,
    open: () => Readable.from([files.budgets]),
    label: 'demo budgets',
  });
  const spend = await importSpend({ ...base, open: () => Readable.from([files.spend]), label: 'demo spend' });
  return { settings, budgets, spend };
}
