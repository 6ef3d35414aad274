import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../functions/use-cases/audit-trail';
import { capturingProcessOutput, useLambdaEnvironmentOnEmulators } from '../support/scheduled-lambda';
import { type StsStandIn, startStsStandIn } from '../support/sts-stand-in';
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
  const tableName = await useLambdaEnvironmentOnEmulators('audit-sealer', sts);
  portal = createTestPortal({ tableName });
  clinics = [await createClinic(portal, 'Hälsan Väst'), await createClinic(portal, 'Hälsan Öst')];
  handler = (await import('../../functions/lambda/audit-sealer')).handler;
});

afterAll(async () => {
  await sts.close();
});

/** Runs the handler as the schedule does, with what it writes to stdout and stderr kept in `logLines`. */
const runSealer = () =>
  capturingProcessOutput(logLines, () => handler({ source: 'aws.scheduler' }, { awsRequestId: randomUUID() }));

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
    // The directory lists clinics in its own order, not in the order they were made.
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
