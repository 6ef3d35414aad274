import { describe, expect, it } from 'vitest';
import {
  formatRecoveryCode,
  normaliseRecoveryCode,
  normaliseTotpCode,
  RECOVERY_CODES,
  totpIssuer,
} from '../../../functions/domain/clinic-admin';
import { newRecoveryCodes, recoveryCodeHash } from '../../../functions/use-cases/recovery-codes';

describe('recovery codes', () => {
  it('are ten codes of 12 Crockford base32 characters (60 bits) in groups of four, all different', () => {
    const { codes, hashes } = newRecoveryCodes('admin-1');

    expect(codes).toHaveLength(RECOVERY_CODES.count);
    for (const code of codes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/u);
    expect(new Set(codes).size).toBe(codes.length);
    expect(RECOVERY_CODES.alphabet).toHaveLength(32);
    expect(hashes).toEqual(codes.map((code) => recoveryCodeHash('admin-1', code)));
    expect(hashes.every((hash) => /^[0-9a-f]{64}$/u.test(hash))).toBe(true);
  });

  it('are recognised however they are typed: case, spaces, dashes, I/L for 1 and O for 0', () => {
    const code = formatRecoveryCode([1, 0, 17, 18, 19, 20, 21, 22, 23, 24, 25, 31]);

    expect(code).toBe('10hj-kmnp-qrsz');
    expect(normaliseRecoveryCode(' 10HJ KMNP QRSZ ')).toBe('10hjkmnpqrsz');
    expect(normaliseRecoveryCode('loHj-kmnp-qrsz')).toBe('10hjkmnpqrsz');
    expect(normaliseRecoveryCode('10hj-kmnp-qrs')).toBeUndefined();
    expect(normaliseRecoveryCode('10hj-kmnp-qrsu')).toBeUndefined();
  });

  it('hash differently for two administrators, so equal codes never share a stored hash', () => {
    expect(recoveryCodeHash('admin-1', '10hj-kmnp-qrsz')).toBe(recoveryCodeHash('admin-1', '10HJKMNPQRSZ'));
    expect(recoveryCodeHash('admin-1', '10hj-kmnp-qrsz')).not.toBe(recoveryCodeHash('admin-2', '10hj-kmnp-qrsz'));
    expect(recoveryCodeHash('admin-1', 'nonsense')).toBeUndefined();
  });
});

describe('TOTP codes and issuer', () => {
  it('takes six digits, also as apps show them with a space', () => {
    expect(normaliseTotpCode('123456')).toBe('123456');
    expect(normaliseTotpCode('123 456')).toBe('123456');
    expect(normaliseTotpCode('12345')).toBeUndefined();
    expect(normaliseTotpCode('12345a')).toBeUndefined();
  });

  it('names the clinic and the product as the issuer an authenticator app lists', () => {
    expect(totpIssuer('Demo Företagshälsa AB')).toBe('Demo Företagshälsa AB Företagsportal');
  });
});
