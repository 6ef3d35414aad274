import { type InvoiceDocument, isShownToContacts, isVisibleToContacts } from '../domain/document';
import { ConflictError, NotFoundError } from '../domain/errors';
import {
  type Actor,
  type Contact,
  type Customer,
  clinicStatusOf,
  contactPreferences,
  type Tenant,
} from '../domain/identity';
import { MailRefusedError } from '../domain/mail';
import {
  isFinalDelivery,
  NOTIFICATION_POLICY,
  type NoticeBatch,
  type NoticeDelivery,
  nextAttemptAt,
  readyBatches,
} from '../domain/notifications';
import type { Clock, IdGenerator, Mailer, TenantDirectory, TenantTableScope } from '../domain/ports';
import type { AdminPrincipal } from './admin-session';
import { type ClinicRunResult, forEachClinic } from './for-each-clinic';
import { recordOnce } from './record-once';
import { sendMail } from './send-mail';

/** Notifications of new documents (functions/domain/notifications.ts explains batches and deliveries). */
export interface PublicationNoticeDeps {
  /** The table alone: a notice names documents, it never reads their files. */
  readonly scope: TenantTableScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly mailer: Mailer;
}

/** What one run did, for the job's log line (ids and counts only). */
export interface NoticeRunSummary {
  readonly batchesFormed: number;
  readonly sent: number;
  readonly retriesScheduled: number;
  readonly failed: number;
  readonly unconfirmed: number;
  readonly skipped: number;
  /** The clinic has no portal address yet, so no link can be written: notices wait (nothing is lost). */
  readonly waitingForPortalOrigin?: true;
  /** The operator disabled the clinic: nothing is sent, notices wait (nothing is lost). */
  readonly clinicDisabled?: true;
}

const SENDER: Actor = { type: 'system', id: 'notification-sender' };

/**
 * Queues the notice of a document that contacts can now see (idempotent: a retried or repeated publication of the
 * same document queues nothing more, so a document hidden and published again is not announced twice).
 */
export async function queuePublicationNotice(
  scope: Pick<TenantTableScope, 'notifications'>,
  document: InvoiceDocument,
  at: string,
): Promise<void> {
  // The document's own visibility only: whether its type is shown is the customer's choice, which may change before
  // the mail goes, so it is decided where the mail counts its documents (deliverBatch, with isShownToContacts).
  if (!isVisibleToContacts(document)) return;
  await scope.notifications.enqueue({ customerId: document.customerId, documentId: document.id, queuedAt: at });
}

/**
 * One run of the sender for one clinic: forms the batches that are ready, then works on every open batch (new
 * deliveries, due retries, stale claims). Safe to run at any time and from several places at once: every step is a
 * conditional write, so at worst a run finds its work already done.
 */
export async function sendPublicationNotices(deps: PublicationNoticeDeps): Promise<NoticeRunSummary> {
  const { scope, clock } = deps;
  const tenant = await scope.tenant.get();
  const tally = { batchesFormed: 0, sent: 0, retriesScheduled: 0, failed: 0, unconfirmed: 0, skipped: 0 };
  // A disabled clinic's contacts could not follow the link: its notices wait until the operator enables it again.
  if (tenant && clinicStatusOf(tenant) === 'disabled') return { ...tally, clinicDisabled: true };
  if (!tenant?.portalOrigin) return { ...tally, waitingForPortalOrigin: true };

  const pending = await scope.notifications.pending(NOTIFICATION_POLICY.maxPendingPerRun);
  for (const group of readyBatches(pending, clock.now())) {
    const formed = await formBatch(deps, {
      customerId: group.customerId,
      documentIds: group.notices.map((notice) => notice.documentId),
      reason: 'published',
    });
    if (formed) tally.batchesFormed += 1;
  }

  for (const batch of await scope.notifications.openBatches(NOTIFICATION_POLICY.maxOpenBatchesPerRun)) {
    for (const delivery of await deliverBatch(deps, tenant, batch)) {
      if (delivery.state === 'retry') tally.retriesScheduled += 1;
      else if (delivery.state !== 'sending') tally[delivery.state] += 1;
    }
  }
  return tally;
}

/**
 * Sends a document's notice again to the contacts who would get it now (an administrator's request: "the contact
 * says they never got it"). A batch of its own, delivered at once; the answer says how each delivery went.
 */
export async function resendPublicationNotice(
  deps: PublicationNoticeDeps,
  request: {
    readonly principal: AdminPrincipal;
    readonly sourceIp: string;
    readonly customerId: string;
    readonly documentId: string;
  },
): Promise<{ readonly batch: NoticeBatch; readonly deliveries: readonly NoticeDelivery[] }> {
  const { scope, clock, ids } = deps;
  const [tenant, customer, document, notice] = await Promise.all([
    scope.tenant.get(),
    scope.customers.get(request.customerId),
    scope.documents.get(request.customerId, request.documentId),
    scope.notifications.notice(request.customerId, request.documentId),
  ]);
  if (!document || !customer) throw new NotFoundError('The document');
  if (!isShownToContacts(document, customer)) {
    throw new ConflictError('The document is not shown to the contacts, so there is nothing to tell them about.', {
      code: 'document_not_shown',
    });
  }
  if (notice && notice.batchId === undefined) {
    throw new ConflictError(
      'The notice of this document is on its way: it waits for the quiet period after the latest publication.',
      { code: 'notice_waiting' },
    );
  }
  if (!tenant?.portalOrigin) {
    throw new ConflictError('The clinic has no portal address yet, so a mail could not link to the portal.', {
      code: 'no_portal_origin',
    });
  }
  const batch = await formBatch(deps, {
    customerId: request.customerId,
    documentIds: [request.documentId],
    reason: 'resent',
    requestedBy: request.principal.adminId,
  });
  if (!batch) throw new Error('A resend batch has a new id; it cannot have been formed before.');
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'notification.resend_requested',
    actor: { type: 'admin', id: request.principal.adminId },
    customerId: request.customerId,
    documentId: request.documentId,
    sourceIp: request.sourceIp,
    outcome: 'success',
    details: { batchId: batch.id, recipients: batch.recipientIds.length },
  });
  const deliveries = await deliverBatch(deps, tenant, batch);
  return { batch: (await scope.notifications.getBatch(batch.id)) ?? batch, deliveries };
}

/**
 * A batch's recipients are decided when it is formed: the company's active contacts who want notices, provided the
 * company has portal access. They are checked again before each mail (see {@link deliverTo}).
 */
async function formBatch(
  deps: PublicationNoticeDeps,
  draft: Pick<NoticeBatch, 'customerId' | 'documentIds' | 'reason'> & { readonly requestedBy?: string },
): Promise<NoticeBatch | undefined> {
  const { scope, clock, ids } = deps;
  const customer = await scope.customers.get(draft.customerId);
  const recipients = customer?.portalAccess ? await wantingRecipients(scope, draft.customerId) : [];
  const now = clock.now().toISOString();
  const batch: NoticeBatch = {
    id: ids.newId(),
    ...draft,
    recipientIds: recipients.map((contact) => contact.id),
    createdAt: now,
    // Nobody to tell: the batch is closed as it is formed (it still takes the notices, which are then done).
    ...(recipients.length === 0 ? { closedAt: now } : {}),
  };
  try {
    await scope.notifications.formBatch(batch);
  } catch (error) {
    // Another sender took one of these notices first: its batch tells of them.
    if (error instanceof ConflictError && draft.reason === 'published') return undefined;
    throw error;
  }
  return batch;
}

async function wantingRecipients(scope: TenantTableScope, customerId: string): Promise<readonly Contact[]> {
  const memberships = await scope.contacts.listOfCustomer(customerId);
  const contacts = await Promise.all(memberships.map((membership) => scope.contacts.get(membership.contactId)));
  return contacts.filter((contact): contact is Contact => contact !== undefined && wantsNotices(contact));
}

function wantsNotices(contact: Contact): boolean {
  return contact.status === 'active' && contactPreferences(contact).notifyOnNewDocument && contact.email !== '';
}

/** Works on every recipient of the batch that is not final yet; closes the batch once all are. */
async function deliverBatch(
  deps: PublicationNoticeDeps,
  tenant: Tenant,
  batch: NoticeBatch,
): Promise<readonly NoticeDelivery[]> {
  const { scope, clock } = deps;
  if (batch.closedAt !== undefined) return [];
  const [recorded, customer, documents] = await Promise.all([
    scope.notifications.deliveries(batch.id),
    scope.customers.get(batch.customerId),
    Promise.all(batch.documentIds.map((documentId) => scope.documents.get(batch.customerId, documentId))),
  ]);
  // Counted when the mail goes: a document hidden or withdrawn since it was published, or of a type the clinic no
  // longer shows the company, is not announced.
  const shownCount = documents.filter(
    (document) => document !== undefined && customer !== undefined && isShownToContacts(document, customer),
  ).length;
  const byContact = new Map(recorded.map((delivery) => [delivery.contactId, delivery]));
  const outcomes: NoticeDelivery[] = [];
  let open = false;
  for (const contactId of batch.recipientIds) {
    const seen = byContact.get(contactId);
    if (seen && isFinalDelivery(seen)) {
      // Settled by an earlier run that may have stopped before its audit event: written now if it is missing.
      await recordOutcome(scope, batch.customerId, seen);
      continue;
    }
    const outcome = await deliverTo(deps, { tenant, batch, customer, shownCount, contactId, seen });
    if (outcome) outcomes.push(outcome);
    if (!outcome || !isFinalDelivery(outcome)) open = true;
  }
  if (!open) await scope.notifications.closeBatch(batch.id, clock.now().toISOString());
  return outcomes;
}

/**
 * One recipient, one attempt at most. The claim comes first and the mail second, so a sender that dies in between
 * leaves a claim, never a second mail: after its lease the claim is recorded as `unconfirmed`. Undefined when there
 * is nothing to do now (a retry not yet due, a claim another sender holds).
 */
async function deliverTo(
  deps: PublicationNoticeDeps,
  target: {
    readonly tenant: Tenant;
    readonly batch: NoticeBatch;
    readonly customer: Customer | undefined;
    readonly shownCount: number;
    readonly contactId: string;
    readonly seen: NoticeDelivery | undefined;
  },
): Promise<NoticeDelivery | undefined> {
  const { scope, clock, mailer } = deps;
  const { batch, contactId, seen } = target;
  const now = clock.now();
  const at = now.toISOString();
  if (seen?.state === 'sending') {
    if (seen.leaseUntil !== undefined && Date.parse(seen.leaseUntil) > now.getTime()) return undefined;
    const unconfirmed: NoticeDelivery = {
      ...withoutRetry(seen),
      state: 'unconfirmed',
      updatedAt: at,
      reason: 'The sender stopped before the mail service confirmed the mail; it is not sent again.',
    };
    return (await settle(scope, batch.customerId, unconfirmed)) ? unconfirmed : undefined;
  }
  if (seen?.state === 'retry' && seen.nextAttemptAt !== undefined && Date.parse(seen.nextAttemptAt) > now.getTime()) {
    return undefined;
  }
  const attempts = (seen?.attempts ?? 0) + 1;
  const leaseUntil = new Date(now.getTime() + NOTIFICATION_POLICY.sendingLeaseSeconds * 1000).toISOString();
  if (
    !(await scope.notifications.claimDelivery({ batchId: batch.id, contactId, attempts, updatedAt: at, leaseUntil }))
  ) {
    return undefined;
  }
  const claimed: NoticeDelivery = {
    batchId: batch.id,
    contactId,
    state: 'sending',
    attempts,
    updatedAt: at,
    leaseUntil,
  };

  const [contact, membership] = await Promise.all([
    scope.contacts.get(contactId),
    scope.contacts.getMembership(contactId, batch.customerId),
  ]);
  const whyNot = !target.customer?.portalAccess
    ? 'The company no longer has portal access.'
    : !contact || !membership
      ? 'The contact no longer belongs to the company.'
      : !wantsNotices(contact)
        ? 'The contact no longer wants notices, or was deactivated.'
        : target.shownCount === 0
          ? 'None of the documents is shown any longer.'
          : undefined;
  if (whyNot !== undefined || !contact || !target.customer) {
    const skipped: NoticeDelivery = {
      ...withoutLease(claimed),
      state: 'skipped',
      reason: whyNot ?? 'Nothing to send.',
    };
    await settle(scope, batch.customerId, skipped);
    return skipped;
  }

  try {
    await sendMail(mailer, {
      to: { name: contact.name, address: contact.email },
      language: contactPreferences(contact).language,
      message: {
        kind: 'new-documents',
        recipientName: contact.name,
        clinicName: target.tenant.name,
        companyName: target.customer.name,
        documentCount: target.shownCount,
        link: new URL('/', target.tenant.portalOrigin).toString(),
      },
    });
  } catch (error) {
    // Whether a mail went out is known only when the service refused it: only then is trying again safe. Anything else
    // (a timeout, a 5xx) may have sent it, and a second mail is what must never happen: `unconfirmed`, as for a
    // sender that died. The service's own words are not recorded: they may quote the address.
    if (!(error instanceof MailRefusedError)) {
      const unknown: NoticeDelivery = {
        ...withoutLease(claimed),
        state: 'unconfirmed',
        updatedAt: clock.now().toISOString(),
        reason: 'The mail service did not confirm the mail; it may have been sent, so it is not sent again.',
      };
      await settle(scope, batch.customerId, unknown);
      return unknown;
    }
    const retry = attempts < NOTIFICATION_POLICY.maxAttempts;
    const refused: NoticeDelivery = {
      ...withoutLease(claimed),
      state: retry ? 'retry' : 'failed',
      updatedAt: clock.now().toISOString(),
      reason: retry
        ? 'The mail service refused the mail; it is tried again.'
        : `The mail service refused the mail ${attempts} times; it is not tried again.`,
      ...(retry ? { nextAttemptAt: nextAttemptAt(attempts, clock.now()).toISOString() } : {}),
    };
    await settle(scope, batch.customerId, refused);
    return refused;
  }
  const sent: NoticeDelivery = { ...withoutLease(claimed), state: 'sent', updatedAt: clock.now().toISOString() };
  await settle(scope, batch.customerId, sent);
  return sent;
}

/** Records the outcome and, for a final one, its audit event (once: its id and time are the delivery's own). */
async function settle(scope: TenantTableScope, customerId: string, delivery: NoticeDelivery): Promise<boolean> {
  const settled = await scope.notifications.settleDelivery(delivery);
  if (settled) await recordOutcome(scope, customerId, delivery);
  return settled;
}

async function recordOutcome(scope: TenantTableScope, customerId: string, delivery: NoticeDelivery): Promise<void> {
  if (isFinalDelivery(delivery)) {
    await recordOnce(scope, {
      id: `${delivery.batchId}.${delivery.contactId}.${delivery.state}`,
      at: delivery.updatedAt,
      action: `notification.${delivery.state}`,
      actor: SENDER,
      customerId,
      outcome: delivery.state === 'sent' || delivery.state === 'skipped' ? 'success' : 'failure',
      details: { batchId: delivery.batchId, recipient: delivery.contactId, attempts: delivery.attempts },
    });
  }
}

function withoutLease({ leaseUntil: _lease, ...delivery }: NoticeDelivery): NoticeDelivery {
  return delivery;
}

function withoutRetry({ leaseUntil: _lease, nextAttemptAt: _next, ...delivery }: NoticeDelivery): NoticeDelivery {
  return delivery;
}

/** What the scheduled sender needs: every clinic's scope, not one. */
export interface AllClinicsNoticeDeps extends Omit<PublicationNoticeDeps, 'scope'> {
  readonly directory: Pick<TenantDirectory, 'listTenants'>;
  readonly scopeFor: (tenantId: string) => TenantTableScope;
}

/** One run over every clinic (the schedule in AWS, the timer of the local portal). */
export function sendPublicationNoticesForAllClinics(
  deps: AllClinicsNoticeDeps,
): Promise<readonly ClinicRunResult<NoticeRunSummary>[]> {
  return forEachClinic(deps.directory, (tenantId) =>
    sendPublicationNotices({ ...deps, scope: deps.scopeFor(tenantId) }),
  );
}

/** A batch as the clinic's view shows it: each recipient with their name and where their mail stands. */
export interface NoticeBatchHistory {
  readonly batch: NoticeBatch;
  readonly deliveries: readonly {
    readonly contactId: string;
    readonly contactName: string;
    readonly delivery?: NoticeDelivery;
  }[];
}

/** Who was told of a document and how it went (the clinic's view); NotFoundError if there is no such document. */
export async function documentNoticeHistory(
  scope: TenantTableScope,
  customerId: string,
  documentId: string,
): Promise<{ readonly waiting: boolean; readonly batches: readonly NoticeBatchHistory[] }> {
  const [document, notice, batches] = await Promise.all([
    scope.documents.get(customerId, documentId),
    scope.notifications.notice(customerId, documentId),
    scope.notifications.batchesOfDocument(customerId, documentId),
  ]);
  if (!document) throw new NotFoundError('The document');
  const histories = await Promise.all(
    batches.map(async (batch) => {
      const deliveries = new Map(
        (await scope.notifications.deliveries(batch.id)).map((delivery) => [delivery.contactId, delivery]),
      );
      const contacts = await Promise.all(batch.recipientIds.map((contactId) => scope.contacts.get(contactId)));
      return {
        batch,
        deliveries: batch.recipientIds.map((contactId, index) => {
          const delivery = deliveries.get(contactId);
          return { contactId, contactName: contacts[index]?.name ?? '', ...(delivery ? { delivery } : {}) };
        }),
      };
    }),
  );
  return { waiting: notice !== undefined && notice.batchId === undefined, batches: histories };
}
