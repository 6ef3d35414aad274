import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface ClientOptions {
  readonly region: string;
  /** Set for local emulators; absent in AWS, where the SDK resolves the regional endpoint. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

function commonConfig(options: ClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  };
}

/*
 * The ONLY place SDK clients are constructed: Lambda wiring, the dev server and the tests all come here, so client
 * settings cannot drift between the three runtimes. Each runtime creates its clients once (per Lambda container,
 * per dev server) and injects them.
 */

export function createDynamoDbClient(options: ClientOptions): DynamoDBClient {
  return new DynamoDBClient(commonConfig(options));
}

export function createS3Client(options: ClientOptions): S3Client {
  return new S3Client({
    ...commonConfig(options),
    ...(options.endpoint
      ? {
          // Emulators serve buckets by path, and store streamed uploads' chunk framing unless checksums are
          // only computed when S3 requires them.
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
}

export function createSecretsManagerClient(options: ClientOptions): SecretsManagerClient {
  return new SecretsManagerClient(commonConfig(options));
}

export function createSqsClient(options: ClientOptions): SQSClient {
  return new SQSClient(commonConfig(options));
}

export function createSesClient(options: ClientOptions): SESv2Client {
  return new SESv2Client(commonConfig(options));
}
