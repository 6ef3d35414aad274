import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aesGcmSecretCipher,
  SealedSecretRefusedError,
} from '../../../../functions/adapters/security/aes-gcm-secret-cipher';

describe('the AES-256-GCM secret cipher', () => {
  const key = randomBytes(32);
  const cipher = aesGcmSecretCipher(key);
  const secret = randomBytes(20);
  const context = 'admin-totp:tenant-a:admin-1';

  const refusalOf = (opening: Promise<unknown>) =>
    opening.then(
      () => 'opened',
      (error: unknown) => error,
    );

  it('opens what it sealed, and seals the same secret differently every time (random IV)', async () => {
    const [first, second] = await Promise.all([cipher.seal(secret, context), cipher.seal(secret, context)]);

    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/u);
    expect(first).not.toContain(secret.toString('base64url'));
    expect(Buffer.from(await cipher.open(first, context))).toEqual(secret);
    expect(Buffer.from(await cipher.open(second, context))).toEqual(secret);
  });

  it('refuses a sealed value with any byte of its IV, ciphertext or tag changed', async () => {
    const sealed = await cipher.seal(secret, context);
    const [version, iv = '', body = ''] = sealed.split('.');
    const flip = (text: string, index: number) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[index] = (bytes[index] ?? 0) ^ 1;
      return bytes.toString('base64url');
    };
    const tampered = [
      `${version}.${flip(iv, 0)}.${body}`,
      `${version}.${iv}.${flip(body, 0)}`,
      `${version}.${iv}.${flip(body, Buffer.from(body, 'base64url').length - 1)}`,
      `${version}.${iv}.${body.slice(0, -4)}`,
      'not a sealed value',
    ];

    for (const value of tampered) {
      expect(await refusalOf(cipher.open(value, context)), value).toBeInstanceOf(SealedSecretRefusedError);
    }
  });

  it('refuses to open under another key', async () => {
    const sealed = await cipher.seal(secret, context);

    expect(await refusalOf(aesGcmSecretCipher(randomBytes(32)).open(sealed, context))).toBeInstanceOf(
      SealedSecretRefusedError,
    );
  });

  it('binds the sealed value to its associated data: another clinic or administrator cannot open it', async () => {
    const sealed = await cipher.seal(secret, context);

    for (const elsewhere of ['admin-totp:tenant-b:admin-1', 'admin-totp:tenant-a:admin-2', '']) {
      expect(await refusalOf(cipher.open(sealed, elsewhere)), elsewhere).toBeInstanceOf(SealedSecretRefusedError);
    }
  });

  it('fetches a key given as a function once, on first use, and refuses a key that is not 256 bits', async () => {
    let fetches = 0;
    const lazy = aesGcmSecretCipher(async () => {
      fetches += 1;
      return key;
    });
    expect(fetches).toBe(0);

    const sealed = await lazy.seal(secret, context);
    await lazy.open(sealed, context);

    expect(fetches).toBe(1);
    expect(Buffer.from(await cipher.open(sealed, context))).toEqual(secret);
    expect(() => aesGcmSecretCipher(randomBytes(16))).toThrow(/32 bytes/u);
    expect(await refusalOf(aesGcmSecretCipher(async () => randomBytes(31)).seal(secret, context))).toBeInstanceOf(
      Error,
    );
  });
});
