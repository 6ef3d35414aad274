import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
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
  const tokens = joseSessionTokens(async () => ({ current: keys }));
  const claims = { tenantId: randomUUID(), subjectId: randomUUID(), sessionId: randomUUID() };

  it('round-trips the claims of a token it issued', async () => {
    const token = await tokens.issue('contact', claims, new Date(Date.now() + 60_000));

    await expect(tokens.verify('contact', token)).resolves.toEqual(claims);
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString())).toEqual({
      alg: 'EdDSA',
      typ: 'JWT',
      kid: keys.keyId,
    });
  });

  it('refuses an expired token and one from another key', async () => {
    const expired = await tokens.issue('contact', claims, new Date(Date.now() - 1000));
    const foreign = await joseSessionTokens(async () => ({ current: signingKeysFromSeed(randomBytes(32)) })).issue(
      'contact',
      claims,
      new Date(Date.now() + 60_000),
    );

    await expect(tokens.verify('contact', expired)).resolves.toBeUndefined();
    await expect(tokens.verify('contact', foreign)).resolves.toBeUndefined();
  });

  it('derives the same key from the same seed (so every Lambda container agrees)', async () => {
    const seed = randomBytes(32);
    const token = await joseSessionTokens(async () => ({ current: signingKeysFromSeed(seed) })).issue(
      'contact',
      claims,
      new Date(Date.now() + 60_000),
    );

    await expect(
      joseSessionTokens(async () => ({ current: signingKeysFromSeed(Buffer.from(seed)) })).verify('contact', token),
    ).resolves.toEqual(claims);
  });

  describe('the JWT attack set', () => {
    const ourKid = () => keys.keyId;
    const forge = (
      options: {
        aud?: string;
        iss?: string;
        typ?: string;
        nbf?: string;
        exp?: string;
        header?: Record<string, unknown>;
      },
      signer = keys.privateKey,
    ) =>
      new SignJWT({ tid: claims.tenantId, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'EdDSA', typ: options.typ ?? 'JWT', kid: ourKid(), ...options.header })
        .setSubject(claims.subjectId)
        .setIssuer(options.iss ?? 'foretagsportal')
        .setAudience(options.aud ?? 'foretagsportal:session')
        .setIssuedAt()
        .setNotBefore(options.nbf ?? '0s')
        .setExpirationTime(options.exp ?? '1h')
        .sign(signer);

    it('accepts the genuine article built the same way (so the refusals below mean something)', async () => {
      await expect(tokens.verify('contact', await forge({}))).resolves.toEqual(claims);
    });

    it.each([
      ['another audience', { aud: 'foretagsportal:admin' }],
      ['another issuer', { iss: 'someone-else' }],
      ['another type', { typ: 'at+jwt' }],
      ['not valid yet', { nbf: '10m' }],
      ['expired', { exp: '-1m' }],
    ])('refuses a token signed with our key but %s', async (_case, options) => {
      await expect(tokens.verify('contact', await forge(options))).resolves.toBeUndefined();
    });

    it('ignores an embedded jwk or a jku header: a token signed by another key stays refused, even naming our kid', async () => {
      const attacker = generateKeyPairSync('ed25519');
      const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
      const withJwk = await forge({ header: { jwk: attackerJwk } }, attacker.privateKey);
      const withJku = await forge({ header: { jku: 'https://attacker.example/keys.json' } }, attacker.privateKey);

      await expect(tokens.verify('contact', withJwk)).resolves.toBeUndefined();
      await expect(tokens.verify('contact', withJku)).resolves.toBeUndefined();
    });
  });

  it('keeps sessions signed before a key rotation valid, and refuses an unknown or missing kid', async () => {
    const before = signingKeysFromSeed(randomBytes(32));
    const after = signingKeysFromSeed(randomBytes(32));
    const old = await joseSessionTokens(async () => ({ current: before })).issue(
      'contact',
      claims,
      new Date(Date.now() + 60_000),
    );
    const rotated = joseSessionTokens(async () => ({ current: after, previous: [before] }));
    const fresh = await rotated.issue('contact', claims, new Date(Date.now() + 60_000));
    const withoutKid = await new SignJWT({ tid: claims.tenantId, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject(claims.subjectId)
      .setIssuer('foretagsportal')
      .setAudience('foretagsportal:session')
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('1h')
      .sign(after.privateKey);

    await expect(rotated.verify('contact', old)).resolves.toEqual(claims);
    await expect(rotated.verify('contact', fresh)).resolves.toEqual(claims);
    await expect(joseSessionTokens(async () => ({ current: after })).verify('contact', old)).resolves.toBeUndefined();
    await expect(rotated.verify('contact', withoutKid)).resolves.toBeUndefined();
  });

  it('keeps the kinds of session apart: a token verifies only for the audience of the kind it was issued for', async () => {
    const contactToken = await tokens.issue('contact', claims, new Date(Date.now() + 60_000));
    const adminToken = await tokens.issue('admin', claims, new Date(Date.now() + 60_000));

    await expect(tokens.verify('admin', adminToken)).resolves.toEqual(claims);
    await expect(tokens.verify('admin', contactToken)).resolves.toBeUndefined();
    await expect(tokens.verify('contact', adminToken)).resolves.toBeUndefined();
    expect(JSON.parse(Buffer.from(adminToken.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({
      aud: 'foretagsportal:admin-session',
    });
  });

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => signingKeysFromSeed(randomBytes(16))).toThrow(/32 bytes/u);
  });
});
