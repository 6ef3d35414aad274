import type { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { S3_EMULATOR_CREDENTIALS } from '../../functions/local/services/s3-emulator';
import { createS3Client } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';

/**
 * An S3 client for the integration run's emulator, configured exactly as functions/runtime/local.ts configures the
 * portal's own, plus the bucket it serves: for contract tests that build one S3 adapter directly.
 */
export function s3TestClient(): { readonly client: S3Client; readonly bucket: string } {
  const emulators = inject('emulators');
  const client = createS3Client({
    region: LOCAL_REGION,
    endpoint: emulators.s3Endpoint,
    credentials: S3_EMULATOR_CREDENTIALS,
  });
  return { client, bucket: emulators.bucket };
}
