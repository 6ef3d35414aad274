import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { SessionClaims, SessionTokens } from '../../domain/ports';

const ISSUER = 'foretagsportal';
const AUDIENCE = 'foretagsportal:session';
const TOKEN_TYPE = 'JWT';
/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SessionSigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * Derives the Ed25519 session signing key from a 32-byte seed. Secrets Manager can generate a random seed
 * without custom code, which it cannot do for a PEM key; the seed never leaves the backend.
 */
export function signingKeysFromSeed(seed: Uint8Array): SessionSigningKeys {
  if (seed.byteLength !== 32) throw new Error(`An Ed25519 seed has 32 bytes, not ${seed.byteLength}.`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * Session JWTs signed with EdDSA. Verification allows exactly one algorithm and checks iss, aud, typ, exp and
 * nbf; keys come only from our own configuration, so `jku`/`x5u`/`jwk` headers in a token have no effect.
 * The key is loaded lazily (first use), so importing the Lambda bundle does no I/O.
 */
export function joseSessionTokens(loadKeys: () => Promise<SessionSigningKeys>): SessionTokens {
  let keys: Promise<SessionSigningKeys> | undefined;
  const currentKeys = () => {
    keys ??= loadKeys().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return keys;
  };
  return {
    async issue(claims, expiresAt) {
      const { privateKey } = await currentKeys();
      return new SignJWT({ tid: claims.tenantId, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE })
        .setSubject(claims.contactId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(privateKey);
    },
    async verify(token) {
      const { publicKey } = await currentKeys();
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['EdDSA'],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: TOKEN_TYPE,
          requiredClaims: ['sub', 'exp', 'nbf', 'iat'],
        });
        const { sub, tid, sid } = payload;
        if (typeof sub !== 'string' || typeof tid !== 'string' || typeof sid !== 'string') return undefined;
        return { tenantId: tid, contactId: sub, sessionId: sid } satisfies SessionClaims;
      } catch {
        return undefined;
      }
    },
  };
}
