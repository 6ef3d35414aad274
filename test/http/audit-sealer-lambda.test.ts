import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import { verifyAuditTrail } from '../../functions/use-cases/audit-trail';
import { LOCAL_CREDENTIALS } from '../support/emulators.global-setup';
import { type StsStandIn, startStsStandIn, TEST_TENANT_ROLE_ARN } from '../support/sts-stand-in';
import { type ClinicFixture, createClinic, createTestPortal, type TestPortal } from '../support/test-portal';

/**
 * The real scheduled entry (functions/lambda/audit-sealer.ts → awsDataAdapters) on DynamoDB Local and the S3
 * emulator. The sealer visits every clinic of its table, so this file gives it a table of its own.
 */
let portal: TestPortal;
let clinics: ClinicFixture[];
let sts: StsStandIn;
let handler: (event: unknown, context: { awsRequestId: string }) => Promise<{ clinics: number; failed: number }>;
const logLines: string[] = [];

beforeAll(async () => {
  sts = await startStsStandIn();
  const emulators = inject('emulators');
  const tableName = `audit-sealer-${randomUUID()}`;
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
  });
  portal = createTestPortal({ tableName });
  clinics = [await createClinic(portal, 'Hälsan Väst'), await createClinic(portal, 'Hälsan Öst')];
  handler = (await import('../../functions/lambda/audit-sealer')).handler;
});

afterAll(async () => {
  await sts.close();
});

/** Runs the handler as the schedule does, with what it writes to stdout and stderr kept in `logLines`. */
async function runSealer() {
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const keep = (chunk: unknown) => {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  try {
    return await handler({ source: 'aws.scheduler' }, { awsRequestId: randomUUID() });
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
  }
}

describe('the audit sealer Lambda handler', () => {
  it("chains and anchors every clinic's audit trail, once", async () => {
    // Arrange: each clinic has audit events not yet chained
    for (const clinic of clinics) {
      for (const at of ['2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z']) {
        await clinic.scope.audit.append({
          id: randomUUID(),
          at,
          action: 'document.downloaded',
          actor: { type: 'contact', id: clinic.contact.contact.id },
          outcome: 'success',
        });
      }
    }

    // Act
    const first = await runSealer();
    const second = await runSealer();

    // Assert
    expect(first).toEqual({ clinics: 2, failed: 0 });
    expect(second).toEqual({ clinics: 2, failed: 0 });
    for (const clinic of clinics) {
      const head = await clinic.scope.audit.chainHead();
      expect(head.index).toBeGreaterThan(0);
      expect(await clinic.scope.auditAnchors.all()).toEqual([head]);
      expect(await verifyAuditTrail(clinic.scope)).toMatchObject({ verified: head.index, anchored: head });
    }
    const runs = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // Clinics are sealed concurrently, so their lines may come in any order.
    const sealLines = runs.filter((entry) => entry.message === 'Audit seal');
    expect(sealLines).toHaveLength(clinics.length);
    expect(sealLines).toEqual(
      expect.arrayContaining(
        clinics.map((clinic) =>
          expect.objectContaining({
            level: 'INFO',
            service: 'audit-sealer',
            tenantId: clinic.tenantId,
            chained: expect.any(Number),
            anchoredIndex: expect.any(Number),
          }),
        ),
      ),
    );
    // Every clinic's data went through a session of the sealer's tenant role tagged with that clinic.
    expect(new Set(sts.requests.map((request) => request['Tags.member.1.Value']))).toEqual(
      new Set(clinics.map((clinic) => clinic.tenantId)),
    );
  });
});
