import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type JWTHeaderParameters, jwtVerify, SignJWT } from 'jose';
import type { SessionKind } from '../../domain/identity';
import type { SessionClaims, SessionTokens } from '../../domain/ports';

const ISSUER = 'foretagsportal';
/**
 * One audience per kind of session: a verifier expects exactly one, so a contact's token can never pass as an
 * administrator's (or the other way round), even though one key signs both.
 */
export const SESSION_AUDIENCES: Readonly<Record<SessionKind, string>> = {
  contact: 'foretagsportal:session',
  admin: 'foretagsportal:admin-session',
};
const TOKEN_TYPE = 'JWT';
/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SessionSigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Names the key in a token's `kid` header: derived from the public key, so every container agrees. */
  readonly keyId: string;
}

/**
 * The key that signs new sessions, and the keys that signed sessions still alive (after a rotation of the seed,
 * the previous one, so nobody is logged out by it).
 */
export interface SessionKeyRing {
  readonly current: SessionSigningKeys;
  readonly previous?: readonly SessionSigningKeys[];
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
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64url')
    .slice(0, 16);
  return { privateKey, publicKey, keyId };
}

/**
 * Session JWTs signed with EdDSA. Verification allows exactly one algorithm and checks iss, aud (the one of the kind
 * asked for), typ, exp and nbf; the key is picked by the token's `kid` among OUR keys only (the ring), so a `jku`/`x5u`/`jwk` header in a
 * token has no effect, and a token without a known `kid` is refused. The keys are loaded lazily (first use), so
 * importing the Lambda bundle does no I/O.
 */
export function joseSessionTokens(loadKeys: () => Promise<SessionKeyRing>): SessionTokens {
  let keys: Promise<SessionKeyRing> | undefined;
  const currentKeys = () => {
    keys ??= loadKeys().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return keys;
  };
  return {
    async issue(kind, claims, expiresAt) {
      const { current } = await currentKeys();
      return new SignJWT({ tid: claims.tenantId, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: current.keyId })
        .setSubject(claims.subjectId)
        .setIssuer(ISSUER)
        .setAudience(SESSION_AUDIENCES[kind])
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(current.privateKey);
    },
    async verify(kind, token) {
      const ring = await currentKeys();
      const known = [ring.current, ...(ring.previous ?? [])];
      const keyFor = (header: JWTHeaderParameters) => {
        const key = known.find((candidate) => candidate.keyId === header.kid);
        if (!key) throw new Error('Unknown or missing kid');
        return key.publicKey;
      };
      try {
        const { payload } = await jwtVerify(token, keyFor, {
          algorithms: ['EdDSA'],
          issuer: ISSUER,
          audience: SESSION_AUDIENCES[kind],
          typ: TOKEN_TYPE,
          requiredClaims: ['sub', 'exp', 'nbf', 'iat'],
        });
        const { sub, tid, sid } = payload;
        if (typeof sub !== 'string' || typeof tid !== 'string' || typeof sid !== 'string') return undefined;
        return { tenantId: tid, subjectId: sub, sessionId: sid } satisfies SessionClaims;
      } catch {
        return undefined;
      }
    },
  };
}
