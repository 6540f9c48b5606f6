import { describe, expect, it } from 'vitest';
import {
  divRound,
  formatMinorExact,
  formatMoney,
  isCurrencyCode,
  MoneyError,
  minorDigits,
  parseAmount,
  toWholeUnits,
} from '../../src/domain/money.js';

describe('parseAmount', () => {
  it.each([
    ['1234.56', 123456n],
    ['$1,234.56', 123456n],
    ['(120.00)', -12000n],
    ['-120', -12000n],
    ['-$120.5', -12050n],
    ['+7', 700n],
    ['.5', 50n],
    ['USD 1,200', 120000n],
    ['1,200 €', 120000n],
    ['0', 0n],
    [' 12 ', 1200n],
  ])('%s → %s minor units', (text, minor) => {
    expect(parseAmount(text, 'USD')).toBe(minor);
  });

  it('respects the currency’s minor digits', () => {
    expect(parseAmount('1,500', 'JPY')).toBe(1500n);
    expect(parseAmount('1.234', 'BHD')).toBe(1234n);
    expect(() => parseAmount('1.5', 'JPY')).toThrowError('has more decimals than JPY allows (none)');
    expect(() => parseAmount('12.345', 'USD')).toThrowError('more decimals than USD allows (2)');
  });

  it.each(['', 'abc', '1,23', '12..3', '1 000', '--5', '(5', '$'])('rejects %j with a MoneyError', (text) => {
    expect(() => parseAmount(text, 'USD')).toThrow(MoneyError);
  });

  it('accepts up to a trillion in major units, exactly, and refuses a cent more', () => {
    expect(parseAmount('1,000,000,000,000.00', 'USD')).toBe(100000000000000n);
    expect(parseAmount('(1,000,000,000,000)', 'USD')).toBe(-100000000000000n);
    expect(parseAmount('999,999,999,999.999', 'BHD')).toBe(999999999999999n);
    expect(() => parseAmount('1,000,000,000,000.01', 'USD')).toThrowError('too large');
    expect(() => parseAmount('-1000000000001', 'JPY')).toThrowError('limited to ±1,000,000,000,000 JPY');
    expect(() => parseAmount('100000000000000000', 'USD')).toThrow(MoneyError);
    expect(() => parseAmount(`1${'0'.repeat(400)}`, 'USD')).toThrow(MoneyError);
  });

  // Plain amounts take a one-pass path: it must read exactly what the general path reads,
  // at its edges too (leading zeros, a bare sign or point, the limit, the decimals allowed).
  it.each([
    ['1000000000000', 'USD', 100000000000000n],
    ['-1000000000000.00', 'USD', -100000000000000n],
    ['999999999999.999', 'BHD', 999999999999999n],
    ['0007.50', 'USD', 750n],
    ['-0', 'USD', 0n],
    ['12', 'JPY', 12n],
    ['0.001', 'BHD', 1n],
  ])('reads the plain amount %s %s as %s', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toBe(minor);
  });

  it.each([
    ['1000000000000.01', 'USD', 'too large'],
    ['10000000000000', 'USD', 'too large'],
    ['1.', 'USD', 'is not an amount'],
    ['-', 'USD', 'is not an amount'],
    ['1.2.3', 'USD', 'is not an amount'],
    ['5.5', 'JPY', 'more decimals than JPY allows'],
    ['1.234', 'USD', 'more decimals than USD allows'],
  ])('refuses the plain-looking %s %s: %s', (text, currency, reason) => {
    expect(() => parseAmount(text, currency)).toThrowError(reason);
  });
});

describe('rounding and formatting', () => {
  it('rounds half away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(7n, 3n)).toBe(2n);
    expect(divRound(-7n, 3n)).toBe(-2n);
    expect(divRound(5n, -2n)).toBe(-3n);
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
  });

  it('formats whole units with separators', () => {
    expect(formatMoney(1234550n, 'USD')).toBe('$12,346');
    expect(formatMoney(1234549n, 'USD')).toBe('$12,345');
    expect(formatMoney(-1234550n, 'USD')).toBe('-$12,346');
    expect(formatMoney(0n, 'EUR')).toBe('€0');
    expect(formatMoney(1500n, 'JPY')).toBe('¥1,500');
    expect(toWholeUnits(50n, 'USD')).toBe(1n);
    expect(toWholeUnits(49n, 'USD')).toBe(0n);
  });

  it('formats exact amounts for files and forms', () => {
    expect(formatMinorExact(123456n, 'USD')).toBe('1234.56');
    expect(formatMinorExact(-5n, 'USD')).toBe('-0.05');
    expect(formatMinorExact(1500n, 'JPY')).toBe('1500');
  });

  it('knows currencies', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
  });
});
