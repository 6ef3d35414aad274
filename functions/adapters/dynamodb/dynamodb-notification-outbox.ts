import { ConflictError } from '../../domain/errors';
import {
  NOTIFICATION_POLICY,
  type NoticeBatch,
  type NoticeDelivery,
  type PublicationNotice,
} from '../../domain/notifications';
import type { NotificationOutbox } from '../../domain/ports';
import { ConcurrentWriteError, type DynamoDbTable, type Item, updateExpression, withoutKeys } from './dynamodb-table';
import { keys, openBatchesPartition, pendingNoticesPartition } from './keys';

const NEW_ITEM = { expression: 'attribute_not_exists(PK)' } as const;

/** Lost conditions mean "someone else got there first" here; a concurrent transaction is just as much a lost race. */
function lostRace(error: unknown): boolean {
  return error instanceof ConflictError || error instanceof ConcurrentWriteError;
}

function noticeOf(item: Item): PublicationNotice {
  return {
    customerId: String(item.customerId),
    documentId: String(item.documentId),
    queuedAt: String(item.queuedAt),
    ...(typeof item.batchId === 'string' ? { batchId: item.batchId } : {}),
  };
}

const batchOf = (item: Item): NoticeBatch => withoutKeys<NoticeBatch>(item);

/**
 * The notification outbox in the single table (docs/data-model.md): a notice beside its document in the customer's
 * partition, findable while pending through a sparse GSI1 entry; batches with their deliveries in a partition of their
 * own, findable while open through another sparse GSI1 entry. Every transition is a conditional write.
 */
export const dynamoDbNotificationOutbox =
  (table: DynamoDbTable) =>
  (tenantId: string): NotificationOutbox => {
    const noticeKey = (customerId: string, documentId: string) =>
      keys.publicationNotice(tenantId, customerId, documentId);

    /** The first `limit` items of a sparse GSI1 partition: its sort keys start with a time, so the oldest first. */
    const oldestInIndex = async (partition: string, limit: number) =>
      (
        await table.query({
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :partition',
          ExpressionAttributeValues: { ':partition': { S: partition } },
          Limit: limit,
        })
      ).items;

    const readBatch = async (batchId: string) => {
      const item = await table.get(keys.noticeBatch(tenantId, batchId), { consistent: true });
      return item ? batchOf(item) : undefined;
    };

    return {
      async enqueue(notice) {
        try {
          await table.put(
            {
              ...noticeKey(notice.customerId, notice.documentId),
              ...keys.pendingNoticeIndex(tenantId, notice.queuedAt, notice.customerId, notice.documentId),
              customerId: notice.customerId,
              documentId: notice.documentId,
              queuedAt: notice.queuedAt,
            },
            NEW_ITEM,
          );
          return true;
        } catch (error) {
          if (error instanceof ConflictError && !(error instanceof ConcurrentWriteError)) return false;
          throw error;
        }
      },

      async notice(customerId, documentId) {
        const item = await table.get(noticeKey(customerId, documentId), { consistent: true });
        return item ? noticeOf(item) : undefined;
      },

      async pending(limit) {
        return (await oldestInIndex(pendingNoticesPartition(tenantId), limit)).map(noticeOf);
      },

      async formBatch(batch) {
        if (batch.documentIds.length === 0 || batch.documentIds.length > NOTIFICATION_POLICY.maxDocumentsPerBatch) {
          throw new Error(`A batch holds 1 to ${NOTIFICATION_POLICY.maxDocumentsPerBatch} documents.`);
        }
        const takeNotice = (documentId: string) =>
          batch.reason === 'published'
            ? // The notice leaves the pending index in the same write; it must still be waiting.
              table.updateRequest(
                noticeKey(batch.customerId, documentId),
                updateExpression({ set: { batchId: batch.id }, remove: ['GSI1PK', 'GSI1SK'] }),
                { expression: 'attribute_exists(PK) AND attribute_not_exists(batchId)' },
              )
            : // A resend is remembered on the notice, for the admin's view. A document that never had a notice gets one,
              // already told (batchId), so a later publication does not announce it again.
              table.updateRequest(noticeKey(batch.customerId, documentId), {
                expression:
                  'SET customerId = :customerId, documentId = :documentId, queuedAt = if_not_exists(queuedAt, :at), ' +
                  'batchId = if_not_exists(batchId, :batchId), ' +
                  'resentBatchIds = list_append(if_not_exists(resentBatchIds, :none), :batch)',
                values: {
                  ':customerId': batch.customerId,
                  ':documentId': documentId,
                  ':at': batch.createdAt,
                  ':none': [],
                  ':batchId': batch.id,
                  ':batch': [batch.id],
                },
              });
        await table.transact([
          table.putRequest(
            {
              ...batch,
              ...keys.noticeBatch(tenantId, batch.id),
              ...(batch.closedAt === undefined ? keys.openBatchIndex(tenantId, batch.createdAt, batch.id) : {}),
            },
            NEW_ITEM,
          ),
          ...batch.documentIds.map(takeNotice),
        ]);
      },

      getBatch: readBatch,

      async openBatches(limit) {
        return (await oldestInIndex(openBatchesPartition(tenantId), limit)).map(batchOf);
      },

      async batchesOfDocument(customerId, documentId) {
        const item = await table.get(noticeKey(customerId, documentId), { consistent: true });
        if (!item) return [];
        const ids = new Set([
          ...(typeof item.batchId === 'string' ? [item.batchId] : []),
          ...(Array.isArray(item.resentBatchIds) ? item.resentBatchIds.map(String) : []),
        ]);
        const batches = await Promise.all([...ids].map(readBatch));
        return batches
          .filter((batch): batch is NoticeBatch => batch !== undefined)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },

      async deliveries(batchId) {
        const result = await table.query({
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': { S: keys.noticeBatch(tenantId, batchId).PK },
            ':prefix': { S: keys.noticeDeliveryPrefix },
          },
          ConsistentRead: true,
        });
        return result.items.map((item) => withoutKeys<NoticeDelivery>(item));
      },

      async claimDelivery(claim) {
        const firstAttempt = claim.attempts === 1;
        try {
          await table.put(
            { ...claim, ...keys.noticeDelivery(tenantId, claim.batchId, claim.contactId), state: 'sending' },
            firstAttempt
              ? NEW_ITEM
              : {
                  expression: '#state = :retry AND attempts = :seen AND nextAttemptAt <= :now',
                  values: { ':retry': 'retry', ':seen': claim.attempts - 1, ':now': claim.updatedAt },
                  names: { '#state': 'state' },
                },
          );
          return true;
        } catch (error) {
          if (lostRace(error)) return false;
          throw error;
        }
      },

      async settleDelivery(delivery) {
        try {
          await table.put(
            { ...delivery, ...keys.noticeDelivery(tenantId, delivery.batchId, delivery.contactId) },
            {
              expression: '#state = :sending AND attempts = :attempts',
              values: { ':sending': 'sending', ':attempts': delivery.attempts },
              names: { '#state': 'state' },
            },
          );
          return true;
        } catch (error) {
          if (lostRace(error)) return false;
          throw error;
        }
      },

      async closeBatch(batchId, at) {
        try {
          await table.update(
            keys.noticeBatch(tenantId, batchId),
            updateExpression({ set: { closedAt: at }, remove: ['GSI1PK', 'GSI1SK'] }),
            { expression: 'attribute_exists(PK) AND attribute_not_exists(closedAt)' },
          );
        } catch (error) {
          if (!lostRace(error)) throw error;
        }
      },
    };
  };
