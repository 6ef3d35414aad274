import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatKronor,
  formatPercent,
  formatPeriod,
  formatQuantity,
} from '../../../../functions/adapters/pdf/swedish-format';

describe('formatKronor', () => {
  it('writes öre as kronor with a comma before the öre and a space between thousands', () => {
    expect(formatKronor(123_450)).toBe('1 234,50 kr');
  });

  it('writes zero as 0,00 kr', () => {
    expect(formatKronor(0)).toBe('0,00 kr');
  });

  it('keeps a leading zero in the öre', () => {
    expect(formatKronor(5)).toBe('0,05 kr');
    expect(formatKronor(100_007)).toBe('1 000,07 kr');
  });

  it('does not group amounts below a thousand kronor', () => {
    expect(formatKronor(99_999)).toBe('999,99 kr');
  });

  it('groups large amounts in threes', () => {
    expect(formatKronor(123_456_789_01)).toBe('123 456 789,01 kr');
    expect(formatKronor(100_000_000)).toBe('1 000 000,00 kr');
  });

  it('writes credits with a leading minus sign, grouped like positive amounts', () => {
    expect(formatKronor(-123_450)).toBe('-1 234,50 kr');
    expect(formatKronor(-1)).toBe('-0,01 kr');
  });

  it('uses plain spaces, so a reader searching for "1 234,50" finds it', () => {
    expect(formatAmount(123_450)).toBe('1\u0020234,50');
    expect(formatAmount(123_450)).not.toContain('\u00a0');
  });

  it('refuses fractions of an öre instead of rounding them away', () => {
    expect(() => formatKronor(10.5)).toThrow(RangeError);
    expect(() => formatKronor(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatAmount', () => {
  it('is formatKronor without the currency', () => {
    expect(formatAmount(1_950_00)).toBe('1 950,00');
  });
});

describe('formatQuantity', () => {
  it('writes whole quantities without decimals', () => {
    expect(formatQuantity(1)).toBe('1');
    expect(formatQuantity(0)).toBe('0');
  });

  it('writes fractions with a decimal comma and no trailing zeros', () => {
    expect(formatQuantity(1.5)).toBe('1,5');
    expect(formatQuantity(0.25)).toBe('0,25');
  });

  it('groups thousands', () => {
    expect(formatQuantity(12_500)).toBe('12 500');
  });

  it('writes negative quantities (credited lines) with a minus sign', () => {
    expect(formatQuantity(-2)).toBe('-2');
    expect(formatQuantity(-0.5)).toBe('-0,5');
  });

  it('rounds to two decimals', () => {
    expect(formatQuantity(1 / 3)).toBe('0,33');
  });
});

describe('formatPercent and formatPeriod', () => {
  it('puts a space before the percent sign, as Swedish typography does', () => {
    expect(formatPercent(25)).toBe('25 %');
    expect(formatPercent(0)).toBe('0 %');
  });

  it('spells out both ends of the period with an en dash between them', () => {
    expect(formatPeriod('2024-01-01', '2024-01-15')).toBe('2024-01-01 – 2024-01-15');
  });
});
