import { createHmac } from 'node:crypto';
import { checkPersonalNumber } from '../../domain/personal-number';
import type { PersonalNumberKeys } from '../../domain/ports';
import { keptOnSuccess } from '../system/kept-on-success';

/** A pepper shorter than the hash it keys would make the keyed hash weaker than it needs to be. */
const MIN_PEPPER_BYTES = 32;

function checked(pepper: Uint8Array): Buffer {
  if (pepper.byteLength < MIN_PEPPER_BYTES) {
    throw new Error(`The personal-number pepper must be at least ${MIN_PEPPER_BYTES} bytes.`);
  }
  return Buffer.from(pepper);
}

/**
 * Personal numbers as keyed hashes (HMAC-SHA-256 with a secret pepper, lowercase hex). There are only ~10^8
 * plausible personal numbers per century, so a plain hash could be reversed by trying them all; without the pepper
 * (Secrets Manager in AWS, the data folder locally) the hashes in the table reveal nothing. The number is
 * normalised to its 12 digits first, so every way of writing it gives the same key.
 */
export function hmacPersonalNumberKeys(pepper: Uint8Array | (() => Promise<Uint8Array>)): PersonalNumberKeys {
  // Pepper bytes given directly are checked at once, so a misconfiguration fails at start-up, not at a login; a
  // fetched pepper is fetched once, and fetched again after a failure.
  const keyBytes =
    typeof pepper === 'function'
      ? keptOnSuccess(async () => checked(await pepper()))
      : (
          (direct) => () =>
            Promise.resolve(direct)
        )(checked(pepper));
  return {
    async keyOf(personalNumber) {
      const check = checkPersonalNumber(personalNumber);
      // The reason never repeats the number (it may end up in a log).
      if (!check.valid) throw new RangeError(`Not a personal number: ${check.reason}.`);
      return createHmac('sha256', await keyBytes())
        .update(check.normalised)
        .digest('hex');
    },
  };
}
