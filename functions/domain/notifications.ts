/**
 * Notifications of new documents (issue 6): when invoice bases are published, the customer's contacts who opted in
 * get ONE mail per batch — "3 nya fakturaunderlag för Exempel AB", a link to the portal, nothing else (no amounts, no
 * invoice contents, no names of employees).
 *
 * The life of a notice:
 * 1. A document becomes visible to contacts (ingest completes it published, or the clinic publishes it): a *notice*
 *    for it is queued, once per document however often the publication is retried (the notice is keyed by the
 *    document, and its queueing is conditional).
 * 2. The sender runs (a schedule in AWS, a timer locally). It takes a customer's pending notices as one *batch* when
 *    the customer has been quiet for {@link NOTIFICATION_POLICY.quietSeconds} — the practice system pushes a run of
 *    documents within seconds, and they should make one mail, not ten — or when the oldest has waited
 *    {@link NOTIFICATION_POLICY.maxWaitSeconds}. Forming the batch takes its notices atomically, so a document is in
 *    exactly one batch even with two senders running.
 * 3. Each recipient of the batch is one *delivery*, claimed before the mail is handed over. A mail the mail service
 *    refused is retried later (backoff, at most {@link NOTIFICATION_POLICY.maxAttempts}); a claim whose sender died
 *    before it recorded the outcome is NOT sent again: it may have gone out, and a duplicate is what the clinic asked
 *    us never to send. It is recorded as `unconfirmed` instead. Every outcome is recorded on the delivery and in the
 *    audit trail.
 */

/** A document whose publication contacts are to hear of. */
export interface PublicationNotice {
  readonly customerId: string;
  readonly documentId: string;
  /** When the document became visible (ISO instant): what the quiet period is measured from. */
  readonly queuedAt: string;
  /** The batch that took it; absent while it waits. */
  readonly batchId?: string;
}

/** Why a batch exists: documents were published, or an administrator asked for the notice to be sent again. */
export type NoticeBatchReason = 'published' | 'resent';

/** One mail's worth of news for one customer company, to each recipient decided when the batch was formed. */
export interface NoticeBatch {
  readonly id: string;
  readonly customerId: string;
  readonly documentIds: readonly string[];
  /** The contacts to tell: active, opted in, of a customer with portal access, when the batch was formed. */
  readonly recipientIds: readonly string[];
  readonly reason: NoticeBatchReason;
  readonly createdAt: string;
  /** Set when every delivery has its final outcome; until then the sender keeps coming back to it. */
  readonly closedAt?: string;
  /** The administrator who asked for a resend. */
  readonly requestedBy?: string;
}

/**
 * Where one recipient's mail stands.
 * - `sending`: claimed; the mail is being handed to the mail service;
 * - `retry`: the mail service refused it; tried again from `nextAttemptAt`;
 * - final: `sent`; `failed` (refused {@link NOTIFICATION_POLICY.maxAttempts} times); `unconfirmed` (the sender died
 *   between claiming and recording: maybe sent, never repeated); `skipped` (no longer wanted: the contact opted out,
 *   was deactivated or left the company, or the company lost portal access, before the mail went).
 */
export type DeliveryState = 'sending' | 'retry' | 'sent' | 'failed' | 'unconfirmed' | 'skipped';

export const FINAL_DELIVERY_STATES = [
  'sent',
  'failed',
  'unconfirmed',
  'skipped',
] as const satisfies readonly DeliveryState[];

export type FinalDeliveryState = (typeof FINAL_DELIVERY_STATES)[number];

/** Whether a delivery needs nothing more. */
export function isFinalDelivery<D extends Pick<NoticeDelivery, 'state'>>(
  delivery: D,
): delivery is D & { readonly state: FinalDeliveryState } {
  return (FINAL_DELIVERY_STATES as readonly DeliveryState[]).includes(delivery.state);
}

export interface NoticeDelivery {
  readonly batchId: string;
  readonly contactId: string;
  readonly state: DeliveryState;
  /** Attempts handed to the mail service so far (the current one included while `sending`). */
  readonly attempts: number;
  /** When the state was last set (ISO instant). */
  readonly updatedAt: string;
  /** `sending`: until when the claim holds; after that a sender that finds it takes it as `unconfirmed`. */
  readonly leaseUntil?: string;
  readonly nextAttemptAt?: string;
  /** What went wrong, in words for the clinic (`failed`, `retry`, `skipped`, `unconfirmed`). Never personal data. */
  readonly reason?: string;
}

export const NOTIFICATION_POLICY = {
  /** A customer's batch waits until its newest notice is this old: a push of many documents makes one mail. */
  quietSeconds: 60,
  /** ... but never longer than this after its oldest notice, however steadily documents keep coming. */
  maxWaitSeconds: 15 * 60,
  /**
   * Documents in one batch at most. Forming a batch is one DynamoDB transaction (100 writes): the batch, and one
   * write per notice it takes. A bigger run of documents makes several mails, a few seconds apart.
   */
  maxDocumentsPerBatch: 90,
  /** Pending notices one run of the sender looks at (oldest first); the rest wait for the next run. */
  maxPendingPerRun: 500,
  /** Open batches one run works on. */
  maxOpenBatchesPerRun: 100,
  /** Attempts per delivery before it is `failed`. */
  maxAttempts: 5,
  /** The first retry waits this long; each further one twice as long (1, 2, 4, 8 minutes). */
  firstRetrySeconds: 60,
  /** A claim is given up as `unconfirmed` this long after it was made (a Lambda runs at most 15 minutes). */
  sendingLeaseSeconds: 15 * 60,
} as const;

/** When a delivery refused for the `attempts`-th time may be tried again. */
export function nextAttemptAt(attempts: number, now: Date): Date {
  const delaySeconds = NOTIFICATION_POLICY.firstRetrySeconds * 2 ** Math.max(0, attempts - 1);
  return new Date(now.getTime() + delaySeconds * 1000);
}

/**
 * The pending notices that are ready to be sent now, as batches of one customer each (oldest first within a batch;
 * at most maxDocumentsPerBatch). A customer whose latest notice is younger than the quiet period waits — unless
 * its oldest one has waited maxWaitSeconds.
 */
export function readyBatches(
  pending: readonly PublicationNotice[],
  now: Date,
): readonly { readonly customerId: string; readonly notices: readonly PublicationNotice[] }[] {
  const byCustomer = new Map<string, PublicationNotice[]>();
  for (const notice of pending) {
    if (notice.batchId !== undefined) continue;
    const list = byCustomer.get(notice.customerId) ?? [];
    list.push(notice);
    byCustomer.set(notice.customerId, list);
  }
  const ageSeconds = (notice: PublicationNotice) => (now.getTime() - Date.parse(notice.queuedAt)) / 1000;
  const ready: { customerId: string; notices: PublicationNotice[] }[] = [];
  for (const [customerId, notices] of byCustomer) {
    notices.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.documentId.localeCompare(b.documentId));
    const oldest = notices[0];
    const newest = notices.at(-1);
    if (!oldest || !newest) continue;
    const quiet = ageSeconds(newest) >= NOTIFICATION_POLICY.quietSeconds;
    const waitedLongEnough = ageSeconds(oldest) >= NOTIFICATION_POLICY.maxWaitSeconds;
    if (!quiet && !waitedLongEnough) continue;
    for (let start = 0; start < notices.length; start += NOTIFICATION_POLICY.maxDocumentsPerBatch) {
      ready.push({ customerId, notices: notices.slice(start, start + NOTIFICATION_POLICY.maxDocumentsPerBatch) });
    }
  }
  return ready;
}
