import {
  formatRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODES,
  recoveryCodeHashInput,
} from '../domain/clinic-admin';
import { sha256Hex } from './sha256';

/** New recovery codes: the codes to show once, and the hashes to store. */
export interface IssuedRecoveryCodes {
  readonly codes: readonly string[];
  readonly hashes: readonly string[];
}

/**
 * The stored form of a recovery code as someone typed it: SHA-256 of the normalised code with the administrator's
 * id. A code has 60 random bits, so a fast hash suffices (no password stretching), like the API keys' 256 bits.
 * Undefined for text that cannot be a recovery code.
 */
export function recoveryCodeHash(adminId: string, typed: string): string | undefined {
  const normalised = normaliseRecoveryCode(typed);
  return normalised === undefined ? undefined : sha256Hex(recoveryCodeHashInput(adminId, normalised));
}

/** A fresh set of recovery codes (a random byte masked to 5 bits is uniform: 256 is a multiple of 32). */
export function newRecoveryCodes(adminId: string): IssuedRecoveryCodes {
  const codes = Array.from({ length: RECOVERY_CODES.count }, () =>
    formatRecoveryCode([...crypto.getRandomValues(new Uint8Array(RECOVERY_CODES.characters))]),
  );
  const hashes = codes.map((code) => recoveryCodeHash(adminId, code) ?? '');
  return { codes, hashes };
}
