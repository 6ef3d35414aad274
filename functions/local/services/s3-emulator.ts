import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunningService } from './dynamodb-local';
import { findFreePort } from './free-port';

/** The emulator's fixed account (built into @20minutes/s3rver); clients must sign with it. */
export const S3_EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3EmulatorOptions {
  /** Where objects are kept; a folder that survives restarts for `npm start`, a temp folder for tests. */
  readonly directory: string;
  readonly buckets: readonly string[];
  readonly port?: number;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * Starts @20minutes/s3rver in-process. Unlike the original s3rver 3.x it verifies SigV4 signatures, so a
 * tampered or expired presigned URL is refused here exactly as S3 refuses it. Buckets are created through
 * `configureBuckets`. patches/@20minutes+s3rver+4.0.4.patch makes it verify what SDK v3 signs (RFC 3986 query
 * encoding, the `/bucket/` path of bucket-level requests such as ListObjectsV2) and page listings on OpenSSL 3.
 */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<RunningService> {
  mkdirSync(options.directory, { recursive: true });
  const port = options.port ?? (await findFreePort());
  // s3rver is CommonJS without types; load it through require to keep the ESM graph clean.
  const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: options.directory,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
    },
  };
}
