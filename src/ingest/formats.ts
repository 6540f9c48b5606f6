// The file formats Mo reads, canonical and vendor exports, as data: which columns identify
// each (matched case-insensitively) and how a row becomes a spend, lead or opportunity
// record. Detection looks for a format's header among the first lines of a file, so report
// preambles (titles, date ranges) are skipped; totals rows and footers are skipped too.
import { normalizeCategory } from '../domain/category.js';
import { parseLooseDate } from '../domain/dates.js';
import { parseAmount } from '../domain/money.js';
import { parseSpendRecord, RowError, type SpendRecord } from './spend-csv.js';

export type ImportKind = 'spend' | 'leads' | 'opportunities';

export interface LeadRecord {
  externalId: string;
  createdDate: string;
  mqlDate: string | null;
  sqlDate: string | null;
  category: string;
  campaign: string;
}

export interface OpportunityRecord {
  externalId: string;
  name: string;
  createdDate: string;
  amountMinor: bigint;
  stage: string;
  closeDate: string | null;
  won: boolean | null;
  category: string;
  campaign: string;
}

export interface RowContext {
  currency: string;
  /** The category for a row: --category, else the first matching campaign rule, else the fallback. */
  categorize(campaign: string, fallback: string): string;
}

type Values = Record<string, string>;

export interface Format<R> {
  name: string;
  /** A vendor's export (report furniture to skip, campaign-keyed rows) rather than Mo's own CSV. */
  vendor?: boolean;
  label: string;
  kind: ImportKind;
  /** Normalized header names that must all be present. */
  columns: string[];
  /** A header name pattern that must be present too (Meta's `amount_spent_(usd)`). */
  pattern?: RegExp;
  read(values: Values, ctx: RowContext, header: string[]): R;
}

export type AnyFormat = Format<SpendRecord> | Format<LeadRecord> | Format<OpportunityRecord>;

// ---- cells

const cell = (values: Values, name: string) => (values[name] ?? '').trim();

function date(values: Values, name: string, label: string): string {
  const text = cell(values, name);
  const d = parseLooseDate(text);
  if (!d) throw new RowError(`${label} "${text}" is not a date (2026-11-03, 11/3/2026 or Nov 3, 2026)`);
  return d;
}

function optionalDate(values: Values, name: string, label: string): string | null {
  return cell(values, name) === '' ? null : date(values, name, label);
}

/** Reports write zero as `--` or leave it blank. */
function money(values: Values, name: string, currency: string, label: string): bigint {
  const text = cell(values, name);
  if (text === '' || text === '--' || text === '-') return 0n;
  try {
    return parseAmount(text, currency);
  } catch (e) {
    throw new RowError(`${label}: ${(e as Error).message}`);
  }
}

function sameCurrency(found: string, currency: string) {
  const code = found.trim().toUpperCase();
  if (code !== '' && code !== currency) {
    throw new RowError(
      `the amount is in ${code} but this workspace counts in ${currency}; Mo does not convert currencies — export in ${currency} or change it in /mo settings`,
    );
  }
}

function category(text: string): string {
  try {
    return normalizeCategory(text);
  } catch (e) {
    throw new RowError((e as Error).message);
  }
}

function required(values: Values, name: string, label: string): string {
  const v = cell(values, name);
  if (!v) throw new RowError(`${label} is empty`);
  return v;
}

function won(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  if (['true', '1', 'yes', 'won', 'closed won', 'closedwon'].includes(t)) return true;
  if (['false', '0', 'no', 'lost', 'closed lost', 'closedlost'].includes(t)) return false;
  throw new RowError(`won "${text}" must be true, false or empty`);
}

const UNATTRIBUTED = 'Unattributed';

// ---- spend

function vendorSpend(
  name: string,
  label: string,
  vendor: string,
  fallback: string,
  cols: { date: string; campaign: string; cost: string; currency?: string },
  extra: Partial<Format<SpendRecord>> = {},
): Format<SpendRecord> {
  return {
    name,
    label,
    vendor: true,
    kind: 'spend',
    // Meta names the cost column after the currency, so a pattern finds it instead.
    columns: [
      cols.date,
      cols.campaign,
      ...(extra.pattern ? [] : [cols.cost]),
      ...(cols.currency ? [cols.currency] : []),
    ],
    ...extra,
    read(values, ctx, header) {
      if (cols.currency) sameCurrency(cell(values, cols.currency), ctx.currency);
      let costColumn = cols.cost;
      if (extra.pattern) {
        costColumn = header.find((h) => extra.pattern?.test(h)) ?? cols.cost;
        sameCurrency(extra.pattern.exec(costColumn)?.[1] ?? '', ctx.currency);
      }
      const campaign = required(values, cols.campaign, 'campaign');
      return {
        date: date(values, cols.date, 'date'),
        amountMinor: money(values, costColumn, ctx.currency, 'cost'),
        status: 'actual',
        category: category(ctx.categorize(campaign, fallback)),
        campaign,
        vendor,
        externalId: '',
        commitmentId: null,
        closes: false,
      };
    },
  };
}

export const FORMATS: AnyFormat[] = [
  {
    name: 'spend',
    label: 'Mo spend CSV',
    kind: 'spend',
    columns: ['date', 'amount', 'category'],
    read: (values, ctx) => parseSpendRecord(values, ctx.currency),
  } satisfies Format<SpendRecord>,
  vendorSpend('google-ads', 'Google Ads campaign report', 'Google Ads', 'Paid Media/Search', {
    date: 'day',
    campaign: 'campaign',
    cost: 'cost',
    currency: 'currency_code',
  }),
  vendorSpend('linkedin', 'LinkedIn Campaign Manager report', 'LinkedIn', 'Paid Media/Social', {
    date: 'start_date_(in_utc)',
    campaign: 'campaign_name',
    cost: 'total_spent',
    currency: 'currency',
  }),
  vendorSpend(
    'meta',
    'Meta Ads Manager report',
    'Meta',
    'Paid Media/Social',
    { date: 'reporting_starts', campaign: 'campaign_name', cost: 'amount_spent' },
    { pattern: /^amount_spent_\(([a-z]{3})\)$/ },
  ),
  {
    name: 'leads',
    label: 'Mo leads CSV',
    kind: 'leads',
    columns: ['created_date', 'external_id', 'category'],
    read(values, ctx) {
      const campaign = cell(values, 'campaign');
      return {
        externalId: required(values, 'external_id', 'external_id'),
        createdDate: date(values, 'created_date', 'created_date'),
        mqlDate: optionalDate(values, 'mql_date', 'mql_date'),
        sqlDate: optionalDate(values, 'sql_date', 'sql_date'),
        category: category(cell(values, 'category') || ctx.categorize(campaign, UNATTRIBUTED)),
        campaign,
      };
    },
  } satisfies Format<LeadRecord>,
  {
    name: 'opportunities',
    label: 'Mo opportunities CSV',
    kind: 'opportunities',
    columns: ['created_date', 'amount', 'external_id'],
    read(values, ctx) {
      const campaign = cell(values, 'campaign');
      return {
        externalId: required(values, 'external_id', 'external_id'),
        name: cell(values, 'name'),
        createdDate: date(values, 'created_date', 'created_date'),
        amountMinor: money(values, 'amount', ctx.currency, 'amount'),
        stage: cell(values, 'stage'),
        closeDate: optionalDate(values, 'close_date', 'close_date'),
        won: won(cell(values, 'won')),
        category: category(cell(values, 'category') || ctx.categorize(campaign, UNATTRIBUTED)),
        campaign,
      };
    },
  } satisfies Format<OpportunityRecord>,
  {
    name: 'hubspot-contacts',
    vendor: true,
    label: 'HubSpot contacts export',
    kind: 'leads',
    columns: ['record_id', 'create_date', 'became_a_marketing_qualified_lead_date'],
    read(values, ctx) {
      const source = cell(values, 'original_source');
      return {
        externalId: `hubspot:${required(values, 'record_id', 'Record ID')}`,
        createdDate: date(values, 'create_date', 'Create Date'),
        mqlDate: optionalDate(values, 'became_a_marketing_qualified_lead_date', 'MQL date'),
        sqlDate: optionalDate(values, 'became_a_sales_qualified_lead_date', 'SQL date'),
        category: category(ctx.categorize(source, source || UNATTRIBUTED)),
        campaign: source,
      };
    },
  } satisfies Format<LeadRecord>,
  {
    name: 'hubspot-deals',
    vendor: true,
    label: 'HubSpot deals export',
    kind: 'opportunities',
    columns: ['record_id', 'deal_name', 'amount', 'deal_stage', 'create_date'],
    read(values, ctx) {
      const stage = cell(values, 'deal_stage');
      const lower = stage.toLowerCase().replace(/\s+/g, '');
      return {
        externalId: `hubspot:${required(values, 'record_id', 'Record ID')}`,
        name: cell(values, 'deal_name'),
        createdDate: date(values, 'create_date', 'Create Date'),
        amountMinor: money(values, 'amount', ctx.currency, 'Amount'),
        stage,
        closeDate: optionalDate(values, 'close_date', 'Close Date'),
        won: lower === 'closedwon' ? true : lower === 'closedlost' ? false : null,
        category: category(ctx.categorize('', UNATTRIBUTED)),
        campaign: '',
      };
    },
  } satisfies Format<OpportunityRecord>,
  {
    name: 'salesforce-leads',
    vendor: true,
    label: 'Salesforce leads report',
    kind: 'leads',
    columns: ['lead_id', 'create_date', 'lead_source', 'status'],
    read(values, ctx) {
      const source = cell(values, 'lead_source');
      const status = cell(values, 'status').toLowerCase();
      const created = date(values, 'create_date', 'Create Date');
      // The report has a status, not stage dates: a lead that reached MQL or SQL counts from its creation.
      const isSql = /\bsql\b|sales qualified|converted/.test(status);
      const isMql = isSql || /\bmql\b|marketing qualified/.test(status);
      return {
        externalId: `salesforce:${required(values, 'lead_id', 'Lead ID')}`,
        createdDate: created,
        mqlDate: isMql ? created : null,
        sqlDate: isSql ? created : null,
        category: category(ctx.categorize(source, source || UNATTRIBUTED)),
        campaign: source,
      };
    },
  } satisfies Format<LeadRecord>,
  {
    name: 'salesforce-opportunities',
    vendor: true,
    label: 'Salesforce opportunities report',
    kind: 'opportunities',
    columns: ['opportunity_id', 'opportunity_name', 'amount', 'stage', 'created_date'],
    read(values, ctx) {
      const source = cell(values, 'lead_source');
      const campaign = cell(values, 'primary_campaign_source');
      return {
        externalId: `salesforce:${required(values, 'opportunity_id', 'Opportunity ID')}`,
        name: cell(values, 'opportunity_name'),
        createdDate: date(values, 'created_date', 'Created Date'),
        amountMinor: money(values, 'amount', ctx.currency, 'Amount'),
        stage: cell(values, 'stage'),
        closeDate: optionalDate(values, 'close_date', 'Close Date'),
        won: won(cell(values, 'won')),
        category: category(ctx.categorize(campaign, source || UNATTRIBUTED)),
        campaign,
      };
    },
  } satisfies Format<OpportunityRecord>,
];

export function formatNamed(name: string): AnyFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}

export function formatMatches(format: AnyFormat, header: string[]): boolean {
  return (
    format.columns.every((c) => header.includes(c)) &&
    (!format.pattern || header.some((h) => format.pattern?.test(h)))
  );
}

/** The most specific format whose columns the header has (vendor formats before canonical). */
export function detectFormat(header: string[], kind?: ImportKind): AnyFormat | undefined {
  return FORMATS.filter((f) => (!kind || f.kind === kind) && formatMatches(f, header)).sort(
    (a, b) => b.columns.length - a.columns.length,
  )[0];
}
