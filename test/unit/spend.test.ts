// The spend ledger's pure rules: entry dates, amounts, "did you mean", and commitments'
// open amounts and rollup cells.
import { describe, expect, it } from 'vitest';
import {
  applyLedgerChanges,
  type CommitmentState,
  closeCommitment,
  type LedgerRow,
  normalizeCommitmentId,
  openAmount,
  viewCommitment,
} from '../../src/domain/commitments.js';
import { UserError } from '../../src/domain/errors.js';
import { currencyChangeRefusal } from '../../src/domain/money.js';
import {
  closestCategories,
  describeAmount,
  entryAmount,
  entryDate,
  looksLikeDateToken,
  unknownCategory,
} from '../../src/domain/spend.js';

const TODAY = '2026-11-16';

describe('entry dates', () => {
  it('defaults to today and takes a real calendar day', () => {
    expect(entryDate(undefined, TODAY, 'actual')).toBe(TODAY);
    expect(entryDate('2024-02-29', TODAY, 'actual')).toBe('2024-02-29');
  });
  it('refuses a date that does not exist, naming it', () => {
    for (const bad of ['2026-02-30', '11/20/2026', '2026-13-01'])
      expect(() => entryDate(bad, TODAY, 'actual')).toThrow(
        `"${bad}" is not a date: write it as YYYY-MM-DD, like ${TODAY}.`,
      );
  });
  it('refuses actual spend after today, takes committed spend ahead', () => {
    expect(() => entryDate('2026-11-17', TODAY, 'actual')).toThrow('Use --committed for planned spend.');
    expect(entryDate('2027-03-01', TODAY, 'committed')).toBe('2027-03-01');
  });
  it('tells date-like tokens from campaign words', () => {
    for (const d of ['2026-02-30', '11/20/2026', '20.11.2026', '2026/11/20'])
      expect(looksLikeDateToken(d)).toBe(true);
    for (const w of ['Q4', '2026', 'FY2027', 'brand-2026']) expect(looksLikeDateToken(w)).toBe(false);
  });
});

describe('entry amounts', () => {
  it('follows the currency minor unit: JPY none, USD two, KWD three', () => {
    expect(entryAmount('¥1,234', 'JPY')).toBe(1234n);
    expect(() => entryAmount('1234.5', 'JPY')).toThrow('"1234.5" has more decimals than JPY allows (none)');
    expect(entryAmount('1.5', 'USD')).toBe(150n);
    expect(entryAmount('1.234', 'KWD')).toBe(1234n);
    expect(() => entryAmount('1.2345', 'KWD')).toThrow('more decimals than KWD allows (3)');
  });
  it('refuses zero, keeps a refund negative and names it', () => {
    expect(() => entryAmount('0.00', 'USD')).toThrow('An amount of zero records nothing');
    const e = (() => {
      try {
        entryAmount('0', 'USD');
      } catch (x) {
        return x as UserError;
      }
    })();
    expect([e?.kind, e?.field]).toEqual(['invalid', 'amount']);
    expect(entryAmount('(120.00)', 'USD')).toBe(-12_000n);
    expect(describeAmount(-12_000n, 'USD')).toBe('a refund of $120');
    expect(describeAmount(12_000n, 'USD')).toBe('$120');
  });
});

describe('did you mean', () => {
  const known = ['Paid Media', 'Paid Media/Search', 'Paid Media/Social', 'Events', 'Content'];
  it('names the closest categories for a typo', () => {
    expect(closestCategories('Paid Meda/Search', known)).toEqual(['Paid Media/Search']);
    expect(closestCategories('evnts', known)).toEqual(['Events']);
    expect(closestCategories('Search', known)).toEqual(['Paid Media/Search']);
    expect(closestCategories('Podcasts', known)).toEqual([]);
  });
  it('says how to create one on purpose', () => {
    expect(unknownCategory('Evnts', known).message).toBe(
      'There is no category "Evnts" yet. Did you mean Events? To create it, add --new.',
    );
    expect(unknownCategory('Podcasts', known).message).toBe(
      'There is no category "Podcasts" yet. Categories: Paid Media, Events, Content. To create it, add --new.',
    );
  });
});

describe('currency changes', () => {
  it('are free before any amount, refused after, relabelled only between equal minor units', () => {
    expect(currencyChangeRefusal('USD', 'JPY', 0, false)).toBeNull();
    expect(currencyChangeRefusal('USD', 'EUR', 3, false)).toContain('3 amounts are stored in USD');
    expect(currencyChangeRefusal('USD', 'EUR', 3, true)).toBeNull();
    expect(currencyChangeRefusal('USD', 'JPY', 3, true)).toBe(
      'USD has 2 decimals and JPY has 0: relabelling would change every amount, so Mo refuses it.',
    );
  });
});

describe('commitments', () => {
  const po: LedgerRow = {
    key: 'po',
    date: '2026-11-02',
    category: 'Events',
    status: 'committed',
    amountMinor: 450_000n,
    commitmentId: 'PO-4500',
  };
  const invoice = (key: string, amountMinor: bigint, date = '2026-11-05'): LedgerRow => ({
    key,
    date,
    category: 'Events',
    status: 'actual',
    amountMinor,
    commitmentId: 'PO-4500',
  });
  const cells = (r: ReturnType<typeof applyLedgerChanges>) =>
    r.cells.filter((c) => c.amountMinor !== 0n).map((c) => `${c.date} ${c.status} ${c.amountMinor}`);

  it('opens, is relieved by invoices, never goes below zero, and is flagged over-invoiced', () => {
    const state = new Map<string, CommitmentState>();
    expect(cells(applyLedgerChanges([{ after: po }], state))).toEqual(['2026-11-02 committed 450000']);
    expect(cells(applyLedgerChanges([{ after: invoice('i1', 300_000n) }], state))).toEqual([
      '2026-11-05 actual 300000',
      '2026-11-02 committed -300000',
    ]);
    const c = state.get('PO-4500') as CommitmentState;
    expect(openAmount(c)).toBe(150_000n);
    expect(cells(applyLedgerChanges([{ after: invoice('i2', 200_000n, '2026-11-09') }], state))).toEqual([
      '2026-11-09 actual 200000',
      '2026-11-02 committed -150000',
    ]);
    expect(viewCommitment(c)).toMatchObject({ open: 0n, status: 'over-invoiced', overInvoiced: true });
    // Deleting the second invoice reopens what it relieved.
    expect(cells(applyLedgerChanges([{ before: invoice('i2', 200_000n, '2026-11-09') }], state))).toEqual([
      '2026-11-09 actual -200000',
      '2026-11-02 committed 150000',
    ]);
    expect(closeCommitment(c).map((x) => x.amountMinor)).toEqual([-150_000n]);
    expect(openAmount(c)).toBe(0n);
  });

  it('keeps committed rows without a commitment as they are, and refuses a second opening row', () => {
    const state = new Map<string, CommitmentState>();
    const plain: LedgerRow = { ...po, key: 'plain', commitmentId: null };
    expect(cells(applyLedgerChanges([{ after: plain }], state))).toEqual(['2026-11-02 committed 450000']);
    applyLedgerChanges([{ after: po }], state);
    expect(() => applyLedgerChanges([{ after: { ...po, key: 'other' } }], state)).toThrow(
      'commitment PO-4500 is already opened by another committed row',
    );
  });

  it('moves the open amount with its PO row', () => {
    const state = new Map<string, CommitmentState>();
    applyLedgerChanges([{ after: po }, { after: invoice('i1', 100_000n) }], state);
    const moved = applyLedgerChanges(
      [{ before: po, after: { ...po, date: '2026-12-01', category: 'Content' } }],
      state,
    );
    expect(
      moved.cells.filter((c) => c.amountMinor !== 0n).map((c) => `${c.date} ${c.category} ${c.amountMinor}`),
    ).toEqual(['2026-11-02 Events -350000', '2026-12-01 Content 350000']);
  });

  it('reads commitment ids strictly', () => {
    expect(normalizeCommitmentId('  PO-4500 ')).toBe('PO-4500');
    expect(normalizeCommitmentId('')).toBeNull();
    expect(() => normalizeCommitmentId('PO 4500')).toThrow(UserError);
  });
});
