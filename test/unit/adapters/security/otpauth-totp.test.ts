import { describe, expect, it } from 'vitest';
import {
  otpauthTotp,
  totpCodeAt,
  totpSecretFromBase32,
  totpStepAt,
} from '../../../../functions/adapters/security/otpauth-totp';

/** RFC 6238 Appendix B: the SHA-1 seed and the expected 8-digit codes; an app shows their last 6 digits. */
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: ReadonlyArray<readonly [number, string]> = [
  [59, '94287082'],
  [1_111_111_109, '07081804'],
  [1_111_111_111, '14050471'],
  [1_234_567_890, '89005924'],
  [2_000_000_000, '69279037'],
  [20_000_000_000, '65353130'],
];
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP with otpauth (RFC 6238: SHA-1, 6 digits, 30 s)', () => {
  it.each(RFC_VECTORS)('gives the RFC 6238 code at T = %i s', (seconds, rfcCode) => {
    expect(totpCodeAt(RFC_SECRET, at(seconds))).toBe(rfcCode.slice(-6));
    expect(otpauthTotp.matchingStep(RFC_SECRET, rfcCode.slice(-6), at(seconds))).toBe(Math.floor(seconds / 30));
  });

  it('accepts the code of the step before and after (±30 s of clock skew), and no further', () => {
    const now = at(1_234_567_890);
    const step = totpStepAt(now);
    const codeOf = (offsetSteps: number) => totpCodeAt(RFC_SECRET, new Date(now.getTime() + offsetSteps * 30_000));

    expect(otpauthTotp.matchingStep(RFC_SECRET, codeOf(-1), now)).toBe(step - 1);
    expect(otpauthTotp.matchingStep(RFC_SECRET, codeOf(1), now)).toBe(step + 1);
    expect(otpauthTotp.matchingStep(RFC_SECRET, codeOf(-2), now)).toBeUndefined();
    expect(otpauthTotp.matchingStep(RFC_SECRET, codeOf(2), now)).toBeUndefined();
  });

  it('makes 160-bit random secrets and an otpauth URI naming issuer and account, with the same secret in base32', () => {
    const secret = otpauthTotp.newSecret();

    const provisioning = otpauthTotp.provisioning(secret, {
      issuer: 'Demo Företagshälsa AB Företagsportal',
      label: 'helena@example.se',
    });

    expect(secret).toHaveLength(20);
    expect(otpauthTotp.newSecret()).not.toEqual(secret);
    const uri = new URL(provisioning.uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Demo Företagshälsa AB Företagsportal:helena@example.se');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: 'Demo Företagshälsa AB Företagsportal',
      secret: provisioning.base32Secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(totpSecretFromBase32(provisioning.base32Secret)).toEqual(secret);
  });

  it('refuses a wrong code', () => {
    const now = at(1_234_567_890);
    const right = totpCodeAt(RFC_SECRET, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');

    expect(otpauthTotp.matchingStep(RFC_SECRET, wrong, now)).toBeUndefined();
  });
});
