import { COMMON_PASSWORDS } from './common-passwords';

/**
 * The rules a new password must meet (SECURITY.md "Authentication", NIST SP 800-63B §5.1.1.2): a length minimum
 * (15 characters when the password is the only factor, 8 with a second factor), at least 64 accepted (1024 at most,
 * which bounds the hashing work, as at login), no composition rules, and no common, context-specific or trivially
 * patterned passwords. Pure: no I/O, so it runs anywhere (the frontend may show the same reasons before submitting).
 *
 * Length counts Unicode code points after NFC normalisation (so "å" is one character however it was typed); the
 * password itself is never trimmed or otherwise altered.
 */
export const PASSWORD_POLICY = {
  minLength: 15,
  minLengthWithSecondFactor: 8,
  maxLength: 1024,
  /** Shorter parts of a username (e.g. the local part "ab") would reject half of all passwords: they are not checked. */
  minContextWordLength: 3,
} as const;

export interface LocalisedMessage {
  readonly sv: string;
  readonly en: string;
}

export type PasswordRejection =
  | { readonly code: 'too_short'; readonly min: number; readonly message: LocalisedMessage }
  | { readonly code: 'too_long'; readonly max: number; readonly message: LocalisedMessage }
  | { readonly code: 'too_common'; readonly message: LocalisedMessage }
  | { readonly code: 'contains_username'; readonly message: LocalisedMessage }
  | { readonly code: 'repeated_character'; readonly message: LocalisedMessage }
  | { readonly code: 'simple_sequence'; readonly message: LocalisedMessage };

export type PasswordRejectionCode = PasswordRejection['code'];

export interface PasswordContext {
  /** The username and e-mail address of the account: neither they nor an e-mail's local part may be in the password. */
  readonly usernames?: readonly string[];
  /** A second factor lowers the minimum to 8 characters (NIST 800-63B). */
  readonly secondFactor?: boolean;
}

export type PasswordVerdict =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly reasons: readonly PasswordRejection[] };

const COMMON = new Set(COMMON_PASSWORDS.map((entry) => entry.normalize('NFC').toLowerCase()));

const normalise = (text: string) => text.normalize('NFC');
const codePoints = (text: string) => [...text];

/** Checks a new password against every rule and returns every reason it fails, not just the first. */
export function checkPassword(password: string, context: PasswordContext = {}): PasswordVerdict {
  const normalised = normalise(password);
  const characters = codePoints(normalised);
  const folded = normalised.toLowerCase();
  const reasons: PasswordRejection[] = [];

  const min = context.secondFactor ? PASSWORD_POLICY.minLengthWithSecondFactor : PASSWORD_POLICY.minLength;
  if (characters.length < min) {
    reasons.push({
      code: 'too_short',
      min,
      message: {
        sv: `Lösenordet måste ha minst ${min} tecken.`,
        en: `The password must be at least ${min} characters long.`,
      },
    });
  }
  if (characters.length > PASSWORD_POLICY.maxLength) {
    const max = PASSWORD_POLICY.maxLength;
    reasons.push({
      code: 'too_long',
      max,
      message: {
        sv: `Lösenordet får ha högst ${max} tecken.`,
        en: `The password may be at most ${max} characters long.`,
      },
    });
  }
  if (COMMON.has(folded)) {
    reasons.push({
      code: 'too_common',
      message: {
        sv: 'Lösenordet är för vanligt och lätt att gissa. Välj ett annat.',
        en: 'This password is too common and easy to guess. Choose another one.',
      },
    });
  }
  if (contextWords(context.usernames ?? []).some((word) => folded.includes(word))) {
    reasons.push({
      code: 'contains_username',
      message: {
        sv: 'Lösenordet får inte innehålla ditt användarnamn eller din e-postadress.',
        en: 'The password must not contain your username or e-mail address.',
      },
    });
  }
  if (characters.length > 1 && characters.every((character) => character === characters[0])) {
    reasons.push({
      code: 'repeated_character',
      message: {
        sv: 'Lösenordet får inte bestå av ett och samma tecken upprepat.',
        en: 'The password must not be one character repeated.',
      },
    });
  }
  if (isSimpleSequence(codePoints(folded))) {
    reasons.push({
      code: 'simple_sequence',
      message: {
        sv: 'Lösenordet får inte vara en enkel följd av tecken (som 123456… eller abcdef…).',
        en: 'The password must not be a simple run of characters (such as 123456… or abcdef…).',
      },
    });
  }
  return reasons.length === 0 ? { accepted: true } : { accepted: false, reasons };
}

/** The username itself, and for an e-mail address also its local part; lower case, NFC, long enough to matter. */
function contextWords(usernames: readonly string[]): string[] {
  const words = usernames.flatMap((username) => {
    const word = normalise(username).toLowerCase();
    const at = word.lastIndexOf('@');
    return at > 0 ? [word, word.slice(0, at)] : [word];
  });
  return words.filter((word) => codePoints(word).length >= PASSWORD_POLICY.minContextWordLength);
}

/**
 * Every character one up (or every one down) from the previous: "abcdef…", "987654…". Digits wrap around, so
 * "1234567890123" is a sequence too.
 */
function isSimpleSequence(characters: readonly string[]): boolean {
  if (characters.length < 3) return false;
  const points = characters.map((character) => character.codePointAt(0) ?? 0);
  const allDigits = characters.every((character) => character >= '0' && character <= '9');
  const step = (from: number, to: number) => (allDigits ? (to - from + 10) % 10 : to - from);
  const first = step(points[0] ?? 0, points[1] ?? 0);
  const descending = allDigits ? 9 : -1;
  if (first !== 1 && first !== descending) return false;
  return points.every((point, index) => index === 0 || step(points[index - 1] ?? 0, point) === first);
}
