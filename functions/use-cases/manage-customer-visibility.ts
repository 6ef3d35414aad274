import type { AuditAction } from '../domain/audit-actions';
import type { DownloadReceipt, InvoiceDocument } from '../domain/document';
import { NotFoundError, ValidationError } from '../domain/errors';
import { type Customer, type CustomerChoices, shownDocumentTypes } from '../domain/identity';
import type { AllDocumentsQuery, Clock, IdGenerator, Page, TenantScope } from '../domain/ports';
import type { AdminPrincipal } from './admin-session';
import { queuePublicationNotice } from './send-publication-notices';

/**
 * What a clinic administrator decides about who sees what (issue 6): which customer companies have portal access,
 * and which of their documents contacts are shown. Contacts' access follows at once: portal access is checked on
 * every request (./authorize-customer-access.ts), and a document's visibility moves it in or out of the contacts'
 * index with the same write. Every change is an audit event under the administrator, written after the change
 * succeeded; a change that changes nothing (already so) is not one.
 */
export interface ManageCustomerVisibilityDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

interface AdminRequest {
  readonly principal: AdminPrincipal;
  readonly sourceIp: string;
}

export function listCustomers(scope: TenantScope): Promise<readonly Customer[]> {
  return scope.customers.list();
}

/**
 * Changes the clinic's choices about a customer: portal access, the publishing rule and the document types its
 * contacts are shown. Each choice that really changes is one audit event (`customer.access_granted` /
 * `customer.access_revoked`, `customer.publishing_changed`, `customer.document_types_changed` with the types before
 * and after). Showing no type at all is refused: it would be portal access turned off under another name, and the
 * contacts would see an empty list with no explanation; turning access off is the way to say that.
 */
export async function changeCustomerChoices(
  deps: ManageCustomerVisibilityDeps,
  request: AdminRequest & { readonly customerId: string; readonly choices: CustomerChoices },
): Promise<Customer> {
  const { scope, clock, ids } = deps;
  const { portalAccess, publishing } = request.choices;
  const types = request.choices.shownDocumentTypes;
  const wantedTypes = types === undefined ? undefined : shownDocumentTypes({ shownDocumentTypes: types });
  if (wantedTypes?.length === 0) {
    throw new ValidationError('Invalid customer choices: shownDocumentTypes must name at least one type.', {
      fields: { shownDocumentTypes: 'must name at least one document type (turn portal access off to show nothing)' },
    });
  }
  const before = await scope.customers.get(request.customerId);
  if (!before) throw new NotFoundError('The customer');
  const typesBefore = shownDocumentTypes(before);
  const accessChanges = portalAccess !== undefined && portalAccess !== before.portalAccess;
  const publishingChanges = publishing !== undefined && publishing !== (before.publishing ?? 'automatic');
  const typesChange = wantedTypes !== undefined && wantedTypes.join() !== typesBefore.join();
  if (!accessChanges && !publishingChanges && !typesChange) return before;
  const after = await scope.customers.updateChoices(request.customerId, {
    ...(accessChanges ? { portalAccess } : {}),
    ...(publishingChanges ? { publishing } : {}),
    ...(typesChange ? { shownDocumentTypes: wantedTypes } : {}),
  });
  const event = (action: AuditAction, details?: Readonly<Record<string, string>>) =>
    scope.audit.append({
      id: ids.newId(),
      at: clock.now().toISOString(),
      action,
      actor: { type: 'admin', id: request.principal.adminId },
      customerId: request.customerId,
      sourceIp: request.sourceIp,
      outcome: 'success',
      ...(details ? { details } : {}),
    });
  await Promise.all([
    accessChanges && event(portalAccess ? 'customer.access_granted' : 'customer.access_revoked'),
    publishingChanges &&
      event('customer.publishing_changed', {
        from: before.publishing ?? 'automatic',
        to: after.publishing ?? 'automatic',
      }),
    typesChange &&
      event('customer.document_types_changed', {
        from: typesBefore.join(','),
        to: shownDocumentTypes(after).join(','),
      }),
  ]);
  return after;
}

/** The customer and a page of its documents in every state, for the clinic's view; NotFoundError for none. */
export async function listCustomerDocumentsForClinic(
  scope: TenantScope,
  customerId: string,
  page: AllDocumentsQuery,
): Promise<{ readonly customer: Customer; readonly documents: Page<InvoiceDocument> }> {
  const [customer, documents] = await Promise.all([
    scope.customers.get(customerId),
    scope.documents.listAll(customerId, page),
  ]);
  if (!customer) throw new NotFoundError('The customer');
  return { customer, documents };
}

export async function listDocumentDownloads(
  scope: TenantScope,
  customerId: string,
  documentId: string,
): Promise<readonly DownloadReceipt[]> {
  const [document, receipts] = await Promise.all([
    scope.documents.get(customerId, documentId),
    scope.documents.listDownloads(customerId, documentId),
  ]);
  if (!document) throw new NotFoundError('The document');
  return receipts;
}

export async function setDocumentVisibility(
  deps: ManageCustomerVisibilityDeps,
  request: AdminRequest & {
    readonly customerId: string;
    readonly documentId: string;
    readonly visibility: 'published' | 'hidden';
  },
): Promise<InvoiceDocument> {
  const { scope, clock, ids } = deps;
  const before = await scope.documents.get(request.customerId, request.documentId);
  if (!before) throw new NotFoundError('The document');
  const after = await scope.documents.setVisibility(request.customerId, request.documentId, request.visibility);
  if (after.visibility !== before.visibility) {
    await scope.audit.append({
      id: ids.newId(),
      at: clock.now().toISOString(),
      action: 'document.visibility_changed',
      actor: { type: 'admin', id: request.principal.adminId },
      customerId: request.customerId,
      documentId: request.documentId,
      sourceIp: request.sourceIp,
      outcome: 'success',
      details: { from: before.visibility, to: after.visibility },
    });
  }
  // Also when nothing changed: a retry after a crash that came between the change and the notice still queues it
  // (and a document announced before is never announced again: the notice is once per document).
  await queuePublicationNotice(scope, after, clock.now().toISOString());
  return after;
}

/** How many documents one "publish everything held" goes through at most; the clinic can press it again. */
const PUBLISH_HELD_LIMIT = 1000;

/**
 * Publishes every document of the customer that waits for approval (`held`), each as its own audited change, so a
 * failure half-way leaves a clean state to retry from. Returns how many it published.
 */
export async function publishHeldDocuments(
  deps: ManageCustomerVisibilityDeps,
  request: AdminRequest & { readonly customerId: string },
): Promise<number> {
  const { scope } = deps;
  if (!(await scope.customers.get(request.customerId))) throw new NotFoundError('The customer');
  let published = 0;
  let read = 0;
  let cursor: string | undefined;
  do {
    const page = await scope.documents.listAll(request.customerId, { limit: 100, cursor });
    for (const document of page.items.filter((item) => item.visibility === 'held')) {
      await setDocumentVisibility(deps, { ...request, documentId: document.id, visibility: 'published' });
      published += 1;
    }
    read += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && read < PUBLISH_HELD_LIMIT);
  return published;
}
