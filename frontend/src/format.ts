import { formatSwedishAmount } from '../../functions/domain/money';
import { currentLanguage } from './i18n';

/**
 * Display formats that follow the page's language (../i18n). In Swedish: amounts through the domain's integer
 * formatter (the same one the PDF uses), so they look the same in every browser and never go through floating point,
 * "1 234,50 kr" with no-break spaces; dates as ISO dates, as Swedes write them. In English: British formats from
 * `Intl` ("SEK 1,234.50", "31 Jan 2024": the month spelt out, so nobody reads 01/02 the American way). Calendar dates
 * are those of Stockholm, whatever the language: an invoice basis belongs to a Swedish day.
 */

const NO_BREAK_SPACE = '\u00a0';
const MINUS_SIGN = '\u2212';
const STOCKHOLM = 'Europe/Stockholm';
const STOCKHOLM_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: STOCKHOLM,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const STOCKHOLM_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: STOCKHOLM, hour: '2-digit', minute: '2-digit' });
const ENGLISH_AMOUNT = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'SEK', currencyDisplay: 'code' });
/** A calendar date is formatted at noon UTC in UTC: the same day in every time zone of the viewer. */
const ENGLISH_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const ENGLISH_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: STOCKHOLM,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const english = () => currentLanguage() === 'en';

/** An amount in öre: 123450 → "1 234,50 kr" in Swedish, "SEK 1,234.50" in English. */
export function formatAmount(minorUnits: number): string {
  if (english()) {
    // A decimal string, not a float: Intl formats it exactly (the integer öre are never divided).
    const absolute = Math.abs(minorUnits);
    const decimal = `${minorUnits < 0 ? '-' : ''}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
    return ENGLISH_AMOUNT.format(decimal as `${number}`);
  }
  return `${formatSwedishAmount(minorUnits, { groupSeparator: NO_BREAK_SPACE, minusSign: MINUS_SIGN })}${NO_BREAK_SPACE}kr`;
}

/** A calendar date ("YYYY-MM-DD"): unchanged in Swedish, "31 Jan 2024" in English. Anything else is shown as received. */
export function formatDate(isoDate: string): string {
  if (!english() || !/^\d{4}-\d{2}-\d{2}$/u.test(isoDate)) {
    return isoDate;
  }
  const date = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : ENGLISH_DATE.format(date);
}

/** The Stockholm calendar date of an instant, e.g. "2024-11-30T23:30:00Z" → "2024-12-01" (or "1 Dec 2024"). */
export function formatInstantAsDate(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    return instant;
  }
  return formatDate(stockholmDate(date));
}

/** An instant as Stockholm date and time: "2024-12-01 00:30" in Swedish, "1 Dec 2024, 00:30" in English. */
export function formatInstant(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    return instant;
  }
  return english() ? ENGLISH_DATE_TIME.format(date) : `${stockholmDate(date)} ${STOCKHOLM_TIME.format(date)}`;
}

function stockholmDate(date: Date): string {
  const parts = Object.fromEntries(STOCKHOLM_DATE.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** A billing period as its dates: one for a one-day period, else first and last day. */
export function periodDates(from: string, to: string): [string] | [string, string] {
  return from === to ? [formatDate(from)] : [formatDate(from), formatDate(to)];
}

/** Goes between the two dates of a period: "2024-01-01 – 2024-01-15". */
export const PERIOD_SEPARATOR = ' – ';
