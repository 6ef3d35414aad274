import type { IsoDate } from '../../domain/invoice-basis';
import { formatSwedishAmount, type MinorUnits } from '../../domain/money';

/**
 * Swedish number formats for the rendered invoice basis: "1 234,50 kr", "1,5", "25 %".
 *
 * The thousand separator is a plain space (U+0020), not a no-break space: a reader who searches the PDF for
 * "1 234,50" in a viewer (or greps `pdftotext` output) types an ordinary space, and an NBSP would not match.
 * Amounts therefore need `noWrap` in the PDF so they never break at that space. Negative amounts (credits) use
 * the ASCII hyphen-minus for the same reason.
 */
const THOUSANDS_SEPARATOR = ' ';
const DECIMAL_SEPARATOR = ',';

/** "1 234,50": an amount in öre as kronor with two decimals, without currency. */
export function formatAmount(minor: MinorUnits): string {
  return formatSwedishAmount(minor, { groupSeparator: THOUSANDS_SEPARATOR, minusSign: '-' });
}

/** "1 234,50 kr". */
export function formatKronor(minor: MinorUnits): string {
  return `${formatAmount(minor)} kr`;
}

/** "1", "1,5", "0,25", "1 000", "-2": up to two decimals, trailing zeros dropped. */
export function formatQuantity(quantity: number): string {
  if (!Number.isFinite(quantity)) {
    throw new RangeError(`Quantity must be a finite number, got ${quantity}`);
  }
  const hundredths = Math.round(Math.abs(quantity) * 100);
  const sign = quantity < 0 && hundredths !== 0 ? '-' : '';
  const whole = groupThousands(String(Math.floor(hundredths / 100)));
  const fraction = String(hundredths % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${sign}${whole}${DECIMAL_SEPARATOR}${fraction}` : `${sign}${whole}`;
}

/** "25 %", "12 %", "6 %": a Swedish VAT rate with the space Swedish typography puts before the percent sign. */
export function formatPercent(rate: number): string {
  return `${formatQuantity(rate)} %`;
}

/** "2024-01-01 – 2024-01-15": a billing period, always spelled out (the PDF is read on its own, not in a list). */
export function formatPeriod(from: IsoDate, to: IsoDate): string {
  return `${from} – ${to}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS_SEPARATOR);
}
