import { describe, expect, it } from 'vitest';
import { formatAmount, formatInstantAsDate, periodDates } from '../../../frontend/src/format';

const NBSP = '\u00a0';

describe('frontend formats', () => {
  it.each([
    [0, `0,00${NBSP}kr`],
    [5, `0,05${NBSP}kr`],
    [123_450, `1${NBSP}234,50${NBSP}kr`],
    [123_456_789_00, `123${NBSP}456${NBSP}789,00${NBSP}kr`],
    [-125_000, `\u22121${NBSP}250,00${NBSP}kr`],
  ])('shows %i öre as %s, with no-break spaces so an amount never wraps', (minor, shown) => {
    expect(formatAmount(minor)).toBe(shown);
  });

  it('shows an instant as the calendar date in Stockholm, also just after midnight there', () => {
    expect(formatInstantAsDate('2024-11-30T23:30:00Z')).toBe('2024-12-01');
    expect(formatInstantAsDate('2024-06-30T21:59:00Z')).toBe('2024-06-30');
    expect(formatInstantAsDate('2024-06-30T22:00:00Z')).toBe('2024-07-01');
  });

  it('leaves an unparseable instant as it came rather than showing "Invalid Date"', () => {
    expect(formatInstantAsDate('okänt')).toBe('okänt');
  });

  it('shows a one-day period as one date', () => {
    expect(periodDates('2024-01-01', '2024-01-01')).toEqual(['2024-01-01']);
    expect(periodDates('2024-01-01', '2024-01-15')).toEqual(['2024-01-01', '2024-01-15']);
  });
});
