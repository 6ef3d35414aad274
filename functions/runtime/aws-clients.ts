import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { guardDynamoDbClient, guardS3Client } from '../adapters/security/tenant-key-guard';
import type { TenantStorage } from './storage-routing';
import type { TenantClients } from './tenant-scope';
import { PARTITION_KEY_NAMES } from './tenant-table-scope';

export interface ClientOptions {
  readonly region: string;
  /** Set for local emulators; absent in AWS, where the SDK resolves the regional endpoint. */
  readonly endpoint?: string;
  /** Fixed keys (emulators) or a provider (tenant-scoped credentials); absent: the SDK's default chain. */
  readonly credentials?:
    | { readonly accessKeyId: string; readonly secretAccessKey: string }
    | AwsCredentialIdentityProvider;
}

function commonConfig(options: ClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials
      ? {
          credentials:
            typeof options.credentials === 'function'
              ? options.credentials
              : ({ ...options.credentials } satisfies AwsCredentialIdentity),
        }
      : {}),
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

/**
 * Asynchronous, unlike the others: the SES client is loaded when the first mail goes out (functions/runtime/aws-mail.ts,
 * awsMailer), not by every cold start. A static import here would not do: this module is loaded at cold start, and
 * the Lambda bundle (lib/constructs/lambda-bundling.ts) puts a module's static imports in the code loaded with it.
 */
export async function createSesClient(options: ClientOptions): Promise<SESv2Client> {
  const { SESv2Client } = await import('@aws-sdk/client-sesv2');
  return new SESv2Client(commonConfig(options));
}

export function createStsClient(options: ClientOptions): STSClient {
  return new STSClient(commonConfig(options));
}

export interface TenantClientOptions {
  /** Where and as whom the tenant's DynamoDB requests go (credentials: the tenant's, in AWS). */
  readonly dynamoDb: ClientOptions;
  readonly s3: ClientOptions;
  /** The one table and the buckets the tenant's clients may address (its partitions; its objects under `tenants/<tenant>/`). */
  readonly storage: TenantStorage;
}

/**
 * One tenant's DynamoDB and S3 clients, both fenced by the tenant key guard: whatever credentials they carry, they
 * refuse before sending any request outside the tenant (functions/adapters/security/tenant-key-guard.ts). The S3
 * client also presigns, so a presigned URL carries these credentials and this fence.
 */
export function createTenantClients(tenantId: string, options: TenantClientOptions): TenantClients {
  return {
    dynamoDb: createTenantDynamoDbClient(tenantId, options.dynamoDb, options.storage.tableName),
    s3: guardS3Client(createS3Client(options.s3), tenantId, Object.values(options.storage.buckets)),
  };
}

/** The DynamoDB client of {@link createTenantClients} alone, for a function that uses no bucket. */
export function createTenantDynamoDbClient(
  tenantId: string,
  options: ClientOptions,
  tableName: string,
): DynamoDBClient {
  return guardDynamoDbClient(createDynamoDbClient(options), tenantId, PARTITION_KEY_NAMES, tableName);
}
