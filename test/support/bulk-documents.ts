import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { documentItem } from '../../functions/adapters/dynamodb/dynamodb-document-repository';
import type { InvoiceDocument } from '../../functions/domain/document';

/** BatchWriteItem's maximum. */
const BATCH = 25;

/**
 * Writes published, ready documents straight into the table, 25 to a request, several requests at a time: for
 * lists of thousands, where going through receive and complete for each would take minutes. The items are built
 * by the adapter's own `documentItem`, so they are stored exactly as ingest stores them (no pointer or claim items:
 * lists never read those).
 */
export async function putDocumentsDirectly(
  target: { readonly client: DynamoDBClient; readonly tableName: string; readonly tenantId: string },
  documents: readonly InvoiceDocument[],
  concurrency = 8,
): Promise<void> {
  const batches: InvoiceDocument[][] = [];
  for (let start = 0; start < documents.length; start += BATCH) batches.push(documents.slice(start, start + BATCH));
  let nextBatch = 0;
  const worker = async () => {
    while (nextBatch < batches.length) {
      const batch = batches[nextBatch++] ?? [];
      let requests = batch.map((document) => ({
        PutRequest: { Item: marshall(documentItem(target.tenantId, document), { removeUndefinedValues: true }) },
      }));
      // Throttled or partial writes come back as unprocessed items: write those again until none are left.
      while (requests.length > 0) {
        const result = await target.client.send(
          new BatchWriteItemCommand({ RequestItems: { [target.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[target.tableName] ?? []).map((request) => ({
          PutRequest: { Item: request.PutRequest?.Item ?? {} },
        }));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A ready, published document of `customerId` for bulk lists; vary the rest with `overrides`. */
export function bulkDocument(
  customerId: string,
  id: string,
  invoiceDate: string,
  overrides: Partial<InvoiceDocument> = {},
): InvoiceDocument {
  return {
    id,
    customerId,
    invoiceNumber: `B-${id.slice(0, 13)}`,
    invoiceDate,
    periodFrom: `${invoiceDate.slice(0, 7)}-01`,
    periodTo: invoiceDate,
    description: 'Fakturering',
    amount: 125_000,
    vatAmount: 25_000,
    currency: 'SEK',
    documentType: 'fakturaunderlag',
    source: 'rendered',
    status: 'ready',
    visibility: 'published',
    version: 1,
    receivedAt: `${invoiceDate}T06:00:00.000Z`,
    payloadSha256: 'a'.repeat(64),
    sentAt: `${invoiceDate}T07:00:00.000Z`,
    contentSha256: 'c'.repeat(64),
    sizeBytes: 2048,
    pageCount: 1,
    ...overrides,
  };
}
