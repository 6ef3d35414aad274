/**
 * Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).
 *
 * Accepted forms: `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`, and the 10-digit forms `YYMMDD-NNNC`, `YYMMDDNNNC` and
 * `YYMMDD+NNNC`. In the 10-digit forms the century is the one that makes the person younger than 100 years on
 * `today`; the `+` separator (Skatteverket's sign for a person who has turned 100) adds another 100 years. C is the
 * Luhn check digit over the last ten digits. A samordningsnummer is a personnummer whose day is the birth day + 60.
 *
 * The number is sensitive (../shared/SECURITY.md): never put it in a URL, a log line or an error message. That is
 * why the reasons below never quote the input.
 */
import { luhnValid } from './luhn';

export type PersonalNumberKind = 'personnummer' | 'samordningsnummer';

export type PersonalNumberCheck =
  | {
      readonly valid: true;
      /** 12 digits, `YYYYMMDDNNNC`, the form BankID uses. */
      readonly normalised: string;
      readonly kind: PersonalNumberKind;
      /** `YYYY-MM-DD`; for a samordningsnummer the real day of birth (day − 60). */
      readonly birthDate: string;
    }
  | { readonly valid: false; readonly reason: string };

const TWELVE_DIGITS = /^(\d{4})(\d{2})(\d{2})-?(\d{4})$/u;
const TEN_DIGITS = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/u;
const SAMORDNINGSNUMMER_DAY_OFFSET = 60;

/**
 * Checks and normalises a personal identity number. `today` resolves the century of the 10-digit forms and rejects
 * birth dates in the future; it defaults to the current date (pass the clock's date where time matters in tests).
 */
export function checkPersonalNumber(input: string, today: Date = new Date()): PersonalNumberCheck {
  const trimmed = input.trim();
  const long = TWELVE_DIGITS.exec(trimmed);
  const short = long ? undefined : TEN_DIGITS.exec(trimmed);
  if (!long && !short) {
    return { valid: false, reason: 'must be written YYYYMMDD-NNNC, YYYYMMDDNNNC, YYMMDD-NNNC or YYMMDD+NNNC' };
  }

  let year: number;
  let month: number;
  let dayField: number;
  let serial: string;
  if (long) {
    const [, yyyy = '', mm = '', dd = '', nnnc = ''] = long;
    [year, month, dayField, serial] = [Number(yyyy), Number(mm), Number(dd), nnnc];
  } else {
    const [, yy = '', mm = '', dd = '', separator = '', nnnc = ''] = short ?? [];
    month = Number(mm);
    dayField = Number(dd);
    serial = nnnc;
    year = centuryFor(Number(yy), month, realDay(dayField), today) + Number(yy) - (separator === '+' ? 100 : 0);
  }

  const kind: PersonalNumberKind = dayField > SAMORDNINGSNUMMER_DAY_OFFSET ? 'samordningsnummer' : 'personnummer';
  const day = realDay(dayField);
  if (!isCalendarDate(year, month, day)) return { valid: false, reason: 'does not contain a real date of birth' };
  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (birthDate > isoDate(today)) return { valid: false, reason: 'has a date of birth in the future' };

  const normalised = `${pad(year, 4)}${pad(month, 2)}${pad(dayField, 2)}${serial}`;
  if (!luhnValid(normalised.slice(2))) return { valid: false, reason: 'has a wrong check digit (the last digit)' };
  return { valid: true, normalised, kind, birthDate };
}

/**
 * For display to administrators: the date part as written in the number and the last four digits hidden,
 * `YYYYMMDD-****`. Anything that is not a recognisable number is hidden entirely.
 */
export function maskPersonalNumber(personalNumber: string): string {
  const digits = personalNumber.replace(/[-+\s]/gu, '');
  if (!/^\d{12}$/u.test(digits)) return '********-****';
  return `${digits.slice(0, 8)}-****`;
}

function realDay(dayField: number): number {
  return dayField > SAMORDNINGSNUMMER_DAY_OFFSET ? dayField - SAMORDNINGSNUMMER_DAY_OFFSET : dayField;
}

/** The century (1900, 2000, …) that puts `yy-month-day` on or before `today` and less than 100 years before it. */
function centuryFor(yy: number, month: number, day: number, today: Date): number {
  const thisCentury = Math.floor(today.getUTCFullYear() / 100) * 100;
  const candidate = `${pad(thisCentury + yy, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return candidate > isoDate(today) ? thisCentury - 100 : thisCentury;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
