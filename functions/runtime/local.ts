import type { Context } from 'hono';
import { joseSessionTokens, signingKeysFromSeed } from '../adapters/security/jose-session-tokens';
import { type ScryptCost, scryptPasswordHasher } from '../adapters/security/scrypt-password-hasher';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import type { Clock, IdGenerator } from '../domain/ports';
import type { AppDeps, TrustedRequestInfo } from '../http/app-types';
import { createDynamoDbClient, createS3Client } from './aws-clients';
import { dataAdapters } from './tenant-scope';

/** Region and credentials the local emulators accept; nothing here ever reaches AWS. */
export const LOCAL_REGION = 'eu-north-1';

export interface LocalServiceEndpoints {
  readonly dynamoDbEndpoint: string;
  readonly tableName: string;
  readonly s3Endpoint: string;
  readonly s3Credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly documentsBucket: string;
}

export interface LocalDepsOptions extends LocalServiceEndpoints {
  /** 32 random bytes; the dev server keeps them in its data folder so sessions survive restarts. */
  readonly sessionSeed: Uint8Array;
  /** Tests use a cheap cost; the dev server uses the production cost. */
  readonly passwordCost?: ScryptCost;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

/**
 * The dev server is reached directly, so the socket's peer is the client and the Host header is what the
 * browser used. (`app.request()` in tests has no socket: those requests count as loopback.)
 */
function localRequestInfo(c: Context): TrustedRequestInfo {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const url = new URL(c.req.url);
  return {
    host: url.hostname.toLowerCase(),
    origin: url.origin,
    sourceIp: incoming?.socket?.remoteAddress ?? '127.0.0.1',
  };
}

/** Local wiring: the same adapters as in AWS, pointed at DynamoDB Local and the S3 emulator. */
export function localDeps(options: LocalDepsOptions): AppDeps {
  const clock = options.clock ?? systemClock;
  const data = dataAdapters({
    dynamoDb: createDynamoDbClient({
      region: LOCAL_REGION,
      endpoint: options.dynamoDbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    tableName: options.tableName,
    s3: createS3Client({ region: LOCAL_REGION, endpoint: options.s3Endpoint, credentials: options.s3Credentials }),
    documentsBucket: options.documentsBucket,
    clock,
  });
  const keys = signingKeysFromSeed(options.sessionSeed);
  return {
    ...data,
    tokens: joseSessionTokens(async () => keys),
    hasher: scryptPasswordHasher(options.passwordCost),
    clock,
    ids: options.ids ?? randomIds,
    requestInfo: localRequestInfo,
  };
}
