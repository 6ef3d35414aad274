import { type DownloadReceipt, type InvoiceDocument, isVisibleToContacts } from '../../domain/document';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { DocumentRepository, Page, PageRequest } from '../../domain/ports';
import { type DynamoDbTable, type Item, withoutKeys } from './dynamodb-table';
import { keys, visibleDocumentsPartition } from './keys';

/** A cursor is the index sort key of the last item: `<invoice date>#<document id>`, base64url-encoded. */
const CURSOR_SORT_KEY = /^\d{4}-\d{2}-\d{2}#[0-9a-f-]{36}$/u;

/**
 * Documents of one tenant. Contacts' lists are read from the sparse GSI1 that holds only visible documents, so
 * a held, hidden or withdrawn document cannot leak into a list through a forgotten filter.
 */
export const dynamoDbDocumentRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): DocumentRepository => {
    const toItem = (document: InvoiceDocument): Item => ({
      ...document,
      ...keys.document(tenantId, document.customerId, document.id),
      ...keys.allDocumentsIndex(tenantId, document.customerId, document.invoiceDate, document.id),
      ...(isVisibleToContacts(document)
        ? keys.visibleDocumentsIndex(tenantId, document.customerId, document.invoiceDate, document.id)
        : {}),
    });

    return {
      async create(document) {
        const pointer = {
          ...keys.invoiceNumber(tenantId, document.customerId, document.invoiceNumber),
          documentId: document.id,
          version: document.version,
        };
        await table.transact([
          table.putRequest(toItem(document), { expression: 'attribute_not_exists(PK)' }),
          table.putRequest(pointer, {
            expression: 'attribute_not_exists(PK) OR version < :version',
            values: { ':version': document.version },
          }),
        ]);
      },

      async get(customerId, documentId) {
        const item = await table.get(keys.document(tenantId, customerId, documentId));
        return item ? withoutKeys<InvoiceDocument>(item) : undefined;
      },

      async findByInvoiceNumber(customerId, invoiceNumber) {
        const pointer = await table.get(keys.invoiceNumber(tenantId, customerId, invoiceNumber), { consistent: true });
        if (!pointer) return undefined;
        const item = await table.get(keys.document(tenantId, customerId, String(pointer.documentId)), {
          consistent: true,
        });
        return item ? withoutKeys<InvoiceDocument>(item) : undefined;
      },

      async listVisible(customerId, page: PageRequest): Promise<Page<InvoiceDocument>> {
        const partition = visibleDocumentsPartition(tenantId, customerId);
        const result = await table.query(
          {
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :partition',
            ExpressionAttributeValues: { ':partition': { S: partition } },
            ScanIndexForward: false,
            Limit: page.limit,
          },
          page.cursor === undefined ? undefined : startKeyFromCursor(tenantId, customerId, page.cursor),
        );
        const last = result.lastEvaluatedKey;
        return {
          items: result.items.map((item) => withoutKeys<InvoiceDocument>(item)),
          ...(last ? { nextCursor: Buffer.from(String(last.GSI1SK)).toString('base64url') } : {}),
        };
      },

      async recordDownload(customerId, documentId, receipt: DownloadReceipt) {
        await table
          .transact([
            table.putRequest({
              ...keys.downloadReceipt(tenantId, customerId, documentId, receipt.at, receipt.contactId),
              documentId,
              ...receipt,
            }),
            table.updateRequest(
              keys.document(tenantId, customerId, documentId),
              {
                expression: 'SET lastDownload = :receipt, firstDownload = if_not_exists(firstDownload, :receipt)',
                values: {
                  ':receipt': { at: receipt.at, contactId: receipt.contactId, contactName: receipt.contactName },
                },
              },
              { expression: 'attribute_exists(PK)' },
            ),
          ])
          .catch((error: unknown) => {
            if (error instanceof ConflictError)
              throw new ConflictError('The document no longer exists.', { cause: error });
            throw error;
          });
      },
    };
  };

/**
 * Rebuilds DynamoDB's ExclusiveStartKey from a cursor. Only the position comes from the client: the partition
 * is always the caller's own, so a forged cursor can at worst skip within the caller's own list.
 */
function startKeyFromCursor(tenantId: string, customerId: string, cursor: string): Item {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CURSOR_SORT_KEY.test(sortKey)) throw new ValidationError('The paging cursor is invalid.', { cursor: 'invalid' });
  const [invoiceDate = '', documentId = ''] = sortKey.split('#');
  return {
    ...keys.document(tenantId, customerId, documentId),
    ...keys.visibleDocumentsIndex(tenantId, customerId, invoiceDate, documentId),
  };
}
