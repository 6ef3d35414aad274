import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacPersonalNumberKeys } from '../../../../functions/adapters/security/hmac-personal-number-keys';

describe('personal-number keys (HMAC with a pepper)', () => {
  const pepper = randomBytes(32);
  const keys = hmacPersonalNumberKeys(pepper);

  it('gives every way of writing one number the same key, and never the number itself', () => {
    const forms = ['197803129829', '19780312-9829', '780312-9829', '7803129829'];
    const derived = forms.map((form) => keys.keyOf(form));

    expect(new Set(derived).size).toBe(1);
    expect(derived[0]).toMatch(/^[0-9a-f]{64}$/u);
    expect(derived[0]).not.toContain('9829');
  });

  it('gives other keys under another pepper, so the table is useless without the secret', () => {
    expect(hmacPersonalNumberKeys(randomBytes(32)).keyOf('197803129829')).not.toBe(keys.keyOf('197803129829'));
    expect(keys.keyOf('198507049818')).not.toBe(keys.keyOf('197803129829'));
  });

  it('refuses what is not a personal number without repeating it, and a pepper too short to be secret', () => {
    expect(() => keys.keyOf('197803129828')).toThrow(RangeError);
    expect(() => keys.keyOf('197803129828')).not.toThrow(/197803129828/u);
    expect(() => hmacPersonalNumberKeys(randomBytes(16))).toThrow(/at least 32 bytes/u);
  });
});
