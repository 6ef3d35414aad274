import type { InvoiceDocument } from '../../domain/document';
import { NotFoundError } from '../../domain/errors';
import type { TenantScope } from '../../domain/ports';

export interface IngestStatus {
  readonly document: InvoiceDocument;
  readonly customerNumber: string;
}

/** What the practice system may know about a document it sent: its state, not who downloaded it. */
export async function getIngestStatus(scope: TenantScope, documentId: string): Promise<IngestStatus> {
  const document = await scope.documents.locate(documentId);
  const customer = document ? await scope.customers.get(document.customerId) : undefined;
  if (!document || !customer) throw new NotFoundError('The document');
  return { document, customerNumber: customer.customerNumber };
}
