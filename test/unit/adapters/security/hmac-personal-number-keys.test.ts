import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacPersonalNumberKeys } from '../../../../functions/adapters/security/hmac-personal-number-keys';

describe('personal-number keys (HMAC with a pepper)', () => {
  const pepper = randomBytes(32);
  const keys = hmacPersonalNumberKeys(pepper);

  it('gives every way of writing one number the same key, and never the number itself', async () => {
    const forms = ['199007042386', '19900704-2386', '900704-2386', '9007042386'];
    const derived = await Promise.all(forms.map((form) => keys.keyOf(form)));

    expect(new Set(derived).size).toBe(1);
    expect(derived[0]).toMatch(/^[0-9a-f]{64}$/u);
    expect(derived[0]).not.toContain('9829');
  });

  it('gives other keys under another pepper, so the table is useless without the secret', async () => {
    const anna = await keys.keyOf('199007042386');
    expect(await hmacPersonalNumberKeys(randomBytes(32)).keyOf('199007042386')).not.toBe(anna);
    expect(await keys.keyOf('199711292392')).not.toBe(anna);
  });

  it('fetches a pepper given as a function once, on first use', async () => {
    let fetches = 0;
    const lazy = hmacPersonalNumberKeys(async () => {
      fetches += 1;
      return pepper;
    });
    expect(fetches).toBe(0);

    const [first, second] = await Promise.all([lazy.keyOf('199007042386'), lazy.keyOf('19900704-2386')]);

    expect(fetches).toBe(1);
    expect(first).toBe(await keys.keyOf('199007042386'));
    expect(second).toBe(first);
  });

  it('refuses what is not a personal number without repeating it, and a pepper too short to be secret', async () => {
    const refusal = await keys.keyOf('199007042387').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RangeError);
    expect(String(refusal)).not.toContain('199007042387');
    expect(() => hmacPersonalNumberKeys(randomBytes(16))).toThrow(/at least 32 bytes/u);
    await expect(hmacPersonalNumberKeys(async () => randomBytes(16)).keyOf('199007042386')).rejects.toThrow(
      /at least 32 bytes/u,
    );
  });
});
