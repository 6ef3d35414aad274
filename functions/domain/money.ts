/**
 * Amounts are integers in minor units (öre for SEK) everywhere in the domain, so sums are exact.
 * The edges (PDF renderer, frontend) format them with {@link formatSwedishAmount}.
 */
export type MinorUnits = number;

/** Rounds half away from zero to whole minor units (Swedish invoicing practice for öre). */
export function roundMinor(value: number): MinorUnits {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** VAT in minor units for a net amount at a percentage rate (e.g. 25). */
export function vatOf(net: MinorUnits, ratePercent: number): MinorUnits {
  return roundMinor((net * ratePercent) / 100);
}

/** How an edge writes Swedish amounts: the PDF uses plain spaces (searchable), the web page no-break spaces. */
export interface SwedishAmountStyle {
  readonly groupSeparator: string;
  readonly minusSign: string;
}

/**
 * "1 234,50": öre as kronor with a decimal comma and thousands grouped in threes, computed on integers (never
 * through floating point). Anything but a whole number of öre is a bug upstream, so it throws instead of rounding.
 */
export function formatSwedishAmount(minor: MinorUnits, style: SwedishAmountStyle): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Amount must be a whole number of öre, got ${minor}`);
  const absolute = Math.abs(minor);
  const kronor = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, style.groupSeparator);
  const ore = String(absolute % 100).padStart(2, '0');
  return `${minor < 0 ? style.minusSign : ''}${kronor},${ore}`;
}
