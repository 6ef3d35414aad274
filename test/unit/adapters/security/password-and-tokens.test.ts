import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { joseSessionTokens, signingKeysFromSeed } from '../../../../functions/adapters/security/jose-session-tokens';
import { scryptPasswordHasher } from '../../../../functions/adapters/security/scrypt-password-hasher';

describe('scrypt password hasher', () => {
  const hasher = scryptPasswordHasher({ log2N: 10, r: 8, p: 1 });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('korp-granit-vinter-42');

    await expect(hasher.verify('korp-granit-vinter-42', hash)).resolves.toBe(true);
    await expect(hasher.verify('korp-granit-vinter-43', hash)).resolves.toBe(false);
  });

  it('salts each hash, and records its cost so it can be raised later', async () => {
    const [first, second] = await Promise.all([
      hasher.hash('samma-lösenord-två-gånger'),
      hasher.hash('samma-lösenord-två-gånger'),
    ]);

    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$10\$8\$1\$/u);
  });

  it('treats composed and decomposed Unicode as the same password (NFKC)', async () => {
    const hash = await hasher.hash('lösenord-med-ö-och-å!');

    await expect(hasher.verify('lösenord-med-ö-och-å!'.normalize('NFD'), hash)).resolves.toBe(true);
  });

  it('rejects a malformed stored hash instead of throwing', async () => {
    await expect(hasher.verify('x', 'md5$abc')).resolves.toBe(false);
  });
});

describe('jose session tokens', () => {
  const keys = signingKeysFromSeed(randomBytes(32));
  const tokens = joseSessionTokens(async () => keys);
  const claims = { tenantId: randomUUID(), contactId: randomUUID(), sessionId: randomUUID() };

  it('round-trips the claims of a token it issued', async () => {
    const token = await tokens.issue(claims, new Date(Date.now() + 60_000));

    await expect(tokens.verify(token)).resolves.toEqual(claims);
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString())).toEqual({
      alg: 'EdDSA',
      typ: 'JWT',
    });
  });

  it('refuses an expired token and one from another key', async () => {
    const expired = await tokens.issue(claims, new Date(Date.now() - 1000));
    const foreign = await joseSessionTokens(async () => signingKeysFromSeed(randomBytes(32))).issue(
      claims,
      new Date(Date.now() + 60_000),
    );

    await expect(tokens.verify(expired)).resolves.toBeUndefined();
    await expect(tokens.verify(foreign)).resolves.toBeUndefined();
  });

  it('derives the same key from the same seed (so every Lambda container agrees)', async () => {
    const seed = randomBytes(32);
    const token = await joseSessionTokens(async () => signingKeysFromSeed(seed)).issue(
      claims,
      new Date(Date.now() + 60_000),
    );

    await expect(joseSessionTokens(async () => signingKeysFromSeed(Buffer.from(seed))).verify(token)).resolves.toEqual(
      claims,
    );
  });

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => signingKeysFromSeed(randomBytes(16))).toThrow(/32 bytes/u);
  });
});
