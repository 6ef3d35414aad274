import { describe, expect, it } from 'vitest';
import {
  type AdminAccountChange,
  type ClinicAdmin,
  checkAdminAccountChange,
  formatRecoveryCode,
  LastFullAdminError,
  normaliseRecoveryCode,
  normaliseTotpCode,
  OwnAdminAccountError,
  RECOVERY_CODES,
  roleOf,
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

describe('roles and the guard rails of administrators changing each other', () => {
  const someone = (id: string, overrides: Partial<ClinicAdmin> = {}): ClinicAdmin => ({
    id,
    name: id,
    email: `${id}@klinik.example`,
    status: 'active',
    role: 'admin',
    createdAt: '2024-05-01T10:00:00.000Z',
    totp: { state: 'none' },
    recoveryCodeHashes: [],
    ...overrides,
  });
  const check =
    (actorId: string, target: ClinicAdmin, change: AdminAccountChange, admins: readonly ClinicAdmin[]) => () =>
      checkAdminAccountChange({ actorId, target, change, admins });

  it('treats an administrator stored before roles existed as an admin', () => {
    const { role: _, ...stored } = someone('gammal');
    const legacy: ClinicAdmin = stored;

    expect(roleOf(legacy)).toBe('admin');
    expect(roleOf(someone('läsare', { role: 'read-only' }))).toBe('read-only');
  });

  it('never lets an administrator deactivate, demote or reset themselves', () => {
    const me = someone('jag');
    const all = [me, someone('annan')];

    for (const change of [
      { kind: 'deactivate' },
      { kind: 'role', role: 'read-only' },
      { kind: 'role', role: 'admin' },
      { kind: 'reset-totp' },
    ] as const) {
      expect(check('jag', me, change, all)).toThrow(OwnAdminAccountError);
    }
    expect(check('jag', me, { kind: 'deactivate' }, all)).toThrow(
      'You cannot deactivate your own account; ask another administrator.',
    );
  });

  it('never takes the last active admin out of the role or the clinic', () => {
    const last = someone('sista');
    const admins = [
      last,
      someone('läsare', { role: 'read-only' }),
      someone('avslutad', { status: 'deactivated' }),
      someone('aktör', { role: 'read-only' }),
    ];

    expect(check('aktör', last, { kind: 'deactivate' }, admins)).toThrow(LastFullAdminError);
    expect(check('aktör', last, { kind: 'role', role: 'read-only' }, admins)).toThrow(LastFullAdminError);
    // Neither changes who may change things: the role stays admin, or only the authenticator is reset.
    expect(check('aktör', last, { kind: 'role', role: 'admin' }, admins)).not.toThrow();
    expect(check('aktör', last, { kind: 'reset-totp' }, admins)).not.toThrow();
  });

  it('lets an admin go while another active admin remains, and a read-only or deactivated one always', () => {
    const target = someone('mål');
    const admins = [target, someone('kvar'), someone('läsare', { role: 'read-only' })];

    expect(check('kvar', target, { kind: 'deactivate' }, admins)).not.toThrow();
    expect(check('kvar', target, { kind: 'role', role: 'read-only' }, admins)).not.toThrow();
    expect(check('kvar', admins[2] as ClinicAdmin, { kind: 'deactivate' }, admins)).not.toThrow();
    expect(
      check('kvar', someone('borta', { status: 'deactivated' }), { kind: 'role', role: 'read-only' }, [target]),
    ).not.toThrow();
  });
});
