import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../functions/domain/identity';
import { publishDocumentVersion } from '../../functions/use-cases/ingest/publish-document-version';
import { capturingProcessOutput, useLambdaEnvironmentOnEmulators } from '../support/scheduled-lambda';
import { type SesStandIn, startSesStandIn } from '../support/ses-stand-in';
import { type StsStandIn, startStsStandIn, TEST_TENANT_ROLE_ARN } from '../support/sts-stand-in';
import { type ClinicFixture, createClinic, createTestPortal, type TestPortal, tinyPdf } from '../support/test-portal';

/**
 * The real scheduled entry (functions/lambda/notification-sender.ts → awsDataAdapters + SES) on DynamoDB Local, with
 * a stand-in for SES's HTTP API (there is no SES emulator). The function visits every clinic of its table, so this
 * file gives it a table of its own: in the shared one it would send other test files' notices.
 */
let ses: SesStandIn;
let portal: TestPortal;
let clinic: ClinicFixture;
/** The tenant role's STS: every tenant's data goes through credentials assumed here. */
let sts: StsStandIn;
let handler: (event: unknown, context: { awsRequestId: string }) => Promise<{ clinics: number; failed: number }>;
/** What the scheduler passes: an EventBridge event (unread) and the invocation's context. */
const runSender = () => handler({ source: 'aws.scheduler' }, { awsRequestId: randomUUID() });
const logLines: string[] = [];

beforeAll(async () => {
  ses = await startSesStandIn();

  sts = await startStsStandIn();
  const tableName = await useLambdaEnvironmentOnEmulators('notification-sender', sts, {
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    MAIL_FROM_ADDRESS: 'no-reply@portal.example.se',
  });
  portal = createTestPortal({ tableName });
  clinic = await createClinic(portal, 'Hälsan Väst');
  handler = (await import('../../functions/lambda/notification-sender')).handler;
});

afterAll(async () => {
  await ses.close();
  await sts.close();
});

/** Publishes a document the way ingest does, `minutesAgo` before now (the sender runs on the system clock). */
async function publishedMinutesAgo(customer: Customer, minutesAgo: number) {
  portal.clock.set(new Date(Date.now() - minutesAgo * 60_000));
  const { document } = await clinic.addDocument(customer, { status: 'received' });
  await publishDocumentVersion(
    { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids },
    { type: 'api-key', id: 'test' },
    document,
    { pdf: tinyPdf(), pageCount: 1 },
  );
}

/** Runs the handler with what it writes to stdout and stderr (where its JSON logger writes) kept in `logLines`. */
const captureLogs = <T>(work: () => Promise<T>) => capturingProcessOutput(logLines, work);

describe('the notification sender Lambda handler', () => {
  it('waits, sending nothing, while the clinic has no portal address to link to', async () => {
    // Arrange
    await publishedMinutesAgo(clinic.customer, 5);

    // Act
    const result = await captureLogs(runSender);

    // Assert
    expect(result).toEqual({ clinics: 1, failed: 0 });
    expect(ses.requests).toHaveLength(0);
    expect(await clinic.scope.notifications.pending(10)).toHaveLength(1);
    // The clinic's outbox was read with the clinic's session of the sender's tenant role, not the sender's own role.
    expect(sts.requests).toEqual([
      expect.objectContaining({
        RoleArn: TEST_TENANT_ROLE_ARN,
        'Tags.member.1.Key': 'tenant',
        'Tags.member.1.Value': clinic.tenantId,
      }),
    ]);
  });

  it('mails the opted-in contact once through SES, and a second run sends nothing more', async () => {
    // Arrange
    const tenant = await clinic.scope.tenant.get();
    if (!tenant) throw new Error('The test clinic has no tenant record.');
    const { id: _id, ...record } = tenant;
    await clinic.scope.tenant.put({ ...record, portalOrigin: clinic.origin });
    await publishedMinutesAgo(clinic.customer, 4);

    // Act
    const first = await captureLogs(runSender);
    const second = await captureLogs(runSender);

    // Assert: one mail, for both documents, to the customer's contact (not to the other customer's)
    expect(first).toEqual({ clinics: 1, failed: 0 });
    expect(second).toEqual({ clinics: 1, failed: 0 });
    expect(ses.requests).toHaveLength(1);
    expect(ses.requests[0]?.path).toBe('/v2/email/outbound-emails');
    expect(ses.requests[0]?.body.Destination.ToAddresses).toEqual([
      expect.stringContaining(clinic.contact.contact.email),
    ]);
    expect(ses.requests[0]?.body.Content.Simple.Subject.Data).toBe(`Nya fakturaunderlag för ${clinic.customer.name}`);
    expect(await clinic.scope.notifications.pending(10)).toHaveLength(0);
    expect(await clinic.scope.notifications.openBatches(10)).toHaveLength(0);
  });

  it('logs counts and ids, never an address or a name', () => {
    const logged = logLines.join('\n');

    const runs = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(runs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'Notification run',
        service: 'notification-sender',
        tenantId: clinic.tenantId,
        sent: 1,
        requestId: expect.any(String),
      }),
    );
    expect(logged).not.toContain(clinic.contact.contact.email);
    expect(logged).not.toContain(clinic.contact.contact.name);
    expect(logged).not.toContain(clinic.customer.name);
  });
});
