import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatPasswordLinkToken,
  MalformedLinkError,
  parsePasswordLinkToken,
} from '../../../functions/use-cases/password-links';

describe('the token of a set-password link', () => {
  it('reads back what was written, for contacts and administrators alike', () => {
    for (const kind of ['contact', 'admin'] as const) {
      const token = { subject: { kind, id: randomUUID() }, secret: randomBytes(32).toString('base64url') };

      const text = formatPasswordLinkToken(token);

      expect(text).toMatch(/^[\w.-]+$/u);
      expect(parsePasswordLinkToken(` ${text}\n`)).toEqual(token);
    }
  });

  it.each([
    ['', 'it has no code'],
    ['contact', 'its code is cut off'],
    [`contact.${randomUUID()}`, 'its code is cut off'],
    [`contact.${randomUUID()}.${'a'.repeat(43)}.x`, 'its code is cut off'],
    [`kontakt.${randomUUID()}.${'a'.repeat(43)}`, 'it names no kind of account'],
    [`contact.${randomUUID().toUpperCase()}.${'a'.repeat(43)}`, 'it names no account'],
    [`contact.${randomUUID()}.${'a'.repeat(44)}`, 'its secret part is cut off or changed'],
    [`contact.${randomUUID()}.${'a'.repeat(42)}=`, 'its secret part is cut off or changed'],
  ])('refuses %j, saying that %s', (text, problem) => {
    expect(() => parsePasswordLinkToken(text)).toThrow(MalformedLinkError);
    expect(() => parsePasswordLinkToken(text)).toThrow(`(${problem})`);
  });
});
