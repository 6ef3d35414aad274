import { describe, expect, it } from 'vitest';
import { checkPersonalNumber, maskPersonalNumber } from '../../../functions/domain/personal-number';

const TODAY = new Date('2026-12-03T10:00:00Z');

describe('checkPersonalNumber', () => {
  it.each([
    ['199001010017', '199001010017'],
    ['19900101-0017', '199001010017'],
    ['  19900101-0017 ', '199001010017'],
    ['900101-0017', '199001010017'],
    ['9001010017', '199001010017'],
    ['19121212-1212', '191212121212'],
  ])('accepts %s as the personnummer %s', (input, normalised) => {
    expect(checkPersonalNumber(input, TODAY)).toEqual({
      valid: true,
      normalised,
      kind: 'personnummer',
      birthDate: `${normalised.slice(0, 4)}-${normalised.slice(4, 6)}-${normalised.slice(6, 8)}`,
    });
  });

  it('refuses a wrong check digit', () => {
    expect(checkPersonalNumber('19900101-0018', TODAY)).toEqual({
      valid: false,
      reason: 'has a wrong check digit (the last digit)',
    });
  });

  it.each([
    ['19900230-0011', 'February 30th'],
    ['19901301-0013', 'month 13'],
    ['19900100-0018', 'day 0'],
    ['19900132-0010', 'January 32nd'],
    ['20010229-1234', 'February 29th in a common year'],
  ])('refuses an impossible date: %s (%s)', (input) => {
    expect(checkPersonalNumber(input, TODAY)).toEqual({
      valid: false,
      reason: 'does not contain a real date of birth',
    });
  });

  it('accepts February 29th in a leap year, 2000 included', () => {
    expect(checkPersonalNumber('800229-1238', TODAY)).toMatchObject({ valid: true, normalised: '198002291238' });
    expect(checkPersonalNumber('000229-1235', TODAY)).toMatchObject({ valid: true, normalised: '200002291235' });
  });

  it('recognises a samordningsnummer (day + 60) and flags it, with the real birth date', () => {
    expect(checkPersonalNumber('19900161-0014', TODAY)).toEqual({
      valid: true,
      normalised: '199001610014',
      kind: 'samordningsnummer',
      birthDate: '1990-01-01',
    });
    expect(checkPersonalNumber('900161-0014', TODAY)).toMatchObject({ kind: 'samordningsnummer' });
  });

  it('refuses a samordningsnummer whose day − 60 is not a real date', () => {
    expect(checkPersonalNumber('19900292-0016', TODAY)).toMatchObject({ valid: false });
  });

  it('reads + as "100 years or older" and - as "younger than 100"', () => {
    expect(checkPersonalNumber('121212+1212', TODAY)).toMatchObject({ valid: true, normalised: '191212121212' });
    expect(checkPersonalNumber('121212-1212', TODAY)).toMatchObject({ valid: true, normalised: '201212121212' });
  });

  it('puts a 10-digit number in the century that makes its birth date lie in the past', () => {
    expect(checkPersonalNumber('261203-1233', TODAY)).toMatchObject({ valid: true, normalised: '202612031233' });
    expect(checkPersonalNumber('261204-1232', TODAY)).toMatchObject({ valid: true, normalised: '192612041232' });
  });

  it('refuses a 12-digit number born in the future', () => {
    expect(checkPersonalNumber('20261204-1232', TODAY)).toEqual({
      valid: false,
      reason: 'has a date of birth in the future',
    });
  });

  it.each(['', '1990010100', '19900101+0017', '199001010017x', '19900101–0017', '1990-01-01-0017', '90010-10017'])(
    'refuses the form %j without quoting it',
    (input) => {
      const result = checkPersonalNumber(input, TODAY);
      expect(result.valid).toBe(false);
      if (!result.valid && input !== '') expect(result.reason).not.toContain(input);
    },
  );
});

describe('maskPersonalNumber', () => {
  it('shows the date part and hides the last four digits', () => {
    expect(maskPersonalNumber('199001010017')).toBe('19900101-****');
    expect(maskPersonalNumber('19900101-0017')).toBe('19900101-****');
    expect(maskPersonalNumber('199001610014')).toBe('19900161-****');
  });

  it('hides everything of a value it does not recognise', () => {
    expect(maskPersonalNumber('900101-0017')).toBe('********-****');
    expect(maskPersonalNumber('not a number')).toBe('********-****');
  });
});
