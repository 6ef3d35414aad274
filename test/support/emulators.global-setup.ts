import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/local/services/dynamodb-local';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { startS3Emulator } from '../../functions/local/services/s3-emulator';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';

/** DynamoDB Local accepts any credentials; fixed ones keep one shared database across clients. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface Emulators {
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  readonly bucket: string;
  /** The audit anchors' bucket (in AWS a bucket with Object Lock). */
  readonly auditAnchorBucket: string;
  /**
   * Where the S3 emulator keeps objects (`<dir>/<bucket>/<key>._S3rver_object`): tests that must prove nothing was
   * written look here, beneath any API.
   */
  readonly s3Directory: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulators: Emulators;
  }
}

/** Starts DynamoDB Local (in memory) and the S3 emulator once per test run, on free ports; stops both after. */
export default async function setup(project: TestProject) {
  const s3Directory = mkdtempSync(join(tmpdir(), 'portal-s3-'));
  const bucket = 'test-documents';
  const auditAnchorBucket = 'test-audit-anchors';
  const tableName = 'portal-test';
  const [dynamo, s3] = await Promise.all([
    startDynamoDbLocal(),
    startS3Emulator({ directory: s3Directory, buckets: [bucket, auditAnchorBucket] }),
  ]);
  const client = createDynamoDbClient({
    region: 'eu-north-1',
    endpoint: dynamo.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureTable(client, tableName);
  client.destroy();
  project.provide('emulators', {
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    tableName,
    bucket,
    auditAnchorBucket,
    s3Directory,
  });
  return async () => {
    await Promise.all([dynamo.stop(), s3.stop()]);
    rmSync(s3Directory, { recursive: true, force: true });
  };
}
