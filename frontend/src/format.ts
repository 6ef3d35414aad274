import { formatSwedishAmount } from '../../functions/domain/money';

/**
 * Swedish display formats. Amounts use the domain's integer formatter (the same one the PDF uses) rather than
 * `Intl`, so they look the same in every browser and never go through floating point: "1 234,50 kr" with no-break
 * spaces; dates as ISO dates.
 */

const NO_BREAK_SPACE = '\u00a0';
const MINUS_SIGN = '\u2212';
const STOCKHOLM_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** An amount in öre as Swedish kronor, e.g. 123450 → "1 234,50 kr" (the domain's formatting, web typography). */
export function formatAmount(minorUnits: number): string {
  return `${formatSwedishAmount(minorUnits, { groupSeparator: NO_BREAK_SPACE, minusSign: MINUS_SIGN })}${NO_BREAK_SPACE}kr`;
}

/** A calendar date ("YYYY-MM-DD") as shown in Sweden: unchanged. Anything else is shown as received. */
export function formatDate(isoDate: string): string {
  return isoDate;
}

/** The Swedish calendar date of an instant, e.g. "2024-11-30T23:30:00Z" → "2024-12-01". */
export function formatInstantAsDate(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    return instant;
  }
  const parts = Object.fromEntries(STOCKHOLM_DATE.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** A billing period as its dates: one for a one-day period, else first and last day. */
export function periodDates(from: string, to: string): [string] | [string, string] {
  return from === to ? [formatDate(from)] : [formatDate(from), formatDate(to)];
}

/** Goes between the two dates of a period: "2024-01-01 – 2024-01-15". */
export const PERIOD_SEPARATOR = ' – ';
