import { afterEach, describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatDate,
  formatInstant,
  formatInstantAsDate,
  periodDates,
} from '../../../frontend/src/format';
import { en } from '../../../frontend/src/i18n/en';
import { currentLanguage, messages, setLanguage } from '../../../frontend/src/i18n/index';
import { sv } from '../../../frontend/src/i18n/sv';

const NBSP = '\u00a0';

/** The keys of a catalogue, nested ones as paths, with what kind of value each is. */
function shape(catalogue: object, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? shape(value, `${prefix}${key}.`)
      : [`${prefix}${key}:${Array.isArray(value) ? `array(${value.length})` : typeof value}`],
  );
}

describe('the English catalogue and the language switch', () => {
  afterEach(() => setLanguage('sv'));

  it('has exactly the Swedish catalogue’s keys, each of the same kind (the typecheck cannot see extra keys)', () => {
    expect(shape(en).sort()).toEqual(shape(sv).sort());
  });

  it('names the other language in that language', () => {
    expect(sv.header.otherLanguage).toEqual({ code: 'en', name: 'English' });
    expect(en.header.otherLanguage).toEqual({ code: 'sv', name: 'Svenska' });
  });

  it('switches the live catalogue', () => {
    expect(currentLanguage()).toBe('sv');
    setLanguage('en');
    expect(messages.profile.title).toBe('My profile');
    expect(currentLanguage()).toBe('en');
    setLanguage('sv');
    expect(messages.profile.title).toBe('Min profil');
  });

  it('formats amounts and dates the Swedish way in Swedish and the British way in English', () => {
    expect(formatAmount(123_450)).toBe(`1${NBSP}234,50${NBSP}kr`);
    expect(formatDate('2024-01-31')).toBe('2024-01-31');
    expect(formatInstant('2024-11-30T23:30:00Z')).toBe('2024-12-01 00:30');

    setLanguage('en');
    expect(formatAmount(123_450)).toBe(`SEK${NBSP}1,234.50`);
    expect(formatAmount(-125_000)).toBe(`-SEK${NBSP}1,250.00`);
    // Exact for amounts far beyond what floating point division would keep: the öre are never divided.
    expect(formatAmount(900_719_925_474_099)).toBe(`SEK${NBSP}9,007,199,254,740.99`);
    expect(formatDate('2024-01-31')).toBe('31 Jan 2024');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatInstantAsDate('2024-11-30T23:30:00Z')).toBe('1 Dec 2024');
    expect(formatInstant('2024-11-30T23:30:00Z')).toBe('1 Dec 2024, 00:30');
    expect(periodDates('2024-01-01', '2024-01-15')).toEqual(['1 Jan 2024', '15 Jan 2024']);
  });
});
