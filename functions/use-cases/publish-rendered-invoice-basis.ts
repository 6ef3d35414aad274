import type { InvoiceDocument } from '../domain/document';
import { type InvoiceBasis, summarizeInvoiceBasis } from '../domain/invoice-basis';
import type { Clock, IdGenerator, InvoiceRenderer, TenantScope } from '../domain/ports';

export interface PublishInvoiceBasisDeps {
  readonly scope: TenantScope;
  readonly renderer: InvoiceRenderer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface PublishInvoiceBasisInput {
  readonly customerId: string;
  readonly basis: InvoiceBasis;
  readonly documentType: string;
  /** When the document counts as sent; defaults to now (the seed backdates its 2024 documents). */
  readonly sentAt?: Date;
}

/**
 * Renders an invoice basis to PDF, stores it, then writes the metadata that makes it visible — in that order,
 * so a document is never listed without its PDF. Idempotent by invoice number: publishing the same invoice
 * number again returns the existing document. (The ingest issue turns this into the asynchronous pipeline with
 * versions and corrections.)
 */
export async function publishRenderedInvoiceBasis(
  deps: PublishInvoiceBasisDeps,
  input: PublishInvoiceBasisInput,
): Promise<InvoiceDocument> {
  const { scope, renderer, clock, ids } = deps;
  const existing = await scope.documents.findByInvoiceNumber(input.customerId, input.basis.invoiceNumber);
  if (existing) return existing;

  const pdf = await renderer.render(input.basis);
  const summary = summarizeInvoiceBasis(input.basis);
  const documentId = ids.newId();
  const stored = await scope.documentStore.put(input.customerId, documentId, pdf);
  const sentAt = (input.sentAt ?? clock.now()).toISOString();
  const document: InvoiceDocument = {
    id: documentId,
    customerId: input.customerId,
    invoiceNumber: input.basis.invoiceNumber,
    invoiceDate: input.basis.invoiceDate,
    periodFrom: input.basis.periodFrom,
    periodTo: input.basis.periodTo,
    description: input.basis.description,
    amount: summary.total,
    vatAmount: summary.vatTotal,
    currency: input.basis.currency,
    documentType: input.documentType,
    status: 'ready',
    visibility: 'published',
    version: 1,
    sentAt,
    contentSha256: stored.sha256,
    sizeBytes: stored.sizeBytes,
  };
  await scope.documents.create(document);
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'document.published',
    actor: { type: 'system', id: 'publisher' },
    customerId: input.customerId,
    documentId,
    outcome: 'success',
  });
  return document;
}
