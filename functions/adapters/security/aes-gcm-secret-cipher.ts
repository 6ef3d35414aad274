import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../domain/ports';
import { keptOnSuccess } from '../system/kept-on-success';

const FORMAT_VERSION = 'v1';
const KEY_BYTES = 32;
/** NIST SP 800-38D: a 96-bit random IV; with random IVs one key may seal up to 2^32 values, far beyond our use. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/u;

function checked(key: Uint8Array): Buffer {
  if (key.byteLength !== KEY_BYTES) throw new Error(`The secret-sealing key must be ${KEY_BYTES} bytes (AES-256).`);
  return Buffer.from(key);
}

/** Why a sealed value was refused; deliberately the same for every cause, so a failure tells an attacker nothing. */
export class SealedSecretRefusedError extends Error {
  constructor(cause?: unknown) {
    super('The sealed secret could not be opened (altered, sealed under another key or for another record).', {
      cause,
    });
    this.name = 'SealedSecretRefusedError';
  }
}

/**
 * AES-256-GCM (node:crypto) with a random 96-bit IV per value: `v1.<iv>.<ciphertext and 128-bit tag>`, base64url.
 * The key never enters the table (Secrets Manager in AWS, a file in the data folder locally), so a copy of the table
 * or a backup alone yields no administrator's TOTP secret. The associated data (clinic and administrator) is
 * authenticated with the ciphertext: a sealed secret copied to another administrator's record does not open there.
 * A key given as a function is fetched on first use (and again after a failed fetch).
 */
export function aesGcmSecretCipher(key: Uint8Array | (() => Promise<Uint8Array>)): SecretCipher {
  const keyBytes =
    typeof key === 'function'
      ? keptOnSuccess(async () => checked(await key()))
      : (
          (direct) => () =>
            Promise.resolve(direct)
        )(checked(key));
  return {
    async seal(plaintext, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', await keyBytes(), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return `${FORMAT_VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
    },
    async open(sealed, associatedData) {
      const match = SEALED.exec(sealed);
      if (!match) throw new SealedSecretRefusedError();
      const iv = Buffer.from(match[1] ?? '', 'base64url');
      const body = Buffer.from(match[2] ?? '', 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealedSecretRefusedError();
      const key = await keyBytes();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return new Uint8Array(
          Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]),
        );
      } catch (error) {
        throw new SealedSecretRefusedError(error);
      }
    },
  };
}
