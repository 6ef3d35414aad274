/**
 * Clinic administrators (PRODUCT.md "Clinic administrator"): clinic staff who manage the portal. They log in with a
 * password and a TOTP second factor (SECURITY.md "Authentication"); their accounts, login names, throttling counters
 * and sessions live apart from the contacts' (an administrator and a contact with the same e-mail address are two
 * different accounts).
 */

import { ConflictError, ForbiddenError, UnauthenticatedError } from './errors';

export type AdminStatus = 'active' | 'deactivated';

/**
 * What an administrator may do (issue 6 "Admin users"): `admin` everything; `read-only` see everything in the admin
 * area and change nothing but their own account (logout, their recovery codes, their password through a link).
 * Records written before roles existed carry no role and are `admin` ({@link roleOf}).
 */
export const ADMIN_ROLES = ['admin', 'read-only'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** The role of a stored administrator: one provisioned before roles existed is an `admin`. */
export function roleOf(admin: Pick<ClinicAdmin, 'role'>): AdminRole {
  return admin.role ?? 'admin';
}

/** An administrator who may change things: active, with the `admin` role. */
export function isActiveFullAdmin(admin: Pick<ClinicAdmin, 'role' | 'status'>): boolean {
  return admin.status === 'active' && roleOf(admin) === 'admin';
}

/**
 * The administrator's authenticator (RFC 6238 TOTP). The secret must be readable by the server to check codes, so
 * it is stored sealed (AES-256-GCM under a key kept outside the table, bound to the clinic and the administrator):
 * `sealedSecret` is the sealed form, never the secret.
 * - `none`: no authenticator yet (a newly provisioned administrator);
 * - `pending`: a secret was handed out for enrolment and awaits its first valid code;
 * - `enrolled`: codes are required at every login. `lastAcceptedStep` is the time step of the last code accepted;
 *   a code of that step or an earlier one is refused (RFC 6238 §5.2: a code is valid once).
 */
export type AdminTotp =
  | { readonly state: 'none' }
  | { readonly state: 'pending'; readonly sealedSecret: string; readonly startedAt: string }
  | {
      readonly state: 'enrolled';
      readonly sealedSecret: string;
      readonly enrolledAt: string;
      readonly lastAcceptedStep?: number;
    };

export interface ClinicAdmin {
  readonly id: string;
  readonly name: string;
  /** Also the login name (normalised to lower case there). */
  readonly email: string;
  readonly status: AdminStatus;
  /** Absent on records from before roles: such an administrator is an `admin` ({@link roleOf}). */
  readonly role?: AdminRole;
  readonly createdAt: string;
  readonly totp: AdminTotp;
  /** SHA-256 (of {@link recoveryCodeHashInput}) of the recovery codes not used yet; each works once, for a TOTP code. */
  readonly recoveryCodeHashes: readonly string[];
}

/**
 * An administrator's login name. It exists from provisioning on (it keeps the e-mail address unique among the
 * clinic's administrators); `passwordHash` only once the administrator has set a password through their invitation.
 */
export interface AdminPasswordIdentity {
  readonly username: string;
  readonly adminId: string;
  readonly passwordHash?: string;
}

/**
 * The second step of an administrator's login: proof that the password was right, bound to one administrator,
 * short-lived and single-use. Kept server-side (with a TTL), so that it can count wrong codes and die after
 * {@link ADMIN_LOGIN_POLICY.challengeMaxFailures}. `enrolment` challenges complete a first TOTP enrolment.
 */
export interface AdminLoginChallenge {
  readonly id: string;
  readonly adminId: string;
  readonly purpose: 'totp' | 'enrolment';
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly failures: number;
}

export const ADMIN_LOGIN_POLICY = {
  /** Time between the password and the code: enough to open the app (or to scan the QR code at enrolment). */
  challengeTtlSeconds: 5 * 60,
  /** Wrong codes one challenge survives; then the password must be given again (and each counts on the account). */
  challengeMaxFailures: 5,
} as const;

/**
 * RFC 6238 as every authenticator app implements it: HMAC-SHA-1, 6 digits, 30-second steps, a 160-bit secret
 * (RFC 4226 §4 recommends 160). A code of the step before or after the current one is accepted too (clocks of
 * phones drift, and typing takes time), so a code lives for at most 90 s.
 */
export const TOTP_POLICY = {
  algorithm: 'SHA1',
  digits: 6,
  periodSeconds: 30,
  acceptedStepsEitherSide: 1,
  secretBytes: 20,
  /** Added to the clinic's name as the issuer an authenticator app shows. */
  issuerSuffix: 'Företagsportal',
} as const;

/** The issuer an authenticator app lists the account under, e.g. "Demo Företagshälsa AB Företagsportal". */
export function totpIssuer(clinicName: string): string {
  return `${clinicName} ${TOTP_POLICY.issuerSuffix}`;
}

/**
 * Recovery codes: {@link RECOVERY_CODES.count} per administrator, each 12 characters of Crockford's base32 (5 bits
 * each: 60 bits, out of reach of guessing within the login throttling's 100 attempts), shown once as
 * `xxxx-xxxx-xxxx`. Crockford's alphabet has no I, L, O or U, so a code read aloud or off paper is not mistyped;
 * what people type anyway (upper case, spaces, I/L for 1, O for 0) is normalised before comparing.
 */
export const RECOVERY_CODES = {
  count: 10,
  characters: 12,
  groupSize: 4,
  alphabet: '0123456789abcdefghjkmnpqrstvwxyz',
} as const;

/** Formats 12 random values (each 0–31, e.g. a random byte masked with 31) as a recovery code. */
export function formatRecoveryCode(fiveBitValues: readonly number[]): string {
  if (fiveBitValues.length !== RECOVERY_CODES.characters) {
    throw new RangeError(`A recovery code has ${RECOVERY_CODES.characters} characters.`);
  }
  const characters = fiveBitValues.map((value) => RECOVERY_CODES.alphabet[value & 31] ?? '0').join('');
  const groups = characters.match(new RegExp(`.{${RECOVERY_CODES.groupSize}}`, 'gu')) ?? [];
  return groups.join('-');
}

/** The canonical form of a typed recovery code, or undefined if it cannot be one (wrong length or characters). */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const folded = typed.toLowerCase().replace(/[\s-]/gu, '').replace(/[il]/gu, '1').replace(/o/gu, '0');
  const pattern = new RegExp(`^[${RECOVERY_CODES.alphabet}]{${RECOVERY_CODES.characters}}$`, 'u');
  return pattern.test(folded) ? folded : undefined;
}

/**
 * What is hashed to store a recovery code: the normalised code, prefixed with the administrator's id so that equal
 * codes of two administrators never share a hash (and no table of precomputed hashes fits them all).
 */
export function recoveryCodeHashInput(adminId: string, normalisedCode: string): string {
  return `recovery-code:${adminId}:${normalisedCode}`;
}

/** A TOTP code as typed: six digits, maybe with a space in the middle as some apps show it. */
export function normaliseTotpCode(typed: string): string | undefined {
  const digits = typed.replace(/\s/gu, '');
  return new RegExp(`^\\d{${TOTP_POLICY.digits}}$`, 'u').test(digits) ? digits : undefined;
}

/**
 * 401 `invalid_code`: the one-time code (or recovery code) was wrong, already used, or not checked at all because the
 * account is inside its login delay — one answer for all, like a wrong password.
 */
export class InvalidOneTimeCodeError extends UnauthenticatedError {
  constructor() {
    super('The code is wrong or has already been used.', 'invalid_code');
  }
}

/**
 * 401 `challenge_expired`: the second step of a login refers to no live challenge (expired, used, ended by too many
 * wrong codes, or never issued): the login starts again with the password.
 */
export class LoginChallengeExpiredError extends UnauthenticatedError {
  constructor() {
    super('This login has expired. Please enter your password again.', 'challenge_expired');
  }
}

/** A change one administrator makes to another's account (issue 6 "Admin users"). */
export type AdminAccountChange =
  | { readonly kind: 'role'; readonly role: AdminRole }
  | { readonly kind: 'deactivate' }
  | { readonly kind: 'reset-totp' };

/**
 * 409 `own_account`: an administrator may not deactivate or demote themselves, nor reset their own authenticator
 * here (it would end the session they are acting in; a lost authenticator is reset by another administrator).
 */
export class OwnAdminAccountError extends ConflictError {
  constructor(what: string) {
    super(`You cannot ${what} your own account; ask another administrator.`, { code: 'own_account' });
  }
}

/**
 * 403 `read_only`: a read-only administrator asked to change something other than their own account
 * (functions/http/middleware/authenticate.ts refuses it before any handler runs).
 */
export class ReadOnlyAdminError extends ForbiddenError {
  constructor() {
    super('read_only', 'Your role is read-only: you can see everything in the admin pages but change nothing.');
  }
}

/** 409 `last_admin`: the clinic would be left without an active administrator who may change things. */
export class LastFullAdminError extends ConflictError {
  constructor() {
    super('The clinic must keep at least one active administrator with the role admin.', { code: 'last_admin' });
  }
}

const OWN_ACCOUNT_WHAT: Record<AdminAccountChange['kind'], string> = {
  role: 'change the role of',
  deactivate: 'deactivate',
  'reset-totp': 'reset the authenticator of',
};

/**
 * The guard rails of administrators' changes to each other's accounts: never one's own account, and never the last
 * active `admin` out of that role or status. `admins` is every administrator of the clinic. (The platform operator's
 * command is the break-glass path and is not held to these: it may deactivate a compromised last administrator, and
 * provisions new ones.)
 */
export function checkAdminAccountChange(input: {
  readonly actorId: string;
  readonly target: ClinicAdmin;
  readonly change: AdminAccountChange;
  readonly admins: readonly ClinicAdmin[];
}): void {
  const { actorId, target, change, admins } = input;
  if (actorId === target.id) throw new OwnAdminAccountError(OWN_ACCOUNT_WHAT[change.kind]);
  const takesAwayFullAdmin =
    isActiveFullAdmin(target) && (change.kind === 'deactivate' || (change.kind === 'role' && change.role !== 'admin'));
  if (!takesAwayFullAdmin) return;
  const othersRemaining = admins.filter((admin) => admin.id !== target.id && isActiveFullAdmin(admin));
  if (othersRemaining.length === 0) throw new LastFullAdminError();
}
