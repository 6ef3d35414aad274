import { luhnValid } from '../../domain/luhn';
/**
 * The people the simulator can "be" when it approves an order (the dev page lists them; tests pick one).
 *
 * Every personal number here is from Skatteverket's published test numbers ("Allt du behöver veta om
 * testpersonnummer", skatteverket.se; the open dataset "Testpersonnummer" on dataportal.se, CC0): numbers that are
 * never issued to a real person. Never put a made-up number in a fixture: it may belong to somebody. One is a
 * samordningsnummer (day + 60), so that form is exercised too.
 */
export interface TestIdentity {
  /** 12 digits, YYYYMMDDNNNC. */
  readonly personalNumber: string;
  readonly givenName: string;
  readonly surname: string;
}

export const TEST_IDENTITIES: readonly TestIdentity[] = [
  // The demo clinic's three contacts (functions/local/seed/demo-data.ts) …
  { personalNumber: '199007042386', givenName: 'Anna', surname: 'Lindqvist' },
  { personalNumber: '199711292392', givenName: 'Erik', surname: 'Johansson' },
  { personalNumber: '199501132386', givenName: 'Maria', surname: 'Nordin' },
  // … and people who are nobody's contact, to see the "no access" answer.
  { personalNumber: '195210092218', givenName: 'Åke', surname: 'Söderström' },
  // A samordningsnummer: born 1972-03-10, day + 60.
  { personalNumber: '197203702399', givenName: 'Jöns', surname: 'Håkansson' },
  { personalNumber: '200306062381', givenName: 'Elin', surname: 'Berg' },
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
