import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import { LOCAL_CREDENTIALS } from './emulators.global-setup';
import { type StsStandIn, TEST_TENANT_ROLE_ARN } from './sts-stand-in';

/**
 * Points a scheduled function's real entry (functions/lambda/…, wired by awsDataAdapters) at the emulators, as its
 * Lambda environment points it at AWS: a table of its own (the function visits every clinic of its table, which in
 * the shared one would reach other test files' clinics), the shared buckets, and `sts` for its tenant role.
 * `extra` adds the function's own variables (an SES endpoint, the sender address). Returns the table's name.
 */
export async function useLambdaEnvironmentOnEmulators(
  tablePrefix: string,
  sts: StsStandIn,
  extra: Record<string, string> = {},
): Promise<string> {
  const emulators = inject('emulators');
  const tableName = `${tablePrefix}-${randomUUID()}`;
  const setup = createDynamoDbClient({
    region: LOCAL_REGION,
    endpoint: emulators.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureTable(setup, tableName);
  setup.destroy();
  Object.assign(process.env, {
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    TENANT_DATA_ROLE_ARN: TEST_TENANT_ROLE_ARN,
    TABLE_NAME: tableName,
    DOCUMENTS_BUCKET: emulators.bucket,
    AUDIT_ANCHOR_BUCKET: emulators.auditAnchorBucket,
    SILO_CLINICS: '[]',
    ...extra,
  });
  return tableName;
}

/** Runs `work` with what it writes to stdout and stderr (where the JSON logger writes) appended to `lines`. */
export async function capturingProcessOutput<T>(lines: string[], work: () => Promise<T>): Promise<T> {
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const keep = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  try {
    return await work();
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
  }
}
