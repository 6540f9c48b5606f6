import { describe, expect, it } from 'vitest';
import { takeFlags, tokenize } from '../../commands/args.js';
import { budgetArgs, budgetSetArgs } from '../../commands/budget.js';
import { findSubcommand, helpMessage, SUBCOMMANDS } from '../../commands/router.js';
import { spendAddArgs, splitCategory } from '../../commands/spend.js';

describe('tokenize', () => {
  it('keeps quoted phrases, straight or curly, together', () => {
    expect(tokenize('budget set "Paid Media/Search" 1,000 FY2027')).toEqual([
      'budget',
      'set',
      'Paid Media/Search',
      '1,000',
      'FY2027',
    ]);
    expect(tokenize('spend add 50 “Events/Field” dinner')).toEqual([
      'spend',
      'add',
      '50',
      'Events/Field',
      'dinner',
    ]);
    expect(tokenize('   ')).toEqual([]);
  });

  it('separates flags and their values', () => {
    expect(takeFlags(['a', '--owner', '<@U1>', '--committed', 'b'], ['owner'])).toEqual({
      flags: new Map<string, string | true>([
        ['owner', '<@U1>'],
        ['committed', true],
      ]),
      words: ['a', 'b'],
    });
  });
});

describe('subcommand routing', () => {
  it('prefers the longest name', () => {
    expect(findSubcommand(['budget', 'set', 'X', '1'])?.sub.name).toBe('budget set');
    expect(findSubcommand(['Budget', 'FY2027'])?.sub.name).toBe('budget');
    expect(findSubcommand(['spend'])).toBeUndefined();
  });

  it('lists every subcommand in help', () => {
    const text = JSON.stringify(helpMessage().blocks);
    for (const s of SUBCOMMANDS) expect(text).toContain(s.usage.replace(/"/g, '\\"'));
  });
});

describe('argument schemas', () => {
  it('/mo budget takes period and category in either order', () => {
    expect(budgetArgs.parse(['Paid', 'Media', 'FY2027-Q3'])).toEqual({
      period: 'FY2027-Q3',
      category: 'Paid Media',
    });
    expect(budgetArgs.parse(['last-quarter'])).toEqual({ period: 'last-quarter', category: undefined });
    expect(budgetArgs.parse([])).toEqual({ period: undefined, category: undefined });
    expect(budgetArgs.safeParse(['FY2027', '2026-11']).success).toBe(false);
  });

  it('/mo budget set reads category, amount, period and owner', () => {
    expect(
      budgetSetArgs.parse(['Paid', 'Media/Search', '$12,000', 'FY2027-Q3', '--owner', '<@U123|dana>']),
    ).toEqual({
      category: 'Paid Media/Search',
      amount: '$12,000',
      period: 'FY2027-Q3',
      owner: '<@U123|dana>',
      createCategory: false,
    });
    expect(budgetSetArgs.parse(['Events', '5000', '--new'])).toEqual({
      category: 'Events',
      amount: '5000',
      period: undefined,
      owner: undefined,
      createCategory: true,
    });
    expect(budgetSetArgs.safeParse(['5000']).success).toBe(false);
  });

  it('/mo spend add reads amount, words, date and --committed; no words opens the form', () => {
    expect(
      spendAddArgs.parse(['1200', 'Paid', 'Media/Search', 'Brand', '2026-11-20', '--committed']),
    ).toEqual({
      form: false,
      amount: '1200',
      rest: ['Paid', 'Media/Search', 'Brand'],
      date: '2026-11-20',
      committed: true,
      unlocked: false,
      createCategory: false,
      commitmentId: undefined,
    });
    // A date-like token anywhere is the date, valid or not: never part of the campaign.
    expect(
      spendAddArgs.parse(['1200', 'Events', '11/20/2026', 'dinner', '--commitment', 'PO-1']),
    ).toMatchObject({
      rest: ['Events', 'dinner'],
      date: '11/20/2026',
      commitmentId: 'PO-1',
    });
    expect(spendAddArgs.safeParse(['12', 'X', '--commitment']).success).toBe(false);
    expect(spendAddArgs.parse([])).toEqual({ form: true });
    expect(spendAddArgs.safeParse(['12', 'X', '--bogus']).success).toBe(false);
  });

  it('splits category from campaign using the known categories', () => {
    const known = ['Paid Media', 'Paid Media/Search', 'Events'];
    expect(splitCategory(['Paid', 'Media/Search', 'Brand', 'Exact'], known)).toEqual({
      category: 'Paid Media/Search',
      campaign: 'Brand Exact',
    });
    expect(splitCategory(['Webinars', 'Q4', 'launch'], known)).toEqual({
      category: 'Webinars',
      campaign: 'Q4 launch',
    });
    // A mistyped sub-category is kept whole, so "did you mean" can name the right one.
    expect(splitCategory(['Paid', 'Meda/Search', 'Brand'], known)).toEqual({
      category: 'Paid Meda/Search',
      campaign: 'Brand',
    });
  });
});
