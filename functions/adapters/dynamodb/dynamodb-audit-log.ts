import { createHash } from 'node:crypto';
import { type AuditQuery, EMPTY_CHAIN } from '../../domain/audit-trail';
import { ValidationError } from '../../domain/errors';
import type { AuditEvent } from '../../domain/identity';
import { AUDIT_SEAL_BATCH, type AuditLog } from '../../domain/ports';
import { type DynamoDbTable, type Item, withoutKeys } from './dynamodb-table';
import { keys } from './keys';

/** The attributes the chain adds to a stored event (kept off the event the port returns). */
const CHAIN_ATTRIBUTES = ['chainIndex'] as const;

/**
 * A page reads events in batches of this many, and stops inside a month after MAX_BATCHES_PER_PAGE batches (a filter
 * that matches little never makes one request read a year); the client continues with the cursor. Each month of the
 * span costs at least one read, so a page makes at most MAX_BATCHES_PER_PAGE + MAX_MONTHS reads.
 */
const BATCH = 200;
const MAX_BATCHES_PER_PAGE = 5;

/** The longest span one query may cover: a year of month partitions. */
const MAX_MONTHS = 13;

const CURSOR_POSITION = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w.-]+$/u;

/** The months `YYYY-MM` from `from` to `to` (ISO instants), newest first. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(to.slice(0, 4));
  let month = Number(to.slice(5, 7));
  const first = from.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current < first) break;
    months.push(current);
    if (months.length > MAX_MONTHS) {
      throw new ValidationError('Invalid query: the span may be at most a year.', {
        fields: { from: 'must be at most a year before to' },
      });
    }
    month -= 1;
    if (month === 0) [year, month] = [year - 1, 12];
  }
  return months;
}

function eventOf(item: Item): AuditEvent {
  const { [CHAIN_ATTRIBUTES[0]]: _index, ...rest } = withoutKeys<AuditEvent & { chainIndex?: number }>(item);
  return rest;
}

/**
 * The audit log in DynamoDB: one partition per clinic and month (`T#<t>#AUDIT#<yyyy-mm>`, sorted by time and id),
 * a sparse index of the events not yet chained, and the chain's links and head in the clinic's `AUDIT#CHAIN`
 * partition (read consistently, so a verification never mistakes a lagging index for a gap).
 */
export const dynamoDbAuditLog =
  (table: DynamoDbTable) =>
  (tenantId: string): AuditLog => {
    const eventKey = (event: Pick<AuditEvent, 'at' | 'id'>) => keys.auditEvent(tenantId, event.at, event.id);
    const cursorTag = (query: AuditQuery) =>
      createHash('sha256')
        .update(
          JSON.stringify([
            tenantId,
            query.from,
            query.to,
            query.action,
            query.actorId,
            query.customerId,
            query.documentId,
          ]),
        )
        .digest('base64url')
        .slice(0, 16);

    return {
      async append(event) {
        // Append-only: an event id is never written twice, so nothing can overwrite history through this port.
        await table.put(
          { ...event, ...eventKey(event), ...keys.auditUnsealedIndex(tenantId, event.at, event.id) },
          { expression: 'attribute_not_exists(PK)' },
        );
      },

      async list(query, page) {
        const tag = cursorTag(query);
        // A cursor is the sort key of the last event shown; the next page continues right below it.
        let resumeAfter: string | undefined;
        if (page.cursor !== undefined) {
          const decoded = Buffer.from(page.cursor, 'base64url').toString('utf8');
          resumeAfter = decoded.slice(tag.length + 1);
          if (!decoded.startsWith(`${tag}.`) || !CURSOR_POSITION.test(resumeAfter) || resumeAfter >= query.to) {
            throw new ValidationError('Invalid query: cursor.', {
              fields: { cursor: 'is not a cursor of this query' },
            });
          }
        }
        const filters = (
          [
            ['action', ['action'], query.action],
            ['actorId', ['actor', 'id'], query.actorId],
            ['customerId', ['customerId'], query.customerId],
            ['documentId', ['documentId'], query.documentId],
          ] as const
        ).filter(([, , value]) => value !== undefined);
        const names = Object.fromEntries(filters.flatMap(([, path]) => path.map((part) => [`#${part}`, part])));
        const filterExpression = filters
          .map(([name, path]) => `${path.map((part) => `#${part}`).join('.')} = :${name}`)
          .join(' AND ');
        const items: AuditEvent[] = [];
        let batches = 0;
        let next: string | undefined;
        for (const month of monthsBetween(query.from, resumeAfter ?? query.to)) {
          const partition = keys.auditEvent(tenantId, `${month}-01T00:00:00.000Z`, 'x').PK;
          let startKey: Item | undefined =
            resumeAfter?.startsWith(month) === true ? { PK: partition, SK: resumeAfter } : undefined;
          do {
            const result = await table.query(
              {
                // `to` is exclusive: a sort key `<to>#<id>` sorts above `<to>` itself.
                KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
                ExpressionAttributeValues: {
                  ':pk': { S: partition },
                  ':from': { S: query.from },
                  ':to': { S: query.to },
                  ...Object.fromEntries(filters.map(([name, , value]) => [`:${name}`, { S: String(value) }])),
                },
                ...(filters.length > 0 ? { FilterExpression: filterExpression, ExpressionAttributeNames: names } : {}),
                ScanIndexForward: false,
                Limit: BATCH,
              },
              startKey,
            );
            batches += 1;
            const room = page.limit - items.length;
            items.push(...result.items.slice(0, room).map(eventOf));
            startKey = result.lastEvaluatedKey;
            const last = items.at(-1);
            // A full page continues after its last event (in this month or, when it ended here, the older ones).
            if (last && items.length === page.limit) {
              next = `${last.at}#${last.id}`;
              break;
            }
            if (batches >= MAX_BATCHES_PER_PAGE && startKey) {
              next = String(startKey.SK);
              break;
            }
          } while (startKey);
          if (next !== undefined) break;
        }
        return {
          items,
          ...(next === undefined ? {} : { nextCursor: Buffer.from(`${tag}.${next}`).toString('base64url') }),
        };
      },

      async unsealed(limit) {
        const result = await table.query({
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :partition',
          ExpressionAttributeValues: { ':partition': { S: keys.auditUnsealedIndex(tenantId, '0', 'x').GSI1PK } },
          Limit: limit,
        });
        return result.items.map(eventOf);
      },

      async chainHead() {
        const item = await table.get(keys.auditChainHead(tenantId), { consistent: true });
        return item ? { index: Number(item.index), hash: String(item.hash) } : EMPTY_CHAIN;
      },

      async seal(head, links) {
        if (links.length === 0) return;
        if (links.length > AUDIT_SEAL_BATCH) throw new Error(`At most ${AUDIT_SEAL_BATCH} links per seal.`);
        const last = links.at(-1)?.link ?? head;
        await table.transact([
          ...links.flatMap(({ event, link }) => [
            table.updateRequest(
              eventKey(event),
              {
                expression: 'SET chainIndex = :index REMOVE GSI1PK, GSI1SK',
                values: { ':index': link.index },
              },
              { expression: 'attribute_exists(PK) AND attribute_not_exists(chainIndex)' },
            ),
            table.putRequest(
              {
                ...keys.auditChainLink(tenantId, link.index),
                eventAt: event.at,
                eventId: event.id,
                previousHash: link.previousHash,
                hash: link.hash,
              },
              { expression: 'attribute_not_exists(PK)' },
            ),
          ]),
          table.putRequest(
            { ...keys.auditChainHead(tenantId), index: last.index, hash: last.hash },
            head.index === 0
              ? { expression: 'attribute_not_exists(PK)' }
              : { expression: '#index = :expected', values: { ':expected': head.index }, names: { '#index': 'index' } },
          ),
        ]);
      },

      async chain(fromIndex, limit) {
        const result = await table.query({
          KeyConditionExpression: 'PK = :pk AND SK >= :from',
          ExpressionAttributeValues: {
            ':pk': { S: keys.auditChainHead(tenantId).PK },
            ':from': { S: keys.auditChainLink(tenantId, fromIndex).SK },
          },
          ConsistentRead: true,
          Limit: limit,
        });
        const links = result.items.filter((item) => String(item.SK).startsWith('LINK#'));
        const events = await Promise.all(
          links.map((item) =>
            table.get(eventKey({ at: String(item.eventAt), id: String(item.eventId) }), { consistent: true }),
          ),
        );
        return links.map((item, position) => {
          const stored = events[position];
          return {
            link: {
              index: Number(String(item.SK).slice(5)),
              previousHash: String(item.previousHash),
              hash: String(item.hash),
            },
            event: stored ? eventOf(stored) : undefined,
          };
        });
      },
    };
  };
