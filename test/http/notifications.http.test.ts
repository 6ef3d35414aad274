import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SunkMail } from '../../functions/adapters/mail/file-mail-sink';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { Customer } from '../../functions/domain/identity';
import { MailRefusedError } from '../../functions/domain/mail';
import { NOTIFICATION_POLICY } from '../../functions/domain/notifications';
import type { Mailer, TenantScope } from '../../functions/domain/ports';
import type { AdminDocumentNoticesResponse } from '../../functions/http/admin-api-contract';
import { publishDocumentVersion } from '../../functions/use-cases/ingest/publish-document-version';
import {
  type NoticeRunSummary,
  sendPublicationNotices,
  sendPublicationNoticesForAllClinics,
} from '../../functions/use-cases/send-publication-notices';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, createClinic, createTestPortal, tinyPdf } from '../support/test-portal';

/**
 * Issue 6, notifications: when documents are published, the opted-in contacts of the company get ONE mail per batch
 * (a link to the portal; no amounts, no invoice contents), the sending is retried when the mail service refuses, every
 * outcome is recorded, and no recipient ever gets the same batch twice — however the sender is retried or raced.
 */
const portal = createTestPortal();
const { clock } = portal;
const ORIGIN_OF = (clinic: ClinicFixture) => `https://${clinic.host}`;
const QUIET_MS = NOTIFICATION_POLICY.quietSeconds * 1000;

let clinic: ClinicFixture;

beforeEach(async () => {
  clinic = await createClinic(portal);
  await setPortalOrigin(clinic.scope, ORIGIN_OF(clinic));
});

async function setPortalOrigin(scope: TenantScope, origin: string | undefined) {
  const tenant = await scope.tenant.get();
  if (!tenant) throw new Error('The test clinic has no tenant record.');
  const { id: _id, portalOrigin: _old, ...rest } = tenant;
  await scope.tenant.put({ ...rest, ...(origin ? { portalOrigin: origin } : {}) });
}

/** A document published the way ingest publishes one (stored, completed, audited, its notice queued). */
async function publish(customer: Customer = clinic.customer, overrides: Partial<InvoiceDocument> = {}) {
  const { document } = await clinic.addDocument(customer, { status: 'received', ...overrides });
  const completed = await publishDocumentVersion(
    { scope: clinic.scope, clock, ids: portal.deps.ids },
    { type: 'api-key', id: 'test' },
    document,
    { pdf: tinyPdf(), pageCount: 1 },
  );
  return completed.document;
}

const run = (mailer: Mailer = portal.mailSink, scope: TenantScope = clinic.scope) =>
  sendPublicationNotices({ scope, clock, ids: portal.deps.ids, mailer });

async function mailsTo(address: string): Promise<SunkMail[]> {
  return (await portal.mailSink.list()).filter((mail) => mail.to.address === address && mail.kind === 'new-documents');
}

async function auditOf(action: string) {
  const events = await readAuditEvents(clinic.tenantId, clock.now().toISOString().slice(0, 7));
  return events.filter((event) => event.action === action);
}

/** A mailer that refuses (as SES does: nothing sent) the first `times` mails, then hands the rest to the sink. */
function refusingMailer(times: number, error: () => Error = () => new MailRefusedError('Throttled.')) {
  let refused = 0;
  return {
    get refused() {
      return refused;
    },
    mailer: {
      async send(mail) {
        if (refused < times) {
          refused += 1;
          throw error();
        }
        await portal.mailSink.send(mail);
      },
    } satisfies Mailer,
  };
}

const nothingDone: NoticeRunSummary = {
  batchesFormed: 0,
  sent: 0,
  retriesScheduled: 0,
  failed: 0,
  unconfirmed: 0,
  skipped: 0,
};

describe('a run of publications', () => {
  it('makes one mail per company after the quiet period, saying how many documents and linking to the portal', async () => {
    // Arrange: three documents published within moments, as a push from the practice system
    const documents = [await publish(), await publish(), await publish()];

    // Act: the sender runs during the quiet period, then after it
    const early = await run();
    clock.advance(QUIET_MS);
    const afterQuiet = await run();
    const again = await run();

    // Assert
    expect(early).toEqual(nothingDone);
    expect(afterQuiet).toEqual({ ...nothingDone, batchesFormed: 1, sent: 1 });
    expect(again).toEqual(nothingDone);
    const mails = await mailsTo(clinic.contact.contact.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe(`Nya fakturaunderlag för ${clinic.customer.name}`);
    expect(mail?.fromName).toBe('Testkliniken AB');
    expect(mail?.text).toContain(`Testkliniken AB har publicerat 3 nya fakturaunderlag för ${clinic.customer.name}`);
    expect(mail?.text.split('\n')).toContain(`${ORIGIN_OF(clinic)}/`);
    // No amounts, invoice numbers or descriptions: a notice, not the document.
    for (const document of documents) {
      expect(mail?.text).not.toContain(document.invoiceNumber);
      expect(mail?.html).not.toContain(document.invoiceNumber);
    }
    expect(mail?.text).not.toMatch(/1 250|1250|kr\b|Fakturering januari/u);
    expect(await auditOf('notification.sent')).toEqual([
      expect.objectContaining({
        actor: { type: 'system', id: 'notification-sender' },
        customerId: clinic.customer.id,
        outcome: 'success',
        details: expect.objectContaining({ recipient: clinic.contact.contact.id, attempts: 1 }),
      }),
    ]);
  });

  it('tells only the contacts of that company who want notices, are active, and only while it has portal access', async () => {
    // Arrange
    const colleague = await clinic.addContact([clinic.customer]);
    const optedOut = await clinic.addContact([clinic.customer]);
    await clinic.scope.contacts.updatePreferences(optedOut.contact.id, { notifyOnNewDocument: false });
    const deactivated = await clinic.addContact([clinic.customer], 'deactivated');
    await publish();
    await publish(clinic.otherCustomer);
    await clinic.scope.customers.updateChoices(clinic.otherCustomer.id, { portalAccess: false });
    clock.advance(QUIET_MS);

    // Act
    const summary = await run();

    // Assert
    expect(summary).toEqual({ ...nothingDone, batchesFormed: 2, sent: 2 });
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(1);
    expect(await mailsTo(colleague.contact.email)).toHaveLength(1);
    expect(await mailsTo(optedOut.contact.email)).toHaveLength(0);
    expect(await mailsTo(deactivated.contact.email)).toHaveLength(0);
    expect(await mailsTo(clinic.otherCustomersContact.contact.email)).toHaveLength(0);
    expect(await clinic.scope.notifications.pending(10)).toEqual([]);
    expect(await clinic.scope.notifications.openBatches(10)).toEqual([]);
  });

  it('writes in the language the contact chose', async () => {
    await clinic.scope.contacts.updatePreferences(clinic.contact.contact.id, { language: 'en' });
    await publish();
    clock.advance(QUIET_MS);

    await run();

    const [mail] = await mailsTo(clinic.contact.contact.email);
    expect(mail?.subject).toBe(`New invoice specifications for ${clinic.customer.name}`);
    expect(mail?.text).toContain('has published a new invoice specification');
  });

  it('waits while documents keep coming, but not longer than the longest wait', async () => {
    // Arrange: a document every half quiet period, so the company is never quiet
    const step = QUIET_MS / 2;
    const stepsToLongestWait = (NOTIFICATION_POLICY.maxWaitSeconds * 1000) / step;
    const runs: NoticeRunSummary[] = [];

    // Act
    while (runs.length < stepsToLongestWait + 2 && !runs.some((summary) => summary.sent > 0)) {
      await publish();
      clock.advance(step);
      runs.push(await run());
    }

    // Assert: nothing while it kept coming, then one mail for all of them once the oldest had waited long enough
    expect(runs).toHaveLength(stepsToLongestWait);
    expect(runs.at(-1)).toEqual({ ...nothingDone, batchesFormed: 1, sent: 1 });
    const [mail] = await mailsTo(clinic.contact.contact.email);
    expect(mail?.text).toContain(`${stepsToLongestWait} nya fakturaunderlag`);
  });

  it('counts only documents still shown when the mail goes, and skips the mail when none is', async () => {
    const withdrawn = await publish();
    const hidden = await publish();
    await clinic.scope.documents.withdraw(clinic.customer.id, withdrawn.id, {
      at: clock.now().toISOString(),
      reason: 'Fel',
    });
    await clinic.scope.documents.setVisibility(clinic.customer.id, hidden.id, 'hidden');
    clock.advance(QUIET_MS);

    const summary = await run();

    expect(summary).toEqual({ ...nothingDone, batchesFormed: 1, skipped: 1 });
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(0);
    expect(await auditOf('notification.skipped')).toHaveLength(1);
  });

  it('counts only documents of the types the company is shown, and skips the mail when it is shown none of them', async () => {
    // Arrange: credit notes are not shown to this company; one invoice basis and two credit notes arrive
    await clinic.scope.customers.updateChoices(clinic.customer.id, { shownDocumentTypes: ['fakturaunderlag'] });
    await publish(clinic.customer, { documentType: 'fakturaunderlag' });
    await publish(clinic.customer, { documentType: 'kreditunderlag' });
    await publish(clinic.customer, { documentType: 'kreditunderlag' });
    clock.advance(QUIET_MS);
    const firstRun = await run();
    // …and then only credit notes
    await publish(clinic.customer, { documentType: 'kreditunderlag' });
    clock.advance(QUIET_MS);

    const secondRun = await run();

    expect(firstRun).toEqual({ ...nothingDone, batchesFormed: 1, sent: 1 });
    const [mail, ...more] = await mailsTo(clinic.contact.contact.email);
    expect(more).toHaveLength(0);
    expect(mail?.text).toContain('ett nytt fakturaunderlag');
    expect(secondRun).toEqual({ ...nothingDone, batchesFormed: 1, skipped: 1 });
  });

  it('keeps notices waiting, losing none, while the clinic has no portal address', async () => {
    await setPortalOrigin(clinic.scope, undefined);
    await publish();
    clock.advance(QUIET_MS);

    const without = await run();
    await setPortalOrigin(clinic.scope, ORIGIN_OF(clinic));
    const withIt = await run();

    expect(without).toEqual({ ...nothingDone, waitingForPortalOrigin: true });
    expect(withIt).toEqual({ ...nothingDone, batchesFormed: 1, sent: 1 });
  });

  it('runs over every clinic, one clinic failing without keeping the others from their mail', async () => {
    const other = await createClinic(portal);
    await setPortalOrigin(other.scope, ORIGIN_OF(other));
    await publish();
    await publishFor(other);
    clock.advance(QUIET_MS);
    const failing = new Set([clinic.tenantId]);

    const results = await sendPublicationNoticesForAllClinics({
      directory: portal.deps.directory,
      scopeFor: (tenantId) => {
        const scope = portal.deps.scopeFor(tenantId);
        return failing.has(tenantId)
          ? { ...scope, notifications: { ...scope.notifications, pending: () => Promise.reject(new Error('down')) } }
          : scope;
      },
      clock,
      ids: portal.deps.ids,
      mailer: portal.mailSink,
    });

    expect(results.find((result) => result.tenantId === clinic.tenantId)?.error).toBeInstanceOf(Error);
    expect(results.find((result) => result.tenantId === other.tenantId)?.summary?.sent).toBe(1);
    expect(await mailsTo(other.contact.contact.email)).toHaveLength(1);
  });
});

async function publishFor(fixture: ClinicFixture) {
  const { document } = await fixture.addDocument(fixture.customer, { status: 'received' });
  await publishDocumentVersion(
    { scope: fixture.scope, clock, ids: portal.deps.ids },
    { type: 'api-key', id: 'test' },
    document,
    { pdf: tinyPdf(), pageCount: 1 },
  );
}

describe('never twice, and retried when it is safe', () => {
  it('announces a document once: publishing it again after hiding it sends nothing new', async () => {
    const document = await publish();
    clock.advance(QUIET_MS);
    await run();
    const admin = adminClientFor(portal, clinic);
    await admin.login(await addAdmin(portal, clinic));
    const visibility = `/api/admin/customers/${clinic.customer.id}/documents/${document.id}/visibility`;

    await admin.request(visibility, json({ visibility: 'hidden' }, { method: 'PUT' }));
    await admin.request(visibility, json({ visibility: 'published' }, { method: 'PUT' }));
    clock.advance(QUIET_MS);
    const later = await run();

    expect(later).toEqual(nothingDone);
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(1);
  });

  it('retries a mail the mail service refused, after a backoff, until it is sent: one mail', async () => {
    await publish();
    clock.advance(QUIET_MS);
    const flaky = refusingMailer(2);

    const first = await run(flaky.mailer);
    const beforeDue = await run(flaky.mailer);
    clock.advance(NOTIFICATION_POLICY.firstRetrySeconds * 1000);
    const second = await run(flaky.mailer);
    clock.advance(2 * NOTIFICATION_POLICY.firstRetrySeconds * 1000);
    const third = await run(flaky.mailer);

    expect([first.retriesScheduled, beforeDue.retriesScheduled, second.retriesScheduled, third.sent]).toEqual([
      1, 0, 1, 1,
    ]);
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(1);
    const [delivery] = await deliveriesOfOnlyBatch();
    expect(delivery).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('gives up after the last attempt and records the failure', async () => {
    await publish();
    clock.advance(QUIET_MS);
    const refusing = refusingMailer(Number.POSITIVE_INFINITY);

    for (let attempt = 1; attempt <= NOTIFICATION_POLICY.maxAttempts; attempt += 1) {
      await run(refusing.mailer);
      clock.advance(NOTIFICATION_POLICY.firstRetrySeconds * 1000 * 2 ** attempt);
    }
    const afterwards = await run(refusing.mailer);

    expect(refusing.refused).toBe(NOTIFICATION_POLICY.maxAttempts);
    expect(afterwards).toEqual(nothingDone);
    const [delivery] = await deliveriesOfOnlyBatch();
    expect(delivery).toMatchObject({ state: 'failed', attempts: NOTIFICATION_POLICY.maxAttempts });
    expect(await auditOf('notification.failed')).toEqual([expect.objectContaining({ outcome: 'failure' })]);
    expect(await clinic.scope.notifications.openBatches(10)).toEqual([]);
  });

  it('does not retry a mail whose fate is unknown (a timeout, a 5xx): it is recorded as unconfirmed', async () => {
    await publish();
    clock.advance(QUIET_MS);
    const timingOut = refusingMailer(1, () => new Error('socket hang up'));

    const first = await run(timingOut.mailer);
    clock.advance(60 * 60 * 1000);
    const later = await run(timingOut.mailer);

    expect(first).toEqual({ ...nothingDone, batchesFormed: 1, unconfirmed: 1 });
    expect(later).toEqual(nothingDone);
    expect(timingOut.refused).toBe(1);
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(0);
    expect(await auditOf('notification.unconfirmed')).toHaveLength(1);
  });

  it('never sends twice when the sender dies after the mail went and before it was recorded', async () => {
    // Arrange: the outcome cannot be recorded (the sender's process dies at that point)
    await publish();
    clock.advance(QUIET_MS);
    const dying: TenantScope = {
      ...clinic.scope,
      notifications: { ...clinic.scope.notifications, settleDelivery: () => Promise.reject(new Error('killed')) },
    };

    // Act
    await expect(run(portal.mailSink, dying)).rejects.toThrow('killed');
    const withinLease = await run();
    clock.advance(NOTIFICATION_POLICY.sendingLeaseSeconds * 1000);
    const afterLease = await run();

    // Assert
    expect(withinLease).toEqual(nothingDone);
    expect(afterLease).toEqual({ ...nothingDone, unconfirmed: 1 });
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(1);
    expect(await clinic.scope.notifications.openBatches(10)).toEqual([]);
  });

  it('sends one mail when two senders run at the same moment', async () => {
    await publish();
    await publish();
    clock.advance(QUIET_MS);

    const summaries = await Promise.all([run(), run(), run()]);

    expect(summaries.reduce((sum, summary) => sum + summary.batchesFormed, 0)).toBe(1);
    expect(summaries.reduce((sum, summary) => sum + summary.sent, 0)).toBe(1);
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(1);
  });
});

/** The deliveries of the one batch of the clinic's one document. */
async function deliveriesOfOnlyBatch() {
  const [document] = (await clinic.scope.documents.listAll(clinic.customer.id, { limit: 10 })).items;
  if (!document) throw new Error('The clinic has no document.');
  const [batch] = await clinic.scope.notifications.batchesOfDocument(clinic.customer.id, document.id);
  if (!batch) throw new Error('The document was never in a batch.');
  return clinic.scope.notifications.deliveries(batch.id);
}

describe("the clinic's view and resending", () => {
  let admin: ReturnType<typeof adminClientFor>;

  beforeEach(async () => {
    admin = adminClientFor(portal, clinic);
    await admin.login(await addAdmin(portal, clinic));
  });

  const noticesPath = (documentId: string, customerId = clinic.customer.id) =>
    `/api/admin/customers/${customerId}/documents/${documentId}/notifications`;

  it('publishing a held document queues its notice, and the admin sees who was told and how it went', async () => {
    // Arrange: the customer's documents wait for approval
    await clinic.scope.customers.updateChoices(clinic.customer.id, { publishing: 'approval' });
    const held = await publish(clinic.customer, { visibility: 'held' });
    clock.advance(QUIET_MS);
    expect(await run()).toEqual(nothingDone);

    // Act: the admin publishes everything held; the sender runs after the quiet period
    const published = await admin.request(
      `/api/admin/customers/${clinic.customer.id}/documents/publish-held`,
      json({}),
    );
    const waiting = (await (await admin.request(noticesPath(held.id))).json()) as AdminDocumentNoticesResponse;
    clock.advance(QUIET_MS);
    await run();
    const view = await admin.request(noticesPath(held.id));

    // Assert
    expect(published.status).toBe(200);
    expect(waiting).toEqual({ waiting: true, batches: [] });
    expect(view.status).toBe(200);
    expect(view.headers.get('Cache-Control')).toBe('no-store');
    expect(await view.json()).toEqual({
      waiting: false,
      batches: [
        {
          id: expect.any(String),
          reason: 'published',
          createdAt: expect.any(String),
          closedAt: expect.any(String),
          documentCount: 1,
          deliveries: [
            {
              contactId: clinic.contact.contact.id,
              contactName: clinic.contact.contact.name,
              state: 'sent',
              attempts: 1,
              updatedAt: expect.any(String),
            },
          ],
        },
      ],
    } satisfies AdminDocumentNoticesResponse);
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(1);
  });

  it('resends a notice at once to the contacts who want one now, audited under the administrator', async () => {
    const document = await publish();
    clock.advance(QUIET_MS);
    await run();

    const response = await admin.request(noticesPath(document.id), { method: 'POST' });

    expect(response.status).toBe(201);
    const body = (await response.json()) as AdminDocumentNoticesResponse;
    expect(body.batches.map((batch) => batch.reason)).toEqual(['resent', 'published']);
    expect(body.batches[0]?.deliveries.map((delivery) => delivery.state)).toEqual(['sent']);
    const mails = await mailsTo(clinic.contact.contact.email);
    expect(mails).toHaveLength(2);
    expect(mails[0]?.text).toContain('har publicerat ett nytt fakturaunderlag');
    expect(await auditOf('notification.resend_requested')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ type: 'admin' }), documentId: document.id }),
    ]);
  });

  it('refuses to resend what contacts cannot see, or what is still on its way, changing nothing', async () => {
    const hidden = await publish();
    await clinic.scope.documents.setVisibility(clinic.customer.id, hidden.id, 'hidden');
    const onItsWay = await publish();

    const notShown = await admin.request(noticesPath(hidden.id), { method: 'POST' });
    const waiting = await admin.request(noticesPath(onItsWay.id), { method: 'POST' });

    expect(notShown.status).toBe(409);
    expect(((await notShown.json()) as { error: { code: string } }).error.code).toBe('document_not_shown');
    expect(waiting.status).toBe(409);
    expect(((await waiting.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'notice_waiting',
      message: expect.stringContaining('quiet period'),
    });
    expect(await mailsTo(clinic.contact.contact.email)).toHaveLength(0);
    expect(await auditOf('notification.resend_requested')).toEqual([]);
  });

  it('finds no document of another clinic, or of another customer, and an id that is not one is a 400', async () => {
    const other = await createClinic(portal);
    const { document: theirs } = await other.addDocument(other.customer);
    const ours = await publish();

    const otherClinics = await admin.request(noticesPath(theirs.id, other.customer.id), { method: 'POST' });
    const otherCustomer = await admin.request(noticesPath(ours.id, clinic.otherCustomer.id));
    const unknown = await admin.request(noticesPath(randomUUID()));
    const malformed = await admin.request(noticesPath('not-an-id'));

    expect([otherClinics.status, otherCustomer.status, unknown.status, malformed.status]).toEqual([404, 404, 404, 404]);
    expect(await mailsTo(other.contact.contact.email)).toHaveLength(0);
  });

  it('answers 401 without an administrator session', async () => {
    const document = await publish();

    const anonymous = await portal.app.request(`https://${clinic.host}${noticesPath(document.id)}`);

    expect(anonymous.status).toBe(401);
  });
});
