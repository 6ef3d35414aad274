import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../domain/ports';

export interface ScryptCost {
  /** log2 of scrypt's N. OWASP's recommendation is N = 2^17 with r = 8, p = 1 (128 MiB). */
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet parameters for scrypt. */
export const OWASP_SCRYPT_COST: ScryptCost = { log2N: 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/u;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      // Node refuses more than 32 MiB by default; scrypt needs 128·N·r bytes plus headroom.
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/**
 * Memory-hard password hashing with a per-user salt. The cost is stored in each hash, so raising it later only
 * affects new hashes; tests pass a cheaper cost to stay fast.
 */
export function scryptPasswordHasher(cost: ScryptCost = OWASP_SCRYPT_COST): PasswordHasher {
  const dummySalt = randomBytes(SALT_LENGTH);
  return {
    async hash(password) {
      const salt = randomBytes(SALT_LENGTH);
      const key = await derive(password, salt, cost);
      return `scrypt$${cost.log2N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
    },
    async verify(password, storedHash) {
      const match = FORMAT.exec(storedHash);
      if (!match) return false;
      const [, log2N, r, p, salt = '', expected = ''] = match;
      const key = await derive(password, Buffer.from(salt, 'base64url'), {
        log2N: Number(log2N),
        r: Number(r),
        p: Number(p),
      });
      const expectedKey = Buffer.from(expected, 'base64url');
      return expectedKey.length === key.length && timingSafeEqual(expectedKey, key);
    },
    async verifyDummy(password) {
      await derive(password, dummySalt, cost);
    },
  };
}
