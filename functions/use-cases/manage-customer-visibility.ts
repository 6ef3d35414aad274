import type { DownloadReceipt, InvoiceDocument } from '../domain/document';
import { NotFoundError } from '../domain/errors';
import type { Customer } from '../domain/identity';
import type { Clock, IdGenerator, Page, PageRequest, TenantScope } from '../domain/ports';
import type { AdminPrincipal } from './admin-session';

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

export async function setCustomerPortalAccess(
  deps: ManageCustomerVisibilityDeps,
  request: AdminRequest & { readonly customerId: string; readonly portalAccess: boolean },
): Promise<Customer> {
  const { scope, clock, ids } = deps;
  const before = await scope.customers.get(request.customerId);
  if (!before) throw new NotFoundError('The customer');
  if (before.portalAccess === request.portalAccess) return before;
  const after = await scope.customers.setPortalAccess(request.customerId, request.portalAccess);
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: request.portalAccess ? 'customer.access_granted' : 'customer.access_revoked',
    actor: { type: 'admin', id: request.principal.adminId },
    customerId: request.customerId,
    sourceIp: request.sourceIp,
    outcome: 'success',
  });
  return after;
}

/** The customer and a page of its documents in every state, for the clinic's view; NotFoundError for none. */
export async function listCustomerDocumentsForClinic(
  scope: TenantScope,
  customerId: string,
  page: PageRequest,
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
  return after;
}
