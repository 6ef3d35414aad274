import { ConflictError } from '../../domain/errors';
import { API_KEY_USE_RESOLUTION_MS, type ApiKey } from '../../domain/identity';
import type { ApiKeyRepository } from '../../domain/ports';
import { type DynamoDbTable, type Item, rethrowConflictAs, updateExpression, withoutKeys } from './dynamodb-table';
import { keys } from './keys';

const MISSING_KEY = 'The API key does not exist.';

/**
 * The ingest API keys of one clinic, in the clinic's own partition (`T#<t>` / `APIKEY#<keyId>`). Reads are
 * consistent, so a revocation takes effect on the very next request.
 */
export const dynamoDbApiKeyRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): ApiKeyRepository => {
    const get = async (keyId: string) => {
      const item = await table.get(keys.apiKey(tenantId, keyId), { consistent: true });
      return item ? withoutKeys<ApiKey>(item) : undefined;
    };

    return {
      async create(key) {
        await table
          .put({ ...key, ...keys.apiKey(tenantId, key.id) }, { expression: 'attribute_not_exists(PK)' })
          .catch(rethrowConflictAs('An API key with this id exists.'));
      },

      get,

      async list() {
        const found: ApiKey[] = [];
        let startKey: Item | undefined;
        do {
          const page = await table.query(
            {
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
              ExpressionAttributeValues: {
                ':pk': { S: keys.tenant(tenantId).PK },
                ':prefix': { S: keys.apiKeyPrefix },
              },
              ConsistentRead: true,
            },
            startKey,
          );
          found.push(...page.items.map((item) => withoutKeys<ApiKey>(item)));
          startKey = page.lastEvaluatedKey;
        } while (startKey);
        return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },

      async update(keyId, change) {
        // Only these attributes may change; whatever else a caller's object carries is not written.
        const set = { revokedAt: change.revokedAt, expiresAt: change.expiresAt, replacedBy: change.replacedBy };
        if (Object.values(set).every((value) => value === undefined)) {
          const unchanged = await get(keyId);
          if (!unchanged) throw new ConflictError(MISSING_KEY);
          return unchanged;
        }
        const item = await table
          .updateAndGet(keys.apiKey(tenantId, keyId), updateExpression({ set }), {
            expression: 'attribute_exists(PK)',
          })
          .catch(rethrowConflictAs(MISSING_KEY));
        return withoutKeys<ApiKey>(item);
      },

      async touch(keyId, at) {
        await table
          .update(
            keys.apiKey(tenantId, keyId),
            { expression: 'SET lastUsedAt = :at', values: { ':at': at.toISOString() } },
            {
              // attribute_exists keeps a touch from creating a stray item for a key that does not exist.
              expression: 'attribute_exists(PK) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :minuteAgo)',
              values: { ':minuteAgo': new Date(at.getTime() - API_KEY_USE_RESOLUTION_MS).toISOString() },
            },
          )
          .catch((error: unknown) => {
            // Touched within the resolution by a concurrent request, or the key is gone: nothing to record.
            if (!(error instanceof ConflictError)) throw error;
          });
      },
    };
  };
