import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret (or its hash) with the stored one in time that does not depend on where they first
 * differ, so the comparison cannot be used to guess the stored value a character at a time.
 */
export function sameSecret(presented: string, stored: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
