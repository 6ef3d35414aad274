import { luhnValid } from '../../domain/luhn';
/**
 * The people the simulator can "be" when it approves an order (the dev page lists them; tests pick one).
 *
 * The personal numbers are SYNTHETIC test numbers in Skatteverket's format: 12 digits `YYYYMMDDNNNC` with a valid
 * Luhn check digit over the last ten, and a birth number in the 98x series that Skatteverket's published test lists
 * commonly use for people born in the 1900s. They were made for this simulator, not copied from the published list
 * (it could not be checked here, without network), except Tolvan Tolvansson's 19121212-1212, the well-known
 * example from Skatteverket's own material. Before any of them is used outside this local simulator, replace them
 * with numbers from Skatteverket's dataset "Testpersonnummer" (dataportal.se): only those are guaranteed never to be
 * issued to a real person.
 */
export interface TestIdentity {
  /** 12 digits, YYYYMMDDNNNC. */
  readonly personalNumber: string;
  readonly givenName: string;
  readonly surname: string;
}

export const TEST_IDENTITIES: readonly TestIdentity[] = [
  // The demo clinic's three contacts (functions/local/seed/demo-data.ts) …
  { personalNumber: '197803129829', givenName: 'Anna', surname: 'Lindqvist' },
  { personalNumber: '198507049818', givenName: 'Erik', surname: 'Johansson' },
  { personalNumber: '199102279842', givenName: 'Maria', surname: 'Nordin' },
  // … and people who are nobody's contact, to see the "no access" answer.
  { personalNumber: '196209189833', givenName: 'Åke', surname: 'Söderström' },
  { personalNumber: '197305309853', givenName: 'Jöns', surname: 'Håkansson' },
  { personalNumber: '191212121212', givenName: 'Tolvan', surname: 'Tolvansson' },
];

export function findTestIdentity(personalNumber: string): TestIdentity | undefined {
  return TEST_IDENTITIES.find((identity) => identity.personalNumber === personalNumber);
}

/**
 * Whether `value` is a personal number as BankID takes it: 12 digits, a plausible date of birth (day + 60 for a
 * samordningsnummer) and the Luhn check digit over the last ten digits (weights 2, 1, 2, 1, …).
 */
export function isPersonalNumber(value: string): boolean {
  const match = /^(18|19|20)(\d{2})(\d{2})(\d{2})\d{4}$/.exec(value);
  if (!match) return false;
  const month = Number(match[3]);
  const day = Number(match[4]);
  const dayOfMonth = day > 60 ? day - 60 : day;
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return false;
  return luhnValid(value.slice(2));
}
