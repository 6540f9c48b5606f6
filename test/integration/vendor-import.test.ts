// Real export formats in, exact totals out: every format detected from its header, with its
// preamble, totals rows, footers, quoted commas, BOM, refunds and date styles.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappingRepository } from '../../src/db/mapping.js';
import { compileRules, parsePattern } from '../../src/domain/mapping.js';
import {
  type ImportContext,
  ImportRejected,
  importLeads,
  importOpportunities,
  importSpend,
} from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

const TEAM = 'T0VEND';
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);
let t: TestDatabase;

const ctx = (file: string, extra: Partial<ImportContext> = {}): ImportContext =>
  csvImport(t.mo, TEAM, file.includes('\n') ? file : () => createReadStream(fixture(file)), {
    actor: 'test',
    ...extra,
  });

async function spendBy(category: string) {
  const g = await t.mo.db.spend.aggregate({
    where: { teamId: TEAM, category },
    _sum: { amountMinor: true },
    _count: true,
  });
  return [g._count, g._sum.amountMinor ?? 0n];
}

beforeAll(async () => {
  t = await createTestDatabase();
  await mappingRepository(t.mo.db).add(
    TEAM,
    { ...parsePattern('Brand'), category: 'Paid Media/Brand Search' },
    'U1',
  );
  await mappingRepository(t.mo.db).add(
    TEAM,
    { ...parsePattern('/^retarget/'), category: 'Paid Media/Retargeting' },
    'U1',
  );
});
afterAll(() => t.close());

describe('vendor spend exports', () => {
  it('reads a Google Ads report past its preamble and totals, filing campaigns by the mapping rules', async () => {
    const r = await importSpend(ctx('google-ads.csv'));
    expect(r).toMatchObject({ format: 'Google Ads campaign report', rows: 3, added: 3 });
    // "Brand, Exact" 1,234.56 + "Brand - Broad" 1,000.00 by rule; "Competitors" -- (zero) by default.
    expect(await spendBy('Paid Media/Brand Search')).toEqual([2, 223456n]);
    expect(await spendBy('Paid Media/Search')).toEqual([1, 0n]);
    expect((await importSpend(ctx('google-ads.csv'))).unchanged).toBe(3);
  });

  it('updates a corrected day in place', async () => {
    const corrected = 'Day,Campaign,Cost,Currency code\n2026-11-02,Brand - Broad,"1,100.00",USD\n';
    expect(await importSpend(ctx(corrected))).toMatchObject({ added: 0, updated: 1 });
    expect(await spendBy('Paid Media/Brand Search')).toEqual([2, 233456n]);
  });

  it('reads LinkedIn (BOM, US dates, a refund) and Meta (currency in the column name)', async () => {
    expect(await importSpend(ctx('linkedin.csv'))).toMatchObject({
      format: 'LinkedIn Campaign Manager report',
      added: 3,
    });
    expect(await importSpend(ctx('meta.csv'))).toMatchObject({ format: 'Meta Ads Manager report', added: 2 });
    // LinkedIn 2,500.00 + 2,499.99 − 50.00, and Meta's Prospecting 799.50, by the default category.
    expect(await spendBy('Paid Media/Social')).toEqual([4, 494999n + 79950n]);
    // "Retargeting – Q4" 1,200.50 matched the /^retarget/ rule.
    expect(await spendBy('Paid Media/Retargeting')).toEqual([1, 120050n]);
    const rows = await t.mo.db.spend.findMany({
      where: { teamId: TEAM, vendor: 'LinkedIn' },
      orderBy: { date: 'asc' },
    });
    expect(rows.map((r) => r.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });

  it('rejects a report in another currency, naming both', async () => {
    await expect(importSpend(ctx('meta-eur.csv'))).rejects.toThrow(
      'line 2: the amount is in EUR but this workspace counts in USD',
    );
  });

  it('files everything under --category, and a dry run writes nothing', async () => {
    const before = await t.mo.db.spend.count({ where: { teamId: TEAM } });
    const dry = await importSpend(
      ctx('google-ads.csv', { category: 'Agency/Search', dryRun: true, format: 'google-ads' }),
    );
    expect(dry).toMatchObject({ dryRun: true, updated: 3 });
    expect(dry.landing).toEqual([
      {
        category: 'Agency/Search',
        rows: 3,
        amountMinor: 223456n,
        campaigns: ['Brand, Exact', 'Brand - Broad', 'Competitors'],
      },
    ]);
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM } })).toBe(before);
    expect(await spendBy('Agency/Search')).toEqual([0, 0n]);
  });

  it('explains a file in no known format', async () => {
    const err = await importSpend(ctx('Foo,Bar\n1,2\n')).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.message).toContain('no header of a known spend format');
    expect(err.message).toContain('Google Ads campaign report (day, campaign, cost, currency_code)');
  });
});

describe('leads and opportunities', () => {
  it('imports HubSpot contacts and updates a lead whose stage dates changed', async () => {
    expect(await importLeads(ctx('hubspot-contacts.csv'))).toMatchObject({
      format: 'HubSpot contacts export',
      added: 3,
    });
    const ana = await t.mo.db.lead.findFirst({ where: { teamId: TEAM, externalId: 'hubspot:101' } });
    expect(ana).toMatchObject({
      createdDate: '2026-11-01',
      mqlDate: '2026-11-03',
      sqlDate: null,
      category: 'Paid Search',
    });
    const later =
      'Record ID,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,Original Source\n' +
      '101,2026-11-01,2026-11-03,2026-11-20,Paid Search\n';
    expect(await importLeads(ctx(later))).toMatchObject({ updated: 1, added: 0 });
    expect(
      (await t.mo.db.lead.findFirst({ where: { teamId: TEAM, externalId: 'hubspot:101' } }))?.sqlDate,
    ).toBe('2026-11-20');
  });

  it('imports Salesforce leads past the report footer', async () => {
    expect(await importLeads(ctx('salesforce-leads.csv'))).toMatchObject({
      format: 'Salesforce leads report',
      rows: 3,
      added: 3,
    });
    const converted = await t.mo.db.lead.findFirst({
      where: { teamId: TEAM, externalId: 'salesforce:00Q3' },
    });
    expect(converted).toMatchObject({
      createdDate: '2026-11-02',
      mqlDate: '2026-11-02',
      sqlDate: '2026-11-02',
      category: 'Event',
    });
  });

  it('imports opportunities from HubSpot, Salesforce and Mo’s own CSV with exact amounts', async () => {
    expect(await importOpportunities(ctx('hubspot-deals.csv'))).toMatchObject({ added: 2 });
    expect(await importOpportunities(ctx('salesforce-opportunities.csv'))).toMatchObject({
      rows: 2,
      added: 2,
    });
    expect(await importOpportunities(ctx('opportunities.csv'))).toMatchObject({ added: 2 });
    expect(await importLeads(ctx('leads.csv'))).toMatchObject({ added: 2 });
    const sum = await t.mo.db.opportunity.aggregate({ where: { teamId: TEAM }, _sum: { amountMinor: true } });
    // 12,000 + 5,000 + 30,000 + 45,500 + 25,000 + 8,000
    expect(sum._sum.amountMinor).toBe(12_550_000n);
    const won = await t.mo.db.opportunity.findMany({
      where: { teamId: TEAM, won: true },
      orderBy: { externalId: 'asc' },
    });
    expect(won.map((o) => o.externalId)).toEqual(['O-1', 'hubspot:9001', 'salesforce:006A']);
    expect(await importOpportunities(ctx('salesforce-opportunities.csv'))).toMatchObject({ unchanged: 2 });
  });
});

describe('mapping rules', () => {
  it('match by prefix or /regex/, first rule wins, case-insensitively', () => {
    const match = compileRules([
      { position: 2, kind: 'prefix', pattern: 'brand', category: 'B' },
      { position: 1, kind: 'regex', pattern: 'exact$', category: 'E' },
    ]);
    expect(match('Brand Exact')).toBe('E');
    expect(match('BRAND broad')).toBe('B');
    expect(match('Generic')).toBeUndefined();
    expect(() => parsePattern('/(unclosed/')).toThrow('is not a valid regular expression');
  });
});
