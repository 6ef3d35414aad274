import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { S3_EMULATOR_CREDENTIALS } from '../../functions/local/services/s3-emulator';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import type { SiloClinic } from '../../functions/runtime/storage-routing';
import { LOCAL_CREDENTIALS } from '../support/emulators.global-setup';
import { s3TestClient } from '../support/s3-test-client';
import { type SesStandIn, startSesStandIn } from '../support/ses-stand-in';

/**
 * `npm run tenant` as an operator runs it against a deployed stage: as a program, with the stage's variables
 * (TABLE_NAME, DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET, SILO_CLINICS, MAIL_FROM_ADDRESS) and the operator's own
 * credentials, through the AWS wiring (functions/runtime/aws.ts), its SDK clients pointed at the emulators and an SES
 * stand-in by the SDK's AWS_ENDPOINT_URL_* variables.
 */
const emulators = inject('emulators');
const dynamoDb = createDynamoDbClient({
  region: LOCAL_REGION,
  endpoint: emulators.dynamoEndpoint,
  credentials: LOCAL_CREDENTIALS,
});
const suffix = randomUUID().slice(0, 8);
const POOL_TABLE = `tenant-cli-aws-${suffix}`;
const silo: SiloClinic = {
  tenantId: randomUUID(),
  slug: `halsan-silo-${suffix}`,
  tableName: `tenant-cli-aws-silo-${suffix}`,
  documentsBucket: `tenant-cli-aws-silo-${suffix}`,
};
let ses: SesStandIn;

beforeAll(async () => {
  await ensureTable(dynamoDb, POOL_TABLE);
  await ensureTable(dynamoDb, silo.tableName);
  await s3TestClient().client.send(new CreateBucketCommand({ Bucket: silo.documentsBucket }));
  ses = await startSesStandIn();
});

afterAll(async () => {
  await ses.close();
});

/** The stage's variables as the API stack's outputs give them, and the operator's credentials. */
const stageEnvironment = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'eu-north-1',
  // The S3 emulator checks signatures against its one key pair; DynamoDB Local takes any.
  AWS_ACCESS_KEY_ID: S3_EMULATOR_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3_EMULATOR_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
  AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
  AWS_ENDPOINT_URL_SESV2: ses.endpoint,
  TABLE_NAME: POOL_TABLE,
  DOCUMENTS_BUCKET: emulators.bucket,
  AUDIT_ANCHOR_BUCKET: emulators.auditAnchorBucket,
  SILO_CLINICS: JSON.stringify([silo]),
  MAIL_FROM_ADDRESS: 'no-reply@portal.example.se',
});

async function tenantCommand(env: NodeJS.ProcessEnv, ...argv: string[]) {
  return promisify(execFile)('node_modules/.bin/tsx', ['functions/cli/tenant-cli.ts', ...argv], { env }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
  );
}

const partitionKeys = async (tableName: string) =>
  ((await dynamoDb.send(new ScanCommand({ TableName: tableName }))).Items ?? []).map((item) => item.PK?.S ?? '');

describe('npm run tenant on a deployed stage', () => {
  it('provisions a pooled and a silo clinic through the AWS wiring, mails both invitations through SES, and lists their tiers', async () => {
    // Act
    const pooled = await tenantCommand(
      stageEnvironment(),
      ...[
        'create',
        '--name',
        'Hälsan Pool AB',
        '--slug',
        `halsan-pool-${suffix}`,
        '--admin-email',
        `pool@${suffix}.example`,
      ],
      ...['--host', `halsan-pool-${suffix}.portal.example.se`, '--json'],
    );
    const siloed = await tenantCommand(
      stageEnvironment(),
      ...['create', '--name', 'Hälsan Silo AB', '--slug', silo.slug, '--admin-email', `silo@${suffix}.example`],
      ...['--host', `${silo.slug}.portal.example.se`, '--json'],
    );
    const listed = await tenantCommand(stageEnvironment(), 'list', '--json');

    // Assert
    expect(pooled.code, pooled.output).toBe(0);
    expect(siloed.code, siloed.output).toBe(0);
    const pooledClinic = JSON.parse(pooled.output) as { tenantId: string; tier: string; origin: string };
    expect(pooledClinic).toMatchObject({ tier: 'pool', origin: `https://halsan-pool-${suffix}.portal.example.se` });
    expect(JSON.parse(siloed.output)).toMatchObject({ tenantId: silo.tenantId, tier: 'silo' });
    expect(JSON.parse(listed.output)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tenantId: pooledClinic.tenantId, tier: 'pool', status: 'active' }),
        expect.objectContaining({ tenantId: silo.tenantId, tier: 'silo', status: 'active' }),
      ]),
    );
    // Each clinic's data where its tier says; the pool's table holds of the silo clinic only its directory entries.
    const poolKeys = await partitionKeys(POOL_TABLE);
    expect(poolKeys).toContain(`T#${pooledClinic.tenantId}`);
    expect(poolKeys.filter((key) => key.startsWith(`T#${silo.tenantId}`))).toEqual([]);
    expect(await partitionKeys(silo.tableName)).toContain(`T#${silo.tenantId}`);
    // The invitations went out through SES, from the stage's sender, each linking to its clinic's host.
    // (No --admin-name: the address is the name too.)
    expect(ses.requests.map((request) => request.body.Destination.ToAddresses)).toEqual([
      [`"pool@${suffix}.example" <pool@${suffix}.example>`],
      [`"silo@${suffix}.example" <silo@${suffix}.example>`],
    ]);
  }, 60_000);

  it("refuses to run without the stage's silo list, naming the variable, and writes nothing", async () => {
    // Arrange
    const { SILO_CLINICS: _, ...withoutSilos } = stageEnvironment();
    const before = (await partitionKeys(POOL_TABLE)).length;

    // Act
    const refused = await tenantCommand(
      withoutSilos,
      ...[
        'create',
        '--name',
        'Hälsan Utan AB',
        '--slug',
        `halsan-utan-${suffix}`,
        '--admin-email',
        `u@${suffix}.example`,
      ],
      ...['--host', `halsan-utan-${suffix}.portal.example.se`],
    );

    // Assert
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/Failed: SILO_CLINICS is not set/u);
    expect((await partitionKeys(POOL_TABLE)).length).toBe(before);
  }, 60_000);
});
