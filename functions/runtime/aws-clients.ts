import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

export interface ClientOptions {
  readonly region: string;
  /** Set for local emulators; absent in AWS, where the SDK resolves the regional endpoint. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The ONLY place SDK clients are constructed: Lambda wiring, the dev server and the tests all
 * come here, so client settings cannot drift between the three runtimes.
 */
export function createDynamoDbClient(options: ClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  });
}

export function createS3Client(options: ClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // Emulators serve buckets by path, and store streamed uploads' chunk framing unless checksums are
          // only computed when S3 requires them.
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  });
}
