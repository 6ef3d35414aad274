import type { PasswordLink, PasswordLinkRepository } from '../../domain/ports';
import { type DynamoDbTable, type Item, withoutKeys } from './dynamodb-table';
import { keys } from './keys';

/** TTL rounds up, so DynamoDB never removes a link before it ends; the exact end is `expiresAt`, checked here. */
const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);

/**
 * Set-password links (docs/data-model.md): one item per account, `T#<t>#PWLINK#<kind>#<id>` / `LINK`, holding the
 * SHA-256 of the secret, removed by TTL after it ends. Using a link is one conditional DeleteItem (the hash matches,
 * the link has not ended) that returns the deleted item, so of two parallel uses exactly one gets the link.
 */
export const dynamoDbPasswordLinkRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): PasswordLinkRepository => ({
    async put(link) {
      await table.put({
        ...link,
        ...keys.passwordLink(tenantId, link.subject),
        expiresAtEpoch: epochSeconds(link.expiresAt),
      });
    },

    /** The stored link, which may have ended (the TTL sweep is slow): callers compare `expiresAt` themselves. */
    async get(subject) {
      const item = await table.get(keys.passwordLink(tenantId, subject), { consistent: true });
      return item ? withoutKeys<PasswordLink>(item) : undefined;
    },

    async consume(subject, secretSha256, now) {
      // `expiresAt` is always an ISO instant in UTC of the same length, so comparing strings compares instants. The
      // TTL sweep may leave an ended link in the table for days; this condition, not the sweep, ends it.
      const deleted: Item | undefined = await table.deleteIfAndGet(keys.passwordLink(tenantId, subject), {
        expression: 'secretSha256 = :hash AND expiresAt > :now',
        values: { ':hash': secretSha256, ':now': now.toISOString() },
      });
      return deleted ? withoutKeys<PasswordLink>(deleted) : undefined;
    },
  });
