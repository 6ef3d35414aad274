import { ConflictError } from '../../domain/errors';
import type { IdempotencyRecord, IdempotencyStore } from '../../domain/ports';
import { type DynamoDbTable, rethrowConflictAs, updateExpression, withoutKeys } from './dynamodb-table';
import { keys } from './keys';

/** A record that blocked a claim may expire or be released before it is read; then the claim is tried once more. */
const CLAIM_ATTEMPTS = 2;

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Idempotency records of one clinic's ingest requests (`T#<t>#IDEMPOTENCY#<sha256(key)>` / `RECORD`, with a TTL).
 * A claim is a conditional Put: the first request with a key wins and every later one reads what the first left.
 * An expired record counts as free even before DynamoDB's TTL sweep deletes it, which can take days.
 */
export const dynamoDbIdempotencyStore =
  (table: DynamoDbTable) =>
  (tenantId: string): IdempotencyStore => {
    const recordKey = (key: string) => keys.idempotencyRecord(tenantId, key);

    return {
      async begin(key, requestSha256, now, leaseSeconds) {
        const record: IdempotencyRecord = { key, requestSha256, state: 'in_progress', createdAt: now.toISOString() };
        // The lease is the record's expiry until it completes: an abandoned claim frees itself.
        const item = { ...record, ...recordKey(key), expiresAtEpoch: epochSeconds(now) + leaseSeconds };
        const freeOrExpired = {
          expression: 'attribute_not_exists(PK) OR expiresAtEpoch < :now',
          values: { ':now': epochSeconds(now) },
        };
        for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
          try {
            await table.put(item, freeOrExpired);
            return { claimed: true };
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
          }
          const existing = await table.get(recordKey(key), { consistent: true });
          if (existing) return { claimed: false, record: withoutKeys<IdempotencyRecord>(existing) };
        }
        throw new ConflictError('Other requests keep claiming and releasing this idempotency key; try again.');
      },

      async complete(key, response, now, ttlSeconds) {
        await table
          .update(
            recordKey(key),
            updateExpression({
              set: {
                state: 'completed',
                response: { ...response },
                expiresAtEpoch: epochSeconds(now) + ttlSeconds,
              },
            }),
            { expression: 'attribute_exists(PK)' },
          )
          .catch(rethrowConflictAs('The idempotency record no longer exists.'));
      },

      async release(key) {
        await table.delete(recordKey(key));
      },
    };
  };
