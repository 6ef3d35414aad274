import type { InvoiceDocument } from '../../domain/document';
import { ConflictError, UnprocessableError } from '../../domain/errors';
import type { Actor, AuditEvent, Customer } from '../../domain/identity';
import type { DocumentType, IsoDate } from '../../domain/invoice-basis';
import type { DeclaredTotals } from '../../domain/invoice-basis-checks';
import type { TenantScope } from '../../domain/ports';
import { recordOnce } from '../record-once';

/**
 * The rules both ingest paths (structured data and ready-made PDFs) share: which customer, whether a version is
 * new, a retry, or a conflict, and how a received version is recorded.
 */

/** The header every submitted document has, structured or ready-made (validated by the API schema; öre). */
export interface DocumentHeaderSubmission {
  readonly customerNumber: string;
  readonly invoiceNumber: string;
  readonly version: number;
  readonly documentType: DocumentType;
  readonly invoiceDate: IsoDate;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly description: string;
  readonly currency: 'SEK';
  readonly totals: DeclaredTotals;
}

/** A newly received version, from the header both ingest paths share (amounts as declared: they were checked). */
export function receivedDocument(
  header: DocumentHeaderSubmission,
  customer: Pick<Customer, 'id' | 'publishing'>,
  facts: Pick<InvoiceDocument, 'id' | 'receivedAt' | 'payloadSha256' | 'source' | 'status'> &
    Partial<Pick<InvoiceDocument, 'lineCount'>>,
): InvoiceDocument {
  return {
    ...facts,
    customerId: customer.id,
    invoiceNumber: header.invoiceNumber,
    invoiceDate: header.invoiceDate,
    periodFrom: header.periodFrom,
    periodTo: header.periodTo,
    description: header.description,
    amount: header.totals.total,
    vatAmount: header.totals.vat,
    currency: header.currency,
    documentType: header.documentType,
    // "Publish when ready": contacts see it only once it is also ready (isVisibleToContacts); a customer whose
    // documents wait for the clinic's approval gets it held.
    visibility: customer.publishing === 'approval' ? 'held' : 'published',
    version: header.version,
  };
}

export async function customerNumbered(scope: TenantScope, customerNumber: string): Promise<Customer> {
  const customer = await scope.customers.findByCustomerNumber(customerNumber);
  if (!customer) {
    throw new UnprocessableError('unknown_customer', `There is no customer with customer number ${customerNumber}.`, {
      field: 'customerNumber',
      hint: 'Send the customer with PUT /ingest/v1/customers first.',
    });
  }
  return customer;
}

export interface VersionRequest {
  readonly customerId: string;
  readonly invoiceNumber: string;
  readonly version: number;
  readonly payloadSha256: string;
}

/**
 * Decides what a received version is. Returns the existing document when the same version arrives again with the
 * same content (a retry: the caller answers with the original result), throws 409 when it arrives with other
 * content or is not newer than the current version, and returns undefined when it is new.
 */
export async function existingVersionOrConflict(
  scope: TenantScope,
  request: VersionRequest,
): Promise<InvoiceDocument | undefined> {
  const existing = await scope.documents.findVersion(request.customerId, request.invoiceNumber, request.version);
  if (existing) {
    if (existing.payloadSha256 === request.payloadSha256) return existing;
    throw new ConflictError(
      `Version ${request.version} of invoice ${request.invoiceNumber} was already received with different content (document ${existing.id}). Send the correction as version ${request.version + 1}.`,
      { code: 'version_conflict', details: { documentId: existing.id, nextVersion: request.version + 1 } },
    );
  }
  const current = await scope.documents.findByInvoiceNumber(request.customerId, request.invoiceNumber);
  if (current && current.version >= request.version) {
    throw new ConflictError(
      `Version ${current.version} of invoice ${request.invoiceNumber} is already published; a correction needs version ${current.version + 1} or higher.`,
      { code: 'version_not_newer', details: { currentVersion: current.version, documentId: current.id } },
    );
  }
  return undefined;
}

/**
 * Records a new version as received, with its audit event. A concurrent duplicate loses the conditional write; it
 * then finds the winner and is treated as a retry of it (or as a conflict, if its content differs) — never as a
 * second document.
 */
export async function recordReceivedVersion(
  scope: TenantScope,
  actor: Actor,
  document: InvoiceDocument,
): Promise<{ readonly document: InvoiceDocument; readonly isNew: boolean }> {
  try {
    await scope.documents.receive(document);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const winner = await existingVersionOrConflict(scope, document);
    if (!winner) throw error;
    await recordReceived(scope, actor, winner);
    return { document: winner, isNew: false };
  }
  await recordReceived(scope, actor, document);
  return { document, isNew: true };
}

/** The `document.received` event, once per document (see recordOnce): retries of a version call this again. */
export function recordReceived(scope: TenantScope, actor: Actor, document: InvoiceDocument): Promise<void> {
  const event: AuditEvent = {
    id: `${document.id}.received`,
    at: document.receivedAt,
    action: 'document.received',
    actor,
    customerId: document.customerId,
    documentId: document.id,
    outcome: 'success',
    details: { invoiceNumber: document.invoiceNumber, version: document.version, source: document.source },
  };
  return recordOnce(scope, event);
}
