import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/domain/errors';
import type { NoticeBatch } from '../../functions/domain/notifications';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The NotificationOutbox port's contract (functions/domain/ports.ts), run against DynamoDB Local. */
describe('notification outbox (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  const notice = (documentId: string, queuedAt = '2024-02-01T07:00:00.000Z', customerId = clinic.customer.id) => ({
    customerId,
    documentId,
    queuedAt,
  });

  const batch = (overrides: Partial<NoticeBatch> = {}): NoticeBatch => ({
    id: randomUUID(),
    customerId: clinic.customer.id,
    documentIds: [],
    recipientIds: [clinic.contact.contact.id],
    reason: 'published',
    createdAt: '2024-02-01T07:05:00.000Z',
    ...overrides,
  });

  it('queues a notice once per document: a second queueing of the same document is refused quietly', async () => {
    const documentId = randomUUID();

    const first = await clinic.scope.notifications.enqueue(notice(documentId));
    const second = await clinic.scope.notifications.enqueue(notice(documentId, '2024-02-02T07:00:00.000Z'));

    expect([first, second]).toEqual([true, false]);
    expect(await clinic.scope.notifications.notice(clinic.customer.id, documentId)).toEqual(notice(documentId));
    expect(await clinic.scope.notifications.pending(10)).toEqual([notice(documentId)]);
  });

  it("lists pending notices oldest first, at most `limit`, and never another clinic's", async () => {
    const other = await createClinic(portal);
    const [late, early, middle] = [randomUUID(), randomUUID(), randomUUID()];
    await clinic.scope.notifications.enqueue(notice(late, '2024-02-01T09:00:00.000Z'));
    await clinic.scope.notifications.enqueue(notice(early, '2024-02-01T07:00:00.000Z'));
    await clinic.scope.notifications.enqueue(notice(middle, '2024-02-01T08:00:00.000Z', clinic.otherCustomer.id));
    await other.scope.notifications.enqueue(notice(randomUUID(), '2024-01-01T00:00:00.000Z', other.customer.id));

    const pending = await clinic.scope.notifications.pending(2);

    expect(pending.map((each) => each.documentId)).toEqual([early, middle]);
    expect((await clinic.scope.notifications.pending(10)).map((each) => each.documentId)).toEqual([
      early,
      middle,
      late,
    ]);
    expect(await other.scope.notifications.notice(clinic.customer.id, early)).toBeUndefined();
  });

  it('takes the notices of a batch atomically: they leave the pending list and name the batch', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await clinic.scope.notifications.enqueue(notice(first));
    await clinic.scope.notifications.enqueue(notice(second));
    const formed = batch({ documentIds: [first, second] });

    await clinic.scope.notifications.formBatch(formed);

    expect(await clinic.scope.notifications.pending(10)).toEqual([]);
    expect(await clinic.scope.notifications.notice(clinic.customer.id, first)).toEqual({
      ...notice(first),
      batchId: formed.id,
    });
    expect(await clinic.scope.notifications.getBatch(formed.id)).toEqual(formed);
    expect(await clinic.scope.notifications.openBatches(10)).toEqual([formed]);
  });

  it('refuses a batch that would take a notice another batch took, and writes nothing of it', async () => {
    const [taken, free] = [randomUUID(), randomUUID()];
    await clinic.scope.notifications.enqueue(notice(taken));
    await clinic.scope.notifications.enqueue(notice(free));
    const winner = batch({ documentIds: [taken] });
    await clinic.scope.notifications.formBatch(winner);
    const loser = batch({ documentIds: [free, taken] });

    await expect(clinic.scope.notifications.formBatch(loser)).rejects.toBeInstanceOf(ConflictError);

    expect(await clinic.scope.notifications.getBatch(loser.id)).toBeUndefined();
    expect(await clinic.scope.notifications.pending(10)).toEqual([notice(free)]);
    expect(await clinic.scope.notifications.openBatches(10)).toEqual([winner]);
  });

  it('refuses a published batch of a document that has no notice, and one of no or too many documents', async () => {
    await expect(clinic.scope.notifications.formBatch(batch({ documentIds: [randomUUID()] }))).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(clinic.scope.notifications.formBatch(batch({ documentIds: [] }))).rejects.toThrow(/1 to 90/u);
    const tooMany = Array.from({ length: 91 }, () => randomUUID());
    await expect(clinic.scope.notifications.formBatch(batch({ documentIds: tooMany }))).rejects.toThrow(/1 to 90/u);
  });

  it('keeps a batch formed closed out of the open list, and closes an open one for good (idempotently)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await clinic.scope.notifications.enqueue(notice(a));
    await clinic.scope.notifications.enqueue(notice(b));
    const closedAtOnce = batch({ documentIds: [a], recipientIds: [], closedAt: '2024-02-01T07:05:00.000Z' });
    const open = batch({ documentIds: [b] });
    await clinic.scope.notifications.formBatch(closedAtOnce);
    await clinic.scope.notifications.formBatch(open);

    expect(await clinic.scope.notifications.openBatches(10)).toEqual([open]);
    await clinic.scope.notifications.closeBatch(open.id, '2024-02-01T07:06:00.000Z');
    await clinic.scope.notifications.closeBatch(open.id, '2024-02-01T07:09:00.000Z');

    expect(await clinic.scope.notifications.openBatches(10)).toEqual([]);
    expect(await clinic.scope.notifications.getBatch(open.id)).toEqual({
      ...open,
      closedAt: '2024-02-01T07:06:00.000Z',
    });
  });

  it('remembers resends on the notice, newest first, and makes one (already told) for a document without', async () => {
    const announced = randomUUID();
    const never = randomUUID();
    await clinic.scope.notifications.enqueue(notice(announced));
    const first = batch({ documentIds: [announced] });
    await clinic.scope.notifications.formBatch(first);
    const resend = batch({ documentIds: [announced], reason: 'resent', createdAt: '2024-02-03T10:00:00.000Z' });
    const resendOfNever = batch({ documentIds: [never], reason: 'resent' });

    await clinic.scope.notifications.formBatch(resend);
    await clinic.scope.notifications.formBatch(resendOfNever);

    expect(await clinic.scope.notifications.batchesOfDocument(clinic.customer.id, announced)).toEqual([resend, first]);
    expect(await clinic.scope.notifications.batchesOfDocument(clinic.customer.id, never)).toEqual([resendOfNever]);
    // Told by the resend: a later publication of it queues nothing.
    expect(await clinic.scope.notifications.enqueue(notice(never))).toBe(false);
    expect(await clinic.scope.notifications.pending(10)).toEqual([]);
    expect(await clinic.scope.notifications.batchesOfDocument(clinic.customer.id, randomUUID())).toEqual([]);
  });

  describe('deliveries', () => {
    let formed: NoticeBatch;
    const contactId = () => clinic.contact.contact.id;
    const claim = (attempts: number, at: string) => ({
      batchId: formed.id,
      contactId: contactId(),
      attempts,
      updatedAt: at,
      leaseUntil: '2024-02-01T08:00:00.000Z',
    });

    beforeEach(async () => {
      const documentId = randomUUID();
      await clinic.scope.notifications.enqueue(notice(documentId));
      formed = batch({ documentIds: [documentId] });
      await clinic.scope.notifications.formBatch(formed);
    });

    it('lets exactly one sender claim a first attempt', async () => {
      const claims = await Promise.all([
        clinic.scope.notifications.claimDelivery(claim(1, '2024-02-01T07:10:00.000Z')),
        clinic.scope.notifications.claimDelivery(claim(1, '2024-02-01T07:10:00.000Z')),
      ]);

      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await clinic.scope.notifications.deliveries(formed.id)).toEqual([
        { ...claim(1, '2024-02-01T07:10:00.000Z'), state: 'sending' },
      ]);
    });

    it('claims a retry only once it is due, and only with the attempts count the caller saw', async () => {
      await clinic.scope.notifications.claimDelivery(claim(1, '2024-02-01T07:10:00.000Z'));
      const retry = {
        batchId: formed.id,
        contactId: contactId(),
        state: 'retry' as const,
        attempts: 1,
        updatedAt: '2024-02-01T07:10:01.000Z',
        nextAttemptAt: '2024-02-01T07:11:01.000Z',
        reason: 'refused',
      };
      expect(await clinic.scope.notifications.settleDelivery(retry)).toBe(true);

      const early = await clinic.scope.notifications.claimDelivery(claim(2, '2024-02-01T07:11:00.000Z'));
      const staleCount = await clinic.scope.notifications.claimDelivery(claim(3, '2024-02-01T07:12:00.000Z'));
      const due = await clinic.scope.notifications.claimDelivery(claim(2, '2024-02-01T07:12:00.000Z'));
      const again = await clinic.scope.notifications.claimDelivery(claim(2, '2024-02-01T07:12:00.000Z'));

      expect([early, staleCount, due, again]).toEqual([false, false, true, false]);
    });

    it('settles only a claim still held with the same attempts count; a final delivery is never claimed again', async () => {
      await clinic.scope.notifications.claimDelivery(claim(1, '2024-02-01T07:10:00.000Z'));
      const sent = {
        batchId: formed.id,
        contactId: contactId(),
        state: 'sent' as const,
        attempts: 1,
        updatedAt: '2024-02-01T07:10:02.000Z',
      };

      const wrongCount = await clinic.scope.notifications.settleDelivery({ ...sent, attempts: 2 });
      const settled = await clinic.scope.notifications.settleDelivery(sent);
      const twice = await clinic.scope.notifications.settleDelivery({ ...sent, state: 'failed' });
      const claimAfter = await clinic.scope.notifications.claimDelivery(claim(2, '2024-02-02T00:00:00.000Z'));

      expect([wrongCount, settled, twice, claimAfter]).toEqual([false, true, false, false]);
      expect(await clinic.scope.notifications.deliveries(formed.id)).toEqual([sent]);
    });

    it('settles nothing that was never claimed', async () => {
      const settled = await clinic.scope.notifications.settleDelivery({
        batchId: formed.id,
        contactId: contactId(),
        state: 'sent',
        attempts: 1,
        updatedAt: '2024-02-01T07:10:02.000Z',
      });

      expect(settled).toBe(false);
      expect(await clinic.scope.notifications.deliveries(formed.id)).toEqual([]);
    });
  });
});
