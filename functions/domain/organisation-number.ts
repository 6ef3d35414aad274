/**
 * Swedish organisation numbers (organisationsnummer): ten digits, the last a Luhn check digit. Sole traders use
 * their personal identity number instead, which follows the same rule, so both pass. Accepted forms: `5568123458`,
 * `556812-3458` and the 12-digit form with a century prefix (`16556812-3458`, `19…`/`20…` for persons).
 */
import { luhnValid } from './luhn';

const ACCEPTED_FORM = /^(?:16|19|20)?(\d{6})-?(\d{4})$/u;

export type OrganisationNumberCheck =
  | { readonly valid: true; readonly normalised: string }
  | { readonly valid: false; readonly reason: string };

export function checkOrganisationNumber(input: string): OrganisationNumberCheck {
  const match = ACCEPTED_FORM.exec(input.trim());
  if (!match) return { valid: false, reason: 'must be 10 digits, written NNNNNN-NNNN' };
  const digits = `${match[1]}${match[2]}`;
  if (!luhnValid(digits)) return { valid: false, reason: 'has a wrong check digit (the last digit)' };
  return { valid: true, normalised: `${digits.slice(0, 6)}-${digits.slice(6)}` };
}

/** The `NNNNNN-NNNN` form of an organisation number already checked by {@link checkOrganisationNumber}. */
export function normalisedOrganisationNumber(input: string): string {
  const check = checkOrganisationNumber(input);
  if (!check.valid) throw new RangeError(`Not an organisation number (${check.reason}): ${input}`);
  return check.normalised;
}
