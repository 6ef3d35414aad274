import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { TOTP_POLICY } from '../../domain/clinic-admin';
import type { TotpAuthenticator } from '../../domain/ports';

const PARAMETERS = {
  algorithm: TOTP_POLICY.algorithm,
  digits: TOTP_POLICY.digits,
  period: TOTP_POLICY.periodSeconds,
} as const;

const secretOf = (bytes: Uint8Array) => new Secret({ buffer: Uint8Array.from(bytes).buffer });

/** The time step (RFC 6238's T) that contains `at`. */
export function totpStepAt(at: Date): number {
  return TOTP.counter({ period: TOTP_POLICY.periodSeconds, timestamp: at.getTime() });
}

/**
 * The code an authenticator app shows at `at` for this secret: for the local dev page and tests, which play the
 * administrator's phone. The portal itself only ever checks codes.
 */
export function totpCodeAt(secret: Uint8Array, at: Date): string {
  return TOTP.generate({ ...PARAMETERS, secret: secretOf(secret), timestamp: at.getTime() });
}

/** The secret bytes of a base32 secret (as an authenticator app's manual entry, or the demo seed, has it). */
export function totpSecretFromBase32(base32: string): Uint8Array {
  return new Uint8Array(Secret.fromBase32(base32).bytes);
}

/**
 * RFC 6238 with the `otpauth` package (HMAC-SHA-1, 6 digits, 30 s; TOTP_POLICY), accepting the code of the current
 * step and of {@link TOTP_POLICY.acceptedStepsEitherSide} step(s) either side. Secrets come from node:crypto's CSPRNG.
 * The replay guard (each step accepted once) is the caller's: it needs the stored last step.
 */
export const otpauthTotp: TotpAuthenticator = {
  newSecret() {
    return new Uint8Array(randomBytes(TOTP_POLICY.secretBytes));
  },
  provisioning(secret, account) {
    const totp = new TOTP({ ...PARAMETERS, issuer: account.issuer, label: account.label, secret: secretOf(secret) });
    return { uri: totp.toString(), base32Secret: totp.secret.base32 };
  },
  matchingStep(secret, code, now) {
    const delta = TOTP.validate({
      ...PARAMETERS,
      token: code,
      secret: secretOf(secret),
      timestamp: now.getTime(),
      window: TOTP_POLICY.acceptedStepsEitherSide,
    });
    return delta === null ? undefined : totpStepAt(now) + delta;
  },
};
