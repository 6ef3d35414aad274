/**
 * Amounts are integers in minor units (öre for SEK) everywhere in the domain, so sums are exact.
 * Formatting to "1 234,50 kr" happens at the edges (PDF renderer, frontend).
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
